// Unidentified MTA #5 of the reference parser: a mail gateway (its headers carry X-TM-AS-* fields of Trend
// Micro's scanner) that forwards a bounce it received to "NotificationRecipients", wrapped in a message of
// its own from "Mail Delivery Subsystem". The outer text lists nothing; the real report is the attached
// message/rfc822 — a sendmail-style multipart/report whose message/delivery-status part names the
// recipients, and whose own message/rfc822 part is the original message.
import type { Decoder } from '../decoder.js';
import { MESSAGE_TYPES, readEmail, type Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded } from '../types.js';

function looksLikeX5(email: Email): boolean {
  if (!email.headers.text('to').includes('NotificationRecipients')) return false;
  return email.from.includes('Mail Delivery Subsystem') || email.subject.includes('Mail Delivery Subsystem')
    || email.subject.startsWith('Returned mail');
}

export const x5: Decoder = {
  name: 'x5',
  decode(email: Email): Decoded | null {
    if (!looksLikeX5(email)) return null;
    const wrapped = email.parts.find((p) => p.type === 'message/rfc822');
    if (!wrapped) return null;
    const inner = readEmail(wrapped.text);
    const dsn = deliveryStatusPart(inner);
    if (!dsn) return null;
    const recipients = uniqueRecipients(readDeliveryStatus(dsn.text));
    if (recipients.length === 0) return null;
    const original = inner.parts.find((p) => MESSAGE_TYPES.has(p.type))?.text;
    return { mta: 'x5', recipients, original };
  },
};
