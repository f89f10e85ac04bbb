import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { notes } from '../../src/parse/mta/notes.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'notes', name));

describe('notes', () => {
  it('pairs each address with the reason above it', () => {
    const r = parse(fixture('failure-reasons.eml'));
    expect(r.mta).toBe('notes');
    expect(r.messageId).toBe('36219A10.5F3E@partner.example.com');
    expect(r.recipients.map((x) => [x.address, x.diagnostic])).toEqual([
      ['k.yamada@notes.trading.example', 'User not listed in public Name & Address Book'],
      ['s.ito@notes.trading.example', 'Message has exceeded maximum hop count'],
    ]);
    const decoded = notes.decode(readEmail(fixture('failure-reasons.eml')));
    expect(decoded?.recipients.map((x) => x.reason)).toEqual(['userunknown', 'networkerror']);
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(notes, fixture('failure-reasons.eml'));
  });
});
