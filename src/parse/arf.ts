// RFC 5965 Abuse Reporting Format complaints (multipart/report; report-type=feedback-report), and the
// Microsoft JMRP/SNDS variants that send the complained-about message as a message/rfc822 attachment, or
// forward it flat with the complainant in its header.
import { fieldAddress, findAddress, isAddress } from './address.js';
import type { Decoder } from './decoder.js';
import { embeddedFields, embeddedHeaders, returnedPart, type Email } from './email.js';
import { parseContentType } from './content-type.js';
import type { Decoded, RawStatus } from './types.js';

const FIELD_LINE = /^([A-Za-z-]{1,40}):[ \t]*(.*)$/;

function reportFields(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = FIELD_LINE.exec(line);
    if (!m) continue;
    const name = (m[1] ?? '').toLowerCase();
    const list = fields.get(name);
    if (list) list.push((m[2] ?? '').trim());
    else fields.set(name, [(m[2] ?? '').trim()]);
  }
  return fields;
}

function isArf(email: Email): boolean {
  const ct = parseContentType(email.headers.get('content-type'));
  if (ct.type === 'multipart/report' && (ct.params['report-type'] ?? '').toLowerCase() === 'feedback-report') return true;
  return email.parts.some((p) => p.type === 'message/feedback-report');
}

/**
 * Microsoft's complaint reports (JMRP): "complaint about message from <ip>", from staff@hotmail.com, with the
 * message attached, its header carrying X-HmXmrOriginalRecipient. A relayed or rewritten report may no longer
 * come from staff@hotmail.com; the attached header still says what it is.
 */
function isMicrosoftComplaint(email: Email): boolean {
  if (!/complaint about message/i.test(email.subject)) return false;
  if (/\bstaff@hotmail\.com\b/i.test(email.from)) return true;
  const attached = returnedPart(email);
  return attached !== undefined && embeddedFields(attached.text, ['x-hmxmroriginalrecipient']).has('x-hmxmroriginalrecipient');
}

/**
 * Microsoft's older JMRP form: the complained-about message itself, forwarded flat by staff@hotmail.com with
 * X-HmXmrOriginalRecipient added to its own header. The recipient who complained, or undefined.
 */
function flatMicrosoftComplaint(email: Email): string | undefined {
  const h = email.headers;
  if (!h.has('x-hmxmroriginalrecipient')) return undefined;
  if (!/\bstaff@hotmail\.com\b/i.test(h.text('return-path')) && !/\bstaff@hotmail\.com\b/i.test(email.from)) return undefined;
  return findAddress(h.text('x-hmxmroriginalrecipient'));
}

export const arf: Decoder = {
  name: 'arf',
  decode(email: Email): Decoded | null {
    const flat = flatMicrosoftComplaint(email);
    if (flat) {
      return { mta: 'arf', kind: 'complaint', recipients: [{ recipient: flat, action: '', reason: 'feedback', feedbackType: 'abuse' }] };
    }
    const standard = isArf(email);
    if (!standard && !isMicrosoftComplaint(email)) return null;
    const report = email.parts.find((p) => p.type === 'message/feedback-report');
    const fields = report ? reportFields(report.text) : new Map<string, string[]>();
    const feedbackType = (fields.get('feedback-type')?.[0] ?? 'abuse').toLowerCase().split(/[\s;]/)[0] || 'abuse';
    const original = returnedPart(email);
    const oh = original ? embeddedHeaders(original.text) : undefined;

    const addresses: string[] = [];
    for (const v of fields.get('original-rcpt-to') ?? []) {
      for (const piece of v.split(',')) {
        const a = fieldAddress(piece);
        if (a) addresses.push(a);
      }
    }
    if (addresses.length === 0 && oh) {
      const hm = oh.get('x-hmxmroriginalrecipient');
      const a = hm ? findAddress(hm) : undefined;
      if (a) addresses.push(a);
    }
    if (addresses.length === 0 && oh) {
      const a = findAddress(oh.text('to'));
      if (a && isAddress(a)) addresses.push(a);
    }
    if (addresses.length === 0) {
      const a = findAddress((fields.get('removal-recipient') ?? [])[0] ?? '');
      if (a) addresses.push(a);
    }
    const seen = new Set<string>();
    const recipients: RawStatus[] = [];
    const diagnostic = firstTextLine(email);
    const source = fields.get('source-ip')?.[0];
    for (const a of addresses) {
      if (seen.has(a.toLowerCase())) continue;
      seen.add(a.toLowerCase());
      recipients.push({
        recipient: a,
        action: '',
        reason: 'feedback',
        feedbackType,
        diagnostic,
        remoteMta: source,
      });
    }
    return { mta: 'arf', kind: 'complaint', recipients };
  },
};

/** The human-readable part's first paragraph, as the complaint's "diagnostic". */
function firstTextLine(email: Email): string | undefined {
  const t = email.parts.find((p) => p.type === 'text/plain');
  if (!t) return undefined;
  const para = t.text.trim().split('\n\n', 1)[0] ?? '';
  return para.replace(/\s+/g, ' ').slice(0, 500) || undefined;
}
