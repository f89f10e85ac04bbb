// ingestRaw() end to end against both stores: parse, keep, decide, suppress.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRaw, messageFields, recordEvents, type IngestContext } from '../../src/ingest/ingest-raw.js';
import { parse } from '../../src/parse/index.js';
import { reclassify } from '../../src/ingest/reclassify.js';
import { DAY_MS, POLICY_DEFAULTS } from '../../src/policy/index.js';
import { suppressManually } from '../../src/suppressions.js';
import type { Store } from '../../src/store/types.js';
import { encode, VERP_DEFAULTS, type VerpConfig } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

const T0 = Date.UTC(2026, 10, 1, 12);
const unsigned: VerpConfig = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };
const signed: VerpConfig = { ...unsigned, secrets: ['a-long-test-secret-0001'] };

function arf(to: string, rcpt: string): Buffer {
  return Buffer.from([
    'From: feedback@fbl.example.net', `To: ${to}`, 'Subject: complaint', 'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"', '',
    '--b1', 'Content-Type: text/plain', '', 'This is an email abuse report.', '',
    '--b1', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: FBL/1.0', 'Version: 1',
    `Original-Rcpt-To: ${rcpt}`, '',
    '--b1', 'Content-Type: text/rfc822-headers', '', `Return-Path: <${to}>`, `To: ${rcpt}`, 'Message-ID: <n1@example.org>', '',
    '--b1--', '',
  ].join('\n'));
}

