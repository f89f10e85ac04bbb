// The command line for the sending side and the outbox: `rebound send` through a local relay, and a
// `rebound serve` whose webhook fails, seen with `rebound outbox list --failed` and redelivered after
// `rebound outbox retry`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { startRelay, type Relay } from '../support/relay.js';
import { BIN, freePort, serve, stop } from '../support/serve.js';
import { startReceiver, until, type Receiver } from '../support/webhook-receiver.js';

const dir = mkdtempSync(join(tmpdir(), 'rebound-cli-send-'));
const db = join(dir, 'rebound.db');

/** Run the CLI without blocking this process (the relay and the webhook receiver live in it). */
function rebound(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, REBOUND_DATABASE_URL: db, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe('rebound send', () => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    await relay.close();
  });

  it('sends, reports each recipient as JSON, and exits 1 when the relay refused one', async () => {
    const text = join(dir, 'body.txt');
    writeFileSync(text, 'Hello from the test.\n');
    const env = { REBOUND_SEND_SMTP_URL: `smtp://127.0.0.1:${relay.port}`, REBOUND_BOUNCE_DOMAINS: 'bounces.example.org' };
    const r = await rebound(['send', '--to', 'cli-ok@example.com', '--to', 'nouser@example.com', '--subject', 'Hi', '--text', text, '--from', 'me@example.org', '--json'], env);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l['address'], l['status']])).toEqual([['cli-ok@example.com', 'sent'], ['nouser@example.com', 'rejected']]);
    expect(relay.delivered.at(-1)?.mailFrom).toBe('bounces+cli-ok=example.com@bounces.example.org');
    // recorded: now suppressed, so the next send skips it and succeeds
    const again = await rebound(['send', '--to', 'nouser@example.com', '--subject', 'Hi', '--text', text, '--from', 'me@example.org'], env);
    expect(again.code).toBe(0);
    expect(again.out).toBe('skipped\tnouser@example.com\tsuppressed (userunknown)\n');
  });

  it('exits 2 on usage and configuration errors', async () => {
    expect((await rebound(['send', '--to', 'a@example.com', '--text', 'x'])).code).toBe(2);
    const noRelay = await rebound(['send', '--to', 'a@example.com', '--subject', 'S', '--text', join(dir, 'body.txt'), '--from', 'me@example.org']);
    expect(noRelay.code).toBe(2);
    expect(noRelay.err).toMatch(/REBOUND_SEND_SMTP_URL/);
  });
});

describe('rebound outbox', () => {
  let receiver: Receiver;
  let up = false;
  beforeAll(async () => {
    receiver = await startReceiver(() => (up ? 200 : 500));
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists a webhook delivery that failed for good, and delivers it again after retry', async () => {
    const port = await freePort();
    const child = await serve({
      // (the HTTP API is not under test here)
      REBOUND_DATABASE_URL: db, REBOUND_SMTP_LISTEN: `127.0.0.1:${port}`, REBOUND_HTTP_LISTEN: 'off', REBOUND_WEBHOOK_URLS: receiver.url,
      REBOUND_WEBHOOK_SECRET: 'webhook-secret-0001-long-enough', REBOUND_OUTBOX_MAX_ATTEMPTS: '1',
    });
    try {
      // everything queued so far (the send test's rejection) plus this one, fanned out by the serve process
      expect((await rebound(['suppressions', 'add', 'cli-hook@example.com', '--reason', 'test'])).code).toBe(0);
      const store = await openStore(db);
      try {
        await until(async () => (await store.outboxCounts()).failed > 0 && (await store.outboxCounts()).pending === 0
          && (await store.outboxCounts()).queued === 0, 'the failed deliveries');
      } finally {
        await store.close();
      }
      const list = await rebound(['outbox', 'list', '--failed', '--json']);
      expect(list.code).toBe(0);
      const rows = list.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows).toContainEqual(expect.objectContaining({
        type: 'suppressed', address: 'cli-hook@example.com', status: 'failed', attempts: 1, target: `webhook:${receiver.url}`,
        lastError: expect.stringMatching(/^HTTP 500/),
      }));
      const human = await rebound(['outbox', 'list']);
      expect(human.out).toContain('\tfailed\t1 attempt\t');
      expect(human.err).toMatch(/^outbox: 0 queued, 0 pending, \d+ failed, 0 delivered$/m);
      up = true;
      const retry = await rebound(['outbox', 'retry', '--json']);
      expect(JSON.parse(retry.out)).toEqual({ retried: rows.length });
      await until(() => receiver.received.filter((r) => r.json.data['address'] === 'cli-hook@example.com').length === 2, 'the redelivery');
      await until(async () => (await rebound(['outbox', 'list', '--json'])).out === '', 'an empty outbox');
    } finally {
      await stop(child);
    }
    expect((await rebound(['outbox', 'retry', 'x'])).code).toBe(2);
  });
});
