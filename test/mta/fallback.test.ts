// The plain-text fallback: failure notices in no known format are read; personal mail, newsletters,
// phishing lookalikes and success reports are not. The decoder is called directly (so another decoder
// claiming a fixture first cannot hide a fallback bug) and through parse() for the non-bounces.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { fallback } from '../../src/parse/fallback.js';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'fallback');
const fixture = (name: string): Buffer => readFileSync(join(dir, name));
const decode = (raw: Buffer | string) => fallback.decode(readEmail(raw));

describe('fallback: failure notices in unknown formats', () => {
  it('reads labelled recipients with their server replies and stops at the original message', () => {
    const d = decode(fixture('unknown-gateway.eml'));
    expect(d?.mta).toBe('fallback');
    expect(d?.recipients.map((r) => r.recipient)).toEqual(['m.rossi@client.example.it', 'desk@client.example.it']);
    expect(d?.recipients[0]?.diagnostic).toBe('550 5.1.1 <m.rossi@client.example.it>: mailbox unavailable');
    expect(d?.recipients[1]?.diagnostic).toBe('552 5.2.2 Mailbox quota exceeded');
    expect(d?.recipients.every((r) => r.action === 'failed')).toBe(true);
    // the help address, the sender, Cc and Reply-To of the original are not recipients
    const all = d?.recipients.map((r) => r.recipient).join(' ') ?? '';
    expect(all).not.toMatch(/help@|orders@|archive@|support@/);
    expect(d?.original).toContain('Message-ID: <order-55812@shop.example>');
    expect(parse(fixture('unknown-gateway.eml')).messageId).toBe('order-55812@shop.example');
  });

  it('reads a German notice', () => {
    const d = decode(fixture('german.eml'));
    expect(d?.recipients.map((r) => r.recipient)).toEqual(['kunde@beispiel.example.at']);
    expect(d?.recipients[0]?.diagnostic).toBe('550 5.1.1 User unknown');
  });

  it('reads a Japanese notice with an encoded subject', () => {
    const d = decode(fixture('japanese.eml'));
    expect(d?.recipients.map((r) => r.recipient)).toEqual(['nakamura@dest.example.jp']);
    expect(d?.recipients[0]?.diagnostic).toContain('550 5.1.1 unknown user');
  });

  it('reads a qmail-like notice and a Sendmail-like transcript it has no decoder for', () => {
    const qmailish = [
      'From: MAILER-DAEMON@relay.example.com', 'To: me@sender.example', 'Subject: failure notice', '',
      'Hi. This is the mail program at relay.example.com.', "I'm afraid I wasn't able to deliver your message to the following addresses.", '',
      '<zoe@far.example>:', '192.0.2.8 does not like recipient.', 'Remote host said: 550 5.1.1 <zoe@far.example>... No such user',
      'Giving up on 192.0.2.8.', '', '--- Below this line is a copy of the message.', '',
      'Return-Path: <me@sender.example>', 'From: me@sender.example', 'To: zoe@far.example, other@far.example', 'Subject: hi', '',
    ].join('\n');
    const q = decode(qmailish);
    expect(q?.recipients.map((r) => r.recipient)).toEqual(['zoe@far.example']);
    expect(q?.recipients[0]?.diagnostic).toMatch(/^550 5\.1\.1 <zoe@far\.example>\.\.\. No such user/);

    const transcript = [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@old.example.edu>', 'To: prof@old.example.edu', 'Subject: Returned mail: Host unknown', '',
      '   ----- Transcript of session follows -----',
      '550 <a@gone.example.org>... 550 Host unknown (Authoritative answer from name server)',
      '554 <b@gone.example.net>... Remote protocol error: Connection reset by peer',
      '250 ok.example.net (smtp)... 250 Deferred', '', '   ----- Unsent message follows -----',
      'From: prof@old.example.edu', 'To: a@gone.example.org, b@gone.example.net', 'Subject: grades', '',
    ].join('\n');
    const t = decode(transcript);
    expect(t?.recipients.map((r) => r.recipient)).toEqual(['a@gone.example.org', 'b@gone.example.net']);
    expect(t?.recipients[0]?.diagnostic).toContain('Host unknown');
  });

  it('reads notices that mark themselves Precedence: bulk, come from a "System Administrator", or write "Recipient: [SMTP:…]"', () => {
    const bulk = [
      'From: "Delivery Subsystem" <POSTMASTER@mail.example.com>', 'To: me@sender.example', 'Subject: Message Delivery Failure',
      'Precedence: bulk', '',
      'Message could not be delivered to some recipients.', 'The following recipient(s) could not be reached:', '',
      '\tRecipient: [SMTP:kim@dest.example]',
      '\tReason: Remote SMTP Server Returned: 550 Requested action not taken: mailbox unavailable or not local.', '',
    ].join('\n');
    const b = decode(bulk);
    expect(b?.recipients.map((r) => r.recipient)).toEqual(['kim@dest.example']);
    expect(parse(bulk).recipients[0]).toMatchObject({ address: 'kim@dest.example', replyCode: '550', action: 'failed' });

    const admin = [
      'From: <"System Administrator"@mail.example.com>', 'To: me@sender.example', 'Subject: Delivery Failure', '',
      'Could not deliver message to the following recipient(s):', '', 'Failed Recipient: lee@dest.example',
      'Reason: Remote host said: 550 unknown user <lee@dest.example>', '',
    ].join('\n');
    expect(parse(admin).recipients[0]).toMatchObject({ address: 'lee@dest.example', replyCode: '550', diagnostic: '550 unknown user <lee@dest.example>' });
  });

  it('reads an MDaemon notice (its own From, X-Autogenerated, the address quoted with ">" and a session transcript), never as an auto-reply', () => {
    const mdaemon = [
      'Return-Path: <>', 'From: MDaemon@mail.example.com', 'To: me@sender.example', 'Subject: Permanent Delivery Failure',
      'X-Autogenerated: Mirror', 'Precedence: bulk', '',
      'The attached message had PERMANENT fatal delivery errors!', '', 'YOUR MESSAGE WAS NOT DELIVERED!', '',
      'The following addresses did NOT receive a copy of your message:', '', '>    pat@dest.example', '',
      '--- Session Transcript ---', ' Attempting SMTP connection to [192.0.2.25 : 25]', ' Waiting for socket connection...',
      ' Socket connection established', ' Waiting for protocol initiation...', ' 220 dest.example ESMTP ready', ' EHLO mail.example.com',
      ' 250-dest.example Hello mail.example.com', ' 250-VRFY', ' 250-8BITMIME', ' 250 SIZE 40000000', ' MAIL From:<me@sender.example> SIZE=1861',
      ' 250 <me@sender.example>, Sender ok', ' RCPT To:<pat@dest.example>', ' 552 Message for <pat@dest.example> would exceed mailbox quota', ' QUIT',
      '--- End Transcript ---', '',
    ].join('\n');
    const r = parse(mdaemon);
    expect(r.kind).toBe('bounce');
    expect(r.recipients.map((x) => x.address)).toEqual(['pat@dest.example']);
    // the reply to its RCPT TO in the transcript, however long the transcript before it
    expect(r.recipients[0]).toMatchObject({
      replyCode: '552', reason: 'mailboxfull', command: 'RCPT', diagnostic: '552 Message for <pat@dest.example> would exceed mailbox quota',
    });
  });

  it('names the address an alias expanded from (Sendmail: "(expanded from: …)")', () => {
    const text = [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.nl>', 'To: news@lists.example.org', 'Return-Path: <>',
      'Subject: Returned mail: Too many hops 26 (25 max)', '',
      '   ----- The following addresses had permanent fatal errors -----', 'reader@mailbox.example.nl', '    (expanded from: reader@example.nl)', '',
      '   ----- Transcript of session follows -----', '554 Too many hops 26 (25 max): from news@lists.example.org via localhost, to reader@example.nl', '',
    ].join('\n');
    const r = parse(text);
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({ address: 'reader@mailbox.example.nl', alias: 'reader@example.nl', replyCode: '554', reason: 'networkerror' });
  });

  it('reads recipients listed under "The following recipients did not receive your message:" (Netscape Messaging Server)', () => {
    const text = [
      'Return-Path: <>', 'From: Mail Administrator <Postmaster@mail.example.com>', 'To: news@lists.example.org',
      'Subject: Mail System Error - Returned Mail', '',
      'This Message was undeliverable due to the following reason:', '',
      'Your message was not delivered within 2 days.', 'Host example.com is not responding.', '',
      'The following recipients did not receive your message:', '', '     <ann@example.com>',
      'The following recipients did not receive your message:', '', '     <bob@example.com>', '',
      'Please reply to Postmaster@mail.example.com', 'if you feel this message to be in error.', '',
    ].join('\n');
    expect(decode(text)?.recipients.map((r) => r.recipient)).toEqual(['ann@example.com', 'bob@example.com']);
  });

  it('reads "mail failed, returning to sender" with its failed addresses, and stops at the framed "Message text follows"', () => {
    const text = [
      'Return-Path: <>', 'From: <MAILER-DAEMON@mail.example.net>', 'To: news@lists.example.org', 'Subject: mail failed, returning to sender', '',
      '|------------------------- Message log follows: -------------------------|', ' no valid recipients were found for this message',
      '|------------------------- Failed addresses follow: ---------------------|', ' kim@nowhere.example.com ... unknown host',
      '|------------------------- Message text follows: ------------------------|', 'From: news@lists.example.org', 'To: kim@nowhere.example.com', 'Subject: news', '', 'hello',
    ].join('\n');
    const r = parse(text);
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({ address: 'kim@nowhere.example.com', diagnostic: 'unknown host', reason: 'hostunknown' });
  });

  it('does not take an address a notice gives as an example in its running text', () => {
    const text = [
      'Return-Path: <>', 'From: MAILER-DAEMON@mail.example.edu', 'To: news@lists.example.org', 'Subject: Returned mail - nameserver error report', '',
      ' --------Message not delivered to the following:', '', ' kim    No matches to nameserver query', '',
      ' --------Error Detail (phquery V4.1):', '',
      ' If no lookup tools are available to you, try sending to the most explicit form of the name, e.g., if',
      ' jo.smith@example.edu fails, try joanna.q.smith@example.edu.', '',
    ].join('\n');
    expect(parse(text).recipients).toHaveLength(0);
  });

  it('marks delay notices as delayed', () => {
    const text = [
      'From: MAILER-DAEMON@mta.example.net', 'To: me@sender.example', 'Subject: Delivery delayed: report', '',
      'This is a warning message only; delivery attempts will continue.', '',
      'The following recipient has not yet received your message:', '', '<sam@busy.example>', '451 4.7.1 Try again later', '',
    ].join('\n');
    const d = decode(text);
    expect(d?.recipients.map((r) => r.recipient)).toEqual(['sam@busy.example']);
    expect(d?.recipients[0]?.action).toBe('delayed');
  });
});

