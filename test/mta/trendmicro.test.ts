import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { trendmicro } from '../../src/parse/mta/trendmicro.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'trendmicro', name));

describe('trendmicro', () => {
  it('reads each RCPT TO and the reply to it', () => {
    const r = parse(fixture('sent-received.eml'));
    expect(r.mta).toBe('trendmicro');
    expect(r.messageId).toBe('schedule-0305@example.jp');
    expect(r.recipients.map((x) => [x.address, x.status, x.command])).toEqual([
      ['mori@partner.example.co.jp', '5.1.1', 'RCPT'],
      ['ueda@partner.example.co.jp', '5.2.2', 'RCPT'],
    ]);
    expect(r.recipients[1]?.diagnostic).toBe('552 5.2.2 <ueda@partner.example.co.jp>... Mailbox full');
  });

  it('reports a recipient once when the notice names it again after the transcript', () => {
    const r = parse(fixture('transcript-then-notice.eml'));
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({
      address: 'member@example.be', status: '5.1.1', replyCode: '550', command: 'RCPT', reason: 'userunknown', diagnostic: '550 5.1.1 unknown user.',
    });
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(trendmicro, fixture('sent-received.eml'));
  });
});
