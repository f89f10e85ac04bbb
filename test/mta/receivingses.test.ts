// Amazon SES receiving: the bounce a receipt rule sends back, relayed out through SES.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'receivingses');

describe('receivingses', () => {
  it('reads each recipient the receipt rule bounced, with the rule\'s reply', () => {
    const r = parse(readFileSync(join(dir, 'content-rejected.eml')));
    expect(r.mta).toBe('receivingses');
    expect(r.recipients.map((x) => x.address)).toEqual(['tickets@intake.example.com', 'billing@intake.example.com']);
    expect(r.recipients[0]?.status).toBe('5.6.1');
    expect(r.recipients[0]?.reason).toBe('contenterror');
    expect(r.recipients[0]?.diagnostic).toBe('500 5.6.1 Message content rejected');
    expect(r.recipients[1]?.status).toBe('5.3.4');
    expect(r.recipients[1]?.reason).toBe('mesgtoobig');
    expect(r.messageId).toBe('c0ffee01-2024@sender.example');
  });

  it('does not claim other mail sent through SES', () => {
    const text = 'From: a@shop.example\nTo: b@example.org\nSubject: receipt\nX-SES-Outgoing: 2024.01.01-1.2.3.4\n\n'
      + 'This message could not be delivered.\n';
    expect(parse(text).mta).not.toBe('receivingses');
    expect(parse('').recipients).toHaveLength(0);
  });
});
