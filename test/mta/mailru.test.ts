import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { mailru } from '../../src/parse/mta/mailru.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'mailru', name));

describe('mailru', () => {
  it('reads each failed address once, with the command and the remote reply', () => {
    const r = parse(fixture('two-recipients.eml'));
    expect(r.mta).toBe('mailru');
    expect(r.messageId).toBe('1583830804.123456789@f41.i.mail.ru');
    const [unknown, spam] = r.recipients;
    expect(r.recipients).toHaveLength(2);
    expect(unknown?.address).toBe('s.ivanova@school.example.ru');
    expect(unknown?.status).toBe('5.1.1');
    expect(unknown?.replyCode).toBe('550');
    expect(unknown?.command).toBe('RCPT');
    expect(unknown?.remoteMta).toBe('mx.school.example.ru');
    expect(unknown?.diagnostic).toBe(
      'SMTP error from remote mail server after RCPT TO:<s.ivanova@school.example.ru>: host mx.school.example.ru [198.51.100.44]: 550 5.1.1 <s.ivanova@school.example.ru>: Recipient address rejected: User unknown in virtual mailbox table',
    );
    expect(spam?.address).toBe('director@school.example.ru');
    expect(spam?.command).toBe('DATA');
    expect(spam?.status).toBe('5.7.1');
  });

  it('reads Exim’s own verdicts', () => {
    const r = parse(fixture('no-mx.eml'));
    expect(r.recipients.map((x) => x.address)).toEqual(['nobody@no-mx.example']);
    expect(r.recipients[0]?.diagnostic).toBe('all relevant MX records point to non-existent hosts');
    expect(mailru.decode(readEmail(fixture('no-mx.eml')))?.recipients[0]?.reason).toBe('hostunknown');
  });

  it('survives junk and truncated copies', () => {
    checkJunk(mailru, fixture('two-recipients.eml'));
  });
});
