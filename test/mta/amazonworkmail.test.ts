// Amazon WorkMail: DSN fields written into a quoted-printable text part after "Technical report:".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'amazonworkmail');
const fixture = (name: string): Buffer => readFileSync(join(dir, name));

describe('amazonworkmail', () => {
  it('reads each recipient group of the technical report, soft line breaks joined', () => {
    const r = parse(fixture('two-recipients.eml'));
    expect(r.mta).toBe('amazonworkmail');
    expect(r.recipients.map((x) => x.address)).toEqual(['lena@clients.example.de', 'omar@clients.example.de']);
    expect(r.recipients[0]?.status).toBe('5.1.1');
    expect(r.recipients[0]?.diagnostic).toBe(
      '550 5.1.1 <lena@clients.example.de>: Recipient address rejected: User unknown in virtual mailbox table',
    );
    expect(r.recipients[1]?.status).toBe('5.7.1');
    expect(r.recipients[1]?.diagnostic).toContain('Relay access denied');
  });

  it('names the last remote reply of an SES expiry', () => {
    const r = parse(fixture('expired.eml'));
    expect(r.mta).toBe('amazonworkmail');
    const x = r.recipients[0];
    expect(x?.address).toBe('pat@unreachable.example.com');
    expect(x?.reason).toBe('expired');
    expect(x?.replyCode).toBe('451');
    expect(x?.diagnostic).toContain('Message expired');
  });

  it('ignores ordinary mail sent from WorkMail, and junk', () => {
    const mail = 'From: Sales <sales@corp.awsapps.com>\nTo: x@example.org\nSubject: hi\nX-Mailer: Amazon WorkMail\n'
      + 'X-SES-Outgoing: 2024.01.01-1.2.3.4\n\nTechnical report: none today.\n';
    expect(parse(mail).recipients).toHaveLength(0);
    expect(parse('').recipients).toHaveLength(0);
    const whole = fixture('two-recipients.eml');
    expect(() => parse(whole.subarray(0, 1200))).not.toThrow();
  });
});
