// Automatic responses: vacation notices and challenge-response notices are kind "auto-reply", never bounces,
// whatever they look like; newsletters and people's replies stay out. The messages are written here, in the
// forms these programs and services use.
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const msg = (headers: string[], body: string): string => `${headers.join('\n')}\n\n${body}`;

describe('auto-replies', () => {
  it('reads a "thank you for your e-mail" responder with a null return path', () => {
    const r = parse(msg([
      'Return-Path: <>', 'From: Anna Berg <anna@firma.example.se>', 'To: <bounces+anna=firma.example.se@bounce.example.org>',
      'Subject: Thank you for your e-mail', 'Precedence: bulk', 'Date: Thu, 15 Jul 2010 14:33:27 +0200',
    ], 'Thank you for your e-mail.\nI will reply as soon as I can.\n'));
    expect(r.kind).toBe('auto-reply');
    expect(r.recipients).toEqual([expect.objectContaining({ address: 'anna@firma.example.se', reason: 'vacation', hard: null, fault: 'none' })]);
  });

  it('reads a vacation notice in Polish marked only by Precedence: junk', () => {
    const r = parse(msg([
      'Return-Path: <jan@poczta.example.pl>', 'From: Jan Kowalski <jan@poczta.example.pl>', 'To: news@example.org',
      'Subject: [Automatyczna =?iso-8859-2?Q?odpowied=BC?=] Newsletter', 'Precedence: junk',
      'Content-Type: text/plain; charset=iso-8859-2',
    ], 'Jestem na urlopie do 30 sierpnia.\n'));
    expect(r.kind).toBe('auto-reply');
    expect(r.recipients[0]?.address).toBe('jan@poczta.example.pl');
  });

  it('reads an out-of-office notice that sets no header, by its subject and its words (Lotus Notes)', () => {
    const r = parse(msg([
      'Return-Path: <prvs=46201db6f9=Mia.Lang@corp.example>', 'From: Mia.Lang@corp.example', 'To: news@example.org',
      'Subject: AUTO: Lang, Mia is out of the office (returning 05/01/2026)', 'Content-Type: text/plain; charset=US-ASCII',
    ], 'I am out of the office until 05/01/2026.\n\nNote: This is an automated response to your message "Our news" sent on 04/01/2026.\n'));
    expect(r.kind).toBe('auto-reply');
    expect(r.recipients[0]?.address).toBe('Mia.Lang@corp.example');
    // the same subject on a message without those words is not enough
    const bare = parse(msg(['From: Mia.Lang@corp.example', 'To: news@example.org', 'Subject: AUTO: quarterly figures'], 'See attached.\n'));
    expect(bare.kind).toBe('not-bounce');
  });

  it('reads a challenge-response reply, naming the protected mailbox', () => {
    const r = parse(msg([
      'Return-Path: <support@cr-service.example>', 'From: kim@cr-service.example', 'To: <bounces+kim=cr-service.example@bounce.example.org>',
      'Subject: RE: Our November newsletter', 'X-Bluebottle-Request: <8f2a>', 'X-Bluebottle-Address: <kim@cr-service.example>',
    ], 'Your message was received.\n\nThis account is protected by Bluebottle. Please click on the following link to have your\n'
      + "address added to the recipient's allowed list and to ensure delivery of your email.\n"));
    expect(r.kind).toBe('auto-reply');
    expect(r.recipients).toEqual([expect.objectContaining({ address: 'kim@cr-service.example', reason: 'vacation' })]);
  });

  it('reads a challenge dressed as a delivery report with Action: failed as an auto-reply, not a bounce', () => {
    const r = parse(msg([
      'From: noreply@screening.example', 'Reply-To: lee@mail.example.com', 'To: news@example.org', 'Subject: Re: Our November newsletter',
      'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    ], '--b1\nContent-Type: text/plain\n\nYour message has been waitlisted. Please add yourself to my Boxbe Guest List so your\n'
      + 'messages will go to my Inbox.\n\n--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; screening.example\n\n'
      + 'Final-Recipient: rfc822; lee@mail.example.com\nAction: failed\nStatus: 4.7.0\n'
      + 'Diagnostic-Code: X-Screening-Notice; Sender not pre-approved\n\n--b1--\n'));
    expect(r.kind).toBe('auto-reply');
    expect(r.recipients).toEqual([expect.objectContaining({ address: 'lee@mail.example.com', hard: null })]);
  });

  it('leaves newsletters and replies by people alone', () => {
    const newsletter = parse(msg([
      'From: Shop <news@shop.example>', 'To: anna@firma.example.se', 'Subject: Thank you for your message - here is 10% off',
      'Precedence: bulk', 'List-Unsubscribe: <mailto:unsub@shop.example>',
    ], 'Deals!\n'));
    expect(newsletter.kind).toBe('not-bounce');
    const reply = parse(msg(['From: Joe <joe@example.com>', 'To: news@example.org', 'Subject: Re: your newsletter'], 'Please stop.\n'));
    expect(reply.kind).toBe('not-bounce');
  });

  it('still reads a bounce whose returned message speaks of a challenge as a bounce', () => {
    const r = parse(msg([
      'Return-Path: <>', 'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)', 'To: news@example.org',
      'Subject: Undelivered Mail Returned to Sender', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b2"',
    ], '--b2\nContent-Type: text/plain\n\nI\'m sorry to have to inform you that your message could not be delivered.\n\n'
      + '--b2\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; gone@example.net\n'
      + 'Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n'
      + '--b2\nContent-Type: message/rfc822\n\nFrom: news@example.org\nSubject: Sign up\n\nClick to verify that you are a human.\n--b2--\n'));
    expect(r.kind).toBe('bounce');
    expect(r.recipients[0]).toMatchObject({ address: 'gone@example.net', reason: 'userunknown' });
  });
});
