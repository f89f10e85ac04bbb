// The SMTP receiver end to end, in process: nodemailer as the sending MTA, both stores.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startService, type Service } from '../../src/service.js';
import { encode } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

const SECRET = 'smtp-test-secret-0123456789';
const log = createLogger('silent');

function config(url: string, extra: Record<string, string> = {}): Config {
  return loadConfig({
    env: {},
    flags: { 'database.url': url, 'smtp.listen': '127.0.0.1:0', 'http.listen': 'off', 'bounceDomains': 'bounces.example.org', 'verp.secret': SECRET, 'log.level': 'silent', ...extra },
  });
}

async function send(svc: Service, to: string, raw: Buffer): Promise<{ ok: true; response: string } | { ok: false; code: number; response: string }> {
  const { port } = svc.smtp?.address() ?? { port: 0 };
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    const info = await t.sendMail({ envelope: { from: '', to: [to] }, raw });
    return { ok: true, response: info.response };
  } catch (err) {
    const e = err as { responseCode?: number; response?: string };
    return { ok: false, code: e.responseCode ?? 0, response: e.response ?? String(err) };
  } finally {
    t.close();
  }
}

describe.each(STORE_KINDS)('SMTP receiver with the %s store', (kind) => {
  let db: Fresh;
  let svc: Service;
  let cfg: Config;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    cfg = config(db.url);
    svc = await startService(cfg, log);
  });
  afterAll(async () => {
    await svc.stop();
    await db.cleanup();
  });

  it('stores a Postfix DSN sent to a signed VERP address, answers 250 and suppresses the recipient', async () => {
    const to = encode('joe@example.com', cfg.verpConfig);
    const r = await send(svc, to, postfixDsn({ to, recipient: 'joe@example.com', id: 'SMTP1' }));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.response).toMatch(/^250 /);
    expect(await svc.store.isSuppressed('joe@example.com')).toMatchObject({ reason: 'userunknown' });
    const events = await svc.store.listEvents({ address: 'joe@example.com' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ trusted: true, outcome: 'suppress' });
  });

  it('refuses to relay: recipients outside the bounce domains or VERP pattern get 550', async () => {
    for (const rcpt of ['someone@elsewhere.example.com', 'joe@bounces.example.org']) {
      const r = await send(svc, rcpt, postfixDsn({ to: rcpt, recipient: 'x@example.com', id: 'R1' }));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe(550);
    }
  });

  it('keeps forged and expired bounces without suppressing anyone', async () => {
    const good = encode('victim@example.com', cfg.verpConfig);
    const forged = good.replace(/[a-z2-7]@/, (m) => (m[0] === 'a' ? 'b@' : 'a@'));
    const expired = encode('victim@example.com', cfg.verpConfig, { now: Date.now() - 61 * 86_400_000 });
    for (const [i, to] of [forged, expired].entries()) {
      const r = await send(svc, to, postfixDsn({ to, recipient: 'victim@example.com', id: `FX${i}` }));
      expect(r.ok).toBe(true);
    }
    expect(await svc.store.isSuppressed('victim@example.com')).toBeUndefined();
    const events = await svc.store.listEvents({ address: 'victim@example.com' });
    expect(events.map((e) => [e.trusted, e.rule])).toEqual([[false, 'untrusted'], [false, 'untrusted']]);
  });

  it('answers 552 to a message over the size limit', async () => {
    const small = await startService(config(db.url, { 'smtp.maxMessageBytes': '20000' }), log);
    try {
      const to = encode('big@example.com', cfg.verpConfig);
      const raw = Buffer.concat([postfixDsn({ to, recipient: 'big@example.com', id: 'BIG' }), Buffer.alloc(40_000, 'x\r\n')]);
      const r = await send(small, to, raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe(552);
    } finally {
      await small.stop();
    }
  });

  it('offers STARTTLS with a configured certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rebound-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { encoding: 'utf8' });
    expect(ssl.status, ssl.stderr).toBe(0);
    const tls = await startService(config(db.url, { 'smtp.tlsCert': cert, 'smtp.tlsKey': key }), log);
    try {
      const { port } = tls.smtp?.address() ?? { port: 0 };
      const to = encode('tls@example.com', cfg.verpConfig);
      const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
      const info = await t.sendMail({ envelope: { from: '', to: [to] }, raw: postfixDsn({ to, recipient: 'tls@example.com', id: 'TLS1' }) });
      t.close();
      expect(info.response).toMatch(/^250 /);
      expect(await tls.store.isSuppressed('tls@example.com')).toBeDefined();
    } finally {
      await tls.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers every command of a pipelined session, in order (RFC 2920)', async () => {
    const { port } = svc.smtp?.address() ?? { port: 0 };
    const to = encode('piped@example.com', cfg.verpConfig);
    const sock = connect(port, '127.0.0.1');
    const replies: string[] = [];
    let buf = '';
    let wanted = 0;
    let notify: (() => void) | undefined;
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (line[3] === ' ') replies.push(line); // the last line of a reply
      }
      if (replies.length >= wanted) notify?.();
    });
    const until = (n: number): Promise<void> => new Promise((resolve) => {
      wanted = n;
      notify = resolve;
      if (replies.length >= n) resolve();
    });
    try {
      await until(1); // greeting
      sock.write('EHLO mta.example.net\r\n');
      await until(2);
      // the envelope and DATA in one write, as a pipelining MTA sends them; one recipient is refused
      sock.write(`MAIL FROM:<>\r\nRCPT TO:<${to}>\r\nRCPT TO:<someone@elsewhere.example.com>\r\nDATA\r\n`);
      await until(6);
      const body = postfixDsn({ to, recipient: 'piped@example.com', id: 'PIPE1' }).toString('latin1');
      sock.write(`${body}${body.endsWith('\r\n') ? '' : '\r\n'}.\r\nQUIT\r\n`);
      await until(8);
      expect(replies.slice(2).map((r) => r.slice(0, 3))).toEqual(['250', '250', '550', '354', '250', '221']);
      expect(await svc.store.isSuppressed('piped@example.com')).toMatchObject({ reason: 'userunknown' });
    } finally {
      sock.destroy();
    }
  });

  it('keeps everything across a restart', async () => {
    const before = await svc.store.counts();
    await svc.stop();
    svc = await startService(cfg, log);
    expect(await svc.store.counts()).toEqual(before);
    expect(await svc.store.isSuppressed('joe@example.com')).toBeDefined();
  });

  it('answers 451 when the store fails, so the sender retries', async () => {
    const to = encode('later@example.com', cfg.verpConfig);
    await svc.store.close(); // the store goes away under a running receiver
    const r = await send(svc, to, postfixDsn({ to, recipient: 'later@example.com', id: 'T451' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(451);
    await svc.stop();
    svc = await startService(cfg, log);
  });
});
