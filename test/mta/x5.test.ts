import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { x5 } from '../../src/parse/mta/x5.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'x5', name));

describe('x5', () => {
  it('reads the report inside the forwarded bounce', () => {
    const r = parse(fixture('wrapped-report.eml'));
    expect(r.mta).toBe('x5');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('partner@example.com');
    expect(x?.status).toBe('5.1.1');
    expect(x?.remoteMta).toBe('mx.example.com');
    expect(x?.diagnostic).toBe('550 5.1.1 <partner@example.com>... User unknown');
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(x5, fixture('wrapped-report.eml'));
  });
});
