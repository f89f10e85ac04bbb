import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { gmail } from '../../src/parse/mta/gmail.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'gmail', name));

describe('gmail', () => {
  it('reads the plain-text notice: every listed recipient, the remote reply, host and SMTP state', () => {
    const r = parse(fixture('legacy-two-recipients.eml'));
    expect(r.mta).toBe('gmail');
    expect(r.messageId).toBe('CAGx7v1xYz0aBcDeFgH@mail.gmail.com');
    expect(r.recipients.map((x) => x.address)).toEqual(['lena@mailhost.example.de', 'ops@mailhost.example.de']);
    for (const x of r.recipients) {
      expect(x.action).toBe('failed');
      expect(x.status).toBe('5.1.1');
      expect(x.replyCode).toBe('550');
      expect(x.command).toBe('RCPT'); // "(state 14)"
      expect(x.remoteMta).toBe('mx1.mailhost.example.de');
      expect(x.diagnostic).toContain('Requested action not taken: mailbox unavailable.');
    }
    // the reply as the remote server wrote it, without Gmail's "(state 14)."
    const raw = gmail.decode(readEmail(fixture('legacy-two-recipients.eml')));
    expect(raw?.recipients[0]?.diagnostic).toBe(
      '550-5.1.1 Requested action not taken: mailbox unavailable. 550 5.1.1 Please check the address and try again',
    );
  });

  it('reads a delay notice as delayed, with Gmail’s own account when no server replied', () => {
    const r = parse(fixture('legacy-delay-dns.eml'));
    expect(r.mta).toBe('gmail');
    expect(r.kind).toBe('delay');
    expect(r.messageId).toBe('CAKJd8k9=draft42@mail.gmail.com');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]?.address).toBe('editor@quarterly.example.net');
    expect(r.recipients[0]?.action).toBe('delayed');
    expect(r.recipients[0]?.diagnostic).toBe('Technical details of temporary failure: DNS Error: Could not contact DNS servers');
  });

  it('reads the report design: a precise code from the remote reply beats the report’s 5.0.0', () => {
    const r = parse(fixture('report-address-not-found.eml'));
    expect(r.mta).toBe('gmail');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('w.chen@clinic.example.org');
    expect(x?.status).toBe('5.1.1');
    expect(x?.replyCode).toBe('550');
    expect(x?.remoteMta).toBe('mail.clinic.example.org');
    expect(x?.diagnostic).toBe(
      '550 5.1.1 <w.chen@clinic.example.org>: Recipient address rejected: User unknown in virtual mailbox table',
    );
    expect(gmail.decode(readEmail(fixture('report-address-not-found.eml')))?.recipients[0]?.reason).toBe('userunknown');
  });

  it('leaves Google Groups notices to googlegroups', () => {
    const groups = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'googlegroups', 'english.eml'));
    expect(gmail.decode(readEmail(groups))).toBeNull();
  });

  it('survives junk and truncated copies', () => {
    checkJunk(gmail, fixture('legacy-two-recipients.eml'));
    checkJunk(gmail, fixture('report-address-not-found.eml'));
  });
});
