import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { postfix } from '../../src/parse/mta/postfix.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'postfix', name));

describe('postfix', () => {
  it('reads two recipients, the remote reply from the notification and a local delivery error', () => {
    const r = parse(fixture('modern-two-recipients.eml'));
    expect(r.mta).toBe('postfix');
    expect(r.kind).toBe('bounce');
    expect(r.messageId).toBe('order-10442.shipped@shop.example');
    const [maria, jan] = r.recipients;
    expect(r.recipients).toHaveLength(2);
    expect(maria?.address).toBe('maria.lopez@correo.example.es');
    expect(maria?.status).toBe('5.1.1');
    expect(maria?.command).toBe('RCPT');
    expect(maria?.remoteMta).toBe('mx2.correo.example.es');
    expect(maria?.diagnostic).toBe(
      'host mx2.correo.example.es[198.51.100.25] said: 550 5.1.1 <maria.lopez@correo.example.es>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)',
    );
    expect(jan?.address).toBe('jan@home.example.nl');
    expect(jan?.alias).toBe('support@shop.example');
    expect(jan?.status).toBe('5.2.2');
    expect(jan?.diagnostic).toBe('procmail: Quota exceeded while writing "/var/mail/jan"');
  });

  it('reads a delay warning as delayed', () => {
    const r = parse(fixture('delayed.eml'));
    expect(r.mta).toBe('postfix');
    expect(r.kind).toBe('delay');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]?.action).toBe('delayed');
    expect(r.recipients[0]?.status).toBe('4.4.1');
    expect(r.recipients[0]?.diagnostic).toContain('Connection timed out');
  });

  it('reads a notice from before Postfix wrote delivery reports', () => {
    const r = parse(fixture('legacy-no-report.eml'));
    expect(r.mta).toBe('postfix');
    expect(r.recipients.map((x) => x.address)).toEqual(['lieferung@partner.example.de']);
    const x = r.recipients[0];
    expect(x?.command).toBe('DATA');
    expect(x?.remoteMta).toBe('mail.partner.example.de');
    expect(x?.diagnostic).toBe(
      'host mail.partner.example.de[192.0.2.140] said: 552 Message size exceeds fixed maximum message size (in reply to end of DATA command)',
    );
  });

  it('reads a bounce forwarded as plain text, report and returned message inline', () => {
    const r = parse(fixture('forwarded-as-text.eml'));
    expect(r.mta).toBe('postfix');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('parent.one@isp.example.com');
    expect(x?.status).toBe('5.7.1');
    expect(x?.command).toBe('CONN');
    expect(x?.diagnostic).toContain('refused to talk to me: 554 5.7.1 Service unavailable');
    expect(x?.diagnostic).toContain('blocked using zen.spamhaus.org');
    expect(r.messageId).toBe('closure-2023-10-05@school.example.edu');
  });

  it('reads the "SMTP server: errors from" transcript', () => {
    const r = parse(fixture('errors-from-transcript.eml'));
    expect(r.mta).toBe('postfix');
    const byAddress = new Map(r.recipients.map((x) => [x.address, x]));
    expect(byAddress.get('nobody@in.example.net')?.command).toBe('RCPT');
    expect(byAddress.get('nobody@in.example.net')?.diagnostic).toBe(
      '550 5.1.1 <nobody@in.example.net>: Recipient address rejected: User unknown in local recipient table',
    );
    expect(byAddress.get('ops@in.example.net')?.command).toBe('DATA');
    expect(byAddress.get('ops@in.example.net')?.diagnostic).toBe('452 4.3.1 Insufficient system storage');
  });

  it('reads the UTF-8 recipient of a message/global-delivery-status (real Postfix 3.7, SMTPUTF8)', () => {
    const r = parse(fixture('smtputf8-global-dsn.eml'));
    expect(r.mta).toBe('postfix');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({ address: 'nosuch-ü-a@reject.test', status: '5.1.1', reason: 'userunknown', command: 'RCPT' });
    expect(r.recipients[0]?.diagnostic).toContain('<nosuch-ü-a@reject.test>');
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(postfix, fixture('modern-two-recipients.eml'));
    checkJunk(postfix, fixture('forwarded-as-text.eml'));
  });
});
