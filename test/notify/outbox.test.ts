// The outbox in the store, over both implementations: which changes queue which events (in the unit that
// makes the change), fan-out by type, leases, stale outcomes, retry and pruning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRaw } from '../../src/ingest/ingest-raw.js';
import { reclassify } from '../../src/ingest/reclassify.js';
import { POLICY_DEFAULTS, type PolicyConfig } from '../../src/policy/index.js';
import type { ClaimedDelivery, OutboxTargetSpec, Store } from '../../src/store/types.js';
import { suppressManually } from '../../src/suppressions.js';
import { encode, VERP_DEFAULTS, type VerpConfig } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

const T0 = Date.UTC(2026, 10, 1, 12);
const verp: VerpConfig = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };
const signed: VerpConfig = { ...verp, secrets: ['a-long-test-secret-0001'] };
const ALL: OutboxTargetSpec = { name: 'all', types: ['bounce', 'complaint', 'suppressed', 'unsuppressed'] };
const HOOK: OutboxTargetSpec = { name: 'hook', types: ['suppressed', 'unsuppressed'] };

describe.each(STORE_KINDS)('outbox in the %s store', (kind) => {
  let db: Fresh;
  let store: Store;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    store = await db.open();
  });
  afterAll(async () => {
    await store.close();
    await db.cleanup();
  });

  /** Fan out everything queued, deliver it all, and return what the given target got. */
  async function take(target: string, now = T0): Promise<ClaimedDelivery[]> {
    await store.unit((tx) => tx.fanOutOutbox([ALL, HOOK], now, 10_000));
    const token = `t-${now}`;
    const claimed = await store.unit((tx) => tx.claimDeliveries({ targets: ['all', 'hook'], now, leaseMs: 1000, limit: 1000, token }));
    for (const d of claimed) await store.unit((tx) => tx.finishDelivery(d.id, token, { status: 'delivered', at: now }));
    await store.unit((tx) => tx.pruneOutbox(Number.MAX_SAFE_INTEGER));
    return claimed.filter((d) => d.target === target);
  }

  it('queues events for live ingest only, and none for untrusted bounces', async () => {
    const ctx = { store, verp: signed, policy: POLICY_DEFAULTS, now: () => T0 };
    const good = encode('joe@example.com', signed, { now: T0 });
    await ingestRaw(ctx, postfixDsn({ to: good, recipient: 'joe@example.com', id: 'O1' }), 'test');
    // forged: the unsigned form of the address, while signing is on
    await ingestRaw(ctx, postfixDsn({ to: encode('eve@example.com', verp), recipient: 'eve@example.com', id: 'O2' }), 'test');
    // delay notices are recorded but not announced
    await ingestRaw(ctx, postfixDsn({ to: encode('ann@example.com', signed, { now: T0 }), recipient: 'ann@example.com', id: 'O3', action: 'delayed', status: '4.4.1', diagnostic: 'connect timed out' }), 'test');
    const got = await take('all');
    expect(got.map((d) => [d.type, d.address])).toEqual([['bounce', 'joe@example.com'], ['suppressed', 'joe@example.com']]);
    const body = JSON.parse(got[0]?.payload ?? '{}') as { id: string; type: string; createdAt: string; data: Record<string, unknown> };
    expect(body).toMatchObject({ id: got[0]?.eventId, type: 'bounce', createdAt: new Date(T0).toISOString() });
    expect(body.data).toMatchObject({ address: 'joe@example.com', reason: 'userunknown', status: '5.1.1', messageId: expect.any(Number), eventId: expect.any(Number) });
  });

  it('queues a complaint with its feedback type', async () => {
    const to = encode('fbl@example.com', verp);
    const arf = Buffer.from([
      'From: feedback@fbl.example.net', `To: ${to}`, 'Subject: complaint', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain', '', 'This is an email abuse report.', '',
      '--b1', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: FBL/1.0', 'Version: 1',
      'Original-Rcpt-To: fbl@example.com', '',
      '--b1', 'Content-Type: text/rfc822-headers', '', `Return-Path: <${to}>`, 'To: fbl@example.com', 'Message-ID: <n1@example.org>', '',
      '--b1--', '',
    ].join('\n'));
    await ingestRaw({ store, verp, policy: POLICY_DEFAULTS, now: () => T0 }, arf, 'test');
    const got = await take('all');
    expect(got.map((d) => d.type)).toEqual(['complaint', 'suppressed']);
    expect(JSON.parse(got[0]?.payload ?? '{}').data).toMatchObject({ address: 'fbl@example.com', kind: 'complaint', reason: 'feedback', feedbackType: 'abuse' });
  });

  it('gives the hook only suppression changes', async () => {
    await suppressManually(store, 'hooked@example.com', { reason: 'manual-test', now: T0 });
    const ctx = { store, verp, policy: POLICY_DEFAULTS, now: () => T0 };
    await ingestRaw(ctx, postfixDsn({ to: encode('hooked2@example.com', verp), recipient: 'hooked2@example.com', id: 'O4' }), 'test');
    const got = await take('hook');
    expect(got.map((d) => [d.type, d.address])).toEqual([['suppressed', 'hooked@example.com'], ['suppressed', 'hooked2@example.com']]);
  });

  it('queues reclassify\'s net changes, not a replay of every event', async () => {
    const ignoreUnknown: PolicyConfig = { ...POLICY_DEFAULTS, rules: [{ reason: 'userunknown', action: 'ignore' }] };
    const r = await reclassify(store, { verp, policy: ignoreUnknown });
    expect(r.removed).toBeGreaterThan(0);
    const got = await take('all');
    expect(got.every((d) => d.type === 'unsuppressed')).toBe(true);
    expect(got.map((d) => d.address).sort()).toEqual(r.changes.filter((c) => c.change === 'remove').map((c) => c.address).sort());
    expect(JSON.parse(got[0]?.payload ?? '{}').data).toMatchObject({ change: 'remove', actor: 'reclassify' });
    // back under the default policy: the addresses are suppressed again, announced once each
    const back = await reclassify(store, { verp, policy: POLICY_DEFAULTS });
    const again = await take('all');
    expect(again.map((d) => d.type)).toEqual(Array(back.added).fill('suppressed'));
  });

  it('leases a delivery to one claim at a time, and lets another take it when the lease lapses', async () => {
    await store.unit((tx) => tx.enqueueOutbox({ type: 'unsuppressed', address: 'lease@example.com', at: T0, data: {} }));
    await store.unit((tx) => tx.fanOutOutbox([ALL], T0, 100));
    const claim = (token: string, now: number) => store.unit((tx) => tx.claimDeliveries({ targets: ['all'], now, leaseMs: 1000, limit: 10, token }));
    const first = await claim('first', T0);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ attempts: 1, address: 'lease@example.com' });
    expect(await claim('second', T0 + 999)).toEqual([]);
    const second = await claim('second', T0 + 1000);
    expect(second).toEqual([expect.objectContaining({ id: first[0]?.id, attempts: 2 })]);
    // the first claimant's late outcome is not recorded over the second's lease
    const id = first[0]?.id ?? 0;
    expect(await store.unit((tx) => tx.finishDelivery(id, 'first', { status: 'delivered', at: T0 + 1001 }))).toBe(false);
    expect(await store.unit((tx) => tx.finishDelivery(id, 'second', { status: 'failed', at: T0 + 1001, error: 'HTTP 410' }))).toBe(true);
    expect(await store.listOutbox({ status: ['failed'] })).toEqual([expect.objectContaining({ id, lastError: 'HTTP 410', attempts: 2 })]);
    expect(await store.unit((tx) => tx.retryDeliveries([id], T0 + 2000))).toBe(1);
    expect(await store.listOutbox()).toEqual([expect.objectContaining({ id, status: 'pending', attempts: 0, nextAttemptAt: T0 + 2000 })]);
    // a delivery being attempted (leased) is not reset under its claimant
    await claim('third', T0 + 2000);
    expect(await store.unit((tx) => tx.retryDeliveries([id], T0 + 2001))).toBe(0);
    await store.unit((tx) => tx.finishDelivery(id, 'third', { status: 'delivered', at: T0 + 2002 }));
    expect(await store.outboxCounts()).toMatchObject({ queued: 0, pending: 0, failed: 0 });
    expect(await store.unit((tx) => tx.pruneOutbox(T0 + 3000))).toBeGreaterThan(0);
    expect(await store.listOutbox({ status: ['delivered'] })).toEqual([]);
  });
});
