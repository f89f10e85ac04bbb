import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { mfilter } from '../../src/parse/mta/mfilter.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'mfilter', name));

describe('mfilter', () => {
  it('reads the address lines and the labelled server message and command', () => {
    const r = parse(fixture('two-addresses.eml'));
    expect(r.mta).toBe('mfilter');
    expect(r.messageId).toBe('quote-2016-0909@corp.example.co.jp');
    expect(r.recipients.map((x) => x.address)).toEqual(['suzuki@client.example.jp', 'tanaka@client.example.jp']);
    for (const x of r.recipients) {
      expect(x.diagnostic).toBe('550 5.7.1 Relaying denied');
      expect(x.status).toBe('5.7.1');
      expect(x.command).toBe('RCPT');
    }
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(mfilter, fixture('two-addresses.eml'));
  });
});
