// The store's read queries behind the HTTP API, over both stores: the batch check, statistics per day,
// events by message and in both orders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent, Store } from '../../src/store/types.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

const DAY = 86_400_000;
const T = Date.UTC(2026, 10, 10, 12);

function event(messageId: number, address: string, over: Partial<NewEvent> = {}): NewEvent {
  return {
    messageId, address, reportedAddress: address, kind: 'bounce', action: 'failed', status: '5.1.1', replyCode: '550',
    reason: 'userunknown', hard: true, fault: 'recipient', diagnostic: '', remoteMta: 'mx', command: 'RCPT', mta: 'postfix',
    trusted: true, receivedAt: T, outcome: 'suppress', rule: 'hard-bounce', explanation: '', softCounted: false, ...over,
  };
}

describe.each(STORE_KINDS)('read queries on the %s store', (kind) => {
  let db: Fresh;
  let store: Store;
  let ids: number[];
  let messageIds: number[];

  beforeAll(async () => {
    db = await freshDatabase(kind);
    store = await db.open();
    messageIds = [];
    for (let i = 0; i < 2; i++) {
      const m = await store.unit((tx) => tx.insertMessage({
        sha256: `q${i}`, receivedAt: T, source: 'test', raw: Buffer.from('x'), parseStatus: 'parsed', kind: 'bounce', mta: 'postfix',
        parserVersion: 't', messageId: null, subject: '', verpReturnPath: null, verpStatus: null, verpRecipient: null, error: null, result: '{}',
      }));
      messageIds.push(m.id);
    }
    const [m1, m2] = messageIds as [number, number];
    ids = await store.unit(async (tx) => [
      await tx.insertEvent(event(m1, 'joe@example.com', { receivedAt: T - 2 * DAY })),
      await tx.insertEvent(event(m1, '"odd@local"@quoted.example', { receivedAt: T - 2 * DAY, hard: false, reason: 'mailboxfull', fault: 'transient' })),
      await tx.insertEvent(event(m2, 'ann@example.com', { kind: 'complaint', hard: null, reason: 'feedback', fault: 'none', receivedAt: T - DAY })),
      await tx.insertEvent(event(m2, 'kim@other.example', { kind: 'auto-reply', hard: null, reason: 'vacation', fault: 'none', receivedAt: T })),
      await tx.insertEvent(event(m2, 'bob@other.example', { hard: false, reason: 'blocked', fault: 'sender', receivedAt: T })),
    ]);
    await store.unit(async (tx) => {
      for (const [address, expiresAt] of [['joe@example.com', null], ['ann@example.com', T + DAY], ['gone@example.com', T - 1]] as const) {
        await tx.putSuppression({
          address, reason: 'userunknown', fault: 'recipient', kind: 'bounce', sourceEventId: null, firstSeen: T, lastSeen: T, count: 1,
          expiresAt, manual: false, rule: 'hard-bounce', note: '',
        });
      }
    });
  });
  afterAll(async () => {
    await store.close();
    await db.cleanup();
  });

  it('checks a batch in one query: live suppressions only, any case, duplicates once', async () => {
    const batch = ['JOE@example.com', 'joe@example.com', 'ann@example.com', 'gone@example.com', 'nobody@example.com'];
    expect((await store.checkMany(batch, T)).map((s) => s.address).sort()).toEqual(['ann@example.com', 'joe@example.com']);
    expect((await store.checkMany(batch, T + 2 * DAY)).map((s) => s.address)).toEqual(['joe@example.com']);
    expect(await store.checkMany([], T)).toEqual([]);
    const many = Array.from({ length: 10_000 }, (_, i) => `n${i}@example.com`).concat('joe@example.com');
    expect((await store.checkMany(many, T)).map((s) => s.address)).toEqual(['joe@example.com']);
  });

  it('counts events per UTC day by category and by the domain after the last @', async () => {
    const day = (t: number) => Math.floor(t / DAY) * DAY;
    const cat = await store.stats({ by: 'category', since: T - 3 * DAY, until: T + DAY, top: 10 });
    expect(cat.rows.sort((a, b) => a.day - b.day || a.key.localeCompare(b.key))).toEqual([
      { day: day(T - 2 * DAY), key: 'hard', count: 1 },
      { day: day(T - 2 * DAY), key: 'soft', count: 1 },
      { day: day(T - DAY), key: 'complaint', count: 1 },
      { day: day(T), key: 'auto-reply', count: 1 },
      { day: day(T), key: 'soft', count: 1 },
    ]);
    expect(cat.more).toBe(false);
    const domains = await store.stats({ by: 'domain', since: T - 3 * DAY, until: T + DAY, top: 10 });
    const totals = new Map<string, number>();
    for (const r of domains.rows) totals.set(r.key, (totals.get(r.key) ?? 0) + r.count);
    expect(Object.fromEntries(totals)).toEqual({ 'example.com': 2, 'other.example': 2, 'quoted.example': 1 });
    const top = await store.stats({ by: 'domain', since: T - 3 * DAY, until: T + DAY, top: 1 });
    expect(new Set(top.rows.map((r) => r.key)).size).toBe(1);
    expect(top.more).toBe(true);
    const sender = await store.stats({ by: 'reason', fault: 'sender', since: T - 3 * DAY, until: T + DAY, top: 10 });
    expect(sender.rows).toEqual([{ day: day(T), key: 'blocked', count: 1 }]);
    expect((await store.stats({ by: 'kind', since: T + DAY, until: T + 2 * DAY, top: 10 })).rows).toEqual([]);
  });

  it('lists events newest first, before a cursor, and by message; reads one', async () => {
    expect((await store.listEvents({ newestFirst: true })).map((e) => e.id)).toEqual([...ids].reverse());
    expect((await store.listEvents({ newestFirst: true, beforeId: ids[3], limit: 2 })).map((e) => e.id)).toEqual([ids[2], ids[1]]);
    expect((await store.listEvents({ messageId: messageIds[0] })).map((e) => e.address)).toEqual(['joe@example.com', '"odd@local"@quoted.example']);
    expect(await store.getEvent(ids[2] as number)).toMatchObject({ address: 'ann@example.com', kind: 'complaint', hard: null });
    expect(await store.getEvent(999_999)).toBeUndefined();
  });

  it('answers a ping and reports no pending writes when idle', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    expect(store.pending()).toBe(0);
  });
});
