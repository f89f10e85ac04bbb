import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { gmx } from '../../src/parse/mta/gmx.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'gmx', name));

describe('gmx', () => {
  it('reads the one-line session report of the newer servers', () => {
    const r = parse(fixture('rcpt.eml'));
    expect(r.mta).toBe('gmx');
    expect(r.messageId).toBe('trinity-aa11bb22-cc33-dd44-ee55-ff6677889900-1453381329@3c-app-gmx-bs12');
    const x = r.recipients[0];
    expect(r.recipients).toHaveLength(1);
    expect(x?.address).toBe('f.weber@verein.example.de');
    expect(x?.status).toBe('5.1.1');
    expect(x?.command).toBe('RCPT');
    expect(x?.remoteMta).toBe('mx.verein.example.de');
    expect(x?.diagnostic).toBe('550 5.1.1 <f.weber@verein.example.de>: Recipient address rejected: User unknown');
  });

  it('reads "Reason:" blocks (mail.com) and the retry timeout', () => {
    const r = parse(fixture('timeout.eml'));
    expect(r.mta).toBe('gmx');
    expect(r.recipients.map((x) => x.address)).toEqual(['office@quiet-host.example.org']);
    expect(r.recipients[0]?.diagnostic).toBe('delivery retry timeout exceeded');
    expect(gmx.decode(readEmail(fixture('timeout.eml')))?.recipients[0]?.reason).toBe('expired');
  });

  it('survives junk and truncated copies', () => {
    checkJunk(gmx, fixture('rcpt.eml'));
    checkJunk(gmx, fixture('timeout.eml'));
  });
});