describe('fallback: everything else stays out', () => {
  it('ignores personal mail about bounces', () => {
    expect(decode(fixture('personal.eml'))).toBeNull();
    expect(parse(fixture('personal.eml')).recipients).toHaveLength(0);
  });

  it('ignores a newsletter from a "postmaster", with or without list headers', () => {
    expect(decode(fixture('newsletter.eml'))).toBeNull();
    expect(parse(fixture('newsletter.eml')).recipients).toHaveLength(0);
    const bare = fixture('newsletter.eml').toString('latin1').replace(/^(?:Return-Path|List-Unsubscribe):.*\n/gm, '');
    expect(decode(bare)).toBeNull();
  });

  it('ignores a phishing "undelivered messages" lure aimed at the mailbox owner', () => {
    expect(decode(fixture('phishing.eml'))).toBeNull();
    expect(parse(fixture('phishing.eml')).recipients).toHaveLength(0);
  });

  it('ignores success reports and replies', () => {
    expect(decode(fixture('success-report.eml'))).toBeNull();
    const reply = 'From: postmaster@corp.example\nTo: a@b.example\nSubject: Re: Undeliverable mail to joe@corp.example\n\n'
      + 'joe@corp.example\nThat mailbox is unavailable, sorry.\n';
    expect(decode(reply)).toBeNull();
  });

  it('never throws on junk', () => {
    for (const junk of ['', '\n\n', 'From: MAILER-DAEMON\nSubject: failure notice\n\n@@@ <> <@> a@ @b\n', '\u0000'.repeat(100)]) {
      expect(() => decode(junk)).not.toThrow();
    }
    const whole = fixture('unknown-gateway.eml');
    for (const n of [100, 600, 900, 1200]) expect(() => decode(whole.subarray(0, n))).not.toThrow();
  });
});

