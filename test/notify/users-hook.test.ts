// The users-table hook against the app's own database — a separate PostgreSQL database, and a SQLite file —
// fed from the outbox: suppressions set the flag, removals clear it, values are bound parameters only, a
// broken app database is retried and visible, and a late retry never undoes a newer change.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRaw } from '../../src/ingest/ingest-raw.js';
import { createDispatcher, type Dispatcher } from '../../src/notify/dispatcher.js';
import { UsersTableHook } from '../../src/notify/users-hook.js';
import { POLICY_DEFAULTS } from '../../src/policy/index.js';
import type { Store } from '../../src/store/types.js';
import { suppressManually, unsuppress } from '../../src/suppressions.js';
import { encode, VERP_DEFAULTS, type VerpConfig } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { freshDatabase, PG_ADMIN_URL, STORE_KINDS, type StoreKind } from '../support/stores.js';

const verp: VerpConfig = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };
const USERS = ['Joe@Example.com', 'ann@example.com', "o'brien@example.com"];

/** The app's database: its own users table, nothing to do with Rebound's store. */
interface AppDb {
  url: string;
  exec(sql: string): Promise<void>;
  user(email: string): Promise<{ invalid: boolean; reason: string | null } | undefined>;
  count(): Promise<number>;
  cleanup(): Promise<void>;
}

let counter = 0;

async function appDatabase(kind: StoreKind): Promise<AppDb> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rebound-app-'));
    const path = join(dir, 'app.db');
    const db = new Database(path);
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, email_invalid INTEGER NOT NULL DEFAULT 0, invalid_reason TEXT)');
    for (const e of USERS) db.prepare('INSERT INTO users (email) VALUES (?)').run(e);
    return {
      url: `sqlite:${path}`,
      exec: async (sql) => void db.exec(sql),
      user: async (email) => {
        const r = db.prepare('SELECT email_invalid, invalid_reason FROM users WHERE email = ?').get(email) as { email_invalid: number; invalid_reason: string | null } | undefined;
        return r && { invalid: r.email_invalid === 1, reason: r.invalid_reason };
      },
      count: async () => (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n,
      cleanup: async () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `rebound_app_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('CREATE TABLE users (id SERIAL PRIMARY KEY, email TEXT NOT NULL, email_invalid BOOLEAN NOT NULL DEFAULT false, invalid_reason TEXT)');
  for (const e of USERS) await c.query('INSERT INTO users (email) VALUES ($1)', [e]);
  return {
    url,
    exec: async (sql) => void (await c.query(sql)),
    user: async (email) => {
      const r = (await c.query('SELECT email_invalid, invalid_reason FROM users WHERE email = $1', [email])).rows[0] as { email_invalid: boolean; invalid_reason: string | null } | undefined;
      return r && { invalid: r.email_invalid, reason: r.invalid_reason };
    },
    count: async () => Number((await c.query('SELECT COUNT(*) AS n FROM users')).rows[0].n),
    cleanup: async () => {
      await c.end();
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

describe.each(STORE_KINDS)('users-table hook in a %s app database', (kind) => {
  let rebound: Awaited<ReturnType<typeof freshDatabase>>;
  let store: Store;
  let app: AppDb;
  let d: Dispatcher;
  let now = Date.UTC(2026, 10, 1, 12);
  const TRUE = kind === 'sqlite' ? '1' : 'true';
  const FALSE = kind === 'sqlite' ? '0' : 'false';

  beforeAll(async () => {
    rebound = await freshDatabase(kind);
    store = await rebound.open();
    app = await appDatabase(kind);
    d = createDispatcher({
      store,
      targets: [new UsersTableHook({
        databaseUrl: app.url, store,
        // a literal '$1' inside a string stays text: only real placeholders are bound
        suppressSql: `UPDATE users SET email_invalid = ${TRUE}, invalid_reason = $2 || '' WHERE lower(email) = lower($1) AND email <> '$1'`,
        unsuppressSql: `UPDATE users SET email_invalid = ${FALSE}, invalid_reason = NULL WHERE lower(email) = lower($1)`,
      })],
      maxAttempts: 5, retryMs: 1000, retryMaxMs: 4000, leaseMs: 60_000, now: () => now,
    });
  });
  afterAll(async () => {
    await d.stop();
    await store.close();
    await rebound.cleanup();
    await app.cleanup();
  });

  it('marks the user invalid when a hard bounce suppresses the address, and valid again when it is lifted', async () => {
    const to = encode('joe@example.com', verp);
    await ingestRaw({ store, verp, policy: POLICY_DEFAULTS, now: () => now }, postfixDsn({ to, recipient: 'joe@example.com', id: 'H1' }), 'test');
    expect(await d.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await app.user('Joe@Example.com')).toEqual({ invalid: true, reason: 'userunknown' });
    expect(await app.user('ann@example.com')).toEqual({ invalid: false, reason: null });
    await unsuppress(store, 'joe@example.com', 'fixed', now);
    expect(await d.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await app.user('Joe@Example.com')).toEqual({ invalid: false, reason: null });
  });

  it('passes the address and reason as bound parameters only', async () => {
    await suppressManually(store, "o'brien@example.com", { reason: "x'); DROP TABLE users; --", now });
    expect(await d.runOnce()).toMatchObject({ delivered: 1 });
    expect(await app.user("o'brien@example.com")).toEqual({ invalid: true, reason: "x'); DROP TABLE users; --" });
    expect(await app.count()).toBe(USERS.length);
  });

  it('retries while the app database fails, shows the failure, and ends in the current state', async () => {
    await app.exec('ALTER TABLE users RENAME TO users_away');
    await suppressManually(store, 'ann@example.com', { reason: 'manual-test', now });
    expect(await d.runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    const [row] = await store.listOutbox();
    expect(row).toMatchObject({ target: 'hook', type: 'suppressed', address: 'ann@example.com', status: 'pending', attempts: 1 });
    expect(row?.lastError).toMatch(/^users-table hook: .*users/);
    // lifted before the first change could be written: the late retry must not mark the user invalid
    await unsuppress(store, 'ann@example.com', 'mistake', now);
    await app.exec('ALTER TABLE users_away RENAME TO users');
    now += 4000;
    expect(await d.runOnce()).toMatchObject({ claimed: 2, delivered: 2 });
    expect(await app.user('ann@example.com')).toEqual({ invalid: false, reason: null });
    expect(await store.listOutbox()).toEqual([]);
  });
});
