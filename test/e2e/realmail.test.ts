// The whole flow against real servers: `rebound send` hands mail to a real Postfix with VERP return paths;
// Postfix bounces it (an unknown local user; a remote MX answering 550 5.1.1 and 452 4.2.2) and delivers its
// own DSNs to Rebound's SMTP receiver, or into a real Dovecot mailbox that Rebound reads over IMAP. Hard
// bounces land on the suppression list, the delay does not; the users table in a separate PostgreSQL
// database is updated by the hook; a local webhook receiver gets signed events.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { verifySignature } from '../../src/notify/signature.js';
import { startService, type Service } from '../../src/service.js';
import { uniqueFolder, TestImap } from '../support/imap.js';
import { REALMAIL, startFakeMx, startRealMail, type FakeMx } from '../support/realmail.js';
import { BIN } from '../support/serve.js';
import { PG_ADMIN_URL } from '../support/stores.js';
import { startReceiver, until, type Receiver } from '../support/webhook-receiver.js';

const SECRET = 'e2e-verp-secret-0123456789';
const WEBHOOK_SECRET = 'e2e-webhook-secret-012345';
const run = `${process.pid}${Date.now().toString(36)}`;
const log = createLogger('silent');

describe('end to end with real Postfix and Dovecot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rebound-e2e-'));
  const db = join(dir, 'rebound.db');
  const appDb = `rebound_app_${run}`;
  const appUrl = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${appDb}`);
  const processed = uniqueFolder('processed');
  let mx: FakeMx;
  let hooks: Receiver;
  let svc: Service;
  let config: Config;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    startRealMail();
    mx = await startFakeMx();
    hooks = await startReceiver();
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${appDb}`);
    await admin.end();
    const app = new pg.Client({ connectionString: appUrl });
    await app.connect();
    await app.query('CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, email_invalid boolean NOT NULL DEFAULT false, bounce_reason text)');
    await app.end();
    Object.assign(env, {
      REBOUND_DATABASE_URL: db,
      REBOUND_SMTP_LISTEN: `127.0.0.1:${REALMAIL.receiverPort}`,
      REBOUND_HTTP_LISTEN: 'off',
      REBOUND_BOUNCE_DOMAINS: 'bounce.test,mbox.test',
      REBOUND_VERP_SECRET: SECRET,
      REBOUND_SEND_SMTP_URL: `smtp://127.0.0.1:${REALMAIL.postfixPort}`,
      REBOUND_SEND_FROM: 'News <news@example.test>',
      REBOUND_WEBHOOK_URLS: hooks.url,
      REBOUND_WEBHOOK_SECRET: WEBHOOK_SECRET,
      REBOUND_HOOK_DATABASE_URL: appUrl,
      REBOUND_HOOK_SUPPRESS_SQL: 'UPDATE users SET email_invalid = true, bounce_reason = $2 WHERE lower(email) = lower($1)',
      REBOUND_HOOK_UNSUPPRESS_SQL: 'UPDATE users SET email_invalid = false, bounce_reason = NULL WHERE lower(email) = lower($1)',
      REBOUND_OUTBOX_RETRY_SECONDS: '1',
      REBOUND_IMAP_URLS: `imap://${encodeURIComponent(REALMAIL.imapUser)}@127.0.0.1:${REALMAIL.imapPort}/INBOX?tls=none&action=move&folder=${processed}`,
      REBOUND_IMAP_PASSWORD: REALMAIL.imapPassword,
      REBOUND_IMAP_POLL_SECONDS: '1',
      REBOUND_LOG_LEVEL: 'silent',
    });
    config = loadConfig({ env });
    svc = await startService(config, log);
  });

  afterAll(async () => {
    await svc?.stop();
    await mx?.close();
    await hooks?.close();
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${appDb} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `rebound send` as a user runs it, with the same settings as the service. */
  function send(to: string[], extra: Record<string, string> = {}): { code: number; out: string; err: string } {
    const text = join(dir, 'body.txt');
    writeFileSync(text, 'Hello from the end-to-end test.\n');
    const r = spawnSync(process.execPath, [BIN, 'send', ...to.flatMap((t) => ['--to', t]), '--subject', 'e2e news', '--text', text, '--json'], {
      env: { ...process.env, ...env, ...extra }, encoding: 'utf8',
    });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  }

  async function users(emails: string[]): Promise<Map<string, { invalid: boolean; reason: string | null }>> {
    const app = new pg.Client({ connectionString: appUrl });
    await app.connect();
    try {
      const r = await app.query<{ email: string; email_invalid: boolean; bounce_reason: string | null }>(
        'SELECT email, email_invalid, bounce_reason FROM users WHERE email = ANY($1)', [emails]);
      return new Map(r.rows.map((u) => [u.email, { invalid: u.email_invalid, reason: u.bounce_reason }]));
    } finally {
      await app.end();
    }
  }

  it('turns Postfix DSNs for `rebound send` mail into suppressions, hook updates and signed webhooks', async () => {
    const ghost = `ghost-${run}@example.test`; // no such local user: Postfix's own 5.1.1 bounce
    const nosuch = `nosuch-${run}@remote.test`; // the remote MX answers 550 5.1.1
    const full = `full-${run}@remote.test`; // the remote MX answers 452 4.2.2: a delay notice
    const ok = `ok-${run}@remote.test`;
    const app = new pg.Client({ connectionString: appUrl });
    await app.connect();
    for (const e of [ghost, nosuch, full, ok]) await app.query('INSERT INTO users (email) VALUES ($1)', [e]);
    await app.end();

    const sent = send([ghost, nosuch, full, ok]);
    expect(sent.code, sent.err).toBe(0);
    // each recipient went out in its own transaction with its own signed VERP return path
    await until(() => mx.received.some((m) => m.to.includes(ok)), 'the accepted message at the fake MX');
    const envelope = mx.received.find((m) => m.to.includes(ok));
    expect(envelope?.from).toMatch(new RegExp(`^bounces\\+ok-${run}=remote\\.test\\+[a-z2-7]{13}@bounce\\.test$`));

    await until(async () => (await svc.store.isSuppressed(ghost)) !== undefined && (await svc.store.isSuppressed(nosuch)) !== undefined,
      'hard bounces from Postfix', 60_000);
    expect(await svc.store.isSuppressed(ghost)).toMatchObject({ reason: 'userunknown', fault: 'recipient' });
    expect(await svc.store.isSuppressed(nosuch)).toMatchObject({ reason: 'userunknown' });
    const ghostEvents = await svc.store.listEvents({ address: ghost });
    expect(ghostEvents[0]).toMatchObject({ kind: 'bounce', status: '5.1.1', hard: true, trusted: true, mta: 'postfix' });
    const nosuchEvent = (await svc.store.listEvents({ address: nosuch }))[0];
    expect(nosuchEvent).toMatchObject({ status: '5.1.1', replyCode: '550', command: 'RCPT', remoteMta: expect.stringContaining('127.0.0.1') });

    // the 452 comes back as a delay notice: recorded, never suppressed
    await until(async () => (await svc.store.listEvents({ address: full })).some((e) => e.kind === 'delay'), 'the delay notice', 60_000);
    const delay = (await svc.store.listEvents({ address: full })).find((e) => e.kind === 'delay');
    expect(delay).toMatchObject({ action: 'delayed', status: '4.2.2', outcome: 'record' });
    expect(await svc.store.isSuppressed(full)).toBeUndefined();
    expect(await svc.store.isSuppressed(ok)).toBeUndefined();

    // the users table of the app, in its own PostgreSQL database
    await until(async () => {
      const u = await users([ghost, nosuch]);
      return u.get(ghost)?.invalid === true && u.get(nosuch)?.invalid === true;
    }, 'the users-table hook', 30_000);
    const u = await users([ghost, nosuch, full, ok]);
    expect(u.get(ghost)).toEqual({ invalid: true, reason: 'userunknown' });
    expect(u.get(full)?.invalid).toBe(false);
    expect(u.get(ok)?.invalid).toBe(false);

    // signed webhooks
    await until(() => [ghost, nosuch].every((a) => hooks.received.some((r) => r.json.type === 'suppressed' && JSON.stringify(r.json.data).includes(a))),
      'suppressed webhooks', 30_000);
    for (const r of hooks.received) {
      expect(verifySignature(String(r.headers['rebound-signature']), r.body, [WEBHOOK_SECRET])).toBe(true);
      expect(r.json.id).toBeTruthy();
    }
    expect(hooks.received.some((r) => r.json.type === 'bounce')).toBe(true);
    expect(hooks.received.some((r) => r.json.type === 'suppressed' && JSON.stringify(r.json.data).includes(full))).toBe(false);

    // sending again skips the suppressed recipients
    const again = send([ghost, ok]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/skipped/);
  }, 120_000);

  it('reads the same kind of bounces from the Dovecot mailbox over IMAP, moving each only after commit', async () => {
    const ghost = `imap-ghost-${run}@example.test`;
    // return paths at mbox.test: Postfix delivers the DSNs into bounces@mbox.test, read by the IMAP intake
    const sent = send([ghost], { REBOUND_BOUNCE_DOMAINS: 'mbox.test,bounce.test' });
    expect(sent.code, sent.err).toBe(0);
    await until(async () => {
      await svc.imap?.pollNow();
      return (await svc.store.isSuppressed(ghost)) !== undefined;
    }, 'the bounce read over IMAP', 60_000);
    const event = (await svc.store.listEvents({ address: ghost }))[0];
    expect(event).toMatchObject({ reason: 'userunknown', trusted: true });
    const message = await svc.store.getMessage(event?.messageId ?? 0);
    expect(message?.source).toMatch(/^imap:/);
    // the IMAP intake reports to the metrics like the SMTP receiver
    expect((await svc.metrics.render()).body).toMatch(/rebound_intake_duration_seconds_count\{source="imap"\} [1-9]/);
    // committed, then moved out of INBOX into the processed folder
    const imap = await TestImap.connect();
    try {
      const lock = await imap.client.getMailboxLock(processed);
      let found = false;
      try {
        for await (const m of imap.client.fetch('1:*', { source: true })) if (m.source?.toString().includes(ghost.split('@')[0] ?? '')) found = true;
      } finally {
        lock.release();
      }
      expect(found).toBe(true);
      const inbox = await imap.client.getMailboxLock('INBOX');
      try {
        let left = false;
        for await (const m of imap.client.fetch('1:*', { source: true })) if (m.source?.toString().includes(ghost.split('@')[0] ?? '')) left = true;
        expect(left).toBe(false);
      } finally {
        inbox.release();
      }
    } finally {
      await imap.client.logout();
    }
  }, 120_000);
});
