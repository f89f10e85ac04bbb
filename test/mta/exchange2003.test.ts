import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { exchange2003 } from '../../src/parse/mta/exchange2003.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'exchange2003', name));

describe('exchange2003', () => {
  it('reads Exchange 2003 SMTP verdicts "<host #5.7.1 smtp;550 …>"', () => {
    const r = parse(fixture('smtp-2003.eml'));
    expect(r.mta).toBe('exchange2003');
    expect(r.recipients.map((x) => x.address)).toEqual(['j.doe@lawfirm.example', 'archive@records.example.com']);
    const [local, relay] = r.recipients;
    expect(local?.status).toBe('5.1.1');
    expect(local?.diagnostic).toContain('The e-mail account does not exist at the organization');
    expect(relay?.status).toBe('5.7.1');
    expect(relay?.replyCode).toBe('550');
    expect(relay?.remoteMta).toBe('EXCH2003.lawfirm.example');
    expect(relay?.diagnostic).toContain('smtp;550 5.7.1 Unable to relay for archive@records.example.com');
  });

  it('reads an Exchange 5.5 IMS report and its error number', () => {
    const r = parse(fixture('ims-55.eml'));
    expect(r.mta).toBe('exchange2003');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]?.address).toBe('purchasing@example.net');
    expect(r.recipients[0]?.diagnostic).toBe(
      'The recipient name is not recognized MSEXCH:IMS:Example:Tokyo:MAILHUB 0 (000C05A6) Unknown Recipient',
    );
    expect(exchange2003.decode(readEmail(fixture('ims-55.eml')))?.recipients[0]?.reason).toBe('userunknown');
  });

  it('reads the address out of an X.400 name ("…;dda:SMTP=joe@example.com; on <date>")', () => {
    const raw = fixture('ims-55.eml').toString('latin1').replace(
      'purchasing@example.net on Sat',
      'c=US;a= ;p=Example;o=Tokyo;dda:SMTP=purchasing@example.net; on Sat',
    );
    const r = parse(Buffer.from(raw, 'latin1'));
    expect(r.recipients.map((x) => x.address)).toEqual(['purchasing@example.net']);
    expect(r.recipients[0]?.reason).toBe('userunknown');
  });

  it('survives junk and truncated copies', () => {
    checkJunk(exchange2003, fixture('smtp-2003.eml'));
    checkJunk(exchange2003, fixture('ims-55.eml'));
  });
});
