// RFC 3464 delivery status notifications (and RFC 6533 message/global-delivery-status, RFC 1894 leftovers):
// a multipart/report whose message/delivery-status part lists one field group per recipient.
import type { Decoder } from './decoder.js';
import { fieldGroups, mtaField, statusFromGroup } from './dsn-fields.js';
import { dispositionPart, REPORT_TYPES, type Email, type Part } from './email.js';
import type { Decoded, RawStatus } from './types.js';

const DSN_TYPES: ReadonlySet<string> = new Set([
  'message/delivery-status', 'message/global-delivery-status', 'text/delivery-status', 'message/x-delivery-status',
]);

/** The delivery-status part of a message, if it has one. */
export function deliveryStatusPart(email: Email): Part | undefined {
  return email.parts.find((p) => DSN_TYPES.has(p.type));
}

/**
 * Read the recipients of a delivery-status text: each group with Final-Recipient (or Original-Recipient)
 * becomes one status; Reporting-MTA from the per-message group is carried to each.
 */
export function readDeliveryStatus(text: string): RawStatus[] {
  const out: RawStatus[] = [];
  let reporting: string | undefined;
  for (const g of fieldGroups(text)) {
    if (g.has('reporting-mta') && !g.has('final-recipient')) reporting = mtaField(g.get('reporting-mta'));
    const s = statusFromGroup(g);
    if (s) {
      s.reportingMta = reporting ?? mtaField(g.get('reporting-mta'));
      out.push(s);
    }
  }
  return out;
}

/** Merge duplicate recipients (some MTAs list a recipient twice): the fuller record wins. */
export function uniqueRecipients(list: RawStatus[]): RawStatus[] {
  const seen = new Map<string, RawStatus>();
  for (const s of list) {
    const key = s.recipient.toLowerCase();
    const prev = seen.get(key);
    if (!prev) seen.set(key, s);
    else if (!prev.diagnostic && s.diagnostic) seen.set(key, { ...prev, ...definedOnly(s) });
  }
  return [...seen.values()];
}

function definedOnly(s: RawStatus): Partial<RawStatus> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined && v !== '') o[k] = v;
  return o as Partial<RawStatus>;
}

export const rfc3464: Decoder = {
  name: 'rfc3464',
  decode(email: Email): Decoded | null {
    const part = deliveryStatusPart(email);
    let recipients: RawStatus[] = [];
    if (part) recipients = readDeliveryStatus(part.text);
    if (recipients.length === 0) {
      // a disposition notification (a read receipt) names a Final-Recipient too, but is not about delivery
      if (dispositionPart(email)) return null;
      // a report whose MIME structure is broken: look for the fields in the text itself
      const at = email.text.search(/^(?:Final|Original)-Recipient:/im);
      if (at < 0) return null;
      const reportAt = email.text.lastIndexOf('Reporting-MTA:', at);
      recipients = readDeliveryStatus(email.text.slice(reportAt >= 0 ? reportAt : at));
      // the fields of a returned message's own DSN do not count: stop at a returned-message part
      if (recipients.length === 0) return null;
    }
    if (!part && !email.parts.some((p) => REPORT_TYPES.has(p.type)) && recipients.every((r) => !r.action && !r.status)) {
      return null;
    }
    return { mta: 'rfc3464', recipients: uniqueRecipients(recipients) };
  },
};
