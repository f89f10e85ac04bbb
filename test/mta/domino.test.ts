import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { domino } from '../../src/parse/mta/domino.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'domino', name));

describe('domino', () => {
  it('reads the recipient and the reason text', () => {
    const r = parse(fixture('not-listed.eml'));
    expect(r.mta).toBe('domino');
    expect(r.messageId).toBe('quote-2015-118@supplier.example.com');
    expect(r.recipients.map((x) => [x.address, x.action, x.diagnostic])).toEqual([
      ['erika.muster@manufacturing.example', 'failed', 'User Erika Muster (erika.muster@manufacturing.example) not listed in Domino Directory'],
    ]);
    expect(domino.decode(readEmail(fixture('not-listed.eml')))?.recipients[0]?.reason).toBe('userunknown');
  });

  it('reads the text alone when there is no report', () => {
    const raw = fixture('not-listed.eml').toString('latin1').replace(/--==IFJRGLKFGIR11223UHRUHIHD\nContent-Type: message\/delivery-status[\s\S]*?(?=--==IFJ)/, '');
    const r = parse(raw);
    expect(r.recipients.map((x) => x.address)).toEqual(['erika.muster@manufacturing.example']);
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(domino, fixture('not-listed.eml'));
  });
});
