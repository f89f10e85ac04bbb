#!/usr/bin/env bash
# Real mail servers for Rebound's end-to-end tests: Postfix (submission and real DSNs), Exim (real DSNs of
# the other common MTA) and Dovecot (the "bounces@" IMAP mailbox), on loopback only, for Debian 12 as root
# without systemd.
#
#   realmail.sh install     apt packages (postfix, dovecot-imapd); services are not auto-started. Exim's
#                           package conflicts with Postfix's, so its binary is unpacked from the Debian
#                           package into $REALMAIL_EXIM_DIR (default /opt/rebound-exim) and runs from there.
#   realmail.sh configure   write the Postfix, Exim and Dovecot configuration (idempotent)
#   realmail.sh start|stop|status
#
# Everything that runs lives under $REALMAIL_BASE (default /tmp/rebound-realmail). Ports (127.0.0.1):
#   $REALMAIL_POSTFIX_PORT  (2626)  Postfix smtpd: submit test mail here
#   $REALMAIL_RECEIVER_PORT (2625)  where Postfix delivers mail for @bounce.test: Rebound's SMTP receiver
#   $REALMAIL_MX_PORT       (2627)  where Postfix delivers mail for @remote.test: the tests' fake remote MX
#   $REALMAIL_IMAP_PORT     (1143)  Dovecot IMAP; user bounces@mbox.test, password "secret"
#   $REALMAIL_EXIM_PORT     (2628)  Exim smtpd: submit test mail here
#   $REALMAIL_CAPTURE_PORT  (2629)  where Postfix and Exim deliver mail for @capture.test: a test's capture server
#   $REALMAIL_REJECT_PORT   (2630)  where Postfix and Exim deliver mail for @reject.test: a test's rejecting MX
#   $REALMAIL_DOWN_PORT     (2631)  where Postfix and Exim deliver mail for @down.test: nothing should listen
#   $REALMAIL_GREET_PORT    (2633)  where Postfix and Exim deliver mail for @greet.test: a test's MX that refuses
#                                   every connection in its greeting
# Mail for @nxdomain.test goes to a host whose name does not exist (Postfix: nosuch.invalid, looked up as the
# system resolves names; Exim: the domain's own MX records), and Postfix looks up the MX records of @nxdns.test
# in the DNS itself, when the machine's resolver answers "no such domain" for the reserved .test and .invalid names.
# Mail for @lda.test goes through Dovecot's delivery agent, which rejects it: full(+anything)@ is over a 1 KB quota, sieve(+anything)@
# runs a Sieve reject.
# Mail for @loop.test goes from Postfix to Exim and back until one of them sees too many Received headers.
# Mail for @example.test is local to Postfix: unknown users bounce with 5.1.1. Mail for bounces(+anything)@mbox.test
# goes into the Dovecot mailbox. Exim's local domain is exim.test: small(-anything)@exim.test has a 1 KB quota, pipe(-anything)@exim.test
# goes to a program that fails (exit 67), any other
# local part is unrouteable. Retry timings are seconds, not hours, so delays and expiries happen in a test.
set -euo pipefail
BASE=${REALMAIL_BASE:-/tmp/rebound-realmail}
POSTFIX_PORT=${REALMAIL_POSTFIX_PORT:-2626}
RECEIVER_PORT=${REALMAIL_RECEIVER_PORT:-2625}
MX_PORT=${REALMAIL_MX_PORT:-2627}
IMAP_PORT=${REALMAIL_IMAP_PORT:-1143}
EXIM_PORT=${REALMAIL_EXIM_PORT:-2628}
CAPTURE_PORT=${REALMAIL_CAPTURE_PORT:-2629}
REJECT_PORT=${REALMAIL_REJECT_PORT:-2630}
DOWN_PORT=${REALMAIL_DOWN_PORT:-2631}
GREET_PORT=${REALMAIL_GREET_PORT:-2633}
EXIM_DIR=${REALMAIL_EXIM_DIR:-/opt/rebound-exim}
EXIM=$EXIM_DIR/exim
VMAIL=$BASE/vmail

install() {
  export DEBIAN_FRONTEND=noninteractive
  local sieve=/usr/lib/dovecot/modules/lib90_sieve_plugin.so
  if command -v postfix >/dev/null && command -v dovecot >/dev/null && [ -f $sieve ] && [ -x "$EXIM" ]; then return; fi
  apt-get update -qq
  if command -v postfix >/dev/null && command -v dovecot >/dev/null; then
    [ -f $sieve ] || apt-get install -y -qq --no-install-recommends dovecot-sieve >/dev/null
    install_exim
    return
  fi
  debconf-set-selections <<'DEB'
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string example.test
DEB
  # policy-rc.d 101: the packages' scripts must not start daemons on the standard ports
  local added=
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; added=1; fi
  apt-get install -y -qq --no-install-recommends postfix dovecot-imapd dovecot-sieve >/dev/null
  if [ -n "$added" ]; then rm -f /usr/sbin/policy-rc.d; fi
  install_exim
}

