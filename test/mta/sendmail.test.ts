import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { sendmail } from '../../src/parse/mta/sendmail.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'sendmail', name));

describe('sendmail', () => {
  it('joins a multi-line reply from the transcript and keeps local errors apart', () => {
    const r = parse(fixture('v8-multiline-reply.eml'));
    expect(r.mta).toBe('sendmail');
    expect(r.messageId).toBe('slides-1102@lab.example.org');
    const byAddress = new Map(r.recipients.map((x) => [x.address, x]));
    expect(r.recipients).toHaveLength(2);
    const prof = byAddress.get('prof.suzuki@mail.example.com');
    expect(prof?.status).toBe('5.7.26');
    expect(prof?.command).toBe('DATA');
    expect(prof?.remoteMta).toBe('mx1.mail.example.com');
    // the decoder hands over the whole reply as the server wrote it, line prefixes included
    const raw = sendmail.decode(readEmail(fixture('v8-multiline-reply.eml')))?.recipients[0];
    expect(raw?.diagnostic).toBe(
      '550-5.7.26 This mail has been blocked because the sender is unauthenticated. 550-5.7.26 Gmail requires all senders to authenticate with either SPF or 550 5.7.26 DKIM. ab12-20020a17090a000000b002 - gsmtp',
    );
    expect(prof?.diagnostic).toContain('Gmail requires all senders to authenticate');
    const ghost = byAddress.get('ghost@lab.example.org');
    expect(ghost?.alias).toBe('seminar@lab.example.org');
    expect(ghost?.diagnostic).toBe('550 5.1.1 <ghost@lab.example.org>... User unknown');
    expect(ghost?.command).toBe('');
    expect(ghost?.remoteMta).toBe('');
  });

  it('explains an exit status with what the local mailer printed', () => {
    const r = parse(fixture('local-mailer-exit.eml'));
    expect(r.recipients).toHaveLength(1);
    const x = r.recipients[0];
    expect(x?.address).toBe('alumni@host.univ.example.edu');
    expect(x?.status).toBe('5.1.1');
    expect(x?.diagnostic).toBe('mail.local: unknown user: alumni 550 5.1.1 <alumni@host.univ.example.edu>... User unknown');
  });

  it('reads a delay warning', () => {
    const r = parse(fixture('warning-delayed.eml'));
    expect(r.mta).toBe('sendmail');
    expect(r.kind).toBe('delay');
    const x = r.recipients[0];
    expect(x?.action).toBe('delayed');
    expect(x?.status).toBe('4.4.1');
    expect(x?.diagnostic).toContain('Deferred: Connection refused by mx.kleinanbieter.example.');
    expect(x?.remoteMta).toBe('mx.kleinanbieter.example');
  });

  it('reads a notice without a delivery report, returned message inline', () => {
    const r = parse(fixture('plain-no-dsn.eml'));
    expect(r.mta).toBe('sendmail');
    expect(r.messageId).toBe('199603141800.KAA01230@ns.coop.example.com');
    expect(r.recipients.map((x) => [x.address, x.command, x.diagnostic])).toEqual([
      ['sam@far.example.net', 'RCPT', '550 <sam@far.example.net>... User unknown'],
      ['pat@far.example.net', 'RCPT', '553 <pat@far.example.net>... Mailbox name not allowed'],
    ]);
  });

  it('reads a notice forwarded with quoted lines', () => {
    const quoted = fixture('plain-no-dsn.eml')
      .toString('latin1')
      .split('\n\n')
      .map((block, i) => (i === 0 ? block.replace('Subject: Returned mail', 'Subject: Fwd: Returned mail') : block.split('\n').map((l) => '> ' + l).join('\n')))
      .join('\n\n');
    const r = parse(quoted);
    expect(r.mta).toBe('sendmail');
    expect(r.recipients.map((x) => x.address)).toEqual(['sam@far.example.net', 'pat@far.example.net']);
  });

  it('leaves other mail alone and survives junk', () => {
    checkJunk(sendmail, fixture('v8-multiline-reply.eml'));
    checkJunk(sendmail, fixture('plain-no-dsn.eml'));
  });
});
