// Pure parts of telling the app: signatures, retry delays, hook statement parameters, the settings.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { retryDelay } from '../../src/notify/backoff.js';
import { signatureHeader, verifySignature } from '../../src/notify/signature.js';
import { hookStatementProblem, scanParams } from '../../src/notify/sql-params.js';
import { webhookTargetName } from '../../src/notify/webhook.js';

describe('webhook signatures', () => {
  const body = '{"id":"e1","type":"bounce"}';
  const t = 1_790_000_000;

  it('is t=<seconds>,v1=<HMAC-SHA256 over "t.body"> per secret, as the README tells receivers', () => {
    const want = createHmac('sha256', 'first-secret-000000').update(`${t}.${body}`).digest('hex');
    const want2 = createHmac('sha256', 'second-secret-00000').update(`${t}.${body}`).digest('hex');
    expect(signatureHeader(body, ['first-secret-000000', 'second-secret-00000'], t)).toBe(`t=${t},v1=${want},v1=${want2}`);
  });

  it('verifies with any secret, within the tolerance only, and not for another body', () => {
    const h = signatureHeader(body, ['first-secret-000000', 'second-secret-00000'], t);
    expect(verifySignature(h, body, ['second-secret-00000'], { now: t * 1000 })).toBe(true);
    expect(verifySignature(h, body, ['third-secret-000000'], { now: t * 1000 })).toBe(false);
    expect(verifySignature(h, body + ' ', ['first-secret-000000'], { now: t * 1000 })).toBe(false);
    expect(verifySignature(h, body, ['first-secret-000000'], { now: (t + 301) * 1000 })).toBe(false);
    expect(verifySignature(h.replace(/^t=\d+/, `t=${t + 1}`), body, ['first-secret-000000'], { now: t * 1000 })).toBe(false);
    expect(verifySignature('v1=abc', body, ['first-secret-000000'])).toBe(false);
  });
});

describe('retry delays', () => {
  it('double per attempt up to the cap, with half of each delay random', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, 1000, 10_000, () => 1))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect([1, 2, 3].map((n) => retryDelay(n, 1000, 10_000, () => 0))).toEqual([500, 1000, 2000]);
    expect(retryDelay(1000, 1000, 3_600_000, () => 1)).toBe(3_600_000);
  });
});

describe('hook statements', () => {
  it('finds $n outside literals, identifiers, comments and dollar quotes, and rewrites them for SQLite', () => {
    const s = scanParams(`UPDATE "t$1" SET a = $2, b = 'it''s $1' /* $3 */ WHERE e = lower($1) -- $4\n AND c = $$ $5 $$`);
    expect([...s.params].sort()).toEqual([1, 2]);
    expect(s.sqlite).toBe(`UPDATE "t$1" SET a = @p2, b = 'it''s $1' /* $3 */ WHERE e = lower(@p1) -- $4\n AND c = $$ $5 $$`);
  });

  it('must bind the address as $1 and may only add the reason as $2', () => {
    expect(hookStatementProblem('UPDATE users SET bad = true WHERE email = $1', 'x')).toBeUndefined();
    expect(hookStatementProblem("UPDATE users SET bad = true WHERE email = '$1'", 'x')).toMatch(/must use \$1/);
    expect(hookStatementProblem('UPDATE users SET bad = $3 WHERE email = $1', 'x')).toMatch(/not \$3/);
  });
});

describe('settings for sending, webhooks and the hook', () => {
  const base = { REBOUND_DATABASE_URL: ':memory:' };
  const fails = (env: Record<string, string>): string => {
    try {
      loadConfig({ env: { ...base, ...env } });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('reads each from the environment, flags and file keys', () => {
    const c = loadConfig({
      env: {
        ...base, REBOUND_WEBHOOK_URLS: 'https://app.example.org/hooks/rebound, http://127.0.0.1:9000/x', REBOUND_WEBHOOK_SECRET: 'webhook-secret-0001',
        REBOUND_HOOK_DATABASE_URL: 'postgres://app@127.0.0.1/app', REBOUND_HOOK_SUPPRESS_SQL: 'UPDATE users SET bad = true, why = $2 WHERE email = $1',
        REBOUND_SEND_SMTP_URL: 'smtp://127.0.0.1:25', REBOUND_SEND_FROM: 'News <news@example.org>',
      },
      flags: { 'outbox.maxAttempts': '4', 'send.unsubscribeUrl': 'https://example.org/u?a={address}' },
    });
    expect(c.webhooks).toEqual({ urls: ['https://app.example.org/hooks/rebound', 'http://127.0.0.1:9000/x'], secret: ['webhook-secret-0001'], timeoutSeconds: 10 });
    expect(c.hook.suppressSql).toContain('$2');
    expect(c.outbox).toEqual({ maxAttempts: 4, retrySeconds: 30, retryMaxSeconds: 3600 });
    expect(c.send).toMatchObject({ smtpUrl: 'smtp://127.0.0.1:25', from: 'News <news@example.org>', unsubscribeUrl: 'https://example.org/u?a={address}' });
  });

  it('refuses incomplete or unsafe settings with clear errors', () => {
    expect(fails({ REBOUND_WEBHOOK_URLS: 'https://app.example.org/x' })).toMatch(/needs webhooks.secret \(REBOUND_WEBHOOK_SECRET\)/);
    expect(fails({ REBOUND_WEBHOOK_URLS: 'ftp://app.example.org/x', REBOUND_WEBHOOK_SECRET: 'webhook-secret-0001' })).toMatch(/webhooks.urls.0: expected an http/);
    expect(fails({ REBOUND_WEBHOOK_URLS: 'https://a.example/x', REBOUND_WEBHOOK_SECRET: 'short' })).toMatch(/at least 16 characters.*env REBOUND_WEBHOOK_SECRET/);
    expect(fails({ REBOUND_HOOK_DATABASE_URL: 'app.db' })).toMatch(/needs both hook.databaseUrl/);
    expect(fails({ REBOUND_HOOK_SUPPRESS_SQL: 'UPDATE u SET x = 1 WHERE e = $1' })).toMatch(/needs both hook.databaseUrl/);
    expect(fails({ REBOUND_HOOK_DATABASE_URL: 'app.db', REBOUND_HOOK_SUPPRESS_SQL: "UPDATE u SET x = 1 WHERE e = '" + "joe'" })).toMatch(/must use \$1/);
    expect(fails({ REBOUND_SEND_SMTP_URL: 'http://relay.example.org' })).toMatch(/send.smtpUrl: expected smtp:/);
    expect(fails({ REBOUND_SEND_FROM: 'nobody' })).toMatch(/send.from: expected an email address/);
    expect(fails({ REBOUND_OUTBOX_RETRY_SECONDS: '60', REBOUND_OUTBOX_RETRY_MAX_SECONDS: '30' })).toMatch(/retryMaxSeconds/);
  });

  it('names a webhook target by its URL without credentials', () => {
    expect(webhookTargetName('https://user:pw@app.example.org/h?x=1')).toBe('webhook:https://app.example.org/h?x=1');
  });
});
