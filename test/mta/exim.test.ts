import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { exim } from '../../src/parse/mta/exim.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'exim', name));

describe('exim', () => {
  it('reads each address of the text and takes the precise code over the report part\'s 5.0.0', () => {
    const r = parse(fixture('dsn-two-recipients.eml'));
    expect(r.mta).toBe('exim');
    expect(r.kind).toBe('bounce');
    expect(r.messageId).toBe('invoice-20230314-0042@shop.example');
    expect(r.recipients.map((x) => x.address)).toEqual(['anna.berg@firma.example.se', 'orders@nowhere.example']);
    const [anna, orders] = r.recipients;
    expect(anna?.status).toBe('5.1.1');
    expect(anna?.replyCode).toBe('550');
    expect(anna?.command).toBe('RCPT');
    expect(anna?.remoteMta).toBe('mx02.firma.example.se');
    expect(anna?.diagnostic).toBe(
      'host mx02.firma.example.se [198.51.100.7] SMTP error from remote mail server after pipelined RCPT TO:<anna.berg@firma.example.se>: 550 5.1.1 <anna.berg@firma.example.se>: Recipient address rejected: User unknown in virtual mailbox table',
    );
    expect(orders?.status).toBe('5.0.0');
    expect(orders?.reason).toBe('hostunknown');
    expect(orders?.diagnostic).toBe('Unrouteable address');
  });

  it('turns Exim\'s octal escapes of a UTF-8 address back into the address (real Exim 4.96, SMTPUTF8)', () => {
    const raw = fixture('smtputf8-escaped-address.eml');
    expect(raw.toString('latin1')).toContain('X-Failed-Recipients: nosuch-\\303\\274-a@reject.test');
    const r = parse(raw);
    expect(r.mta).toBe('exim');
    expect(r.verp?.recipient).toBe('nosuch-ü-a@reject.test');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({
      address: 'nosuch-ü-a@reject.test', status: '5.1.1', replyCode: '550', reason: 'userunknown', command: 'RCPT',
      diagnostic: 'host 127.0.0.1 [127.0.0.1] SMTP error from remote mail server after RCPT TO:<nosuch-ü-a@reject.test>: 550 5.1.1 <nosuch-ü-a@reject.test>: Recipient address rejected: User unknown',
    });
    // an escaped backslash is one backslash, not the start of an escape
    const text = raw.toString('latin1').replace('Recipient address rejected:', 'see \\\\303 and');
    expect(parse(Buffer.from(text, 'latin1')).recipients[0]?.diagnostic).toContain('see \\303 and');
  });

  it('reads a bounce that gives no reason but returns a message that went round a loop as a network error (real Exim 4.96)', () => {
    // Exim logs "Too many "Received" headers - suspected mail loop" but leaves it out of the bounce
    const raw = fixture('mail-loop-no-reason.eml');
    const r = parse(raw);
    expect(r.mta).toBe('exim');
    expect(r.recipients).toEqual([expect.objectContaining({ address: 'loop-2628@loop.test', action: 'failed', reason: 'networkerror', diagnostic: '' })]);
    // the same notice returning a message with a few relays says nothing of a loop
    const text = raw.toString('latin1');
    const first = text.indexOf('Received: ', text.indexOf('message/rfc822'));
    const headerEnd = text.indexOf('\r\n\r\n', first);
    const fewHops = text.slice(0, first) + text.slice(first, headerEnd).split(/\r\n(?=Received: )/).slice(-3).join('\r\n') + text.slice(headerEnd);
    const few = parse(Buffer.from(fewHops, 'latin1'));
    expect(few.recipients).toHaveLength(1);
    expect(few.recipients[0]?.reason).toBe('undefined');
  });

  it('reads the older layout with the host on the reply line, and the inline returned message', () => {
    const r = parse(fixture('old-remote-mailer.eml'));
    expect(r.mta).toBe('exim');
    expect(r.messageId).toBe('club-may-2007@club.example.org');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('p.meier@mailbox.example.de');
    expect(x?.status).toBe('5.2.2');
    expect(x?.command).toBe('RCPT');
    expect(x?.remoteMta).toBe('mx.mailbox.example.de');
    expect(x?.diagnostic).toContain('552 5.2.2 Mailbox full, quota exceeded for p.meier');
  });

  it('reads the error an older Exim writes under the address without indenting it', () => {
    const text = [
      'Return-Path: <>', 'From: Mail Delivery System <Mailer-Daemon@mx.example.net>', 'To: news@lists.example.org',
      'Subject: Mail delivery failed: returning message to sender', '',
      'This message was created automatically by mail delivery software.', '',
      'A message that you sent could not be delivered to one or more of', 'its recipients. The following addresses failed:', '',
      '  <reader@example.de>', '', 'SMTP error from remote server after RCPT command:', 'host mx.example.de[192.0.2.9]:', '550 user unknown', '',
      '--- The header of the original message is following. ---', '', 'From: news@lists.example.org', 'To: reader@example.de', 'Subject: news', '',
    ].join('\n');
    const r = parse(text);
    expect(r.mta).toBe('exim');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({
      address: 'reader@example.de', replyCode: '550', command: 'RCPT', reason: 'userunknown', hard: true,
      diagnostic: 'SMTP error from remote server after RCPT command: host mx.example.de[192.0.2.9]: 550 user unknown',
    });
  });

  it('reads a delay warning as delayed', () => {
    const r = parse(fixture('delay-warning.eml'));
    expect(r.mta).toBe('exim');
    expect(r.kind).toBe('delay');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('ops@datacenter.example.jp');
    expect(x?.action).toBe('delayed');
    expect(x?.status).toBe('4.7.1');
    expect(x?.command).toBe('RCPT');
    expect(x?.diagnostic).toContain('Delay reason: SMTP error from remote mail server after RCPT TO:');
  });

  it('reads Exim\'s own errors: retry timeout, alias expansion, an undisclosed address with a full mailbox', () => {
    const r = parse(fixture('retry-timeout-and-alias.eml'));
    expect(r.mta).toBe('exim');
    expect(r.messageId).toBe('release-2.4@lists.example.org');
    // the sender shown after "A message sent by" is not a recipient
    expect(r.recipients.map((x) => x.address)).toEqual(['k.tanaka@corp.example.co.jp', 'maintainer@lists.example.org']);
    const [tanaka, maint] = r.recipients;
    expect(tanaka?.alias).toBe('announce-jp@lists.example.org');
    expect(tanaka?.reason).toBe('expired');
    expect(tanaka?.status).toBe('4.2.0');
    expect(maint?.reason).toBe('mailboxfull');
    expect(maint?.diagnostic).toBe('mailbox is full (MTA-imposed quota exceeded while writing to file /var/mail/maint)');
  });

  it('names the address a failed pipe was generated by, with the program\'s output', () => {
    const r = parse(fixture('pipe-failure.eml'));
    expect(r.mta).toBe('exim');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('support@helpdesk.example.com');
    expect(x?.reason).toBe('mailererror');
    expect(x?.diagnostic).toContain('pipe to |/home/tickets/bin/import.php');
    expect(x?.diagnostic).toContain('Call to undefined function imap_open()');
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(exim, fixture('dsn-two-recipients.eml'));
    checkJunk(exim, fixture('retry-timeout-and-alias.eml'));
  });
});
