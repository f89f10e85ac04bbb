// Two dispatchers (two receivers' pools) on one PostgreSQL database, delivering the same outbox at once:
// every event reaches the webhook exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type RoundResult } from '../../src/notify/dispatcher.js';
import { WebhookTarget } from '../../src/notify/webhook.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { freshDatabase, type Fresh } from '../support/stores.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

const EVENTS = 400;

describe('two dispatchers on one PostgreSQL', () => {
  let db: Fresh;
  let a: Store;
  let b: Store;
  let receiver: Receiver;

  beforeAll(async () => {
    db = await freshDatabase('postgres');
    a = await db.open();
    b = await openStore(db.url);
    // a slow-ish receiver, so the two dispatchers' deliveries overlap
    receiver = await startReceiver(() => new Promise((r) => setTimeout(() => r(200), 5)));
  });
  afterAll(async () => {
    await receiver.close();
    await a.close();
    await b.close();
    await db.cleanup();
  });

  it('do not deliver the same row twice', async () => {
    const at = Date.now();
    await a.unit(async (tx) => {
      for (let i = 0; i < EVENTS; i++) await tx.enqueueOutbox({ type: 'suppressed', address: `u${i}@example.com`, at, data: { address: `u${i}@example.com` } });
    });
    const dispatcher = (store: Store) => createDispatcher({
      store, targets: [new WebhookTarget({ url: receiver.url, secrets: ['webhook-secret-0001-long-enough'], timeoutMs: 10_000 })],
      maxAttempts: 3, retryMs: 60_000, retryMaxMs: 60_000, leaseMs: 120_000,
    });
    const drain = async (store: Store): Promise<RoundResult[]> => {
      const d = dispatcher(store);
      const rounds: RoundResult[] = [];
      for (;;) {
        const r = await d.runOnce();
        rounds.push(r);
        if (r.claimed === 0 && (await store.outboxCounts()).queued === 0) break;
      }
      await d.stop();
      return rounds;
    };
    const [ra, rb] = await Promise.all([drain(a), drain(b)]);
    const delivered = (rs: RoundResult[]): number => rs.reduce((n, r) => n + r.delivered, 0);
    const ids = receiver.received.map((r) => r.json.id);
    expect(ids).toHaveLength(EVENTS);
    expect(new Set(ids).size).toBe(EVENTS);
    expect(delivered(ra) + delivered(rb)).toBe(EVENTS);
    expect(await a.outboxCounts()).toEqual({ queued: 0, pending: 0, failed: 0, delivered: EVENTS });
  });
});
