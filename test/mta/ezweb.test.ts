// au (EZweb / au.com) "Mail System Error - Returned Mail" notices in their several shapes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'ezweb');
const fixture = (name: string): Buffer => readFileSync(join(dir, name));

describe('ezweb', () => {
  it('reads "<addr>: reply" lines and au\'s "account is disabled" notice (ISO-2022-JP text)', () => {
    const r = parse(fixture('account-disabled.eml'));
    expect(r.mta).toBe('ezweb');
    expect(r.recipients.map((x) => x.address)).toEqual(['taro.yamada@ezweb.ne.jp', 'jiro-0123@ezweb.ne.jp']);
    for (const x of r.recipients) {
      expect(x.reason).toBe('suspend');
      expect(x.status).toBe('5.0.0');
      expect(x.command).toBe('RCPT');
      expect(x.diagnostic).toBe('550 user unknown (in reply to RCPT TO command)');
    }
  });

  it('reads the Recipient / >>> / <<< transcript of a remote rejection', () => {
    const r = parse(fixture('transcript-au.eml'));
    expect(r.mta).toBe('ezweb');
    const x = r.recipients[0];
    expect(x?.address).toBe('yuki@partner.example.co.jp');
    expect(x?.command).toBe('RCPT');
    expect(x?.status).toBe('5.1.1');
    expect(x?.diagnostic).toContain('550 5.1.1 <yuki@partner.example.co.jp>: Recipient address rejected');
  });

  it('marks X-SPASIGN: NG as filtered and keeps the inline original out of the recipients', () => {
    const r = parse(fixture('spasign-inline.eml'));
    expect(r.recipients.map((x) => x.address)).toEqual(['hanako-k@ezweb.ne.jp']);
    expect(r.recipients[0]?.reason).toBe('filtered');
    expect(r.messageId).toBe('catalog-0409@shop.example.jp');
  });

  it('reads the expiry notice', () => {
    const text = [
      'From: Postmaster@ezweb.ne.jp', 'To: <x@sender.example>', 'Subject: Mail System Error - Returned Mail',
      'Message-ID: <1@nm01lds01.ezweb.ne.jp>', 'Content-Type: text/plain; charset=us-ascii', '',
      'Your message was not delivered within 2 days and 0 hours.', 'Remote host is not responding.', '',
      'The following recipients did not receive this message:', '', '<sleepy@ezweb.ne.jp>', '',
    ].join('\n');
    const r = parse(text);
    expect(r.mta).toBe('ezweb');
    expect(r.recipients[0]?.address).toBe('sleepy@ezweb.ne.jp');
    expect(r.recipients[0]?.reason).toBe('expired');
  });

  it('needs two au signs, and survives junk', () => {
    const one = parse('From: Postmaster@ezweb.ne.jp\nTo: a@example.org\nSubject: hello\n\n<b@ezweb.ne.jp>\n');
    expect(one.mta).not.toBe('ezweb');
    expect(parse('').recipients).toHaveLength(0);
    expect(() => parse(fixture('account-disabled.eml').subarray(0, 900))).not.toThrow();
  });
});