describe('a notice no decoder can read, returned to a VERP address', () => {
  // a Sendmail notice cut off after its headers, as some relays pass them on
  const truncated = (to: string, from = 'Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>', subject = 'Returned mail: see transcript for details') =>
    `Return-Path: <>\nFrom: ${from}\nTo: <${to}>\nSubject: ${subject}\nAuto-Submitted: auto-generated (failure)\n`
    + 'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n\tboundary="cut.1/relay.example.net"\n\n'
    + '<<< No Message Collected >>>\n';

  it('names the VERP recipient as failed, for a reason it does not know', () => {
    const r = parse(truncated('bounces+joe=example.com@bounce.example.org'));
    expect(r.kind).toBe('bounce');
    expect(r.verp).toMatchObject({ recipient: 'joe@example.com' });
    expect(r.recipients).toEqual([expect.objectContaining({ address: 'joe@example.com', action: 'failed', reason: 'undefined', hard: false, fault: 'transient' })]);
    const delayed = parse(truncated('bounces+joe=example.com@bounce.example.org', undefined, 'Warning: could not send message for past 4 hours'));
    expect(delayed.kind).toBe('delay');
    expect(delayed.recipients[0]).toMatchObject({ address: 'joe@example.com', action: 'delayed' });
  });

  it('stays out without a VERP address, or when the message is not plainly a notice', () => {
    expect(parse(truncated('news@example.org')).kind).toBe('not-bounce');
    const personal = parse(truncated('bounces+joe=example.com@bounce.example.org', 'Joe <joe@example.com>', 'Re: your newsletter')
      .replace('Auto-Submitted: auto-generated (failure)\n', ''));
    expect(personal.kind).toBe('not-bounce');
    expect(personal.recipients).toHaveLength(0);
  });
});
