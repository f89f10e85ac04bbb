// "X3": an MTA nobody has identified (the reference parser's Lhost::X3), seen in notices with From
// "Mail Delivery System", Subject "Delivery status notification" and a text part between "=" rules:
//
//         This is an automatically generated Delivery Status Notification.
//
//   Delivery to the following recipients failed permanently:
//      * joe@example.org
//
//                                Technical details:
//   SMTP:RCPT host 192.0.2.8: 553 5.3.0 <joe@example.org>... No such user here
//
// (a transient failure says "Delevery to the following recipients was aborted after N hour(s):"). Some
// carry an RFC 3464 report instead of the technical details.
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const OPENING = 'This is an automatically generated Delivery Status Notification.';
const LISTED = /^\s{1,8}\*\s{1,4}(\S{3,512})\s*$/;
// "SMTP:RCPT host 192.0.2.8: 553 5.3.0 …"
const SMTP_DETAIL = /^SMTP:([A-Z]{4})\s{1,4}host\s{1,4}([^\s:]{1,255}):\s?(.*)$/;
const OTHER_DETAIL = /^[A-Z][A-Za-z]{2,20}: \S/;
const COMMANDS: readonly SmtpCommand[] = ['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA'];

export const x3: Decoder = {
  name: 'x3',
  decode(email: Email): Decoded | null {
    if (!email.from.startsWith('Mail Delivery System') || !email.subject.startsWith('Delivery status notification')) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' || p.type === '');
    const text = part?.text ?? '';
    if (!text.includes(OPENING)) return null;
    const listed: RawStatus[] = [];
    const details: Array<{ text: string; command?: SmtpCommand; host?: string }> = [];
    let inDetails = false;
    for (const raw of text.split('\n')) {
      const l = LISTED.exec(raw);
      if (l?.[1] && isAddress(l[1])) {
        listed.push({ recipient: l[1], action: 'failed' });
        continue;
      }
      const line = raw.trim();
      if (line === 'Technical details:') {
        inDetails = true;
        continue;
      }
      if (!inDetails || line === '' || line.startsWith('====')) continue;
      const smtp = SMTP_DETAIL.exec(line);
      if (smtp) {
        details.push({ text: line, command: COMMANDS.find((c) => c === smtp[1]), host: smtp[2] });
      } else if (OTHER_DETAIL.test(line)) {
        details.push({ text: line });
      } else if (details.length > 0) {
        const last = details[details.length - 1];
        if (last) last.text += ' ' + line;
      }
    }
    const report = deliveryStatusPart(email);
    const reported = report ? readDeliveryStatus(report.text) : [];
    let recipients: RawStatus[];
    if (reported.length > 0) {
      recipients = reported;
      for (const l of listed) if (!recipients.some((r) => r.recipient.toLowerCase() === l.recipient.toLowerCase())) recipients.push(l);
    } else {
      recipients = listed;
    }
    if (recipients.length === 0) return null;
    recipients.forEach((r, i) => {
      // details name the recipient, or stand one to a recipient in list order
      const d = details.find((x) => x.text.toLowerCase().includes(r.recipient.toLowerCase())) ?? details[i] ?? (details.length === 1 ? details[0] : undefined);
      if (d && !r.diagnostic) {
        r.diagnostic = d.text;
        r.command ??= d.command;
        r.remoteMta ??= d.host;
        r.diagnosticType ??= 'SMTP';
      }
    });
    return { mta: 'x3', recipients: uniqueRecipients(recipients) };
  },
};
