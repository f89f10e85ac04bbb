import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { mailmarshal } from '../../src/parse/mta/mailmarshal.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'mailmarshal', name));

describe('mailmarshal', () => {
  it('reads the error, the affected recipients and the remote MTA', () => {
    const r = parse(fixture('user-unknown.eml'));
    expect(r.mta).toBe('mailmarshal');
    expect(r.messageId).toBe('board-papers-dec@example.com.au');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('secretary@agency.example.gov.au');
    expect(x?.status).toBe('5.1.1');
    expect(x?.remoteMta).toBe('203.0.113.44');
    expect(x?.diagnostic).toBe('550 5.1.1 <secretary@agency.example.gov.au>: Recipient address rejected: User unknown');
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(mailmarshal, fixture('user-unknown.eml'));
  });
});
