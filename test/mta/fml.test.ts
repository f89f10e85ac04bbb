import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { fml } from '../../src/parse/mta/fml.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'fml', name));

describe('fml', () => {
  it('reads a refused post: the list address and fml\'s reason', () => {
    const r = parse(fixture('not-member.eml'));
    expect(r.mta).toBe('fml');
    expect(r.messageId).toBe('trip-plan-42@example.net');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('hiking@lists.example.jp');
    expect(x?.reason).toBe('rejected');
    expect(x?.diagnostic).toBe('You are not a member of this mailing list <hiking@lists.example.jp>.');
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(fml, fixture('not-member.eml'));
  });
});
