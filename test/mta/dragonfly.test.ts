import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { dragonfly } from '../../src/parse/mta/dragonfly.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'dragonfly', name));

describe('dragonfly', () => {
  it('reads the host, the command and the reply', () => {
    const r = parse(fixture('rcpt-rejected.eml'));
    expect(r.mta).toBe('dragonfly');
    expect(r.messageId).toBe('650bbf1b.1a2b1.5f00aa11@build.example.dev');
    const x = r.recipients[0];
    expect(r.recipients).toHaveLength(1);
    expect(x?.address).toBe('reports@customer.example');
    expect(x?.command).toBe('RCPT');
    expect(x?.remoteMta).toBe('mx.customer.example');
    expect(x?.diagnostic).toBe(
      'mx.customer.example [203.0.113.45] did not like our RCPT TO: 554 5.7.1 <reports@customer.example>: Relay access denied',
    );
  });

  it('knows its own give-up message', () => {
    const decoded = dragonfly.decode(readEmail(fixture('gave-up.eml')));
    expect(decoded?.recipients.map((x) => [x.recipient, x.reason])).toEqual([['me@offline.example', 'expired']]);
    expect(parse(fixture('gave-up.eml')).messageId).toBe('65dc5a26.779f0.11223344@nas.home.example');
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(dragonfly, fixture('rcpt-rejected.eml'));
  });
});
