import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { yahoo } from '../../src/parse/mta/yahoo.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'yahoo', name));

describe('yahoo', () => {
  it('reads each recipient block, its reply and the command token', () => {
    const r = parse(fixture('two-recipients-tokens.eml'));
    expect(r.mta).toBe('yahoo');
    expect(r.messageId).toBe('1893272.44.1422958819@jws100110.mail.bf1.yahoo.com');
    const [full, spam] = r.recipients;
    expect(r.recipients).toHaveLength(2);
    expect(full?.address).toBe('b.novak@posta.example.cz');
    expect(full?.status).toBe('5.2.2');
    expect(full?.replyCode).toBe('552');
    expect(full?.command).toBe('RCPT');
    expect(full?.diagnostic).toBe('552 5.2.2 <b.novak@posta.example.cz>: Mailbox quota exceeded');
    expect(spam?.address).toBe('info@closed-shop.example');
    expect(spam?.command).toBe('DATA');
    expect(spam?.diagnostic).toBe('554 5.7.1 Message rejected as spam by Content Filtering.');
  });

  it('reads the newer "550: …" replies without a token', () => {
    const r = parse(fixture('sonic.eml'));
    expect(r.mta).toBe('yahoo');
    const x = r.recipients[0];
    expect(r.recipients).toHaveLength(1);
    expect(x?.address).toBe('nobody@ryokan.example.jp');
    expect(x?.status).toBe('5.1.1');
    expect(x?.replyCode).toBe('550');
    expect(x?.command).toBe('RCPT');
    expect(x?.diagnostic).toBe('550: 5.1.1 <nobody@ryokan.example.jp>: Recipient address rejected: User unknown in local recipient table');
  });

  it('survives junk and truncated copies', () => {
    checkJunk(yahoo, fixture('two-recipients-tokens.eml'));
    checkJunk(yahoo, fixture('sonic.eml'));
  });
});
