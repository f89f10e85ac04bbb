#!/usr/bin/env bash
# Real mail servers for Rebound's end-to-end tests: Postfix (submission and real DSNs) and Dovecot (the
# "bounces@" IMAP mailbox), on loopback only, for Debian 12 as root without systemd.
#
#   realmail.sh install     apt packages (postfix, dovecot-imapd); services are not auto-started
#   realmail.sh configure   write the Postfix and Dovecot configuration (idempotent)
#   realmail.sh start|stop|status
#
# Everything that runs lives under $REALMAIL_BASE (default /tmp/rebound-realmail). Ports (127.0.0.1):
#   $REALMAIL_POSTFIX_PORT  (2626)  Postfix smtpd: submit test mail here
#   $REALMAIL_RECEIVER_PORT (2625)  where Postfix delivers mail for @bounce.test: Rebound's SMTP receiver
#   $REALMAIL_MX_PORT       (2627)  where Postfix delivers mail for @remote.test: the tests' fake remote MX
#   $REALMAIL_IMAP_PORT     (1143)  Dovecot IMAP; user bounces@mbox.test, password "secret"
# Mail for @example.test is local: unknown users bounce with 5.1.1. Mail for bounces(+anything)@mbox.test goes
# into the Dovecot mailbox. Retry timings are seconds, not hours, so delays and expiries happen in a test.
set -euo pipefail
BASE=${REALMAIL_BASE:-/tmp/rebound-realmail}
POSTFIX_PORT=${REALMAIL_POSTFIX_PORT:-2626}
RECEIVER_PORT=${REALMAIL_RECEIVER_PORT:-2625}
MX_PORT=${REALMAIL_MX_PORT:-2627}
IMAP_PORT=${REALMAIL_IMAP_PORT:-1143}
VMAIL=$BASE/vmail

install() {
  export DEBIAN_FRONTEND=noninteractive
  if command -v postfix >/dev/null && command -v dovecot >/dev/null; then return; fi
  apt-get update -qq
  debconf-set-selections <<'DEB'
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string example.test
DEB
  # policy-rc.d 101: the packages' scripts must not start daemons on the standard ports
  local added=
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; added=1; fi
  apt-get install -y -qq --no-install-recommends postfix dovecot-imapd >/dev/null
  if [ -n "$added" ]; then rm -f /usr/sbin/policy-rc.d; fi
}

configure() {
  mkdir -p "$BASE"
  id vmail >/dev/null 2>&1 || useradd --system --uid 5000 --user-group --home-dir /nonexistent --shell /usr/sbin/nologin vmail
  # `command`: the coreutils program, not this script's install() above
  command install -d -o vmail -g vmail -m 0750 "$VMAIL"
  postconf -e \
    "myhostname = mta.example.test" "mydomain = example.test" "myorigin = example.test" \
    "mydestination = example.test, localhost" "inet_interfaces = 127.0.0.1" "inet_protocols = ipv4" \
    "mynetworks = 127.0.0.0/8" "local_recipient_maps =" "alias_maps =" "alias_database =" \
    "transport_maps = inline:{ bounce.test=smtp:[127.0.0.1]:$RECEIVER_PORT, remote.test=smtp:[127.0.0.1]:$MX_PORT }" \
    "default_transport = error:no delivery outside the test domains" \
    "relay_transport = error:no delivery outside the test domains" \
    "virtual_mailbox_domains = mbox.test" "virtual_mailbox_base = $VMAIL" \
    "virtual_mailbox_maps = inline:{ bounces@mbox.test=mbox.test/bounces/ }" \
    "virtual_uid_maps = static:5000" "virtual_gid_maps = static:5000" \
    "recipient_delimiter = +" "smtp_dns_support_level = disabled" "smtputf8_enable = yes" \
    "queue_run_delay = 1s" "minimal_backoff_time = 1s" "maximal_backoff_time = 2s" \
    "delay_warning_time = 2s" "maximal_queue_lifetime = 20s" "bounce_queue_lifetime = 20s" \
    "smtp_connect_timeout = 5s" \
    "maillog_file_prefixes = /var, /dev/stdout, $BASE" "maillog_file = $BASE/postfix.log"
  postconf -F '*/*/chroot = n'
  postconf -MX smtp/inet 2>/dev/null || true
  postconf -M "127.0.0.1:$POSTFIX_PORT/inet = 127.0.0.1:$POSTFIX_PORT inet n - n - - smtpd"
  # delay warnings in seconds (the default template speaks of hours)
  postconf -t | sed -n '/^delay_template/,/^EOF/p' \
    | sed 's/\$delay_warning_time_hours hour(s)/$delay_warning_time_seconds second(s)/;
           s/\$maximal_queue_lifetime_days day(s)/$maximal_queue_lifetime_seconds second(s)/' \
    > /etc/postfix/rebound-bounce-templates.cf
  postconf -e "bounce_template_file = /etc/postfix/rebound-bounce-templates.cf"
  postfix check
  echo "bounces@mbox.test:{PLAIN}secret:5000:5000::$VMAIL/mbox.test/bounces::" > "$BASE/dovecot-users"
  cat > "$BASE/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $BASE/dovecot-run
state_dir = $BASE/dovecot-state
log_path = $BASE/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$VMAIL/%d/%n
first_valid_uid = 5000
last_valid_uid = 5000
mail_max_userip_connections = 50
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $BASE/dovecot-users
}
userdb {
  driver = passwd-file
  args = username_format=%u $BASE/dovecot-users
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
}

wait_port() {
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "realmail: nothing listens on 127.0.0.1:$1" >&2
  return 1
}

start() {
  # configure again when anything it made is gone (a cleaned /tmp, a new machine)
  if [ ! -f "$BASE/dovecot.conf" ] || [ ! -d "$VMAIL" ]; then configure; fi
  postfix status >/dev/null 2>&1 || postfix start
  [ -S "$BASE/dovecot-run/master" ] && doveadm -c "$BASE/dovecot.conf" reload >/dev/null 2>&1 || dovecot -c "$BASE/dovecot.conf" 2>/dev/null || true
  wait_port "$POSTFIX_PORT"
  wait_port "$IMAP_PORT"
}

stop() {
  postfix stop >/dev/null 2>&1 || true
  doveadm -c "$BASE/dovecot.conf" stop >/dev/null 2>&1 || true
}

status() {
  postfix status && (exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT") 2>/dev/null && echo "dovecot is running"
}

case "${1:-}" in
  install) install ;;
  configure) configure ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|configure|start|stop|status" >&2; exit 2 ;;
esac
