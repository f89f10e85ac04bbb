import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { googlegroups } from '../../src/parse/mta/googlegroups.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'googlegroups', name));

describe('googlegroups', () => {
  it('reports the group named in X-Failed-Recipients, with the notice as the diagnostic', () => {
    const r = parse(fixture('english.eml'));
    expect(r.mta).toBe('googlegroups');
    expect(r.messageId).toBe('20200506193005.GA1234@consultoria.example.com.br');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('board-members@googlegroups.com');
    expect(x?.action).toBe('failed');
    expect(x?.diagnostic).toMatch(/^Hello r\.silva@consultoria\.example\.com\.br, We're writing to let you know that the group/);
    expect(x?.diagnostic).not.toContain('Original message');
    expect(googlegroups.decode(readEmail(fixture('english.eml')))?.recipients[0]?.reason).toBe('rejected');
  });

  it('finds the group in the returned message when the header is missing (any language)', () => {
    const r = parse(fixture('french-no-header.eml'));
    expect(r.mta).toBe('googlegroups');
    expect(r.recipients.map((x) => x.address)).toEqual(['club-photo@googlegroups.com']);
    expect(r.recipients[0]?.diagnostic).toContain("Le groupe que vous avez tenté de contacter (club-photo)");
  });

  it('survives junk and truncated copies', () => {
    checkJunk(googlegroups, fixture('english.eml'));
  });
});
