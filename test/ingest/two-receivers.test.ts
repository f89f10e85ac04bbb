// Several receivers on one PostgreSQL: two `rebound serve` processes ingest at once — the same bounces
// delivered to both, and different bounces for the same addresses split between them. No event is lost
// or doubled, and each address gets exactly one suppression.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { encode, VERP_DEFAULTS } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { freePort, serve, stop, transport } from '../support/serve.js';
import { freshDatabase, type Fresh } from '../support/stores.js';

const ADDRESSES = 300;

describe('two receivers on one PostgreSQL', () => {
  let db: Fresh;
  const servers: ChildProcess[] = [];
  beforeAll(async () => {
    db = await freshDatabase('postgres');
  });
  afterAll(async () => {
    for (const s of servers) await stop(s);
    await db.cleanup();
  });

  it('ingest concurrently without lost or doubled events', async () => {
    const ports = [await freePort(), await freePort()];
    for (const port of ports) servers.push(await serve({ REBOUND_DATABASE_URL: db.url, REBOUND_SMTP_LISTEN: `127.0.0.1:${port}` }));
    const cfg = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };
    // per address: one bounce sent to BOTH receivers (a retried delivery), and one soft bounce each to a
    // different receiver
    const jobs: Array<{ port: number; to: string; raw: Buffer }> = [];
    for (let i = 0; i < ADDRESSES; i++) {
      const recipient = `r${i}@example.com`;
      const to = encode(recipient, cfg);
      const hard = postfixDsn({ to, recipient, id: `H${i}` });
      jobs.push({ port: ports[0] as number, to, raw: hard }, { port: ports[1] as number, to, raw: hard });
      for (const [k, port] of ports.entries()) {
        jobs.push({ port, to, raw: postfixDsn({ to, recipient, id: `S${i}x${k}`, status: '4.2.2', diagnostic: '452 4.2.2 Mailbox full' }) });
      }
    }
    jobs.sort(() => Math.random() - 0.5);
    const clients = Array.from({ length: 8 }, (_, k) => ({ port: ports[k % 2] as number, t: [transport(ports[0] as number), transport(ports[1] as number)] }));
    let next = 0;
    await Promise.all(clients.map(async (c) => {
      for (;;) {
        const j = jobs[next++];
        if (!j) break;
        const info = await (j.port === ports[0] ? c.t[0] : c.t[1])!.sendMail({ envelope: { from: '', to: [j.to] }, raw: j.raw });
        expect(info.response).toMatch(/^250 /);
      }
      for (const t of c.t) t.close();
    }));
    const store = await db.open();
    try {
      const counts = await store.counts();
      expect(counts.messages).toBe(ADDRESSES * 3); // the twice-delivered bounce is stored once
      const events = await store.listEvents();
      expect(events).toHaveLength(ADDRESSES * 3);
      const perAddress = new Map<string, number>();
      for (const e of events) perAddress.set(e.address, (perAddress.get(e.address) ?? 0) + 1);
      expect([...perAddress.values()].every((n) => n === 3)).toBe(true);
      expect(await store.countSuppressions()).toBe(ADDRESSES);
      const list = await store.listSuppressions();
      expect(new Set(list.map((s) => s.address)).size).toBe(ADDRESSES);
      expect(list.every((s) => s.reason === 'userunknown' && s.expiresAt === null)).toBe(true);
    } finally {
      await store.close();
    }
  }, 180_000);
});
