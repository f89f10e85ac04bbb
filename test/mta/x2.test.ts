import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { x2 } from '../../src/parse/mta/x2.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'x2', name));

describe('x2', () => {
  it('reads one paragraph per address', () => {
    const r = parse(fixture('three-paragraphs.eml'));
    expect(r.mta).toBe('x2');
    expect(r.messageId).toBe('picnic-2008@example.org');
    expect(r.recipients.map((x) => x.address)).toEqual(['bob@portal.example.com', 'carol@portal.example.com']);
    expect(r.recipients[1]?.diagnostic).toBe(
      'Sorry, your message to carol@portal.example.com cannot be delivered. This account is over quota.',
    );
  });

  it('reads the later notice with the reply and the failed step', () => {
    const r = parse(fixture('notice-step.eml'));
    expect(r.mta).toBe('x2');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('yamada@example.co.jp');
    expect(x?.status).toBe('5.1.10');
    expect(x?.replyCode).toBe('550');
    expect(x?.command).toBe('RCPT');
    expect(x?.remoteMta).toBe('192.0.2.33');
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(x2, fixture('three-paragraphs.eml'));
  });
});
