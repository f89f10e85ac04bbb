// Dovecot's rejections, as a real dovecot-lda 2.3 wrote them (test/realmail's Dovecot): a mailbox over quota
// (a delivery report) and a Pigeonhole Sieve reject (a disposition notification, RFC 5429).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEmail } from '../../src/parse/email.js';
import { parse } from '../../src/parse/index.js';
import { dovecot } from '../../src/parse/mta/dovecot.js';
import { checkJunk } from './junk-cases.js';

const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mta', 'dovecot', name));

describe('dovecot', () => {
  it('reads a mailbox over quota: the report\'s status, the rejection text as the diagnostic', () => {
    const r = parse(fixture('lda-quota.eml'));
    expect(r).toMatchObject({ kind: 'bounce', mta: 'dovecot', verp: { recipient: 'reader@mbox.test' } });
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({
      address: 'bounces@mbox.test', action: 'failed', status: '5.2.2', reason: 'mailboxfull', hard: false, fault: 'transient',
      diagnostic: 'Quota exceeded (mailbox for user is full)',
    });
  });

  it('reads a Sieve reject (a disposition notification "automatic-action/…; deleted") as a failure the recipient\'s filter made', () => {
    const r = parse(fixture('sieve-reject.eml'));
    expect(r).toMatchObject({ kind: 'bounce', mta: 'dovecot', messageId: 'digest-2@lists.example.org' });
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({
      address: 'bounces@mbox.test', action: 'failed', reason: 'filtered', hard: false, diagnostic: 'I do not accept mail from mailing lists.',
    });
  });

  it('takes the reason from the words of a Sieve reject when they name one', () => {
    const raw = fixture('sieve-reject.eml').toString('utf8').replace('I do not accept mail from mailing lists.', 'Mailbox is full, sorry.');
    expect(parse(raw).recipients[0]).toMatchObject({ reason: 'mailboxfull', diagnostic: 'Mailbox is full, sorry.' });
  });

  it('leaves a read receipt alone (a person displayed or deleted the message by hand)', () => {
    for (const disposition of ['manual-action/MDN-sent-manually; displayed', 'manual-action/MDN-sent-manually; deleted', 'automatic-action/MDN-sent-automatically; displayed']) {
      const raw = fixture('sieve-reject.eml').toString('utf8')
        .replace('automatic-action/MDN-sent-automatically; deleted', disposition)
        .replace('was automatically rejected:', 'was read:')
        .replace('Subject: Rejected: digest', 'Subject: Read: digest');
      expect(dovecot.decode(readEmail(raw)), disposition).toBeNull();
      expect(parse(raw).kind, disposition).toBe('not-bounce');
    }
  });

  it('survives junk and truncated copies', () => {
    checkJunk(dovecot, fixture('lda-quota.eml'));
    checkJunk(dovecot, fixture('sieve-reject.eml'));
  });
});
