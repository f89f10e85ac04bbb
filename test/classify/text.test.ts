// Text preparation: cleaning, re-joining flattened multi-line replies, ordered phrase checks.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { cleanDiagnostic, examinedText, inOrder, joinReplyLines, MAX_EXAMINED } from '../../src/classify/text.js';

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

describe('joinReplyLines', () => {
  it('re-joins a flattened multi-line reply', () => {
    const text = 'said: 550-5.2.1 The user you are trying to contact is receiving mail at a rate that 550-5.2.1 prevents additional messages from being delivered. 550 5.2.1 https://support.google.com/mail';
    expect(joinReplyLines(text, '550', '5.2.1')).toBe(
      '550 5.2.1 said: The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. https://support.google.com/mail',
    );
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
