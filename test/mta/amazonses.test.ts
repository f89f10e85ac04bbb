// Amazon SES (sending): DSNs by email (2011 and current layouts) and the JSON notifications SES sends
// through SNS (raw, SNS envelope, event publishing), including bodies cut by the line-length bound.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'amazonses');
const fixture = (name: string): Buffer => readFileSync(join(dir, name));

describe('amazonses: DSN by email', () => {
  it('reads every recipient of a multipart/report with its own reply', () => {
    const r = parse(fixture('dsn-two-recipients.eml'));
    expect(r.mta).toBe('amazonses');
    expect(r.kind).toBe('bounce');
    expect(r.recipients.map((x) => x.address)).toEqual(['alice.nobody@mail.example.org', 'bob@full.example.net']);
    const [alice, bob] = r.recipients;
    expect(alice?.status).toBe('5.1.1');
    expect(alice?.diagnostic).toContain('550 5.1.1 <alice.nobody@mail.example.org>: Recipient address rejected');
    expect(alice?.remoteMta).toBe('203.0.113.45');
    expect(bob?.status).toBe('5.2.2');
    // the folded Diagnostic-Code is read whole
    expect(bob?.diagnostic).toContain('over quota');
    expect(bob?.diagnostic).toContain('support.example.net/quota');
    expect(r.messageId).toBe('0100018a1b2c3d4e-aaaa-bbbb-cccc-ddddeeeeffff-000000@email.amazonses.com');
  });

  it('takes the remote code quoted in the 2011 layout over the generic 5.0.0 (CRLF input)', () => {
    const r = parse(fixture('dsn-2011-crlf.eml'));
    expect(r.mta).toBe('amazonses');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('hanako@mobile.example.ne.jp');
    expect(x?.status).toBe('5.1.1');
    expect(x?.replyCode).toBe('550');
    expect(x?.remoteMta).toBe('198.51.100.77');
    expect(x?.diagnostic).toContain('Recipient address rejected: User unknown');
  });
});

describe('amazonses: JSON notifications', () => {
  it('reads a bounce inside an SNS envelope, recipients written as name-addr included', () => {
    const r = parse(fixture('sns-envelope-bounce.eml'));
    expect(r.mta).toBe('amazonses');
    expect(r.kind).toBe('bounce');
    expect(r.recipients.map((x) => x.address)).toEqual(['carol@inbox.example.com', 'dave@inbox.example.com']);
    expect(r.recipients[0]?.status).toBe('5.2.2');
    expect(r.recipients[0]?.reason).toBe('mailboxfull');
    expect(r.recipients[1]?.diagnostic).toBe('452 4.2.2 Over quota');
    expect(r.recipients[0]?.remoteMta).toBe('192.0.2.10');
    // the original's Message-ID comes from the notification's copy of its headers
    expect(r.messageId).toBe('alert-20231002-7781@service.example');
  });

  it('reads an event-publishing complaint folded by a relay ("!\\n ")', () => {
    const r = parse(fixture('event-complaint-folded.eml'));
    expect(r.kind).toBe('complaint');
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]?.address).toBe('erin@isp.example');
    expect(r.recipients[0]?.reason).toBe('feedback');
    expect(r.recipients[0]?.feedbackType).toBe('abuse');
  });

  it('reads a delivery-delay event as delayed', () => {
    const r = parse(fixture('event-delivery-delay.eml'));
    expect(r.kind).toBe('delay');
    expect(r.recipients[0]?.address).toBe('frank@slow.example');
    expect(r.recipients[0]?.action).toBe('delayed');
    expect(r.recipients[0]?.status).toBe('4.2.2');
  });

  it('reads a delivery notification as delivered', () => {
    const r = parse(fixture('delivery.eml'));
    expect(r.kind).toBe('delivered');
    expect(r.recipients.map((x) => x.address)).toEqual(['gina@bank.example', 'hank@bank.example']);
    expect(r.recipients.every((x) => x.action === 'delivered' && x.status === '2.0.0')).toBe(true);
  });

  it('still finds the recipients when the one-line JSON is longer than the line bound', () => {
    const headers = Array.from({ length: 400 }, (_, i) => ({ name: `X-Trace-${i}`, value: 'v'.repeat(40) }));
    const note = {
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent', bounceSubType: 'General', reportingMTA: 'dsn; a1-2.smtp-out.amazonses.com',
        bouncedRecipients: [{ emailAddress: 'ivan@gone.example', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 no such user' }],
      },
      mail: { messageId: 'x', headers },
    };
    const msg = [
      'From: no-reply@sns.amazonaws.com', 'To: ops@app.example', 'Subject: AWS Notification Message',
      'x-amz-sns-message-id: 1', 'Content-Type: text/plain', '', JSON.stringify(note), '',
    ].join('\n');
    const r = parse(msg);
    expect(r.mta).toBe('amazonses');
    expect(r.recipients.map((x) => x.address)).toEqual(['ivan@gone.example']);
    expect(r.recipients[0]?.status).toBe('5.1.1');
  });

  it('leaves send/open/click events and broken JSON alone', () => {
    const base = ['From: no-reply@sns.amazonaws.com', 'To: ops@app.example', 'Subject: AWS Notification Message', 'X-SES-Outgoing: 1', ''];
    const open = parse([...base, '{"eventType":"Open","mail":{"destination":["a@b.example"]},"open":{}}'].join('\n'));
    expect(open.mta).not.toBe('amazonses');
    expect(open.recipients).toHaveLength(0);
    const broken = parse([...base, '{"notificationType":"Bounce","bounce":{"bouncedRecipients":[{"emailAddr'].join('\n'));
    expect(broken.recipients).toHaveLength(0);
  });
});

describe('amazonses: junk', () => {
  it('does not claim or crash on empty, personal or truncated input', () => {
    expect(parse('').recipients).toHaveLength(0);
    const personal = parse('From: Ann <ann@example.org>\nTo: bo@example.net\nSubject: lunch\nX-SES-Outgoing: 2024.01.01-1.2.3.4\n\nSee you at noon.\n');
    expect(personal.mta).toBeNull();
    const whole = fixture('dsn-two-recipients.eml');
    for (const n of [40, 300, 900, 1500]) {
      const r = parse(whole.subarray(0, n));
      expect(r.recipients.every((x) => x.address.includes('@'))).toBe(true);
    }
  });
});
