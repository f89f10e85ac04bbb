import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { communigate } from '../../src/parse/mta/communigate.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'communigate', name));

describe('communigate', () => {
  it('reads each address with its module\'s account: a remote server\'s reply, a local full account', () => {
    const r = parse(fixture('remote-refusal.eml'));
    expect(r).toMatchObject({ kind: 'bounce', mta: 'communigate', messageId: 'news-2007-06@lists.example.org', verp: { recipient: 'ilze@example.lv' } });
    expect(r.recipients).toHaveLength(2);
    expect(r.recipients[0]).toMatchObject({
      address: 'ilze@example.lv', action: 'failed', status: '5.1.1', replyCode: '550', reason: 'userunknown', hard: true,
      diagnostic: '550 5.1.1 User unknown', remoteMta: '192.0.2.12',
    });
    // its report's Final-Recipient is "system;<>": the Original-Recipient names it
    expect(r.recipients[1]).toMatchObject({
      address: 'anna@example.lv', action: 'failed', reason: 'mailboxfull', hard: false, diagnostic: 'account is full (disk quota exceeded)',
    });
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(communigate, fixture('remote-refusal.eml'));
  });
});
