import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { mailfoundry } from '../../src/parse/mta/mailfoundry.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'mailfoundry', name));

describe('mailfoundry', () => {
  it('reads each address with its reason and the server that refused it', () => {
    const r = parse(fixture('two-recipients.eml'));
    expect(r.mta).toBe('mailfoundry');
    expect(r.messageId).toBe('gala-invite@example.org');
    const [a, b] = r.recipients;
    expect(r.recipients).toHaveLength(2);
    expect(a?.address).toBe('guest1@example.net');
    expect(a?.status).toBe('5.1.1');
    expect(a?.remoteMta).toBe('mx.example.net');
    expect(a?.diagnostic).toBe(
      'Server mx.example.net[203.0.113.14] failed with: 550 5.1.1 <guest1@example.net>: Recipient address rejected: User unknown',
    );
    expect(b?.address).toBe('guest2@example.net');
    expect(b?.replyCode).toBe('552');
    expect(b?.status).toBe('5.2.2');
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(mailfoundry, fixture('two-recipients.eml'));
  });
});
