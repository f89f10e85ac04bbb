import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { mxlogic } from '../../src/parse/mta/mxlogic.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'mxlogic', name));

describe('mxlogic', () => {
  it('reads the reply on the address line and the returned headers', () => {
    const r = parse(fixture('header-copy.eml'));
    expect(r.mta).toBe('mxlogic');
    expect(r.messageId).toBe('interview-slot-5@example.com');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('applicant@example.edu');
    expect(x?.status).toBe('5.1.1');
    expect(x?.replyCode).toBe('550');
    expect(x?.diagnostic).toBe('550 5.1.1 <applicant@example.edu>... User unknown');
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(mxlogic, fixture('header-copy.eml'));
  });
});
