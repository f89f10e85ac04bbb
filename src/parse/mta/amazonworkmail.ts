// Amazon WorkMail: bounces a WorkMail mailbox receives for mail it sent (through SES). They carry
// "X-Mailer: Amazon WorkMail" (or X-Original-Mailer) and X-SES-Outgoing, come from MAILER-DAEMON@<region>
// .amazonses.com, and are multipart/mixed: a quoted-printable text part that lists the recipients after
// "An error occurred while trying to deliver the mail to the following recipients:" and then, after a
// "Technical report:" line, the RFC 3464 fields themselves; then the returned message as message/rfc822.
// Newer ones may instead carry a proper message/delivery-status part: both are read.
import { plainParts } from '../email.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';
import { isWorkMail, refineSes } from './amazonses.js';

const MAILER_DAEMON = /mailer-daemon@/i;
const TECHNICAL_REPORT = /^Technical report:\s*$/m;
const LIST_MARKER = 'An error occurred while trying to deliver the mail to the following recipients:';

/** The DSN fields written into the text part after "Technical report:" (the HTML alternative cut off). */
function textReport(email: Email): { fields: RawStatus[]; listed: string[] } {
  const listed: string[] = [];
  for (const p of plainParts(email)) {
    const at = p.text.search(TECHNICAL_REPORT);
    const list = p.text.indexOf(LIST_MARKER);
    if (list >= 0) {
      for (const line of p.text.slice(list + LIST_MARKER.length, at > list ? at : undefined).split('\n', 1000)) {
        const a = line.trim();
        if (a.includes('@') && !/\s/.test(a)) listed.push(a);
      }
    }
    if (at < 0) continue;
    let report = p.text.slice(at).replace(TECHNICAL_REPORT, '');
    const html = report.search(/^<!DOCTYPE|^<html/im);
    if (html >= 0) report = report.slice(0, html);
    return { fields: readDeliveryStatus(report), listed };
  }
  return { fields: [], listed };
}

export const amazonworkmail: Decoder = {
  name: 'amazonworkmail',
  decode(email: Email): Decoded | null {
    if (!isWorkMail(email)) return null;
    const h = email.headers;
    if (!h.has('x-ses-outgoing') && !MAILER_DAEMON.test(email.from)) return null;
    const text = textReport(email);
    let recipients = text.fields;
    const dsn = deliveryStatusPart(email);
    if (recipients.length === 0 && dsn) recipients = readDeliveryStatus(dsn.text);
    if (recipients.length === 0) recipients = text.listed.map((recipient) => ({ recipient, action: 'failed' }));
    if (recipients.length === 0) return null;
    return { mta: 'amazonworkmail', recipients: uniqueRecipients(recipients.map(refineSes)) };
  },
};
