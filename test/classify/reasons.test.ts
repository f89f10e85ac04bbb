// Representative diagnostics, as real MTAs and receiving providers word them, per reason family.
// Each row: what the decoder would hand over (text, status, reply code, command, remote MTA) and the
// reason expected.
import { describe, expect, it } from 'vitest';
import { classify, reasonOfText } from '../../src/classify/index.js';
import type { Reason } from '../../src/classify/reasons.js';
import type { RawStatus, SmtpCommand } from '../../src/parse/types.js';

interface Row {
  readonly text: string;
  readonly want: Reason;
  readonly status?: string;
  readonly reply?: string;
  readonly command?: SmtpCommand;
  readonly rhost?: string;
  readonly type?: string;
  readonly action?: 'failed' | 'delayed';
  readonly to?: string;
}

function run(row: Row): Reason {
  const raw: RawStatus = {
    recipient: row.to ?? 'kijitora@example.jp',
    diagnostic: row.text,
    status: row.status,
    replyCode: row.reply,
    command: row.command,
    remoteMta: row.rhost,
    diagnosticType: row.type,
    action: row.action,
  };
  return classify(raw, { mta: 'rfc3464' }).reason;
}

const RECIPIENT: readonly Row[] = [
  { text: 'smtp; 550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown in local recipient table', want: 'userunknown', status: '5.1.1', command: 'RCPT' },
  { text: '550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient\'s email address', want: 'userunknown', status: '5.1.1', rhost: 'gmail-smtp-in.l.google.com' },
  { text: 'host mx.example.jp[192.0.2.1] said: 550 No such user here (in reply to RCPT TO command)', want: 'userunknown', status: '5.0.0' },
  { text: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', want: 'userunknown', status: '5.1.10', rhost: 'example-jp.mail.protection.outlook.com' },
  { text: 'SMTP error from remote mail server after RCPT TO:<kijitora@example.jp>: 550 unknown user', want: 'userunknown', status: '5.0.0' },
  { text: '550 5.1.2 <kijitora@example.invalid>: Recipient address rejected: Domain not found', want: 'hostunknown', status: '5.1.2', command: 'RCPT' },
  { text: 'Host or domain name not found. Name service error for name=example.invalid type=A: Host not found', want: 'hostunknown', status: '5.4.4' },
  { text: '550 5.1.6 recipient no longer on server: kijitora@icloud.com', want: 'hasmoved', status: '5.1.6', rhost: 'mx01.mail.icloud.com' },
  { text: '551 User not local; please try <kijitora@example.org>, mailbox has been replaced by kijitora@example.org', want: 'hasmoved', reply: '551' },
  { text: '550 5.2.1 The email account that you tried to reach is disabled.', want: 'suspend', status: '5.2.1', command: 'RCPT' },
  { text: '554 delivery error: dd Sorry your message to kijitora@yahoo.com cannot be delivered. This account has been disabled or discontinued', want: 'suspend', status: '5.0.0' },
  { text: '550 5.2.1 <kijitora@example.jp>... Mailbox disabled for this recipient', want: 'suspend', status: '5.2.1' },
  { text: 'Esta casilla ha expirado por falta de uso.', want: 'suspend', status: '' },
  { text: '552 Account(s) <kijitora@example.lv> does not have enough space (in reply to end of DATA command)', want: 'mailboxfull', status: '5.0.0' },
  { text: 'host mx.example.jp said: 550 Unknown user kijitora@example.jp (in reply to end of DATA command)', want: 'filtered', status: '5.0.0', command: 'DATA' },
  { text: '550 5.2.0 Message Filtered', want: 'filtered', status: '5.2.0' },
  { text: '556 5.1.10 Recipient address has null MX', want: 'notaccept', status: '5.1.10', reply: '556' },
  { text: '550 5.2.2 <kijitora@example.jp>... Mailbox Full', want: 'mailboxfull', status: '5.2.2' },
  { text: '452 4.2.2 The email account that you tried to reach is over quota.', want: 'mailboxfull', status: '4.2.2', rhost: 'aspmx.l.google.com' },
  { text: 'maildrop: maildir over quota.', want: 'mailboxfull', type: 'X-UNIX' },
];

const SENDER: readonly Row[] = [
  { text: '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org', want: 'blocked', status: '5.7.1', command: 'RCPT' },
  { text: 'host mx.example.jp refused to talk to me: 554 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.1', want: 'blocked', status: '5.0.0', command: 'CONN' },
  { text: '550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/', want: 'blocked', status: '5.7.606', rhost: 'example-com.mail.protection.outlook.com' },
  { text: '550 5.7.1 Message content rejected, UBE, id=12345-01-1', want: 'spamdetected', status: '5.7.1' },
  { text: '550-5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.', want: 'spamdetected', status: '5.7.1', reply: '550', rhost: 'gmail-smtp-in.l.google.com' },
  { text: '554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes', want: 'policyviolation', status: '5.7.9', rhost: 'mta7.am0.yahoodns.net' },
  { text: '550 5.7.0 Local Policy Violation', want: 'policyviolation', status: '5.7.0', command: 'DATA' },
  { text: '550 5.7.26 Unauthenticated email from example.jp is not accepted due to domain\'s DMARC policy.', want: 'authfailure', status: '5.7.26' },
  { text: '550 5.7.23 The message was rejected because of Sender Policy Framework violation', want: 'authfailure', status: '5.7.23' },
  { text: '451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation.', want: 'badreputation', status: '4.7.650', command: 'MAIL' },
  { text: '550 5.7.25 The IP address sending this message does not have a PTR record setup', want: 'requireptr', status: '5.7.25' },
  { text: '450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]', want: 'requireptr', status: '4.7.1', command: 'RCPT' },
  { text: '554 5.7.1 <kijitora@example.org>: Relay access denied', want: 'norelaying', status: '5.7.1', command: 'RCPT' },
  { text: '553 5.1.8 <root@host.invalid>... Domain of sender address root@host.invalid does not exist', want: 'rejected', status: '5.1.8', command: 'MAIL' },
  { text: '550 5.7.1 <sender@example.net>: Sender address rejected: Access denied', want: 'rejected', status: '5.7.1', command: 'MAIL' },
  { text: 'The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.', want: 'speeding', status: '4.2.1', reply: '450', rhost: 'aspmx.l.google.com' },
  { text: '421 4.7.0 Too many connections from your host.', want: 'toomanyconn', status: '4.7.0' },
  { text: '530 5.7.0 Authentication required', want: 'securityerror', status: '5.7.0', command: 'MAIL' },
  { text: '550 Virus Detected; Content Rejected', want: 'virusdetected', status: '5.0.0', command: 'DATA' },
];

const CONTENT: readonly Row[] = [
  { text: '550 5.6.0 Improper use of 8-bit data in message header', want: 'contenterror', status: '5.6.0', command: 'DATA' },
  { text: '554 Transaction failed: Duplicate header \'Subject\'.', want: 'notcompliantrfc', status: '5.0.0', command: 'DATA' },
  { text: 'This message is not RFC 5322 compliant. There are multiple Subject headers.', want: 'notcompliantrfc', status: '5.7.1', reply: '550', command: 'DATA' },
  { text: '503 5.5.1 Error: need RCPT command', want: 'syntaxerror', reply: '503' },
  { text: '552 5.3.4 Message size exceeds fixed maximum message size', want: 'mesgtoobig', status: '5.3.4' },
  { text: '552 Message size exceeds maximum value', want: 'mesgtoobig', status: '5.0.0', command: 'MAIL' },
  { text: '552 5.2.3 Message length exceeds administrative limit', want: 'exceedlimit', status: '5.2.3' },
];

const TRANSIENT: readonly Row[] = [
  { text: 'connect to mx.example.jp[192.0.2.1]:25: Connection timed out', want: 'expired', status: '4.4.1', action: 'delayed' },
  { text: 'retry timeout exceeded', want: 'expired', action: 'delayed' },
  { text: 'Name service error for name=example.jp type=MX: Malformed or unexpected name server reply', want: 'networkerror', status: '5.4.4' },
  { text: '554 5.4.6 Hop count exceeded - possible mail loop', want: 'networkerror', status: '5.4.6' },
  { text: '451 4.3.0 Error: queue file write error', want: 'systemerror', status: '4.3.0', command: 'DATA' },
  { text: '452 4.3.1 Insufficient system storage', want: 'systemfull', status: '4.3.1' },
  { text: 'Command died with status 255: "/usr/bin/procmail"', want: 'mailererror', status: '5.3.0', type: 'X-POSTFIX' },
  { text: 'pipe to |/usr/local/bin/catch.php generated by kijitora@example.jp', want: 'mailererror', status: '5.0.0' },
  { text: 'Delivery failed for an unspecified reason', want: 'onhold', status: '5.0.0' },
  { text: '', want: 'undefined' },
];

describe.each([
  ['recipient', RECIPIENT],
  ['sender', SENDER],
  ['content', CONTENT],
  ['transient', TRANSIENT],
] as const)('%s family', (_family, rows) => {
  it.each(rows.map((r) => [r.want, r.text.slice(0, 60), r] as const))('%s: %s', (want, _text, row) => {
    expect(run(row)).toBe(want);
  });
});

describe('reasons that do not come from the text', () => {
  it('2.x.x is delivered', () => {
    expect(run({ text: '250 2.1.5 Ok', status: '2.1.5', want: 'delivered' })).toBe('delivered');
  });
  it('complaints and auto-replies follow the message kind', () => {
    const raw: RawStatus = { recipient: 'a@example.jp', diagnostic: 'This is an email abuse report' };
    expect(classify(raw, { mta: 'arf', kind: 'complaint' }).reason).toBe('feedback');
    expect(classify(raw, { mta: 'rfc3834', kind: 'auto-reply' }).reason).toBe('vacation');
  });
  it('keeps an explicit decoder reason, refines a retry reason', () => {
    const explicit: RawStatus = { recipient: 'a@example.jp', diagnostic: '550 5.1.1 User unknown', status: '5.1.1', reason: 'filtered' };
    expect(classify(explicit, { mta: 'x' }).reason).toBe('filtered');
    const retry: RawStatus = { recipient: 'a@example.jp', diagnostic: '552 5.2.2 Mailbox full', status: '5.2.2', reason: 'userunknown' };
    expect(classify(retry, { mta: 'x' }).reason).toBe('mailboxfull');
    const kept: RawStatus = { recipient: 'a@example.jp', diagnostic: 'Giving up on 192.0.2.1', reason: 'expired' };
    expect(classify(kept, { mta: 'x' }).reason).toBe('expired');
  });
  it('a delayed action with nothing better is expired', () => {
    expect(run({ text: 'Delivery is still being attempted', action: 'delayed', want: 'expired' })).toBe('expired');
  });
});

describe('reasonOfText', () => {
  it.each([
    ['Mailbox is full', 'mailboxfull'],
    ['sorry, no mailbox here by that name. (#5.1.1)', 'userunknown'],
    ['Relay access denied', 'norelaying'],
    ['Message too big', 'mesgtoobig'],
    ['Connection timed out', 'expired'],
    ['X-Unix; 255', 'mailererror'],
    ['Requested action aborted (#5.2.2)', 'mailboxfull'],
  ] as const)('%s -> %s', (text, want) => {
    expect(reasonOfText(text)).toBe(want);
  });
  it('returns undefined for text with no clue', () => {
    expect(reasonOfText('Something went wrong')).toBeUndefined();
  });
});
