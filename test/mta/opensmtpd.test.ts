import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { opensmtpd } from '../../src/parse/mta/opensmtpd.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'opensmtpd', name));

describe('opensmtpd', () => {
  // Written by a real OpenSMTPD 6.8.0p2 (Debian 12) relaying to a local MX that refused the mail; these notices
  // carry no SMTP command and no remote host, and their report part only the generic 5.0.0.
  it('reads the notices of a real OpenSMTPD 6.8: each address with the reply that refused it', () => {
    const two = parse(fixture('real-6.8-two-recipients.eml'));
    expect(two).toMatchObject({ mta: 'opensmtpd', kind: 'bounce', verp: { recipient: 'nosuch-b@reject.test' } });
    expect(two.recipients).toHaveLength(2);
    expect(two.recipients.find((x) => x.address === 'nosuch-b@reject.test')).toMatchObject({
      action: 'failed', status: '5.1.1', replyCode: '550', reason: 'userunknown', hard: true, fault: 'recipient',
      diagnostic: '550 5.1.1 <nosuch-b@reject.test>: Recipient address rejected: User unknown',
    });
    expect(two.recipients.find((x) => x.address === 'blocked-c@reject.test')).toMatchObject({
      action: 'failed', status: '5.7.1', replyCode: '554', reason: 'blocked', hard: false, fault: 'sender',
    });

    const sender = parse(fixture('real-6.8-sender-refused.eml'));
    expect(sender.recipients).toEqual([expect.objectContaining({
      address: 'badsender-e@reject.test', status: '5.7.1', replyCode: '550', reason: 'rejected', fault: 'sender',
    })]);

    const multi = parse(fixture('real-6.8-multiline-reply.eml'));
    expect(multi.recipients).toEqual([expect.objectContaining({
      address: 'gone-a@reject.test', status: '5.1.1', replyCode: '550', reason: 'userunknown', hard: true,
      diagnostic: expect.stringMatching(/^550 5\.1\.1 The email account that you tried to reach does not exist\. Please try double-checking/),
    })]);
  });

  it('reads the success notice of a real OpenSMTPD 6.8 ("Your message was relayed")', () => {
    const r = parse(fixture('real-6.8-relayed.eml'));
    expect(r).toMatchObject({ mta: 'opensmtpd', kind: 'delivered' });
    expect(r.recipients).toEqual([expect.objectContaining({ address: 'ok-g@reject.test', action: 'relayed', reason: 'delivered', hard: null, fault: 'none' })]);
  });

  it('reads the plain notice of older versions, with its own error wordings', () => {
    const r = parse(fixture('old-plain-two.eml'));
    expect(r.mta).toBe('opensmtpd');
    expect(r.messageId).toBe('nightly-20150503@dev.example.net');
    expect(r.recipients.map((x) => [x.address, x.action, x.diagnostic])).toEqual([
      ['qa-team@partner.example.com', 'failed', '552 5.2.2 <qa-team@partner.example.com>: Mailbox full'],
      ['old-ci@retired.example.org', 'failed', 'Domain does not exist'],
    ]);
    const decoded = opensmtpd.decode(readEmail(fixture('old-plain-two.eml')));
    expect(decoded?.recipients[1]?.reason).toBe('hostunknown');
    expect(decoded?.recipients[0]?.reason).toBeUndefined();
  });

  it('reads a delay notice with its report', () => {
    const r = parse(fixture('mime-delayed.eml'));
    expect(r.mta).toBe('opensmtpd');
    expect(r.kind).toBe('delay');
    const x = r.recipients[0];
    expect(x?.address).toBe('oncall@pager.example.com');
    expect(x?.action).toBe('delayed');
    expect(x?.diagnostic).toBe('451 4.7.1 Greylisted, please try again in 300 seconds');
    expect(r.messageId).toBe('disk-alert-5521@box.example.io');
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(opensmtpd, fixture('old-plain-two.eml'));
    checkJunk(opensmtpd, fixture('mime-delayed.eml'));
  });
});
