import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { activehunter } from '../../src/parse/mta/activehunter.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'activehunter', name));

describe('activehunter', () => {
  it('reads the address after >>> and the reply in the transcript', () => {
    const r = parse(fixture('transcript.eml'));
    expect(r.mta).toBe('activehunter');
    expect(r.messageId).toBe('homework-0706@example.ed.jp');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('student01@school.example.ac.jp');
    expect(x?.status).toBe('5.1.1');
    expect(x?.replyCode).toBe('550');
    expect(x?.diagnostic).toBe('550 5.1.1 <student01@school.example.ac.jp>... User unknown');
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(activehunter, fixture('transcript.eml'));
  });
});
