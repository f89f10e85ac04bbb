// The classify() result as a whole: codes, action, hard/soft, fault, diagnostic, pass-through
// fields, and behaviour on hostile input.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import type { RawStatus } from '../../src/parse/types.js';

const ctx = { mta: 'postfix' };

describe('codes', () => {
  it('takes a precise status from the text when the field is generic (Exim writes 5.0.0)', () => {
    const r = classify({ recipient: 'a@example.jp', status: '5.0.0', diagnostic: 'SMTP error from remote mail server after RCPT TO:<a@example.jp>: 550 5.1.1 <a@example.jp>: Recipient address rejected: User unknown' }, ctx);
    expect(r.status).toBe('5.1.1');
    expect(r.replyCode).toBe('550');
    expect(r.reason).toBe('userunknown');
  });

  it('does not let quoted 5xx text override a 4.x.x field when the reply is 4xx', () => {
    const r = classify({ recipient: 'a@example.jp', status: '4.0.0', replyCode: '451', diagnostic: '451 temporary failure; earlier: 550 5.1.1 unknown' }, ctx);
    expect(r.status).toBe('4.0.0');
  });

  it('writes a pseudo status when there is none, permanent or transient', () => {
    const hard = classify({ recipient: 'a@example.jp', diagnostic: 'Sorry, no mailbox here by that name.', command: 'RCPT' }, ctx);
    expect(hard.reason).toBe('userunknown');
    expect(hard.status).toBe('5.0.911');
    const soft = classify({ recipient: 'a@example.jp', diagnostic: '452 Mailbox full, try again later' }, ctx);
    expect(soft.reason).toBe('mailboxfull');
    expect(soft.status).toBe('4.0.922');
    expect(soft.replyCode).toBe('452');
  });

  it('drops a reply code whose class contradicts the status', () => {
    const r = classify({ recipient: 'a@example.jp', status: '5.2.2', replyCode: '452', diagnostic: 'Mailbox full' }, ctx);
    expect(r.replyCode).toBe('');
  });

  it('prefers a reply code of the status class in multi-reply transcripts', () => {
    const r = classify({ recipient: 'a@example.jp', status: '5.1.6', diagnostic: '450 busy - please try later 551 not our customer 503 need RCPT command' }, ctx);
    expect(r.replyCode).toBe('551');
    expect(r.reason).toBe('hasmoved');
    expect(r.hard).toBe(true);
  });

  it('ignores invalid codes from decoders', () => {
    const r = classify({ recipient: 'a@example.jp', status: 'failed', replyCode: 'x50', diagnostic: 'User unknown', command: 'RCPT' }, ctx);
    expect(r.status).toBe('5.0.911');
    expect(r.replyCode).toBe('');
  });
});

describe('action', () => {
  it.each<[Partial<RawStatus>, string]>([
    [{ status: '5.1.1', diagnostic: 'User unknown' }, 'failed'],
    [{ status: '4.2.2', diagnostic: 'Mailbox full' }, 'failed'],
    // the MTA gave up: the message failed, whatever the reference parser calls it
    [{ status: '4.4.7', diagnostic: 'Delivery time expired' }, 'failed'],
    [{ status: '4.4.7', diagnostic: 'Delivery time expired', action: 'delayed' }, 'delayed'],
    [{ status: '2.1.5', diagnostic: '250 OK', action: 'relayed' }, 'relayed'],
    [{ status: '2.0.0', diagnostic: '250 OK' }, 'delivered'],
    [{ action: 'delayed', diagnostic: 'Connection refused' }, 'delayed'],
    [{ action: 'failed', status: '5.7.1', diagnostic: 'Relay access denied', command: 'RCPT' }, 'failed'],
  ])('%o -> %s', (fields, want) => {
    expect(classify({ recipient: 'a@example.jp', ...fields }, ctx).action).toBe(want);
  });
});

describe('hard and fault on whole results', () => {
  it.each<[Partial<RawStatus>, boolean | null, string]>([
    [{ status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }, true, 'recipient'],
    [{ status: '5.2.2', diagnostic: '552 5.2.2 Mailbox full' }, false, 'transient'],
    [{ status: '5.7.1', diagnostic: '554 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org' }, false, 'sender'],
    [{ status: '5.1.10', diagnostic: '550 5.1.10 Recipient address has null MX' }, true, 'recipient'],
    [{ status: '4.3.2', diagnostic: '421 4.3.2 System not accepting network messages' }, false, 'transient'],
    [{ status: '2.1.5', diagnostic: '250 2.1.5 Ok' }, null, 'none'],
  ])('%o -> hard %s, fault %s', (fields, hard, fault) => {
    const r = classify({ recipient: 'a@example.jp', ...fields }, ctx);
    expect(r.hard).toBe(hard);
    expect(r.fault).toBe(fault);
  });

  it('complaints are not bounces', () => {
    const r = classify({ recipient: 'a@example.jp', diagnostic: 'abuse report', feedbackType: 'abuse' }, { mta: 'arf', kind: 'complaint' });
    expect(r).toMatchObject({ reason: 'feedback', hard: null, fault: 'none', replyCode: '', feedbackType: 'abuse' });
  });
});

