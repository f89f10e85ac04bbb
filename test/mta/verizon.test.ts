import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { verizon } from '../../src/parse/mta/verizon.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'verizon', name));

describe('verizon', () => {
  it('reads the SMS gateway notice: RCPT TO and the reply below "Error message below:"', () => {
    const r = parse(fixture('vtext.eml'));
    expect(r.mta).toBe('verizon');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('5551230000@vtext.com');
    expect(x?.replyCode).toBe('550');
    expect(x?.diagnostic).toBe('550 - Requested action not taken: no such user here');
    expect(verizon.decode(readEmail(fixture('vtext.eml')))?.recipients[0]?.reason).toBe('userunknown');
  });

  it('reads the MMS gateway notice: the recipient from the original message summary', () => {
    const r = parse(fixture('vzwpix.eml'));
    expect(r.mta).toBe('verizon');
    expect(r.recipients.map((x) => x.address)).toEqual(['5559870000@vzwpix.com']);
    expect(r.recipients[0]?.diagnostic).toBe('No valid recipients for this MM');
  });

  it('survives junk and truncated copies', () => {
    checkJunk(verizon, fixture('vtext.eml'));
    checkJunk(verizon, fixture('vzwpix.eml'));
  });
});
