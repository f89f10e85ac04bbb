// Barracuda Spam Firewall: "**Message you sent blocked by our bulk email filter**".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'barracuda');

describe('barracuda', () => {
  it('reads the report and Barracuda\'s UBE verdict', () => {
    const r = parse(readFileSync(join(dir, 'ube.eml')));
    expect(r.mta).toBe('barracuda');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('lars@shipping.example.se');
    expect(x?.status).toBe('5.7.1');
    expect(x?.reason).toBe('spamdetected');
    expect(x?.diagnostic).toBe('550 5.7.1 Message content rejected, UBE, id=09999-01-42');
    expect(x?.remoteMta).toBe('bsf.shipping.example.se');
  });

  it('falls back to the text when the report part is missing', () => {
    const text = [
      'From: MAILER-DAEMON', 'To: a@sender.example', 'Subject: **Message you sent blocked by our bulk email filter**', '',
      'Your message to: pia@corp.example', 'was blocked by our Spam Firewall. The email you sent with the following subject has NOT BEEN DELIVERED:', '',
    ].join('\n');
    const r = parse(text);
    expect(r.mta).toBe('barracuda');
    expect(r.recipients[0]?.address).toBe('pia@corp.example');
  });

  it('ignores junk', () => {
    expect(parse('').recipients).toHaveLength(0);
    expect(parse('Subject: **Message you sent blocked by our bulk email filter**\n\n').recipients).toHaveLength(0);
  });
});