describe('diagnostic and pass-through fields', () => {
  it('drops the type prefix and collapses whitespace', () => {
    const r = classify({ recipient: 'a@example.jp', diagnostic: 'smtp; 550 5.1.1 <a@example.jp>:\n    Recipient address\trejected   ', remoteMta: 'mx.example.jp', command: 'RCPT', alias: 'b@example.jp' }, ctx);
    expect(r.diagnostic).toBe('550 5.1.1 <a@example.jp>: Recipient address rejected');
    expect(r.remoteMta).toBe('mx.example.jp');
    expect(r.command).toBe('RCPT');
    expect(r.alias).toBe('b@example.jp');
    expect(r.address).toBe('a@example.jp');
  });
  it('re-joins a flattened multi-line reply even when the quoted address holds digits that spell a reply code', () => {
    const address = 'gone-12111mx1s551h@example.net';
    const r = classify({
      recipient: address, status: '5.0.0',
      diagnostic: `host mx [192.0.2.1] SMTP error from remote mail server after RCPT TO:<${address}>: 550-5.1.1 The email account that you tried to reach does not exist. Please try\n 550-5.1.1 double-checking the address.\n 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser x - gsmtp`,
    }, { mta: 'exim' });
    expect(r).toMatchObject({ replyCode: '550', status: '5.1.1', reason: 'userunknown' });
    expect(r.diagnostic).toBe(`host mx [192.0.2.1] SMTP error from remote mail server after RCPT TO:<${address}>: 550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the address. https://support.google.com/mail/?p=NoSuchUser x - gsmtp`);
  });
  it('uses "" for missing fields', () => {
    const r = classify({ recipient: 'a@example.jp' }, ctx);
    expect(r).toMatchObject({ diagnostic: '', remoteMta: '', command: '', status: '5.0.900', reason: 'undefined' });
  });
  it('reads the SMTP command from the text when the decoder gave none', () => {
    const r = classify({ recipient: 'a@example.jp', status: '5.0.0', diagnostic: 'host mx.example.jp said: 550 Unknown user a@example.jp (in reply to end of DATA command)' }, ctx);
    expect(r.reason).toBe('filtered');
    const rcpt = classify({ recipient: 'a@example.jp', status: '5.0.0', diagnostic: 'host mx.example.jp said: 550 Unknown user a@example.jp (in reply to RCPT TO command)' }, ctx);
    expect(rcpt.reason).toBe('userunknown');
  });
});

describe('remote MTA', () => {
  it('recognises a provider behind a "dns;" typed Remote-MTA with an address literal', () => {
    const r = classify({
      recipient: 'a@example.com', status: '5.0.0', replyCode: '554', command: 'DATA',
      remoteMta: 'dns; us-smtp-inbound-1.mimecast.com [207.211.30.221]',
      diagnostic: '554 email rejected due to security policies - MCSpamSignature.sa.2.2',
    }, ctx);
    expect(r.reason).toBe('virusdetected');
    expect(r.remoteMta).toBe('dns; us-smtp-inbound-1.mimecast.com [207.211.30.221]');
  });
});

describe('the MTA\'s own wording under a vague code', () => {
  it('reads a local or DNS failure the MTA words itself (not an SMTP reply) when the status is X.0.0', () => {
    const unknown = classify({ recipient: 'a@example.co.uk', status: '5.0.0', action: 'failed', diagnosticType: 'X-Postfix', diagnostic: 'unknown user: "a"' }, ctx);
    expect(unknown).toMatchObject({ reason: 'userunknown', hard: true, fault: 'recipient' });
    const nxdomain = classify({ recipient: 'b@dest.example.com', status: '5.0.0', action: 'failed', diagnosticType: 'X-Postfix', diagnostic: '[dest.example.com]: Name or service not known' }, ctx);
    expect(nxdomain).toMatchObject({ reason: 'hostunknown', hard: true });
    // with nothing recognisable the text still only puts the bounce on hold
    expect(classify({ recipient: 'c@example.com', status: '5.0.0', action: 'failed', diagnosticType: 'X-Postfix', diagnostic: 'something odd happened' }, ctx).reason).toBe('onhold');
  });
});

describe('hostile input', () => {
  it('stays fast on megabyte diagnostics', () => {
    const huge = 'x'.repeat(2_000_000) + ' user unknown ' + '5.'.repeat(300_000) + '550 '.repeat(100_000) + '\n \t'.repeat(100_000);
    const started = performance.now();
    for (let i = 0; i < 5; i++) classify({ recipient: 'a@example.jp', diagnostic: huge, remoteMta: 'a '.repeat(50_000) }, ctx);
    expect(performance.now() - started).toBeLessThan(1000);
  });
  it('never throws on odd values', () => {
    const odd: RawStatus[] = [
      { recipient: '' },
      { recipient: '@@@', status: '5..', replyCode: '5', diagnostic: '\u0000\uffff\ud800', remoteMta: '[]()', command: 'RCPT' },
      { recipient: 'a@b', diagnostic: 'x-unix;', diagnosticType: 'x-unix' },
      { recipient: 'a@b', diagnostic: '5.1.1'.repeat(1000), status: '5.1.1234' },
    ];
    for (const raw of odd) expect(() => classify(raw, { mta: '' })).not.toThrow();
  });
  it('keeps at most a bounded diagnostic', () => {
    const r = classify({ recipient: 'a@example.jp', diagnostic: 'y'.repeat(100_000) }, ctx);
    expect(r.diagnostic.length).toBeLessThanOrEqual(16_384);
  });
});
