// Who may call what: bearer tokens and their scopes, the dashboard's session cookie, the loopback-only open
// mode, and the configuration rules that keep a token-less API off the network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../../src/config.js';
import type { Store } from '../../src/store/types.js';
import { ADMIN_TOKEN, admin, READ_TOKEN, reader, testApi, testConfig, type TestApi } from '../support/api.js';
import { freshDatabase, type Fresh } from '../support/stores.js';

/** Every route of the API with a request that would succeed with the admin token. */
const ROUTES: Array<{ method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; admin?: boolean; payload?: unknown; type?: string }> = [
  { method: 'GET', url: '/api/v1/suppressions' },
  { method: 'GET', url: '/api/v1/suppressions/joe%40example.com' },
  { method: 'PUT', url: '/api/v1/suppressions/joe%40example.com', admin: true, payload: { reason: 'unsubscribed' } },
  { method: 'DELETE', url: '/api/v1/suppressions/joe%40example.com', admin: true },
  { method: 'POST', url: '/api/v1/check', payload: { addresses: ['joe@example.com'] } },
  { method: 'GET', url: '/api/v1/events' },
  { method: 'GET', url: '/api/v1/events/1' },
  { method: 'GET', url: '/api/v1/messages/1' },
  { method: 'GET', url: '/api/v1/messages/1/raw' },
  { method: 'GET', url: '/api/v1/stats' },
  { method: 'POST', url: '/api/v1/parse', payload: 'Subject: hello\r\n\r\nhi\r\n', type: 'message/rfc822' },
  { method: 'GET', url: '/api/v1/session' },
  { method: 'GET', url: '/metrics' },
];

