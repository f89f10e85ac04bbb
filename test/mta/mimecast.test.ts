// Mimecast: "[Postmaster] Email Delivery Failure", "-- " values and "Name : value" report fields.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'mimecast');

describe('mimecast', () => {
  it('reads the spaced report fields and prefers the real code over Status 5.0.0', () => {
    const r = parse(readFileSync(join(dir, 'user-unknown.eml')));
    expect(r.mta).toBe('mimecast');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('nina.old@client.example');
    expect(x?.status).toBe('5.1.1');
    expect(x?.diagnostic).toBe('550 5.1.1 User unknown: nina.old@client.example');
    expect(x?.remoteMta).toBe('mail.client.example');
  });

  it('reads the text alone', () => {
    const text = [
      'From: Postmaster <postmaster@corp.example>', 'To: <a@sender.example>', 'Subject: [Postmaster] Email Delivery Failure',
      'Message-Id: <1-2@eu-mta-1.eu.mimecast.lan>', '',
      'An email that you attempted to send to the following address could not be delivered:', '-- tom@corp.example', '',
      'The problem appears to be:', '-- Mailbox full', '', 'Additional information follows:', '-- 5.2.2 SMTP; 552 5.2.2 Quota exceeded', '',
    ].join('\n');
    const r = parse(text);
    expect(r.mta).toBe('mimecast');
    expect(r.recipients[0]?.address).toBe('tom@corp.example');
    expect(r.recipients[0]?.status).toBe('5.2.2');
  });

  it('ignores junk', () => {
    expect(parse('').recipients).toHaveLength(0);
    expect(parse('Subject: [Postmaster] Email Delivery Failure\n\n-- not an address\n').recipients).toHaveLength(0);
  });
});
