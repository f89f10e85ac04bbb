// SendGrid: a multipart/report whose text part names each failure on one " : "-separated line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'sendgrid');

describe('sendgrid', () => {
  it('combines the report fields with the remote host and SMTP phase from the text', () => {
    const r = parse(readFileSync(join(dir, 'mail-from-rejected.eml')));
    expect(r.mta).toBe('sendgrid');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('quinn@members.example');
    expect(x?.status).toBe('5.7.1');
    expect(x?.command).toBe('MAIL');
    expect(x?.remoteMta).toBe('mx1.members.example');
    expect(x?.diagnostic).toBe('554 5.7.1 Service unavailable; Client host [198.51.100.210] blocked using zen.spamhaus.org');
    expect(r.messageId).toBe('june-meetup-2019@club.example');
  });

  it('reads the text line alone when the report part is missing', () => {
    const text = [
      'Return-Path: <apps@sendgrid.net>', 'From: MAILER-DAEMON@mx.example.org', 'To: b@example.org',
      'Subject: Undelivered Mail Returned to Sender', '',
      'This is an automatically generated message from SendGrid.', '',
      'rita:000001:<rita@far.example> : 192.0.2.5 : mx.far.example:[192.0.2.99] : 550 5.1.1 <rita@far.example>... User unknown in RCPT TO', '',
    ].join('\n');
    const r = parse(text);
    expect(r.mta).toBe('sendgrid');
    expect(r.recipients[0]?.address).toBe('rita@far.example');
    expect(r.recipients[0]?.command).toBe('RCPT');
    expect(r.recipients[0]?.diagnostic).toBe('550 5.1.1 <rita@far.example>... User unknown');
  });

  it('survives junk', () => {
    expect(parse('Return-Path: <apps@sendgrid.net>\n\n').recipients).toHaveLength(0);
    expect(parse('From: x@example.org\nSubject: hello\n\nThis is an automatically generated message from SendGrid.\n').recipients).toHaveLength(0);
  });
});