describe('API authentication', () => {
  let db: Fresh;
  let store: Store;
  let api: TestApi;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    store = await db.open();
    api = await testApi(store);
  });
  afterAll(async () => {
    await api.app.close();
    await store.close();
    await db.cleanup();
  });

  const call = (r: (typeof ROUTES)[number], headers: Record<string, string>) => api.app.inject({
    method: r.method, url: r.url, headers: { ...headers, ...(r.type ? { 'content-type': r.type } : {}) },
    ...(r.payload === undefined ? {} : { payload: r.payload as string }),
  });

  it('answers 401 with a JSON error to every route without a token or with a wrong one', async () => {
    for (const r of ROUTES) {
      const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: `Basic ${ADMIN_TOKEN}` }];
      for (const headers of attempts) {
        const res = await call(r, headers);
        expect(res.statusCode, `${r.method} ${r.url} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      }
    }
  });

  it('answers 403 to the read-only token on changes, and lets it read, check and parse', async () => {
    for (const r of ROUTES) {
      const res = await call(r, reader);
      if (r.admin) {
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      } else {
        expect([200, 404], `${r.method} ${r.url}`).toContain(res.statusCode);
      }
    }
  });

  it('lets the admin token do everything', async () => {
    for (const r of ROUTES) expect([200, 201, 204, 404], `${r.method} ${r.url}`).toContain((await call(r, admin)).statusCode);
  });

  it('keeps health, the OpenAPI document and the dashboard files open', async () => {
    for (const url of ['/healthz', '/readyz', '/api/openapi.json', '/', '/static/app.js', '/static/chart.js', '/static/style.css']) {
      expect((await api.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    const page = await api.app.inject({ method: 'GET', url: '/' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/https?:\/\//); // nothing loaded from elsewhere
    expect((await api.app.inject({ method: 'GET', url: '/static/../config.ts' })).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'GET', url: '/no/such/route' })).json()).toEqual({ error: { code: 'not-found', message: expect.any(String) } });
  });

  it('logs the dashboard in with a token: an HttpOnly session cookie of that scope, changes need the CSRF header', async () => {
    const bad = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: 'nope' } });
    expect(bad.statusCode).toBe(401);
    const login = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: ADMIN_TOKEN } });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ scope: 'admin', via: 'session', csrfHeader: 'x-rebound-csrf' });
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/rebound_session=admin\.\d+\.[\w-]+/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toContain(ADMIN_TOKEN);
    const cookie = setCookie.split(';')[0] as string;

    const who = await api.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    expect(who.json()).toMatchObject({ scope: 'admin', via: 'session' });
    const put = (headers: Record<string, string>) => api.app.inject({ method: 'PUT', url: '/api/v1/suppressions/cookie%40example.com', headers: { cookie, ...headers }, payload: { reason: 'unsubscribed' } });
    expect((await put({})).json().error.code).toBe('csrf');
    expect((await put({ 'x-rebound-csrf': '1' })).statusCode).toBe(201);

    // a forged or expired cookie is no session
    const forged = cookie.replace(/\.[\w-]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/suppressions', headers: { cookie: forged } })).statusCode).toBe(401);
    const promoted = cookie.replace('rebound_session=admin', 'rebound_session=read');
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/suppressions', headers: { cookie: promoted } })).statusCode).toBe(401);

    const readLogin = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: READ_TOKEN } });
    const readCookie = String(readLogin.headers['set-cookie']).split(';')[0] as string;
    const del = await api.app.inject({ method: 'DELETE', url: '/api/v1/suppressions/cookie%40example.com', headers: { cookie: readCookie, 'x-rebound-csrf': '1' } });
    expect(del.statusCode).toBe(403);

    const logout = await api.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } });
    expect(logout.statusCode).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(/rebound_session=;/);
  });

  it('ends sessions when the token changes', async () => {
    const login = await api.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: ADMIN_TOKEN } });
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    const rotated = await testApi(store, testConfig({ 'http.token': 'a-brand-new-admin-token-0001' }));
    try {
      expect((await rotated.app.inject({ method: 'GET', url: '/api/v1/suppressions', headers: { cookie } })).statusCode).toBe(401);
    } finally {
      await rotated.app.close();
    }
  });
});

describe('API with no token configured', () => {
  let db: Fresh;
  let store: Store;
  let api: TestApi;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    store = await db.open();
    api = await testApi(store, loadConfig({ env: {}, flags: { 'log.level': 'silent' } }));
  });
  afterAll(async () => {
    await api.app.close();
    await store.close();
    await db.cleanup();
  });

  it('answers loopback callers addressing it by a loopback name, with every scope', async () => {
    for (const host of ['127.0.0.1:8025', 'localhost:8025', '[::1]:8025']) {
      const r = await api.app.inject({ method: 'PUT', url: '/api/v1/suppressions/open%40example.com', headers: { host }, payload: { reason: 'unsubscribed' } });
      expect([200, 201], host).toContain(r.statusCode);
    }
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/session' })).json()).toMatchObject({ scope: 'admin', via: 'loopback' });
  });

  it('refuses other hosts (DNS rebinding) and other peers with 403', async () => {
    const rebound = await api.app.inject({ method: 'GET', url: '/api/v1/suppressions', headers: { host: 'attacker.example:8025' } });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.json().error.code).toBe('loopback-only');
    const remote = await api.app.inject({ method: 'GET', url: '/api/v1/suppressions', remoteAddress: '192.0.2.7' });
    expect(remote.statusCode).toBe(403);
    expect((await api.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '192.0.2.7' })).statusCode).toBe(200);
  });
});

describe('HTTP configuration', () => {
  const load = (flags: Record<string, string>) => () => loadConfig({ env: {}, flags });

  it('defaults to 127.0.0.1:8025 with no tokens; "off" disables', () => {
    expect(loadConfig({ env: {} }).http).toEqual({ listen: '127.0.0.1:8025', token: '', readToken: '', sessionHours: 12 });
    expect(loadConfig({ env: { REBOUND_HTTP_LISTEN: 'off' } }).http.listen).toBe('off');
    const c = loadConfig({ env: { REBOUND_API_TOKEN: ADMIN_TOKEN, REBOUND_API_READ_TOKEN: READ_TOKEN, REBOUND_HTTP_SESSION_HOURS: '2' } });
    expect(c.http).toMatchObject({ token: ADMIN_TOKEN, readToken: READ_TOKEN, sessionHours: 2 });
    expect(c.origin['http.token']).toBe('env REBOUND_API_TOKEN');
    const shown = Object.fromEntries(describeConfig(c).map((d) => [d.key, d.value]));
    expect([shown['http.token'], shown['http.readToken'], shown['http.listen']]).toEqual(['***', '***', '"127.0.0.1:8025"']);
  });

  it('refuses to listen beyond loopback without a token', () => {
    expect(load({ 'http.listen': '0.0.0.0:8025' })).toThrow(ConfigError);
    expect(load({ 'http.listen': '0.0.0.0:8025' })).toThrow(/beyond loopback: set REBOUND_API_TOKEN/);
    expect(load({ 'http.listen': '[::]:8025' })).toThrow(/beyond loopback/);
    expect(load({ 'http.listen': '0.0.0.0:8025', 'http.token': ADMIN_TOKEN })().http.listen).toBe('0.0.0.0:8025');
    expect(load({ 'http.listen': '127.0.0.2:8025' })().http.listen).toBe('127.0.0.2:8025');
  });

  it('refuses short tokens, equal tokens and bad addresses', () => {
    expect(load({ 'http.token': 'short' })).toThrow(/http\.token: tokens must be at least 16 characters/);
    expect(load({ 'http.token': ADMIN_TOKEN, 'http.readToken': ADMIN_TOKEN })).toThrow(/must differ/);
    expect(load({ 'http.listen': 'nowhere' })).toThrow(/http\.listen: expected host:port/);
    expect(load({ 'http.sessionHours': '0' })).toThrow(/http\.sessionHours/);
  });
});
