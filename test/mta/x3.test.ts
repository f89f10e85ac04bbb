import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { x3 } from '../../src/parse/mta/x3.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'x3', name));

describe('x3', () => {
  it('reads the listed recipient and the technical details', () => {
    const r = parse(fixture('technical-details.eml'));
    expect(r.mta).toBe('x3');
    const x = r.recipients[0];
    expect(r.recipients).toHaveLength(1);
    expect(x?.address).toBe('anna@mailer.example.it');
    expect(x?.command).toBe('RCPT');
    expect(x?.remoteMta).toBe('203.0.113.14');
    expect(x?.diagnostic).toBe('SMTP:RCPT host 203.0.113.14: 550 5.1.1 <anna@mailer.example.it>: Recipient address rejected: User unknown');
    expect(x?.status).toBe('5.1.1');
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(x3, fixture('technical-details.eml'));
  });
});
