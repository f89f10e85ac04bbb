import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { surfcontrol } from '../../src/parse/mta/surfcontrol.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'surfcontrol', name));

describe('surfcontrol', () => {
  it('reads the transcript: address, host and reply', () => {
    const r = parse(fixture('transcript.eml'));
    expect(r.mta).toBe('surfcontrol');
    expect(r.messageId).toBe('po-2010-118@example.org');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('sales@supplier.example.com');
    expect(x?.remoteMta).toBe('198.51.100.20');
    expect(x?.status).toBe('5.1.1');
    expect(x?.diagnostic).toBe('550 5.1.1 sales@supplier.example.com... User unknown');
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(surfcontrol, fixture('transcript.eml'));
  });
});
