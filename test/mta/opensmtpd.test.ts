import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { opensmtpd } from '../../src/parse/mta/opensmtpd.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'opensmtpd', name));

describe('opensmtpd', () => {
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
