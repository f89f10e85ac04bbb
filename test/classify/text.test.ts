// Text preparation: cleaning, re-joining flattened multi-line replies, ordered phrase checks.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import {
  cleanDiagnostic, collapseWhitespace, examinedText, inOrder, joinReplyLines, MAX_EXAMINED,
} from '../../src/classify/text.js';

describe('cleanDiagnostic', () => {
  it.each([
    ['smtp; 550 5.1.1 User unknown', '550 5.1.1 User unknown'],
    ['SMTP;550 5.1.1 User unknown', '550 5.1.1 User unknown'],
    ['X-Postfix; mail for example.jp loops back to myself', 'mail for example.jp loops back to myself'],
    ['  550\r\n  5.2.2\tMailbox   full \n', '550 5.2.2 Mailbox full'],
    ['already clean', 'already clean'],
    ['', ''],
  ])('%j -> %j', (raw, want) => {
    expect(cleanDiagnostic(raw)).toBe(want);
  });
  it('bounds what is examined', () => {
    expect(examinedText('A'.repeat(MAX_EXAMINED * 2))).toHaveLength(MAX_EXAMINED);
    expect(examinedText('User UNKNOWN')).toBe('user unknown');
  });
});

describe('collapseWhitespace', () => {
  it.each([
    [' a  b ', 'a b'],
    ['a\tb\r\nc', 'a b c'],
    ['a\u00a0b\u2028c\u3000d\ufeff', 'a b c d'],
    ['\u2003lead and trail\u2009', 'lead and trail'],
    ['a \u00a0b', 'a b'],
    ['   ', ''],
  ])('%j -> %j', (text, want) => {
    expect(collapseWhitespace(text)).toBe(want);
  });
  it('agrees with replace(/\\s+/g) and trim() on every kind of whitespace', () => {
    const pieces = ['a', 'b', ' ', '  ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u180e'];
    let seed = 11;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      expect(collapseWhitespace(text)).toBe(text.replace(/\s+/g, ' ').trim());
    }
  });
  it('returns a clean text itself', () => {
    const clean = 'already clean text';
    expect(collapseWhitespace(clean)).toBe(clean);
  });
});

describe('joinReplyLines', () => {
  it('re-joins a flattened multi-line reply', () => {
    const text = 'said: 550-5.2.1 The user you are trying to contact is receiving mail at a rate that 550-5.2.1 prevents additional messages from being delivered. 550 5.2.1 https://support.google.com/mail';
    expect(joinReplyLines(text, '550', '5.2.1')).toBe(
      'said: 550 5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. https://support.google.com/mail',
    );
    // Exim's wording: the host and the command come first, the reply's lines after them
    expect(joinReplyLines('host mx.example.net [192.0.2.1] SMTP error from remote mail server after RCPT TO:<a@example.net>: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the address. 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser', '550', '5.1.1')).toBe(
      'host mx.example.net [192.0.2.1] SMTP error from remote mail server after RCPT TO:<a@example.net>: 550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the address. https://support.google.com/mail/?p=NoSuchUser',
    );
    // a reply without enhanced codes
    expect(joinReplyLines('host h: 550-192.0.2.222 blocked by ldap 550 Error - Blocked for abuse', '550', '')).toBe('host h: 550 192.0.2.222 blocked by ldap Error - Blocked for abuse');
  });
  it('leaves single-line replies and other numbers alone', () => {
    expect(joinReplyLines('550 5.1.1 User unknown 550 5.1.1 User unknown', '550', '5.1.1')).toBe('550 5.1.1 User unknown 550 5.1.1 User unknown');
    expect(joinReplyLines('id 12550-5.1.1 x', '550', '5.1.1')).toBe('id 12550-5.1.1 x');
  });
  it('lets phrases split across lines match', () => {
    const r = classify({
      recipient: 'a@example.jp', status: '5.2.1', command: 'RCPT', remoteMta: 'mx.example.jp',
      diagnostic: '550-5.2.1 The user you are trying to contact is receiving mail at a rate that\n550-5.2.1 prevents additional messages from being delivered.\n550 5.2.1 Please resend later',
    }, { mta: 'postfix' });
    expect(r.reason).toBe('speeding');
  });
});

describe('inOrder', () => {
  it('requires the pieces in sequence without overlap', () => {
    expect(inOrder('mailbox is full', ['mailbox ', 'full'])).toBe(true);
    expect(inOrder('full mailbox ', ['mailbox ', 'full'])).toBe(false);
    expect(inOrder('aab', ['aa', 'ab'])).toBe(false);
  });
});
