// Inputs every MTA decoder must survive: nothing, a personal message, and a bounce cut off part-way (as a
// truncated download or a size limit leaves it). The decoder is called directly, so a throw is not
// hidden by parse()'s guard.
import { expect } from 'vitest';
import type { Decoder } from '../../src/parse/decoder.js';
import { readEmail } from '../../src/parse/email.js';

export const PERSONAL = [
  'From: Alice <alice@example.org>',
  'To: Bob <bob@example.net>',
  'Subject: Lunch on Friday?',
  'Date: Mon, 2 Oct 2023 10:00:00 +0000',
  'Message-ID: <lunch-1@example.org>',
  '',
  'Hi Bob, are you free for lunch on Friday? The mail system at work is slow today.',
  '<bob@example.net>: see you there',
  '',
].join('\r\n');

export function checkJunk(decoder: Decoder, bounce: Buffer): void {
  for (const raw of ['', '\n\n', 'garbage without headers', PERSONAL]) {
    expect(decoder.decode(readEmail(raw))).toBeNull();
  }
  for (const fraction of [0.05, 0.2, 0.4, 0.6, 0.8, 0.95]) {
    const email = readEmail(bounce.subarray(0, Math.floor(bounce.length * fraction)));
    const out = decoder.decode(email);
    for (const r of out?.recipients ?? []) expect(r.recipient).toMatch(/.@./);
  }
}
