// IBM / HCL (Lotus) Domino server delivery failure reports: Subject "DELIVERY FAILURE: <why>" (or
// "DELIVERY_FAILURE"), a text part in the server's language
//
//   Your message
//
//     Subject: Meeting notes
//
//   was not delivered to:
//
//     joe@example.org
//
//   because:
//
//     User joe (joe@example.org) not listed in Domino Directory
//
// and, from Domino 6 on, an RFC 3464 report (Diagnostic-Code type X-Notes) and the returned message.
// The text is the better diagnostic: the report copies it with its charset lost.
import type { Reason } from '../../classify/reasons.js';
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';

// Domino's own reasons, in the languages it ships (lower case).
const OWN_REASONS: ReadonlyArray<readonly [string, Reason]> = [
  ['not listed in domino directory', 'userunknown'],
  ['not listed in public name & address book', 'userunknown'],
  ['no se encuentra en el directorio de domino', 'userunknown'],
  ["non répertorié dans l'annuaire domino", 'userunknown'],
  ['domino ディレクトリには見つかりません', 'userunknown'],
  ['several matches found in domino directory', 'systemerror'],
  ['cannot route mail to user', 'filtered'],
];

interface Failure {
  address: string;
  because: string;
}

function readText(text: string): Failure[] {
  const out: Failure[] = [];
  let state: 'none' | 'to' | 'because' = 'none';
  let addresses: string[] = [];
  let because: string[] = [];
  const flush = (): void => {
    for (const address of addresses) out.push({ address, because: because.join(' ') });
    addresses = [];
    because = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === 'was not delivered to:') {
      flush();
      state = 'to';
      continue;
    }
    if (line === 'because:') {
      state = 'because';
      continue;
    }
    if (line === '') {
      if (state === 'because' && because.length > 0) {
        flush();
        state = 'none';
      }
      continue;
    }
    if (state === 'to') {
      const a = findAddress(line);
      if (a) addresses.push(a);
    } else if (state === 'because') {
      because.push(line);
    }
  }
  flush();
  return out;
}

function ownReason(text: string | undefined): Reason | undefined {
  if (!text) return undefined;
  const lower = text.toLowerCase();
  return OWN_REASONS.find(([phrase]) => lower.includes(phrase))?.[1];
}

export const domino: Decoder = {
  name: 'domino',
  decode(email: Email): Decoded | null {
    const subject = email.subject;
    if (!subject.startsWith('DELIVERY FAILURE:') && !subject.includes('DELIVERY_FAILURE')) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' || p.type === '');
    const failures = readText(part?.text ?? '');
    const report = deliveryStatusPart(email);
    const reported = report ? readDeliveryStatus(report.text) : [];
    let recipients: RawStatus[];
    if (reported.length > 0) {
      recipients = reported.map((r) => {
        const f = failures.find((x) => x.address.toLowerCase() === r.recipient.toLowerCase()) ?? (failures.length === 1 && reported.length === 1 ? failures[0] : undefined);
        return f?.because ? { ...r, diagnostic: f.because } : r;
      });
    } else {
      recipients = failures.map((f) => ({ recipient: f.address, action: 'failed', diagnostic: f.because || undefined }));
    }
    if (recipients.length === 0) return null;
    for (const r of recipients) {
      r.reason = ownReason(r.diagnostic) ?? r.reason;
      r.action ??= 'failed';
    }
    return { mta: 'domino', recipients: uniqueRecipients(recipients) };
  },
};
