import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { x1 } from '../../src/parse/mta/x1.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'x1', name));

describe('x1', () => {
  it('reads the bracketed error after each address', () => {
    const r = parse(fixture('two-errors.eml'));
    expect(r.mta).toBe('x1');
    expect(r.messageId).toBe('newyear-card-7@example.jp');
    expect(r.recipients.map((x) => [x.address, x.diagnostic])).toEqual([
      ['sato@example.ne.jp', 'User unknown'],
      ['ito@example.ne.jp', 'Mailbox full'],
    ]);
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(x1, fixture('two-errors.eml'));
  });
});
