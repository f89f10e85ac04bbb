import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { powermta } from '../../src/parse/mta/powermta.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'powermta', name));

describe('powermta', () => {
  it('reads each recipient with its bounce category', () => {
    const r = parse(fixture('bad-domain.eml'));
    expect(r.mta).toBe('powermta');
    expect(r.recipients.map((x) => [x.address, x.status, x.diagnostic])).toEqual([
      ['buyer@closed-shop.example', '5.0.0', 'no MX or A record found for closed-shop.example'],
      ['subscriber@isp.example.org', '5.2.2', '552 5.2.2 subscriber@isp.example.org: mailbox is full'],
    ]);
    const decoded = powermta.decode(readEmail(fixture('bad-domain.eml')));
    expect(decoded?.recipients.map((x) => x.reason)).toEqual(['hostunknown', 'mailboxfull']);
  });

  it('needs the PowerMTA report fields', () => {
    const raw = fixture('bad-domain.eml').toString('latin1').replace(/X-PowerMTA-[A-Za-z]+: [^\n]*\n/g, '');
    expect(powermta.decode(readEmail(raw))).toBeNull();
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(powermta, fixture('bad-domain.eml'));
  });
});
