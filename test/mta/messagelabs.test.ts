// Symantec Email Security.cloud (MessageLabs): "Mail Delivery Failure" with a multi-line "Reason:".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mta', 'messagelabs');

describe('messagelabs', () => {
  it('takes the whole multi-line reply from the text part', () => {
    const r = parse(readFileSync(join(dir, 'security-cloud.eml')));
    expect(r.mta).toBe('messagelabs');
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('oscar@client.example.co.uk');
    expect(x?.status).toBe('5.1.1');
    expect(x?.remoteMta).toBe('aspmx.l.example.com');
    expect(x?.diagnostic).toContain('does not exist');
    expect(x?.diagnostic).toContain('unnecessary spaces');
    expect(r.messageId).toBe('inv-4471@supplier.example');
  });

  it('reads MessageLabs\' relay refusal', () => {
    const text = [
      'From: Mail Delivery System <MAILER-DAEMON@messagelabs.com>', 'To: <a@sender.example>', 'Subject: Mail Delivery Failure',
      'X-Msg-Ref: server-1.tower-1.messagelabs.com!1!2!1', '',
      'This is the mail delivery agent at messagelabs.com.', '',
      'I was unable to deliver your message to the following addresses:', '', 'uli@dest.example', '',
      'Reason: 550-Please turn on SMTP Authentication in your mail client.', '550 relay through this server without authentication.', '',
    ].join('\n');
    const r = parse(text);
    expect(r.recipients[0]?.address).toBe('uli@dest.example');
    expect(r.recipients[0]?.reason).toBe('securityerror');
  });

  it('ignores junk', () => {
    expect(parse('').recipients).toHaveLength(0);
    expect(parse('From: MAILER-DAEMON@messagelabs.com\nSubject: Mail Delivery Failure\n\n').recipients).toHaveLength(0);
  });
});
