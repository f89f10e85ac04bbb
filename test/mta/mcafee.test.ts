// McAfee Email Gateway: "Delivery Status" with deliveryproblems.txt and a loose delivery-status part.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'mcafee');

describe('mcafee', () => {
  it('reads each Original-Recipient group with its reply and remote MTA', () => {
    const r = parse(readFileSync(join(dir, 'two-recipients.eml')));
    expect(r.mta).toBe('mcafee');
    expect(r.recipients.map((x) => x.address)).toEqual(['w.smith@bank.example', 'y.tanaka@bank.example']);
    expect(r.recipients[0]?.diagnostic).toBe('550 User unknown w.smith@bank.example');
    expect(r.recipients[0]?.reason).toBe('userunknown');
    expect(r.recipients[0]?.remoteMta).toBe('192.0.2.80');
    expect(r.recipients[1]?.status).toBe('4.2.2');
    expect(r.recipients[1]?.reason).toBe('mailboxfull');
    expect(r.messageId).toBe('q2-figures@partner.example');
  });

  it('reads the problems list alone', () => {
    const text = [
      'From: <MAILER-DAEMON@gw.example.com>', 'To: <a@sender.example>', 'Subject: Delivery Status',
      'X-NAI-Header: Modified by McAfee Email and Web Security Virtual Appliance', '',
      '    --- The following addresses had delivery problems ---', '',
      '<zed@example.com>   (550 5.1.1 <zed@example.com>... User unknown)', '',
    ].join('\n');
    const r = parse(text);
    expect(r.mta).toBe('mcafee');
    expect(r.recipients[0]?.address).toBe('zed@example.com');
    expect(r.recipients[0]?.status).toBe('5.1.1');
  });

  it('ignores other mail scanned by McAfee, and junk', () => {
    const mail = 'From: a@example.org\nTo: b@example.org\nSubject: hi\nX-NAI-Header: Modified by McAfee Email Gateway\n\nhello\n';
    expect(parse(mail).recipients).toHaveLength(0);
    expect(parse('').recipients).toHaveLength(0);
  });
});
