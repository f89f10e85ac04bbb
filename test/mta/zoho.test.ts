import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { zoho } from '../../src/parse/mta/zoho.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'zoho', name));

describe('zoho', () => {
  it('reads one line per failed recipient with its codes', () => {
    const r = parse(fixture('permanent.eml'));
    expect(r.mta).toBe('zoho');
    expect(r.messageId).toBe('16a0123ab00.c0ffee12345.778899@zoho.example.in');
    expect(r.recipients.map((x) => [x.address, x.status, x.replyCode])).toEqual([
      ['ravi@traders.example.in', '5.1.1', '550'],
      ['accounts@traders.example.in', '5.2.2', '552'],
    ]);
    expect(r.recipients[0]?.diagnostic).toBe(
      'Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <ravi@traders.example.in>: Recipient address rejected: User unknown',
    );
  });

  it('reads a delay warning', () => {
    const r = parse(fixture('delay.eml'));
    expect(r.mta).toBe('zoho');
    expect(r.kind).toBe('delay');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]?.address).toBe('sales@factory.example.in');
    expect(r.recipients[0]?.action).toBe('delayed');
    expect(r.recipients[0]?.replyCode).toBe('421');
    expect(zoho.decode(readEmail(fixture('delay.eml')))?.recipients[0]?.reason).toBe('expired');
  });

  it('survives junk and truncated copies', () => {
    checkJunk(zoho, fixture('permanent.eml'));
    checkJunk(zoho, fixture('delay.eml'));
  });
});
