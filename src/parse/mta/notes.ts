// Lotus Notes / Lotus SMTP MTA (the pre-Domino-6 "Lotus SMTP MTA" gateway and the Notes client) notices:
// Subject "Undeliverable message", one plain-text part, the reasons and the failed addresses between two
// fixed lines, then the returned message inline:
//
//   ------- Failure Reasons  --------
//
//   User not listed in public Name & Address Book
//   joe@example.org
//
//   ------- Returned Message --------
import type { Reason } from '../../classify/reasons.js';
import { findAddress, isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { embeddedHeaders, type Email } from '../email.js';
import { MAX_ORIGINAL_CHARS } from '../limits.js';
import { uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';

const START = /^-{3,}\s{0,4}Failure Reasons\s{0,4}-{3,}[ \t]*$/m;
const RETURNED = /^-{3,}\s{0,4}Returned Message\s{0,4}-{3,}[ \t]*$/m;

// Notes' own reasons, in the languages seen (lower case).
const OWN_REASONS: ReadonlyArray<readonly [string, Reason]> = [
  ['user not listed in public name & address book', 'userunknown'],
  ['ディレクトリのリストにありません', 'userunknown'],
  ['message has exceeded maximum hop count', 'networkerror'],
];

export const notes: Decoder = {
  name: 'notes',
  decode(email: Email): Decoded | null {
    if (!email.subject.startsWith('Undeliverable message')) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' || p.type === '');
    const text = part?.text ?? '';
    const start = START.exec(text);
    if (!start) return null;
    const returned = RETURNED.exec(text);
    const end = returned && returned.index > start.index ? returned.index : text.length;
    const recipients: RawStatus[] = [];
    let reasons: string[] = [];
    for (const raw of text.slice(start.index + start[0].length, end).split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      if (!line.includes(' ') && isAddress(line)) {
        const diagnostic = reasons.join(' ') || undefined;
        const lower = diagnostic?.toLowerCase() ?? '';
        recipients.push({
          recipient: line,
          action: 'failed',
          diagnostic,
          reason: OWN_REASONS.find(([phrase]) => lower.includes(phrase))?.[1],
        });
        reasons = [];
        continue;
      }
      reasons.push(line);
    }
    const original = returned ? text.slice(returned.index + returned[0].length, returned.index + returned[0].length + MAX_ORIGINAL_CHARS) : undefined;
    if (recipients.length === 0 && original) {
      // no address listed: the returned message's To: is the recipient
      const to = findAddress(embeddedHeaders(original).text('to'));
      if (to) recipients.push({ recipient: to, action: 'failed', diagnostic: reasons.join(' ') || undefined });
    }
    if (recipients.length === 0) return null;
    return { mta: 'notes', recipients: uniqueRecipients(recipients), original: original?.trim() ? original : undefined };
  },
};
