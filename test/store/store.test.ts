// One store test suite, run over both implementations.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { NewEvent, NewMessage, Store, Suppression } from '../../src/store/types.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

const T = Date.UTC(2026, 10, 1);

function message(n: number, over: Partial<NewMessage> = {}): NewMessage {
  return {
    sha256: `hash-${n}`, receivedAt: T + n, source: 'test', raw: Buffer.from(`raw message ${n}\n\u00ff`, 'latin1'),
    parseStatus: 'parsed', kind: 'bounce', mta: 'postfix', parserVersion: 't', messageId: `m${n}@x`, subject: 's',
    verpReturnPath: null, verpStatus: null, verpRecipient: null, error: null, result: '{}', ...over,
  };
}

function event(messageId: number, address: string, over: Partial<NewEvent> = {}): NewEvent {
  return {
    messageId, address, reportedAddress: address, kind: 'bounce', action: 'failed', status: '5.1.1', replyCode: '550',
    reason: 'userunknown', hard: true, fault: 'recipient', diagnostic: 'no such user', remoteMta: 'mx', command: 'RCPT',
    mta: 'postfix', trusted: true, receivedAt: T, outcome: 'suppress', rule: 'hard-bounce', explanation: '', softCounted: false,
    ...over,
  };
}

function suppression(address: string, over: Partial<Suppression> = {}): Suppression {
  return {
    address, reason: 'userunknown', fault: 'recipient', kind: 'bounce', sourceEventId: null, firstSeen: T, lastSeen: T,
    count: 1, expiresAt: null, manual: false, rule: 'hard-bounce', note: '', ...over,
  };
}

