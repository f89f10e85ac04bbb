// Verizon Wireless gateways, in two designs.
//
// vtext.com (SMS gateway), from post_master@vtext.com:
//   Error: Invalid user address
//   Error message below:
//   550 - Requested action not taken: no such user here
//   Message details:
//     Subject: …
//     MAIL FROM: sender@example.org
//     RCPT TO: 5551234567@vtext.com
//
// vzwpix.com (MMS gateway), from "MMSC NDR Administrator <sysadmin@…vzwpix.com>":
//   Message could not be delivered to mobile.
//   Error: No valid recipients for this MM
//   Original Message:
//   From: …
//   To: 5551234567@vzwpix.com
import { findAddress, isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus } from '../types.js';

const VTEXT = /@(?:[a-z0-9-]{1,63}\.){0,3}vtext\.com\b/i;
const VZWPIX = /@(?:[a-z0-9-]{1,63}\.){0,3}vzwpix\.com\b/i;
const SYSADMIN = /sysadmin@/i;
const REPLY = /^([245]\d\d)(?:\s*-\s*|\s+)\S/;
const STATUS_IN = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/;
// The gateways' own fixed words for an address that does not exist
const NO_SUCH_USER = ['no such user here', 'No valid recipients for this MM', 'Invalid user address'];

function readVtext(text: string): RawStatus[] {
  let error: string | undefined;
  let reply: string | undefined;
  let below = false;
  const recipients: string[] = [];
  for (const line of text.slice(0, 65536).split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    if (/^Error message below:/i.test(t)) {
      below = true;
      continue;
    }
    if (below && !reply) {
      reply = t;
      continue;
    }
    if (!error && /^Error:\s*/i.test(t)) error = t.replace(/^Error:\s*/i, '');
    const rcpt = /^RCPT TO:\s*(.{3,320})$/i.exec(t);
    const a = rcpt?.[1] ? findAddress(rcpt[1]) ?? rcpt[1].trim() : undefined;
    if (a && isAddress(a)) recipients.push(a);
  }
  const diagnostic = reply ?? error;
  return recipients.map((recipient) => ({
    recipient,
    action: 'failed',
    diagnostic,
    replyCode: reply ? REPLY.exec(reply)?.[1] : undefined,
    status: diagnostic ? STATUS_IN.exec(diagnostic)?.[1] : undefined,
    command: 'RCPT',
    reason: NO_SUCH_USER.some((p) => (diagnostic ?? '').includes(p) || (error ?? '').includes(p)) ? 'userunknown' : undefined,
  }));
}

function readVzwpix(text: string): RawStatus[] {
  let error: string | undefined;
  let inOriginal = false;
  const recipients: string[] = [];
  for (const line of text.slice(0, 65536).split('\n')) {
    const t = line.trim();
    if (/^Original Message:/i.test(t)) {
      inOriginal = true;
      continue;
    }
    if (!inOriginal) {
      if (!error && /^Error:\s*/i.test(t)) error = t.replace(/^Error:\s*/i, '');
      continue;
    }
    const to = /^To:\s*(.{3,2000})$/i.exec(t);
    if (!to?.[1]) continue;
    for (const piece of to[1].split(',')) {
      const a = findAddress(piece) ?? piece.trim();
      if (isAddress(a)) recipients.push(a);
    }
  }
  return recipients.map((recipient) => ({
    recipient,
    action: 'failed',
    diagnostic: error,
    reason: NO_SUCH_USER.some((p) => (error ?? '').includes(p)) ? 'userunknown' : undefined,
  }));
}

export const verizon: Decoder = {
  name: 'verizon',
  decode(email: Email): Decoded | null {
    const from = email.from;
    let read: ((text: string) => RawStatus[]) | undefined;
    if (VTEXT.test(from) && email.headers.all('received').some((r) => r.includes('.vtext.com'))) read = readVtext;
    else if (VZWPIX.test(from) && SYSADMIN.test(from)) read = readVzwpix;
    if (!read) return null;
    const recipients = read(email.parts.find((p) => p.type === 'text/plain')?.text ?? email.text);
    return recipients.length > 0 ? { mta: 'verizon', recipients } : null;
  },
};
