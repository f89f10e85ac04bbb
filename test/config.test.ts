import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, flagOf, loadConfig, SETTINGS } from '../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'rebound-config-'));

describe('configuration', () => {
  it('runs on embedded defaults with no configuration at all', () => {
    const c = loadConfig({ env: {} });
    expect(c.database.url).toBe('./data/rebound.db');
    expect(c.smtp.listen).toBe('127.0.0.1:2525');
    expect(c.verpConfig).toMatchObject({ prefix: 'bounces', separator: '+', equals: '=', secrets: [], validityDays: 60 });
    expect(c.policyConfig.soft).toEqual({ count: 3, spreadDays: 3, windowDays: 30, staleDays: 14, expiryDays: 30 });
    expect(Object.values(c.origin).every((o) => o === 'default')).toBe(true);
  });

  it('layers file, environment and flags, later winning', () => {
    const file = join(dir, 'rebound.toml');
    writeFileSync(file, 'bounceDomains = ["bounces.example.org"]\n[smtp]\nlisten = "127.0.0.1:2600"\nmaxClients = 7\n[verp]\nprefix = "bnc"\n');
    const c = loadConfig({
      file,
      env: { REBOUND_SMTP_LISTEN: '127.0.0.1:2700', REBOUND_VERP_SECRET: 'newest-secret-0001,older-secret-0002' },
      flags: { 'smtp.listen': '127.0.0.1:2800' },
    });
    expect(c.smtp.listen).toBe('127.0.0.1:2800');
    expect(c.smtp.maxClients).toBe(7);
    expect(c.verpConfig.prefix).toBe('bnc');
    expect(c.verpConfig.secrets).toEqual(['newest-secret-0001', 'older-secret-0002']);
    expect(c.verpConfig.domains).toEqual(['bounces.example.org']);
    expect(c.origin['smtp.listen']).toBe('flag --smtp-listen');
    expect(c.origin['verp.secret']).toBe('env REBOUND_VERP_SECRET');
    expect(c.origin['smtp.maxClients']).toBe(`file ${file}`);
  });

  it('reads JSON files too', () => {
    const file = join(dir, 'rebound.json');
    writeFileSync(file, JSON.stringify({ policy: { softCount: 5, rules: [{ reason: 'suspend', action: 'suppress' }] } }));
    const c = loadConfig({ file, env: {} });
    expect(c.policyConfig.soft.count).toBe(5);
    expect(c.policyConfig.rules).toEqual([{ reason: 'suspend', action: 'suppress' }]);
  });

  it.each([
    [{ REBOUND_SMTP_LISTEN: 'nonsense' }, /smtp\.listen: expected host:port.*REBOUND_SMTP_LISTEN/s],
    [{ REBOUND_SMTP_MAX_CLIENTS: 'many' }, /REBOUND_SMTP_MAX_CLIENTS: expected a whole number/],
    [{ REBOUND_SMTP_LISTEN: '0.0.0.0:25' }, /beyond loopback: set REBOUND_BOUNCE_DOMAINS/],
    [{ REBOUND_VERP_SECRET: 'short' }, /at least 16 characters/],
    [{ REBOUND_POLICY_RULES: '[{"reason":"nosuch","action":"suppress"}]' }, /policy\.rules/],
    [{ REBOUND_POLICY_RULES: 'not json' }, /REBOUND_POLICY_RULES: not valid JSON/],
    [{ REBOUND_SMTP_TLS_CERT: '/x.pem' }, /needs both/],
    [{ REBOUND_LOG_LEVEL: 'loud' }, /log\.level/],
  ])('rejects %o with a clear message', (env, message) => {
    expect(() => loadConfig({ env })).toThrow(ConfigError);
    expect(() => loadConfig({ env })).toThrow(message);
  });

  it('accepts a public listen address once bounce domains are set', () => {
    const c = loadConfig({ env: { REBOUND_SMTP_LISTEN: '0.0.0.0:25', REBOUND_BOUNCE_DOMAINS: 'bounces.example.org, b2.example.org' } });
    expect(c.bounceDomains).toEqual(['bounces.example.org', 'b2.example.org']);
  });

  it('refuses unknown keys in a file and missing files', () => {
    const file = join(dir, 'bad.toml');
    writeFileSync(file, '[smtp]\nlisten_port = 25\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(/unknown setting "smtp.listen_port"/);
    expect(() => loadConfig({ file: join(dir, 'missing.toml'), env: {} })).toThrow(/no such file/);
  });

  it('gives every setting an environment variable and a flag', () => {
    for (const s of SETTINGS) {
      expect(s.env).toMatch(/^REBOUND_[A-Z_]+$/);
      expect(flagOf(s.key)).toMatch(/^--[a-z-]+$/);
    }
    expect(new Set(SETTINGS.map((s) => s.env)).size).toBe(SETTINGS.length);
  });
});
