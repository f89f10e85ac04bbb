// Unidentified MTA #1 of the reference parser (Received: "By OpenMail Mailer", From "Mail Deliver System"
// — sic). A sendmail-like summary with the error in brackets after each address:
//
//   The original message was received at Thu, 29 Apr 2010 23:34:45 +0900 (JST)
//   from shironeko@example.jp
//
//   ---The following addresses had delivery errors---
//
//   kijitora@example.co.jp [User unknown]
//
// The returned message follows in the next MIME part. "Warning--Could not send mail for past N hours"
// is the delay notice in the same layout.
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus } from '../types.js';

const OPENER = 'The original message was received at ';
const LIST_MARKER = '---The following addresses had delivery errors---';
const ENTRY = /^(\S{3,512}) \[([^\]]{1,1000})\]$/;

function looksLikeX1(email: Email): boolean {
  const s = email.subject;
  if (s.startsWith('Returned Mail: ') || s.startsWith('Mail Delivery Failure')) return true;
  return email.from.includes('"Mail Deliver System"') || email.from.startsWith('Mail Deliver System ');
}

export const x1: Decoder = {
  name: 'x1',
  decode(email: Email): Decoded | null {
    if (!looksLikeX1(email)) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' && p.text.includes(LIST_MARKER));
    if (!part || !part.text.includes(OPENER)) return null;
    const warning = email.subject.startsWith('Warning');
    const recipients: RawStatus[] = [];
    let listing = false;
    for (const raw of part.text.split('\n')) {
      const line = raw.trim();
      if (line === LIST_MARKER) {
        listing = true;
        continue;
      }
      if (!listing || line === '') continue;
      const m = ENTRY.exec(line);
      const address = m?.[1]?.replace(/^<|>$/g, '');
      if (m && address && isAddress(address)) {
        recipients.push({ recipient: address, action: warning ? 'delayed' : 'failed', diagnostic: m[2]?.trim() });
      }
    }
    if (recipients.length === 0) return null;
    // the returned message is a MIME part of its own whose header block is the original's
    let original: string | undefined;
    const next = email.parts[email.parts.indexOf(part) + 1];
    if (next && next.type === 'text/plain' && next.headers.size > 0) {
      original = next.headers.entries().map(([name, value]) => `${name}: ${value}`).join('\n') + '\n\n';
    }
    return { mta: 'x1', recipients, kind: warning ? 'delay' : undefined, original };
  },
};
