// OpenSMTPD (https://www.opensmtpd.org/) bounce notices, written by smtpd/bounce.c:
//
//       Hi!
//
//       This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.
//
//       An error has occurred while attempting to deliver a message for
//       the following list of recipients:
//
//   joe@example.org: 550 5.1.1 <joe@example.org>: Recipient address rejected: User unknown
//
//       Below is a copy of the original message:
//
// The intro line says which notice it is: failure ("An error has occurred"), delay ("A message is delayed
// for more than …"), success ("… successfully delivered") or relay ("… was relayed"). OpenSMTPD 6 and later
// send it as multipart/mixed with a delivery report (Status only, no Diagnostic-Code) and the headers.
import type { Decoder } from '../decoder.js';
import { returnedPart, type Email } from '../email.js';
import { MAX_ORIGINAL_CHARS } from '../limits.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Reason } from '../../classify/reasons.js';
import type { Action, Decoded, RawStatus } from '../types.js';

const GREETING = /This is the MAILER-DAEMON, please DO NOT REPLY to this e-?mail/i;
const INTROS: ReadonlyArray<readonly [RegExp, Action]> = [
  [/An error has occurred while attempting to deliver a message/i, 'failed'],
  [/A message is delayed for more than/i, 'delayed'],
  [/Your message was successfully delivered/i, 'delivered'],
  [/Your message was relayed/i, 'relayed'],
];
const END = /^[ \t]{0,8}Below is a copy of the original message/im;
// "joe@example.org: why" at the start of a line.
const ENTRY = /^([^\s:<>@]{1,256}@[^\s:<>]{1,256}):\s{0,4}(.*)$/;

// OpenSMTPD's own error strings (smtpd/mta.c, queue.c), each a fixed wording for one reason.
const OWN_ERRORS: ReadonlyArray<readonly [string, Reason]> = [
  ['envelope expired', 'expired'],
  ['invalid domain name', 'hostunknown'],
  ['domain does not exist', 'hostunknown'],
  ['could not retrieve credentials', 'securityerror'],
  ['destination seem to reject all mails', 'notaccept'],
  ['no mx found for domain', 'notaccept'],
  ['no mx found for destination', 'notaccept'],
  ['temporary failure in mx lookup', 'networkerror'],
  ['network error on destination mxs', 'networkerror'],
  ['no valid route to remote mx', 'networkerror'],
  ['no valid route to destination', 'networkerror'],
  ['all routes to destination blocked', 'networkerror'],
  ['address family mismatch on destination mxs', 'networkerror'],
  ['could not retrieve source address', 'networkerror'],
  ['loop detected', 'networkerror'],
  ['bad dns lookup error code', 'networkerror'],
];

function ownReason(diagnostic: string): Reason | undefined {
  if (/^[245]\d\d\b/.test(diagnostic)) return undefined; // a remote server's reply, not OpenSMTPD's words
  const lower = diagnostic.toLowerCase();
  return OWN_ERRORS.find(([phrase]) => lower.startsWith(phrase))?.[1];
}

export const opensmtpd: Decoder = {
  name: 'opensmtpd',
  decode(email: Email): Decoded | null {
    const subject = email.subject.toLowerCase();
    const from = email.from.toLowerCase();
    if (!subject.startsWith('delivery status notification') && !from.includes('mailer daemon <')) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' || p.type === '');
    const text = part?.text ?? '';
    if (!GREETING.test(text.slice(0, 1024))) return null;

    let action: Action = 'failed';
    let from0 = 0;
    for (const [intro, a] of INTROS) {
      const m = intro.exec(text);
      if (m) {
        action = a;
        from0 = m.index;
        break;
      }
    }
    const end = END.exec(text);
    const list = text.slice(from0, end && end.index > from0 ? end.index : undefined);
    const entries: RawStatus[] = [];
    for (const line of list.split('\n')) {
      const m = ENTRY.exec(line);
      if (!m?.[1]) continue;
      const diagnostic = (m[2] ?? '').trim();
      entries.push({
        recipient: m[1],
        action,
        diagnostic: diagnostic || undefined,
        diagnosticType: 'SMTP',
        reason: diagnostic ? ownReason(diagnostic) : undefined,
      });
    }
    // the report (OpenSMTPD 6+) adds the status code
    const report = deliveryStatusPart(email);
    const reported = report ? readDeliveryStatus(report.text) : [];
    for (const e of entries) {
      const r = reported.find((x) => x.recipient.toLowerCase() === e.recipient.toLowerCase());
      // a class-only code (OpenSMTPD writes 5.0.0 / 4.0.0) says less than its own error wording does
      if (r?.status && !(e.reason && /^[45]\.0\.0$/.test(r.status))) e.status = r.status;
      if (r?.remoteMta) e.remoteMta = r.remoteMta;
    }
    const recipients = entries.length > 0 ? entries : reported;
    if (recipients.length === 0) return null;
    let original: string | undefined;
    if (end && !returnedPart(email)) {
      const rest = text.slice(end.index).replace(/^[^\n]*\n/, '').slice(0, MAX_ORIGINAL_CHARS);
      original = rest.trim() ? rest : undefined;
    }
    return { mta: 'opensmtpd', recipients: uniqueRecipients(recipients), original };
  },
};
