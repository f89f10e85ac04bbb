#!/usr/bin/env node
// HTTP API benchmark: POST /api/v1/check with 10,000 addresses per request (half of them suppressed) against
// a store of 1,000,000 suppressions, served by a real `rebound serve` process on loopback with bearer auth.
// Prints addresses/s and the p50/p99 request latency (request sent → whole answer read).
//   npm run build && npm run bench:api [-- --suppressions 1000000 --requests 60 --batch 10000 --concurrency 1 --database postgres://…]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    suppressions: { type: 'string' }, requests: { type: 'string' }, batch: { type: 'string' }, concurrency: { type: 'string' },
    database: { type: 'string' },
  },
});
const SUPPRESSIONS = Number(values.suppressions ?? 1_000_000);
const REQUESTS = Number(values.requests ?? 60);
const BATCH = Number(values.batch ?? 10_000);
const CONCURRENCY = Number(values.concurrency ?? 1);
const WARMUP = 5;
const TOKEN = 'bench-read-token-0123456789';
const ADMIN = 'bench-admin-token-0123456789';
const tmp = mkdtempSync(join(tmpdir(), 'rebound-bench-api-'));
const postgres = values.database?.startsWith('postgres');
const database = values.database ?? join(tmp, 'bench.db');

const address = (i) => `user${i}@domain${i % 5000}.example`;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Create the schema (through the store's own migrations), then fill it with SUPPRESSIONS rows. */
async function fill() {
  const { openStore } = await import(join(root, 'dist', 'store', 'index.js'));
  const store = await openStore(database);
  await store.close();
  const t0 = performance.now();
  const now = Date.now();
  if (postgres) {
    const c = new pg.Client({ connectionString: database });
    await c.connect();
    await c.query('TRUNCATE suppressions');
    await c.query(
      `INSERT INTO suppressions (address, reason, fault, kind, source_event_id, first_seen, last_seen, count, expires_at, manual, rule, note)
       SELECT 'user' || i || '@domain' || (i % 5000) || '.example', 'userunknown', 'recipient', 'bounce', NULL, $1, $1, 1, NULL, 0, 'hard-bounce', ''
       FROM generate_series(0, $2 - 1) AS i`,
      [now, SUPPRESSIONS],
    );
    await c.query('ANALYZE suppressions');
    await c.end();
  } else {
    const db = new Database(database);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF'); // a benchmark fixture: durability does not matter while building it
    const insert = db.prepare(`INSERT INTO suppressions (address, reason, fault, kind, source_event_id, first_seen, last_seen, count, expires_at, manual, rule, note)
      VALUES (?, 'userunknown', 'recipient', 'bounce', NULL, ?, ?, 1, NULL, 0, 'hard-bounce', '')`);
    db.transaction(() => {
      for (let i = 0; i < SUPPRESSIONS; i++) insert.run(address(i), now, now);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
  return (performance.now() - t0) / 1000;
}

/** Request bodies, built before timing: half suppressed addresses (spread over the table), half unknown ones. */
function bodies(n) {
  const out = [];
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let r = 0; r < n; r++) {
    const list = [];
    for (let i = 0; i < BATCH; i++) list.push(i % 2 ? address(Math.floor(rand() * SUPPRESSIONS)) : `nobody${r}.${i}@elsewhere.example`);
    out.push(JSON.stringify({ addresses: list }));
  }
  return out;
}

function serve(port) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'rebound'), 'serve'], {
      env: {
        ...process.env, REBOUND_DATABASE_URL: database, REBOUND_SMTP_LISTEN: 'off', REBOUND_HTTP_LISTEN: `127.0.0.1:${port}`,
        REBOUND_API_TOKEN: ADMIN, REBOUND_API_READ_TOKEN: TOKEN, REBOUND_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (d) => {
      log += d.toString();
      if (log.includes('http api listening')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${log}`)));
  });
}

async function check(port, body) {
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/check`, {
    method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body,
  });
  const answer = await res.json();
  if (res.status !== 200) throw new Error(`check answered ${res.status}: ${JSON.stringify(answer)}`);
  return { ms: performance.now() - t0, suppressed: answer.suppressed.length, checked: answer.checked };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

let child;
try {
  process.stdout.write(`filling ${SUPPRESSIONS.toLocaleString('en')} suppressions (${postgres ? 'PostgreSQL' : 'SQLite'})… `);
  const fillS = await fill();
  console.log(`${fillS.toFixed(1)} s`);
  const all = bodies(WARMUP + REQUESTS);
  const port = await freePort();
  child = await serve(port);
  for (const b of all.slice(0, WARMUP)) await check(port, b);

  const times = [];
  let suppressed = 0;
  let checked = 0;
  let next = WARMUP;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < all.length) {
      const r = await check(port, all[next++]);
      times.push(r.ms);
      suppressed += r.suppressed;
      checked += r.checked;
    }
  }));
  const wall = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const addresses = REQUESTS * BATCH;
  console.log(`POST /api/v1/check: ${REQUESTS} requests × ${BATCH.toLocaleString('en')} addresses, concurrency ${CONCURRENCY}, `
    + `${suppressed.toLocaleString('en')} of ${checked.toLocaleString('en')} suppressed`);
  console.log(`  ${Math.round(addresses / wall).toLocaleString('en')} addresses/s; request latency p50 ${pct(times, 50).toFixed(1)} ms, `
    + `p99 ${pct(times, 99).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
} finally {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (!postgres) rmSync(tmp, { recursive: true, force: true });
}