# Exim from Debian's exim4-daemon-light, unpacked beside Postfix (the packages conflict). It runs as root with
# its configuration named in /etc/exim4/trusted_configs, so it keeps its privileges with -C.
install_exim() {
  [ -x "$EXIM" ] && return
  apt-get install -y -qq --no-install-recommends libidn12 >/dev/null  # the one library Postfix does not bring
  id Debian-exim >/dev/null 2>&1 || useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin Debian-exim
  local tmp
  tmp=$(mktemp -d)
  chown _apt "$tmp" 2>/dev/null || true  # apt downloads as _apt where it can
  (cd "$tmp" && apt-get download -qq exim4-daemon-light && dpkg-deb -x exim4-daemon-light_*.deb root)
  command install -d "$EXIM_DIR"
  command install -m 0755 "$tmp/root/usr/sbin/exim4" "$EXIM"
  rm -rf "$tmp"
  local version
  version=$("$EXIM" -bV 2>&1 || true)  # no configuration yet: it prints its version and complains
  [[ $version == *"Exim version"* ]] || { echo "realmail: the unpacked Exim does not run: $version" >&2; exit 1; }
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
    "transport_maps = inline:{ bounce.test=smtp:[127.0.0.1]:$RECEIVER_PORT, remote.test=smtp:[127.0.0.1]:$MX_PORT, capture.test=smtp:[127.0.0.1]:$CAPTURE_PORT, reject.test=smtp:[127.0.0.1]:$REJECT_PORT, down.test=smtp:[127.0.0.1]:$DOWN_PORT, greet.test=smtp:[127.0.0.1]:$GREET_PORT, loop.test=smtp:[127.0.0.1]:$EXIM_PORT, nxdomain.test=smtp:nosuch.invalid, nxdns.test=dnssmtp:, lda.test=dovecot: }" \
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
  # Dovecot's delivery agent for @lda.test, as Postfix runs it for virtual users
  postconf -M "dovecot/unix = dovecot unix - n n - - pipe flags=DRhu user=vmail:vmail argv=/usr/lib/dovecot/dovecot-lda -c $BASE/dovecot.conf -f \${sender} -a \${recipient} -d \${user}@\${domain}"
  postconf -e "dovecot_destination_recipient_limit = 1"
  # the SMTP client with its own DNS lookups (MX, then A), as Postfix runs by default, for @nxdns.test
  postconf -M "dnssmtp/unix = dnssmtp unix - - n - - smtp -o smtp_dns_support_level=enabled"
  # delay warnings in seconds (the default template speaks of hours)
  postconf -t | sed -n '/^delay_template/,/^EOF/p' \
    | sed 's/\$delay_warning_time_hours hour(s)/$delay_warning_time_seconds second(s)/;
           s/\$maximal_queue_lifetime_days day(s)/$maximal_queue_lifetime_seconds second(s)/' \
    > /etc/postfix/rebound-bounce-templates.cf
  postconf -e "bounce_template_file = /etc/postfix/rebound-bounce-templates.cf"
  postfix check
  echo "bounces@mbox.test:{PLAIN}secret:5000:5000::$VMAIL/mbox.test/bounces::" > "$BASE/dovecot-users"
  # Dovecot's own delivery agent rejects mail for @lda.test: full@ is over a 1 KB quota, sieve@ runs a Sieve reject
  cat >> "$BASE/dovecot-users" <<USERS
full@lda.test:{PLAIN}secret:5000:$(id -g vmail)::$VMAIL/lda.test/full::userdb_quota_rule=*:storage=1K
sieve@lda.test:{PLAIN}secret:5000:$(id -g vmail)::$VMAIL/lda.test/sieve::userdb_sieve=file:$BASE/sieve/reject.sieve
USERS
  command install -d -o vmail -g vmail "$BASE/sieve"
  printf 'require "reject";\nreject "I do not accept mail from mailing lists.";\n' > "$BASE/sieve/reject.sieve"
  chown vmail:vmail "$BASE/sieve/reject.sieve"
  touch "$BASE/dovecot-lda.log" && chown vmail:vmail "$BASE/dovecot-lda.log"
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
postmaster_address = postmaster@lda.test
quota_full_tempfail = no
protocol lda {
  mail_plugins = quota sieve
  log_path = $BASE/dovecot-lda.log
}
plugin {
  quota = maildir:User quota
}
# dovecot-lda runs as vmail: it looks users up and reports statistics through the daemon's sockets
service auth {
  unix_listener auth-userdb {
    mode = 0666
  }
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
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
  configure_exim
}

configure_exim() {
  local dir=$BASE/exim
  command install -d -o Debian-exim -g Debian-exim "$dir/spool" "$dir/log" "$dir/mail"
  cat > "$dir/exim.conf" <<CONF
# Exim for Rebound's tests (written by test/realmail/realmail.sh): loopback only, relays to the tests' own
# servers, retries in seconds. Its bounces are real Exim 4.96 DSNs.
exim_path = $EXIM
primary_hostname = exim.example.test
qualify_domain = exim.test
domainlist local_domains = exim.test
spool_directory = $dir/spool
log_file_path = $dir/log/%slog
log_selector = -queue_run
daemon_smtp_ports = $EXIM_PORT
local_interfaces = 127.0.0.1
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
dsn_advertise_hosts = *
keep_environment =
acl_smtp_rcpt = acl_rcpt
delay_warning = 4s:1h
timeout_frozen_after = 2m
ignore_bounce_errors_after = 1m

begin acl
acl_rcpt:
  accept

begin routers
nxdomain:
  driver = dnslookup
  domains = nxdomain.test
  transport = to_capture
  no_more
capture:
  driver = manualroute
  domains = capture.test
  route_list = * 127.0.0.1
  transport = to_capture
  self = send
reject:
  driver = manualroute
  domains = reject.test
  route_list = * 127.0.0.1
  transport = to_reject
  self = send
down:
  driver = manualroute
  domains = down.test
  route_list = * 127.0.0.1
  transport = to_down
  self = send
loop:
  driver = manualroute
  domains = loop.test
  route_list = * 127.0.0.1
  transport = to_postfix
  self = send
greet:
  driver = manualroute
  domains = greet.test
  route_list = * 127.0.0.1
  transport = to_greet
  self = send
pipe:
  driver = accept
  domains = +local_domains
  local_parts = pipe
  local_part_suffix = -*
  local_part_suffix_optional
  transport = failing_pipe
small:
  driver = accept
  domains = +local_domains
  local_parts = small
  local_part_suffix = -*
  local_part_suffix_optional
  transport = small_mailbox

begin transports
to_capture:
  driver = smtp
  port = $CAPTURE_PORT
  hosts_avoid_tls = *
  allow_localhost
to_reject:
  driver = smtp
  port = $REJECT_PORT
  hosts_avoid_tls = *
  allow_localhost
to_down:
  driver = smtp
  port = $DOWN_PORT
  hosts_avoid_tls = *
  allow_localhost
to_postfix:
  driver = smtp
  port = $POSTFIX_PORT
  hosts_avoid_tls = *
  allow_localhost
to_greet:
  driver = smtp
  port = $GREET_PORT
  hosts_avoid_tls = *
  allow_localhost
failing_pipe:
  driver = pipe
  command = /bin/sh -c "echo 'ticket system: no such queue' >&2; exit 67"
  user = Debian-exim
  group = Debian-exim
  return_fail_output
small_mailbox:
  driver = appendfile
  file = $dir/mail/small
  user = Debian-exim
  group = Debian-exim
  quota = 1K

begin retry
# a full local mailbox fails at once; anything else is retried every 2 s and given up after 15 s
*   quota
*   *   F,15s,2s
CONF
  command install -d /etc/exim4
  grep -qxF "$dir/exim.conf" /etc/exim4/trusted_configs 2>/dev/null || echo "$dir/exim.conf" >> /etc/exim4/trusted_configs
  "$EXIM" -C "$dir/exim.conf" -bV >/dev/null
}

wait_port() {
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "realmail: nothing listens on 127.0.0.1:$1" >&2
  return 1
}

start() {
  # configure again when anything it made is gone (a cleaned /tmp, a new machine)
  if [ ! -f "$BASE/dovecot.conf" ] || [ ! -d "$VMAIL" ] || [ ! -f "$BASE/exim/exim.conf" ]; then configure; fi
  postfix status >/dev/null 2>&1 || postfix start
  [ -S "$BASE/dovecot-run/master" ] && doveadm -c "$BASE/dovecot.conf" reload >/dev/null 2>&1 || dovecot -c "$BASE/dovecot.conf" 2>/dev/null || true
  # Exim's daemon, with a queue run every second
  exim_running || "$EXIM" -C "$BASE/exim/exim.conf" -bd -q1s -oP "$BASE/exim/exim.pid"
  wait_port "$POSTFIX_PORT"
  wait_port "$IMAP_PORT"
  wait_port "$EXIM_PORT"
}

exim_running() {
  [ -f "$BASE/exim/exim.pid" ] && kill -0 "$(cat "$BASE/exim/exim.pid")" 2>/dev/null
}

stop() {
  postfix stop >/dev/null 2>&1 || true
  doveadm -c "$BASE/dovecot.conf" stop >/dev/null 2>&1 || true
  if exim_running; then kill "$(cat "$BASE/exim/exim.pid")"; rm -f "$BASE/exim/exim.pid"; fi
}

status() {
  postfix status && (exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT") 2>/dev/null && echo "dovecot is running" \
    && exim_running && echo "exim is running"
}

case "${1:-}" in
  install) install ;;
  configure) configure ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|configure|start|stop|status" >&2; exit 2 ;;
esac