describe.each(STORE_KINDS)('%s store', (kind) => {
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

  it('migrates idempotently', async () => {
    expect(await store.migrate()).toBe(SCHEMA_VERSION);
    expect(await store.migrate()).toBe(SCHEMA_VERSION);
  });

  it('keeps raw bytes exactly and deduplicates by content hash', async () => {
    const m = message(1);
    const a = await store.unit((tx) => tx.insertMessage(m));
    const b = await store.unit((tx) => tx.insertMessage({ ...m, source: 'again' }));
    expect(a.duplicate).toBe(false);
    expect(b).toEqual({ id: a.id, duplicate: true });
    expect((await store.getRaw(a.id))?.equals(m.raw)).toBe(true);
    const stored = await store.getMessage(a.id);
    expect(stored).toMatchObject({ id: a.id, sha256: 'hash-1', source: 'test', size: m.raw.length, kind: 'bounce', mta: 'postfix' });
  });

  it('rolls back a failed unit entirely', async () => {
    await expect(store.unit(async (tx) => {
      await tx.insertMessage(message(2));
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect((await store.counts()).messages).toBe(1);
  });

  it('commits many concurrent units, each once', async () => {
    const ids = await Promise.all(Array.from({ length: 200 }, (_, i) => store.unit((tx) => tx.insertMessage(message(100 + i)))));
    expect(new Set(ids.map((x) => x.id)).size).toBe(200);
    expect((await store.counts()).messages).toBe(201);
  });

  it('stores events and reads them back by address, kind and cursor', async () => {
    const { id } = await store.unit((tx) => tx.insertMessage(message(3)));
    await store.unit(async (tx) => {
      await tx.insertEvent(event(id, 'joe@example.com'));
      await tx.insertEvent(event(id, 'ann@example.com', { kind: 'delay', action: 'delayed', hard: false, softCounted: true, receivedAt: T + 5 }));
    });
    const joe = await store.listEvents({ address: 'JOE@example.com' });
    expect(joe).toHaveLength(1);
    expect(joe[0]).toMatchObject({ address: 'joe@example.com', reason: 'userunknown', hard: true, trusted: true, messageId: id });
    expect(await store.listEvents({ kind: 'delay' })).toHaveLength(1);
    const first = await store.listEvents({ limit: 1 });
    const rest = await store.listEvents({ afterId: first[0]?.id });
    expect(rest.map((e) => e.address)).toEqual(['ann@example.com']);
    const h = await store.unit((tx) => tx.softHistory('ann@example.com', T));
    expect(h.softBounces).toEqual([T + 5]);
    await expect(store.unit((tx) => tx.insertEvent(event(id, 'joe@example.com')))).rejects.toThrow();
  });

  it('upserts, checks, lists, paginates and removes suppressions', async () => {
    await store.unit(async (tx) => {
      await tx.putSuppression(suppression('a@example.com'));
      await tx.putSuppression(suppression('b@example.com', { reason: 'mailboxfull', expiresAt: T + 1000 }));
      await tx.putSuppression(suppression('c@example.org', { manual: true, reason: 'manual' }));
      await tx.putSuppression(suppression('a@example.com', { count: 2, lastSeen: T + 9 }));
    });
    expect(await store.getSuppression('A@Example.com')).toMatchObject({ count: 2, lastSeen: T + 9 });
    expect(await store.isSuppressed('b@example.com', T + 999)).toBeDefined();
    expect(await store.isSuppressed('b@example.com', T + 1000)).toBeUndefined();
    expect((await store.checkMany(['a@example.com', 'B@example.com', 'x@example.com', 'c@example.org'], T)).map((s) => s.address).sort())
      .toEqual(['a@example.com', 'b@example.com', 'c@example.org']);
    expect((await store.listSuppressions({ now: T, search: 'example.com' })).map((s) => s.address)).toEqual(['a@example.com', 'b@example.com']);
    expect((await store.listSuppressions({ now: T, reason: 'manual' }))[0]?.manual).toBe(true);
    const page1 = await store.listSuppressions({ now: T, limit: 2 });
    const page2 = await store.listSuppressions({ now: T, limit: 2, after: page1[1]?.address });
    expect([...page1, ...page2].map((s) => s.address)).toEqual(['a@example.com', 'b@example.com', 'c@example.org']);
    expect(await store.unit((tx) => tx.deleteSuppression('c@example.org'))).toBe(true);
    expect(await store.unit((tx) => tx.deleteSuppression('c@example.org'))).toBe(false);
  });

  it('sweeps lapsed suppressions with an audit entry', async () => {
    expect(await store.sweepExpired(T + 2000)).toBe(1);
    expect(await store.getSuppression('b@example.com')).toBeUndefined();
    const audit = await store.listAudit('b@example.com');
    expect(audit.map((a) => [a.change, a.actor])).toEqual([['expire', 'expiry']]);
  });

  it('assigns stable recipient ids for compact VERP tokens', async () => {
    const a = await store.unit((tx) => tx.recipientId('Long.Address@example.com'));
    const b = await store.unit((tx) => tx.recipientId('Long.Address@example.com'));
    expect(a).toBe(b);
    expect(await store.unit((tx) => tx.recipientById(a))).toBe('Long.Address@example.com');
    expect(await store.unit((tx) => tx.recipientById(a + 1000))).toBeUndefined();
  });

  it('keeps everything across a reopen', async () => {
    const before = await store.counts();
    await store.close();
    store = await db.open();
    expect(await store.counts()).toEqual(before);
  });
});

describe('sqlite store: the write-ahead log', () => {
  it('is copied into the database file by a background checkpoint while the store runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rebound-wal-'));
    const path = join(dir, 'wal.db');
    const store = SqliteStore.open(path);
    try {
      await store.migrate();
      const sizeBefore = statSync(path).size;
      for (let i = 0; i < 40; i++) await store.unit((tx) => tx.insertMessage(message(10_000 + i, { raw: Buffer.alloc(8192, 'x') })));
      // the checkpoint worker starts about a second after the first commit and runs twice a second
      const deadline = Date.now() + 10_000;
      while (statSync(path).size <= sizeBefore + 40 * 8192 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(statSync(path).size).toBeGreaterThan(sizeBefore + 40 * 8192);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is emptied into the database file on close by a short-lived store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rebound-wal-'));
    const path = join(dir, 'short.db');
    try {
      const store = SqliteStore.open(path);
      await store.migrate();
      await store.unit((tx) => tx.insertMessage(message(20_000, { raw: Buffer.alloc(8192, 'y') })));
      await store.close();
      expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
      const again = SqliteStore.open(path);
      await again.migrate();
      expect((await again.getRaw(1))?.equals(Buffer.alloc(8192, 'y'))).toBe(true);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
