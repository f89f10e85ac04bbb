import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { qmail } from '../../src/parse/mta/qmail.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'qmail', name));

describe('qmail', () => {
  it('reads one paragraph per address: a remote rejection and qmail\'s own errors', () => {
    const r = parse(fixture('netqmail-three.eml'));
    expect(r.mta).toBe('qmail');
    expect(r.kind).toBe('bounce');
    expect(r.messageId).toBe('20190212061531.30376.qmail@mail.example-shop.com');
    expect(r.recipients.map((x) => x.address)).toEqual([
      'lena.schulz@post.example.de', 'info@old-domain.example', 'buyer@example-shop.com',
    ]);
    const [lena, info, buyer] = r.recipients;
    expect(lena?.status).toBe('5.1.1');
    expect(lena?.replyCode).toBe('550');
    expect(lena?.command).toBe('RCPT');
    expect(lena?.remoteMta).toBe('203.0.113.25');
    expect(lena?.diagnostic).toBe(
      '203.0.113.25 does not like recipient. Remote host said: 550 5.1.1 <lena.schulz@post.example.de>: Recipient address rejected: User unknown in local recipient table Giving up on 203.0.113.25.',
    );
    expect(info?.status).toBe('5.1.2');
    expect(info?.reason).toBe('hostunknown');
    expect(buyer?.status).toBe('5.1.1');
    expect(buyer?.reason).toBe('userunknown');
    expect(buyer?.diagnostic).toBe('Sorry, no mailbox here by that name. (#5.1.1)');
  });

  it('names the command from qmail-remote\'s sentences; reads a headers-only copy', () => {
    const r = parse(fixture('sender-rejected-headers-only.eml'));
    expect(r.mta).toBe('qmail');
    expect(r.messageId).toBe('weekly-report-39@example.net');
    const [compliance, helpdesk] = r.recipients;
    expect(compliance?.address).toBe('compliance@bank.example.com');
    expect(compliance?.command).toBe('MAIL');
    expect(compliance?.status).toBe('5.7.1');
    expect(compliance?.remoteMta).toBe('198.51.100.61');
    expect(helpdesk?.command).toBe('DATA');
    expect(helpdesk?.status).toBe('5.6.0');
    expect(helpdesk?.replyCode).toBe('554');
  });

  it('reads queue timeouts and vpopmail\'s local errors', () => {
    const r = parse(fixture('expired-and-vpopmail.eml'));
    expect(r.mta).toBe('qmail');
    const [hanako, jiro, saburo] = r.recipients;
    expect(hanako?.status).toBe('4.4.1');
    expect(hanako?.reason).toBe('networkerror');
    expect(jiro?.command).toBe('CONN');
    expect(jiro?.reason).toBe('expired');
    expect(saburo?.address).toBe('saburo@hosting.example.jp');
    expect(saburo?.reason).toBe('mailboxfull');
  });

  it('reads a derivative that keeps the layout under another opening sentence', () => {
    const r = parse(fixture('clone-mta-program.eml'));
    expect(r.mta).toBe('qmail');
    expect(r.messageId).toBe('digest-1119@lists.example.org');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]?.address).toBe('webmaster@site.freehost.example.com');
    expect(r.recipients[0]?.status).toBe('5.2.2');
    expect(r.recipients[0]?.diagnostic).toBe('The user\'s mailbox is full (#5.2.2)');
  });

  it('returns null for junk and survives truncation', () => {
    checkJunk(qmail, fixture('netqmail-three.eml'));
    checkJunk(qmail, fixture('sender-rejected-headers-only.eml'));
  });
});
