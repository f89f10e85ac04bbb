// Crash test: 16 concurrent SMTP clients send 2,000 distinct bounces to a real `rebound serve` process,
// which is killed with SIGKILL part-way and restarted; the clients resend whatever was not acknowledged.
// Afterwards every message that got a 250 is in the store and no recipient's bounce is counted twice.
import type { ChildProcess } from 'node:child_process';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/ingest/ingest-raw.js';
import { encode, VERP_DEFAULTS } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { freePort, serve } from '../support/serve.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

const MESSAGES = 2000;
const CLIENTS = 16;
const KILL_AFTER = 600;

const serveAt = (url: string, port: number): Promise<ChildProcess> =>
  serve({ REBOUND_DATABASE_URL: url, REBOUND_SMTP_LISTEN: `127.0.0.1:${port}` });

describe.each(STORE_KINDS)('crash safety with the %s store', (kind) => {
  let db: Fresh;
  let server: ChildProcess | undefined;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await db.cleanup();
  });

  it('loses no acknowledged message and counts no bounce twice across a SIGKILL', async () => {
    const port = await freePort();
    const cfg = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };
    const messages = Array.from({ length: MESSAGES }, (_, i) => {
      const recipient = `user${i}@example.com`;
      const to = encode(recipient, cfg);
      return { recipient, to, raw: postfixDsn({ to, recipient, id: `Q${i.toString(36).toUpperCase()}` }) };
    });
    const queue = messages.map((_, i) => i);
    const acked = new Set<number>();
    let killed = false;
    server = await serveAt(db.url, port);
    let restarting: Promise<void> | null = null;

    const worker = async (): Promise<void> => {
      let transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
      for (;;) {
        const i = queue.shift();
        if (i === undefined) break;
        const m = messages[i] as (typeof messages)[number];
        try {
          const info = await transport.sendMail({ envelope: { from: '', to: [m.to] }, raw: m.raw });
          if (!info.response.startsWith('250')) throw new Error(info.response);
          acked.add(i);
          if (!killed && acked.size >= KILL_AFTER) {
            killed = true;
            server?.kill('SIGKILL');
            restarting = new Promise((r) => setTimeout(r, 300)).then(async () => {
              server = await serveAt(db.url, port);
            });
          }
        } catch {
          queue.push(i); // not acknowledged: send again later
          transport.close();
          if (restarting) await restarting;
          else await new Promise((r) => setTimeout(r, 50));
          transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
        }
      }
      transport.close();
    };
    await Promise.all(Array.from({ length: CLIENTS }, worker));
    expect(killed).toBe(true);
    expect(acked.size).toBe(MESSAGES);
    server?.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
    server = undefined;

    const store = await db.open();
    try {
      const counts = await store.counts();
      expect(counts.messages).toBe(MESSAGES);
      // every acknowledged message is stored, by content
      const hashes = new Set<string>();
      for (let after = 0; ; ) {
        const ids = await store.messageIds(after, 1000);
        if (ids.length === 0) break;
        for (const id of ids) hashes.add((await store.getMessage(id))?.sha256 ?? '');
        after = ids[ids.length - 1] ?? after;
      }
      for (const i of acked) expect(hashes.has(sha256((messages[i] as (typeof messages)[number]).raw))).toBe(true);
      // one event and one suppression per recipient
      const events = await store.listEvents();
      expect(events).toHaveLength(MESSAGES);
      expect(new Set(events.map((e) => e.address)).size).toBe(MESSAGES);
      expect(await store.countSuppressions()).toBe(MESSAGES);
    } finally {
      await store.close();
    }
  }, 180_000);
});
