// Webhooks from the durable outbox, over both stores: signed POSTs to a local receiver, retries with
// backoff (on a test clock), stable ids, failures kept visible, nothing for a rolled-back unit, and the
// background dispatcher the service runs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingestRaw } from '../../src/ingest/ingest-raw.js';
import { createDispatcher, type Dispatcher } from '../../src/notify/dispatcher.js';
import { verifySignature } from '../../src/notify/signature.js';
import { WebhookTarget } from '../../src/notify/webhook.js';
import { POLICY_DEFAULTS } from '../../src/policy/index.js';
import type { Store } from '../../src/store/types.js';
import { suppressManually, unsuppress } from '../../src/suppressions.js';
import { encode, VERP_DEFAULTS, type VerpConfig } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';
import { startReceiver, until, type Receiver } from '../support/webhook-receiver.js';

const SECRETS = ['webhook-secret-0001-long-enough'];
const verp: VerpConfig = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };
const RETRY_MS = 10_000;
const RETRY_MAX_MS = 80_000;

describe.each(STORE_KINDS)('webhooks with the %s store', (kind) => {
  let db: Fresh;
  let store: Store;
  let receiver: Receiver | undefined;
  let now = Date.UTC(2026, 10, 1, 12);

  beforeAll(async () => {
    db = await freshDatabase(kind);
    store = await db.open();
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    // leave no deliveries behind for the next test's receiver
    await store.unit(async (tx) => {
      await tx.fanOutOutbox([], now, 100_000);
      await tx.pruneOutbox(Number.MAX_SAFE_INTEGER);
    });
  });
  afterAll(async () => {
    await store.close();
    await db.cleanup();
  });

  const dispatcher = (r: Receiver, o: { maxAttempts?: number } = {}): Dispatcher => createDispatcher({
    store, targets: [new WebhookTarget({ url: r.url, secrets: SECRETS, timeoutMs: 5_000 })], maxAttempts: o.maxAttempts ?? 5,
    retryMs: RETRY_MS, retryMaxMs: RETRY_MAX_MS, leaseMs: 60_000, now: () => now, random: () => 0.5,
  });

  it('POSTs a signed bounce and suppressed event for a hard bounce, each with its stable id', async () => {
    receiver = await startReceiver();
    const to = encode('joe@example.com', verp);
    await ingestRaw({ store, verp, policy: POLICY_DEFAULTS, now: () => now }, postfixDsn({ to, recipient: 'joe@example.com', id: 'W1' }), 'test');
    const d = dispatcher(receiver);
    expect(await d.runOnce()).toMatchObject({ fannedOut: 2, claimed: 2, delivered: 2 });
    const got = receiver.received;
    expect(got.map((r) => r.json.type).sort()).toEqual(['bounce', 'suppressed']);
    for (const r of got) {
      const header = String(r.headers['rebound-signature']);
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifySignature(header, r.body, SECRETS)).toBe(true);
      expect(verifySignature(header, r.body, ['some-other-secret-0000'])).toBe(false);
      expect(verifySignature(header, r.body.replace('joe@', 'ann@'), SECRETS)).toBe(false);
      expect(r.headers['rebound-event-id']).toBe(r.json.id);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.json.data['address']).toBe('joe@example.com');
    }
    const bounce = got.find((r) => r.json.type === 'bounce')?.json;
    expect(bounce?.data).toMatchObject({ reason: 'userunknown', hard: true, fault: 'recipient', status: '5.1.1', outcome: 'suppress' });
    const suppressed = got.find((r) => r.json.type === 'suppressed')?.json;
    expect(suppressed?.data).toMatchObject({ change: 'add', actor: 'policy', reason: 'userunknown', expiresAt: null, manual: false });
    expect(new Set(got.map((r) => r.json.id)).size).toBe(2);
    // delivered rows are not delivered again
    expect(await d.runOnce()).toMatchObject({ claimed: 0 });
    expect(receiver.received).toHaveLength(2);
  });

  it('retries a failed POST after an exponential delay, with the same id and body', async () => {
    receiver = await startReceiver((n) => (n === 0 ? 500 : 200));
    await suppressManually(store, 'retry@example.com', { reason: 'manual-test', now });
    const d = dispatcher(receiver);
    expect(await d.runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    const [pending] = await store.listOutbox();
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, type: 'suppressed', address: 'retry@example.com' });
    expect(pending?.lastError).toMatch(/^HTTP 500/);
    // equal jitter: between half and all of the first delay
    expect(pending?.nextAttemptAt).toBeGreaterThanOrEqual(now + RETRY_MS / 2);
    expect(pending?.nextAttemptAt).toBeLessThanOrEqual(now + RETRY_MS);
    // not due yet: nothing is sent
    expect(await d.runOnce()).toMatchObject({ claimed: 0 });
    expect(receiver.received).toHaveLength(1);
    now += RETRY_MS;
    expect(await d.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    const [first, second] = receiver.received;
    expect(second?.json.id).toBe(first?.json.id);
    expect(second?.body).toBe(first?.body);
    expect([first?.headers['rebound-delivery-attempt'], second?.headers['rebound-delivery-attempt']]).toEqual(['1', '2']);
    expect(await store.listOutbox()).toEqual([]);
    expect(await store.listOutbox({ status: ['delivered'] })).toEqual([expect.objectContaining({ eventId: first?.json.id, attempts: 2 })]);
  });

  it('gives up after the last attempt, keeps the failure visible, and delivers it again when retried', async () => {
    let up = false;
    receiver = await startReceiver(() => (up ? 200 : 503));
    await unsuppress(store, 'retry@example.com', 'test', now);
    const d = dispatcher(receiver, { maxAttempts: 3 });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await d.runOnce();
      expect(r.claimed).toBe(1);
      const [row] = await store.listOutbox();
      if (row?.status === 'pending') delays.push(row.nextAttemptAt - now);
      now += RETRY_MAX_MS;
    }
    // the delay doubles (the jitter is fixed at one half here)
    expect(delays).toEqual([RETRY_MS * 0.75, RETRY_MS * 1.5]);
    const failed = await store.listOutbox({ status: ['failed'] });
    expect(failed).toEqual([expect.objectContaining({ type: 'unsuppressed', status: 'failed', attempts: 3 })]);
    expect(failed[0]?.lastError).toMatch(/^HTTP 503: receiver says no/);
    expect(await store.outboxCounts()).toMatchObject({ failed: 1, pending: 0 });
    expect(await d.runOnce()).toMatchObject({ claimed: 0 });
    expect(receiver.received).toHaveLength(3);
    up = true;
    expect(await store.unit((tx) => tx.retryDeliveries('failed', now))).toBe(1);
    expect(await d.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(receiver.received.map((r) => r.json.id)).toEqual(Array(4).fill(receiver.received[0]?.json.id));
    expect(receiver.received[3]?.json.data).toMatchObject({ address: 'retry@example.com', change: 'remove', actor: 'manual', reason: 'manual-test' });
  });

  it('queues and sends nothing for a unit that rolls back, even batched with one that commits', async () => {
    receiver = await startReceiver();
    const event = (address: string) => ({ type: 'suppressed' as const, address, at: now, data: { address } });
    const results = await Promise.allSettled([
      store.unit((tx) => tx.enqueueOutbox(event('kept@example.com'))),
      store.unit(async (tx) => {
        await tx.putSuppression({
          address: 'gone@example.com', reason: 'x', fault: 'none', kind: 'manual', sourceEventId: null, firstSeen: now, lastSeen: now,
          count: 0, expiresAt: null, manual: true, rule: 'manual', note: '',
        });
        await tx.enqueueOutbox(event('gone@example.com'));
        throw new Error('boom');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(await store.getSuppression('gone@example.com')).toBeUndefined();
    expect(await store.outboxCounts()).toMatchObject({ queued: 1 });
    await dispatcher(receiver).runOnce();
    expect(receiver.received.map((r) => r.json.data['address'])).toEqual(['kept@example.com']);
  });

  it('announces a lapsed suppression swept by expiry', async () => {
    receiver = await startReceiver();
    await suppressManually(store, 'lapse@example.com', { reason: 'manual-test', expiresInDays: 1, now });
    await store.sweepExpired(now + 2 * 86_400_000);
    await dispatcher(receiver).runOnce();
    expect(receiver.received.map((r) => [r.json.type, r.json.data['change']])).toEqual([['suppressed', 'add'], ['unsuppressed', 'expire']]);
  });

  it('sends the credentials of a URL as HTTP Basic authorization', async () => {
    receiver = await startReceiver();
    await suppressManually(store, 'auth@example.com', { reason: 'manual-test', now });
    const url = receiver.url.replace('http://', 'http://app%40hooks:s3cr%3At@');
    const d = createDispatcher({
      store, targets: [new WebhookTarget({ url, secrets: SECRETS, timeoutMs: 5_000 })], maxAttempts: 1, retryMs: 1, retryMaxMs: 1,
      leaseMs: 60_000, now: () => now,
    });
    expect(await d.runOnce()).toMatchObject({ delivered: 1 });
    expect(receiver.received[0]?.headers['authorization']).toBe(`Basic ${Buffer.from('app@hooks:s3cr:t').toString('base64')}`);
    expect((await store.listOutbox({ status: ['delivered'] })).at(-1)?.target).toBe(`webhook:${receiver.url}`);
  });

  it('runs in the background and stops gracefully', async () => {
    receiver = await startReceiver();
    const d = createDispatcher({
      store, targets: [new WebhookTarget({ url: receiver.url, secrets: SECRETS, timeoutMs: 5_000 })], maxAttempts: 3, retryMs: 1000,
      retryMaxMs: 1000, leaseMs: 60_000, pollMs: 10,
    });
    d.start();
    for (let i = 0; i < 40; i++) await suppressManually(store, `bg${i}@example.com`, { reason: 'manual-test' });
    await until(() => receiver?.received.length === 40, '40 deliveries');
    await d.stop();
    await d.stop();
    expect(new Set(receiver.received.map((r) => r.json.data['address'])).size).toBe(40);
    expect(await store.listOutbox()).toEqual([]);
  });
});
