// `rebound serve` runs the HTTP API beside the SMTP receiver: a bounce sent over SMTP is answered by the
// API over a real socket, the receiver's intake shows in /metrics, and stop() closes the HTTP port too.
import { spawn } from 'node:child_process';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startService, type Service } from '../../src/service.js';
import { ADMIN_TOKEN, bounce, READ_TOKEN } from '../support/api.js';
import { BIN, freePort, stop } from '../support/serve.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

describe.each(STORE_KINDS)('the service with the %s store', (kind) => {
  let db: Fresh;
  let svc: Service;
  let base: string;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    svc = await startService(loadConfig({
      env: {},
      flags: {
        'database.url': db.url, 'smtp.listen': '127.0.0.1:0', 'http.listen': '127.0.0.1:0', 'http.token': ADMIN_TOKEN,
        'http.readToken': READ_TOKEN, 'bounceDomains': 'bounces.example.org', 'log.level': 'silent',
      },
    }), createLogger('silent'));
    base = `http://127.0.0.1:${svc.http?.address().port}`;
  });
  afterAll(async () => {
    await svc.stop();
    await db.cleanup();
  });

  const auth = { authorization: `Bearer ${READ_TOKEN}` };

  it('answers for a bounce received over SMTP, and counts its intake in /metrics', async () => {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: svc.smtp?.address().port, secure: false, ignoreTLS: true });
    try {
      await t.sendMail({ envelope: { from: '', to: ['bounces+eve=example.com@bounces.example.org'] }, raw: bounce('eve@example.com', 'SVC1') });
    } finally {
      t.close();
    }
    const check = await fetch(`${base}/api/v1/check`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ addresses: ['eve@example.com', 'adam@example.com'] }),
    });
    expect(check.status).toBe(200);
    expect(await check.json()).toMatchObject({ checked: 2, suppressed: [{ address: 'eve@example.com', reason: 'userunknown' }] });
    const metrics = await (await fetch(`${base}/metrics`, { headers: auth })).text();
    expect(metrics).toContain('rebound_intake_duration_seconds_count{source="smtp"} 1');
    expect(metrics).toContain('rebound_bounces_total{kind="bounce",reason="userunknown"} 1');
    expect(metrics).toContain('rebound_messages_total{source="smtp",status="parsed"} 1');
    expect(metrics).toContain('rebound_check_addresses_total{result="suppressed"} 1');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/static/app.js">');
  });

  it('closes the HTTP port on stop', async () => {
    await svc.stop();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});

describe('rebound serve', () => {
  it('starts the HTTP API beside the receiver, and refuses a public listen address without a token (exit 2)', async () => {
    const refused = spawn(process.execPath, [BIN, 'serve', '--http-listen', '0.0.0.0:0', '--smtp-listen', 'off', '--database-url', ':memory:'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    refused.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await new Promise((resolve) => refused.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/beyond loopback: set REBOUND_API_TOKEN/);

    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, REBOUND_DATABASE_URL: ':memory:', REBOUND_SMTP_LISTEN: 'off', REBOUND_HTTP_LISTEN: `127.0.0.1:${port}`, REBOUND_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let log = '';
        child.stderr.on('data', (d: Buffer) => {
          log += d.toString();
          if (log.includes('http api listening')) resolve();
        });
        child.once('exit', (c) => reject(new Error(`serve exited with ${c}: ${log}`)));
      });
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/session`);
      expect(await r.json()).toMatchObject({ scope: 'admin', via: 'loopback' });
    } finally {
      await stop(child);
    }
  });
});