describe.each(STORE_KINDS)('ingestRaw with the %s store', (kind) => {
  let db: Fresh;
  let store: Store;
  let now = T0;
  const ctx = (verp: VerpConfig): IngestContext => ({ store, verp, policy: POLICY_DEFAULTS, now: () => now });

  beforeAll(async () => {
    db = await freshDatabase(kind);
    store = await db.open();
  });
  afterAll(async () => {
    await store.close();
    await db.cleanup();
  });

  it('suppresses the VERP recipient of a hard bounce, once', async () => {
    const to = encode('joe@example.com', unsigned);
    const raw = postfixDsn({ to, recipient: 'joe@example.com', id: 'A1' });
    const r = await ingestRaw(ctx(unsigned), raw, 'test');
    expect(r).toMatchObject({ duplicate: false, parseStatus: 'parsed', kind: 'bounce', verpStatus: 'ok' });
    expect(r.events).toEqual([expect.objectContaining({ address: 'joe@example.com', reason: 'userunknown', outcome: 'suppress' })]);
    expect(r.changes).toEqual([expect.objectContaining({ address: 'joe@example.com', change: 'add' })]);
    const s = await store.isSuppressed('joe@example.com');
    expect(s).toMatchObject({ reason: 'userunknown', fault: 'recipient', manual: false, expiresAt: null, count: 1 });
    const again = await ingestRaw(ctx(unsigned), raw, 'test');
    expect(again).toMatchObject({ duplicate: true, messageId: r.messageId, events: [] });
    expect(await store.listEvents({ address: 'joe@example.com' })).toHaveLength(1);
    expect((await store.listAudit('joe@example.com')).map((a) => a.change)).toEqual(['add']);
  });

  it('with signing on, forged, expired and unsigned bounces are kept but change nothing', async () => {
    const good = encode('ann@example.com', signed, { now });
    const forged = good.replace(/\+([a-z2-7]{13})@/, (_m, tag: string) => `+${tag.slice(0, 12)}${tag.endsWith('a') ? 'b' : 'a'}@`);
    const expired = encode('ann@example.com', signed, { now: now - 90 * DAY_MS });
    const unsignedPath = encode('ann@example.com', unsigned);
    for (const [to, status] of [[forged, 'bad-signature'], [expired, 'expired'], [unsignedPath, 'unsigned']] as const) {
      const r = await ingestRaw(ctx(signed), postfixDsn({ to, recipient: 'ann@example.com', id: `F${status}` }), 'test');
      expect(r.verpStatus).toBe(status);
      expect(r.events[0]).toMatchObject({ outcome: 'record', rule: 'untrusted' });
      expect(r.changes).toEqual([]);
    }
    expect(await store.isSuppressed('ann@example.com')).toBeUndefined();
    const r = await ingestRaw(ctx(signed), postfixDsn({ to: good, recipient: 'ann@example.com', id: 'G1' }), 'test');
    expect(r.verpStatus).toBe('ok');
    expect(await store.isSuppressed('ann@example.com')).toBeDefined();
  });

  it('counts soft bounces and suppresses after three over three days, with an expiry', async () => {
    const to = encode('full@example.com', unsigned);
    const diag = '452 4.2.2 <full@example.com>: Mailbox full';
    for (const [day, outcome] of [[0, 'count'], [1, 'count'], [3, 'suppress']] as const) {
      now = T0 + day * DAY_MS;
      const r = await ingestRaw(ctx(unsigned), postfixDsn({ to, recipient: 'full@example.com', status: '4.2.2', diagnostic: diag, id: `S${day}` }), 'test');
      expect(r.events[0]?.outcome, `day ${day}`).toBe(outcome);
    }
    const s = await store.isSuppressed('full@example.com', now);
    expect(s?.reason).toBe('mailboxfull');
    expect(s?.expiresAt).toBe(now + 30 * DAY_MS);
    now = T0;
  });

  it('never suppresses for the sender\'s own faults, delays or auto-replies', async () => {
    const to = encode('bob@example.com', unsigned);
    const blocked = postfixDsn({ to, recipient: 'bob@example.com', status: '5.7.1', id: 'B1', diagnostic: '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org' });
    const r = await ingestRaw(ctx(unsigned), blocked, 'test');
    expect(r.events[0]).toMatchObject({ outcome: 'record', rule: 'sender-fault' });
    const delay = postfixDsn({ to, recipient: 'bob@example.com', status: '4.4.1', action: 'delayed', id: 'D1', diagnostic: 'connect to mx.example.com[192.0.2.2]:25: Connection timed out' });
    expect((await ingestRaw(ctx(unsigned), delay, 'test')).events[0]?.rule).toBe('delay');
    expect(await store.isSuppressed('bob@example.com')).toBeUndefined();
  });

  it('suppresses on a complaint', async () => {
    const r = await ingestRaw(ctx(unsigned), arf(encode('carol@example.com', unsigned), 'carol@example.com'), 'test');
    expect(r.kind).toBe('complaint');
    expect((await store.isSuppressed('carol@example.com'))?.reason).toBe('feedback');
  });

  it('records a recipient a report lists twice once, instead of failing the message', async () => {
    const raw = postfixDsn({ to: encode('twice@example.com', unsigned), recipient: 'twice@example.com', id: 'TW1' });
    const r = parse(raw);
    const twice = { ...r, recipients: [...r.recipients, ...r.recipients] };
    const id = await store.unit(async (tx) => {
      const m = await tx.insertMessage({ sha256: 'twice-1', receivedAt: now, source: 'test', raw, ...messageFields(twice, null) });
      const rec = await recordEvents(tx, { verp: unsigned, policy: POLICY_DEFAULTS }, m.id, twice, 'twice@example.com', true, now);
      expect(rec.events).toHaveLength(1);
      return m.id;
    });
    expect((await store.listEvents({ address: 'twice@example.com' })).map((e) => e.messageId)).toEqual([id]);
  });

  it('keeps and counts a message it cannot read', async () => {
    const before = (await store.counts()).unparsed;
    const r = await ingestRaw(ctx(unsigned), Buffer.from('Subject: hello\n\nJust a note, not a bounce.\n'), 'test');
    expect(r).toMatchObject({ parseStatus: 'unrecognized', kind: 'not-bounce', events: [] });
    expect((await store.counts()).unparsed).toBe(before + 1);
    expect((await store.getRaw(r.messageId))?.toString()).toContain('not a bounce');
  });

  it('resolves compact return paths through the store', async () => {
    const long = `${'very-long-local-part-'.repeat(3)}x@example.com`;
    const id = await store.unit((tx) => tx.recipientId(long));
    const to = encode(long, signed, { recipientId: id, now });
    expect(to).toMatch(/^bounces\+r[0-9a-z]+-[a-z2-7]{13}@/);
    const r = await ingestRaw(ctx(signed), postfixDsn({ to, recipient: long, id: 'C1' }), 'test');
    expect(r.verpStatus).toBe('ok');
    expect(await store.isSuppressed(long)).toBeDefined();
  });

  it('reclassify rebuilds events and automatic suppressions and keeps manual ones', async () => {
    await suppressManually(store, 'vip@example.com', { reason: 'manual', note: 'asked us to stop' });
    const events = (await store.listEvents()).length;
    const suppressed = (await store.listSuppressions({ includeExpired: true })).map((s) => s.address).sort();
    const r = await reclassify(store, { verp: signed, policy: POLICY_DEFAULTS });
    expect(r.messages).toBe((await store.counts()).messages);
    expect(r.events).toBe(events);
    // with signing now required, the unsigned bounces of the first tests no longer count
    const after = (await store.listSuppressions({ includeExpired: true })).map((s) => s.address).sort();
    expect(after).toEqual(suppressed.filter((a) => a === 'ann@example.com' || a === 'vip@example.com' || a.startsWith('very-long')));
    expect((await store.getSuppression('vip@example.com'))?.manual).toBe(true);
    expect(r.removed).toBe(suppressed.length - after.length);
    expect((await store.listAudit('joe@example.com')).at(-1)).toMatchObject({ change: 'remove', actor: 'reclassify' });
  });
});
