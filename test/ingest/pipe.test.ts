// `rebound ingest` as an MTA runs it (a real process, the message on standard input): exit 0 only after the
// commit; 75 (EX_TEMPFAIL) when the store is unavailable or the transaction fails, with nothing written.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { encode, VERP_DEFAULTS } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { BIN, freePort } from '../support/serve.js';
import { breakEventInserts } from '../support/store-failure.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

// real servers and processes on a machine that may be busy with other suites: generous limits, no timing assertions
vi.setConfig({ testTimeout: 120_000 });

const verp = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };

function ingest(input: Buffer, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'ingest'], {
    input, env: { ...process.env, REBOUND_LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function bounce(address: string, id: string): Buffer {
  return postfixDsn({ to: encode(address, verp), recipient: address, id });
}

describe.each(STORE_KINDS)('rebound ingest with the %s store', (kind) => {
  let db: Fresh;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => {
    await db.cleanup();
  });

  async function counts(): Promise<{ messages: number; events: number }> {
    const store = await openStore(db.url);
    try {
      return await store.counts();
    } finally {
      await store.close();
    }
  }

  it('exits 0 once the message is committed, and a second delivery of it is counted once', async () => {
    const raw = bounce('piped@example.com', `PIPE1${kind}`);
    const r = ingest(raw, { REBOUND_DATABASE_URL: db.url });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^stored as message \d+\n$/);
    const store = await openStore(db.url);
    try {
      expect(await store.isSuppressed('piped@example.com')).toMatchObject({ reason: 'userunknown' });
    } finally {
      await store.close();
    }
    const again = ingest(raw, { REBOUND_DATABASE_URL: db.url });
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already stored/);
    expect(await counts()).toMatchObject({ messages: 1, events: 1 });
  });

  it('exits 75 when the transaction fails half-way, and keeps nothing of the message', async () => {
    const before = await counts();
    const repair = await breakEventInserts(kind, db.url);
    let r;
    try {
      r = ingest(bounce('halfway@example.com', `PIPE2${kind}`), { REBOUND_DATABASE_URL: db.url });
    } finally {
      await repair();
    }
    expect(r.status).toBe(75);
    expect(r.stderr).toMatch(/simulated storage failure.*the MTA will retry/);
    // the message row was written before the event insert failed: rolled back with it
    expect(await counts()).toEqual(before);
    // the MTA's retry succeeds
    expect(ingest(bounce('halfway@example.com', `PIPE2${kind}`), { REBOUND_DATABASE_URL: db.url }).status).toBe(0);
  });
});

describe('rebound ingest without a usable store', () => {
  const raw = bounce('nobody@example.com', 'PIPE3');

  it('exits 75 when PostgreSQL does not answer', async () => {
    const port = await freePort();
    const r = ingest(raw, { REBOUND_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/rebound` });
    expect(r.status).toBe(75);
    expect(r.stderr).toMatch(/store unavailable/);
  });

  it('exits 75 when the SQLite file cannot be opened', () => {
    const r = ingest(raw, { REBOUND_DATABASE_URL: '/proc/rebound-cannot-exist/rebound.db' });
    expect(r.status).toBe(75);
    expect(r.stderr).toMatch(/store unavailable/);
  });

  it('exits 75 on an invalid configuration (the message waits until it is fixed), 65 on empty input', () => {
    expect(ingest(raw, { REBOUND_DATABASE_URL: ':memory:', REBOUND_VERP_SEPARATOR: '!!' }).status).toBe(75);
    expect(ingest(Buffer.alloc(0), { REBOUND_DATABASE_URL: ':memory:' }).status).toBe(65);
  });
});
