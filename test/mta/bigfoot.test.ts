import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { bigfoot } from '../../src/parse/mta/bigfoot.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'bigfoot', name));

describe('bigfoot', () => {
  it('reads the report and takes the command from the transcript', () => {
    // called directly: in the registry the sendmail decoder, which runs first, may read this layout too
    const d = bigfoot.decode(readEmail(fixture('report.eml')));
    expect(d?.mta).toBe('bigfoot');
    expect(d?.recipients).toHaveLength(1);
    const x = d?.recipients[0];
    expect(x?.recipient).toBe('gone@example.com');
    expect(x?.status).toBe('5.1.1');
    expect(x?.command).toBe('RCPT');
    expect(x?.remoteMta).toBe('mx.example.com');
    expect(x?.diagnostic).toBe('550 5.1.1 <gone@example.com>: no such user');
  });

  it('is read by parse() whichever decoder takes it', () => {
    const r = parse(fixture('report.eml'));
    expect(r.messageId).toBe('fwd-2016-07@example.net');
    expect(r.recipients.map((x) => [x.address, x.status])).toEqual([['gone@example.com', '5.1.1']]);
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(bigfoot, fixture('report.eml'));
  });
});
