// Status and reply code extraction and choice.
import { describe, expect, it } from 'vitest';
import { findReplyCode, findStatusCode } from '../../src/classify/index.js';
import { isReplyCode } from '../../src/classify/reply-code.js';
import {
  isPreciseStatus, isValidStatus, preferStatus, pseudoStatus, reasonOfStatus,
} from '../../src/classify/status-code.js';

describe('findStatusCode', () => {
  it.each([
    ['550 5.1.1 <kijitora@example.jp>... User Unknown', '5.1.1'],
    ['smtp; 550-5.7.1 [192.0.2.1] Our system has detected', '5.7.1'],
    ['451 4.7.650 The mail server has been rate limited', '4.7.650'],
    ['Remote Server returned \'550 5.1.351 Remote server returned unknown recipient\'', '5.1.351'],
    ['(#5.1.1)', '5.1.1'],
    ['[#4.1.9]', '4.1.9'],
    ['554 5.0.0 Service unavailable; 550 5.2.2 Mailbox full', '5.2.2'],
    ['554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>', '4.4.2'],
    ['554 5.0.0 Service unavailable', '5.0.0'],
    ['Delivery time expired 4.4.7', '4.4.7'],
    ['250 2.1.5 Ok', '2.1.5'],
    // overlapping candidates: the first is part of a dotted run, the next one stands alone
    ['code 5.5.5.1 then 5.1.1', '5.1.1'],
    ['x5.1.1', '5.1.1'],
  ])('%s -> %s', (text, want) => {
    expect(findStatusCode(text)).toBe(want);
  });

  it.each([
    ['connected to 192.0.2.5.1.1 then nothing'],
    ['host 5.4.3.2 said: 550 Rejected'],
    ['Postfix v2.5.1 here'],
    ['see /a/5.1.1/b'],
    ['version 12.5.1.1'],
    ['5.9.1 is not a status'],
    ['4.2.1234 too long'],
    ['no code here at all'],
  ])('finds nothing in %s', (text) => {
    expect(findStatusCode(text)).toBeUndefined();
  });
});

describe('findReplyCode', () => {
  it.each([
    ['550 5.1.1 User unknown', undefined, '550'],
    ['host said: 421 4.7.0 Try again later', undefined, '421'],
    ['550-5.7.1 multi-line', undefined, '550'],
    ['450 busy - please try later 551 not our customer 503 need RCPT command', '5', '551'],
    ['ERROR_CODE :550, ERROR_CODE :5.2.2 Mailbox Full', undefined, '550'],
    ['550', undefined, '550'],
    ['x-unix; later: 550 after the first 400 characters'.padStart(460, ' '), undefined, '550'],
    // digits inside an address or host name are not a reply, even when they spell a known code
    ['SMTP error after RCPT TO:<gone-12111mx1s551h@example.net>: 550-5.1.1 The email account', undefined, '550'],
    ['RCPT TO:<a-551-b@example.net>: 550 5.1.1 x', undefined, '550'],
    ['RCPT TO:<551abc@example.net> mx552.example.net said: 550 5.1.1 x', undefined, '550'],
    ['ERROR #550#5.1.0 Address rejected', undefined, '550'],
    ['smtp;550 5.1.1 x', undefined, '550'],
  ])('%s (class %s) -> %s', (text, klass, want) => {
    expect(findReplyCode(text, klass)).toBe(want);
  });

  it.each([
    ['5.5.0 Requested action not taken'],
    ['Deferred: 999 things'],
    ['connect to 192.0.2.250 failed'],
    ['X-Unix; 550'],
    ['smtp; x-UNIX; 550 mixed case marker'],
    ['session 12550 expired'],
    ['<user551@example.net> relayed via mx-552.example.net and host_554, ref 550abc'],
  ])('finds nothing in %s', (text) => {
    expect(findReplyCode(text)).toBeUndefined();
  });

  it('knows which numbers are replies', () => {
    expect(isReplyCode('550')).toBe(true);
    expect(isReplyCode('525')).toBe(true);
    expect(isReplyCode('560')).toBe(false);
    expect(isReplyCode('399')).toBe(false);
  });
});

describe('status validity and meaning', () => {
  it('validates the shape', () => {
    expect(isValidStatus('5.1.1')).toBe(true);
    expect(isValidStatus('4.7.650')).toBe(true);
    expect(isValidStatus('3.1.1')).toBe(false);
    expect(isValidStatus('5.8.1')).toBe(false);
    expect(isValidStatus('5.1')).toBe(false);
    expect(isValidStatus('5.1.1234')).toBe(false);
  });
  it('tells precise codes from vague ones', () => {
    expect(isPreciseStatus('5.1.1')).toBe(true);
    expect(isPreciseStatus('5.0.0')).toBe(false);
    expect(isPreciseStatus('5.1.0')).toBe(false);
  });
  it.each([
    ['5.1.1', 'userunknown'], ['5.1.2', 'hostunknown'], ['5.2.2', 'mailboxfull'], ['4.2.2', 'mailboxfull'],
    ['5.7.26', 'authfailure'], ['5.3.4', 'mesgtoobig'], ['5.1.6', 'hasmoved'], ['4.4.7', 'expired'],
    ['5.0.911', 'userunknown'], ['4.0.947', 'expired'], ['5.0.910', 'filtered'],
  ] as const)('%s means %s', (code, reason) => {
    expect(reasonOfStatus(code)).toBe(reason);
  });
  it('has no reason for vague codes', () => {
    expect(reasonOfStatus('5.0.0')).toBeUndefined();
    expect(reasonOfStatus('4.7.0')).toBeUndefined();
    expect(reasonOfStatus('')).toBeUndefined();
  });
  it('writes pseudo codes per reason, transient where the reason can be', () => {
    expect(pseudoStatus('userunknown', false)).toBe('5.0.911');
    expect(pseudoStatus('userunknown', true)).toBe('5.0.911');
    expect(pseudoStatus('mailboxfull', true)).toBe('4.0.922');
    expect(pseudoStatus('expired', false)).toBe('5.0.947');
    expect(pseudoStatus('delivered', false)).toBe('');
  });
});

describe('preferStatus', () => {
  it.each([
    ['', '5.1.1', '550', '5.1.1'],
    ['5.1.1', '', '550', '5.1.1'],
    ['5.0.0', '5.1.1', '550', '5.1.1'],   // Exim writes 5.0.0, the text knows better
    ['5.1.0', '5.1.1', '550', '5.1.1'],
    ['5.0.911', '5.2.2', '', '5.2.2'],
    ['4.0.0', '5.1.1', '451', '4.0.0'],   // class disagrees; the reply sides with the field
    ['5.0.0', '4.2.2', '452', '4.2.2'],   // ... or with the text
    ['5.7.1', '5.1.0', '550', '5.7.1'],   // a vaguer code in the text never wins
    ['4.4.7', '4.4.2', '', '4.4.2'],
    ['5.1.1', '5.2.1', '550', '5.2.1'],
    ['5.1.1', '5.5.1', '550', '5.1.1'],
    ['5.2.2', '5.1.1', '550', '5.2.2'],
  ])('field %s, text %s, reply %s -> %s', (field, text, reply, want) => {
    expect(preferStatus(field, text, reply)).toBe(want);
  });
});
