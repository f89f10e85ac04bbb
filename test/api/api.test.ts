// The HTTP API over both stores: every route, its errors, and cursor pagination, through fastify's inject
// (the same code path as a socket, without one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import {
  admin, autoReply, bounce, DAY, MANUAL_COUNT, reader, SEED, seed, testApi, TODAY, type Seeded, type TestApi,
} from '../support/api.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

describe.each(STORE_KINDS)('HTTP API on the %s store', (kind) => {
  let db: Fresh;
  let store: Store;
  let api: TestApi;
  let seeded: Seeded;

  const get = async (url: string, headers: Record<string, string> = reader) => {
    const r = await api.app.inject({ method: 'GET', url, headers });
    const json = r.headers['content-type']?.toString().startsWith('application/json');
    return { status: r.statusCode, body: json ? (r.json() as Json) : (r.body as unknown as Json), headers: r.headers, raw: r.rawPayload };
  };

  beforeAll(async () => {
    db = await freshDatabase(kind);
    store = await db.open();
    seeded = await seed(store);
    api = await testApi(store);
    for (const r of seeded.results) api.metrics.observeIngest(r, 0.004, 'smtp');
  });
  afterAll(async () => {
    await api.app.close();
    await store.close();
    await db.cleanup();
  });

  describe('suppressions', () => {
    it('lists every suppression once over cursor pages, in address order', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r = await get(`/api/v1/suppressions?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(r.status).toBe(200);
        expect(r.body.items.length).toBeLessThanOrEqual(10);
        seen.push(...r.body.items.map((s: Json) => s.address));
        cursor = r.body.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      // joe, ann, dave (hard), jane (complaint) and the manual ones; bob (soft, counted once) and carl (sender fault) are not
      expect(seen).toHaveLength(4 + MANUAL_COUNT);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual([...seen].sort());
      expect(pages).toBe(3);
      expect(seen).toEqual(expect.arrayContaining(['joe@example.com', 'ann@example.org', 'dave@example.com', 'jane@example.com']));
      expect(seen).not.toContain('bob@example.net');
      expect(seen).not.toContain('carl@example.net');
    });

    it('filters by search, reason, fault and since', async () => {
      const search = await get('/api/v1/suppressions?search=example.com');
      expect(search.body.items.map((s: Json) => s.address)).toEqual(['dave@example.com', 'jane@example.com', 'joe@example.com']);
      const reason = await get('/api/v1/suppressions?reason=feedback');
      expect(reason.body.items).toEqual([expect.objectContaining({ address: 'jane@example.com', reason: 'feedback', kind: 'complaint', manual: false })]);
      const fault = await get('/api/v1/suppressions?fault=recipient');
      expect(fault.body.items.map((s: Json) => s.address)).toEqual(['ann@example.org', 'dave@example.com', 'joe@example.com']);
      const since = await get(`/api/v1/suppressions?since=${new Date(TODAY - DAY).toISOString().slice(0, 10)}&search=%40example.`);
      expect(since.body.items.map((s: Json) => s.address)).toEqual(['dave@example.com', 'jane@example.com']);
      expect(since.body.nextCursor).toBeNull();
    });

    it('refuses bad parameters with a JSON error', async () => {
      for (const q of ['limit=0', 'limit=5000', 'since=yesterday', 'fault=everyone', 'cursor=bm90LWEtY3Vyc29y']) {
        const r = await get(`/api/v1/suppressions?${q}`);
        expect(r.status, q).toBe(400);
        expect(r.body, q).toEqual({ error: { code: 'invalid-request', message: expect.any(String) } });
      }
      expect((await get('/api/v1/suppressions?limit=0')).body.error.message).toMatch(/limit/);
    });

    it('shows one suppression with its audit trail; 404 when not suppressed, 400 when not an address', async () => {
      const r = await get('/api/v1/suppressions/JOE%40example.com');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ address: 'joe@example.com', reason: 'userunknown', fault: 'recipient', kind: 'bounce', manual: false, expiresAt: null });
      expect(r.body.history).toEqual([expect.objectContaining({ change: 'add', actor: 'policy', reason: 'userunknown', eventId: expect.any(Number) })]);
      expect((await get('/api/v1/suppressions/nobody%40example.com')).body).toEqual({ error: { code: 'not-found', message: 'nobody@example.com is not suppressed' } });
      expect((await get('/api/v1/suppressions/not-an-address')).status).toBe(400);
    });

    it('adds (201), replaces (200) and removes (204) by hand, audited; admin only', async () => {
      const url = '/api/v1/suppressions/Manual.Test%40Example.com';
      const put = (body: Json, headers = admin) => api.app.inject({ method: 'PUT', url, headers, payload: body });
      expect((await put({ reason: 'unsubscribed' }, reader)).statusCode).toBe(403);
      const created = await put({ reason: 'unsubscribed', note: 'asked by phone', expiresDays: 10 });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ address: 'manual.test@example.com', reason: 'unsubscribed', manual: true, rule: 'manual', note: 'asked by phone' });
      expect(Date.parse(created.json().expiresAt) - Date.now()).toBeGreaterThan(9 * DAY);
      const replaced = await put({ reason: 'userunknown' });
      expect(replaced.statusCode).toBe(200);
      expect(replaced.json()).toMatchObject({ reason: 'userunknown', expiresAt: null });
      const bad = await put({ reason: 'Not A Reason!' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({ code: 'invalid-request', message: expect.stringContaining('reason') });
      expect((await put({})).statusCode).toBe(400);

      expect((await api.app.inject({ method: 'DELETE', url, headers: reader })).statusCode).toBe(403);
      const del = await api.app.inject({ method: 'DELETE', url: `${url}?note=${encodeURIComponent('resubscribed')}`, headers: admin });
      expect(del.statusCode).toBe(204);
      expect(del.body).toBe('');
      expect((await get(url)).status).toBe(404);
      expect((await api.app.inject({ method: 'DELETE', url, headers: admin })).statusCode).toBe(404);
      const audit = await store.listAudit('manual.test@example.com');
      expect(audit.map((a) => [a.change, a.actor, a.detail])).toEqual([
        ['add', 'manual', 'asked by phone'], ['update', 'manual', ''], ['remove', 'manual', 'resubscribed'],
      ]);
    });
  });

  describe('check', () => {
    const check = (payload: unknown, headers = reader) => api.app.inject({ method: 'POST', url: '/api/v1/check', headers, payload: payload as Json });

    it('answers the suppressed ones with their reason, in the order asked', async () => {
      const r = await check({ addresses: ['nobody@example.com', '<Jane@Example.com>', 'joe@example.com', 'not an address', 'joe@EXAMPLE.com', 'bob@example.net'] });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({
        checked: 4,
        suppressed: [
          { address: 'jane@example.com', reason: 'feedback', fault: 'none', manual: false, since: expect.any(String), expiresAt: null },
          { address: 'joe@example.com', reason: 'userunknown', fault: 'recipient', manual: false, since: expect.any(String), expiresAt: null },
        ],
        invalid: ['not an address'],
      });
    });

    it('takes 10,000 addresses and refuses 10,001 or none', async () => {
      const many = Array.from({ length: 10_000 }, (_, i) => `page-${String(i % 40).padStart(2, '0')}@list.example`);
      const full = await check({ addresses: many });
      expect(full.statusCode).toBe(200);
      expect(full.json().checked).toBe(40);
      expect(full.json().suppressed).toHaveLength(MANUAL_COUNT);
      const over = await check({ addresses: [...many, 'one@more.example'] });
      expect(over.statusCode).toBe(400);
      expect(over.json().error).toMatchObject({ code: 'invalid-request', message: expect.stringContaining('addresses') });
      expect((await check({ addresses: [] })).statusCode).toBe(400);
      expect((await check({ address: 'joe@example.com' })).statusCode).toBe(400);
      const notJson = await api.app.inject({ method: 'POST', url: '/api/v1/check', headers: { ...reader, 'content-type': 'application/json' }, payload: '{"addresses": [' });
      expect(notJson.statusCode).toBe(400);
      expect(notJson.json().error.code).toBe('invalid-request');
    });
  });

  describe('events and messages', () => {
    it('lists events newest first, filtered, over cursor pages in both orders', async () => {
      const all = await get('/api/v1/events?limit=1000');
      expect(all.status).toBe(200);
      expect(all.body.items).toHaveLength(SEED.length);
      const ids = all.body.items.map((e: Json) => e.id);
      expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
      for (const order of ['desc', 'asc']) {
        const got: number[] = [];
        let cursor: string | null = null;
        do {
          const r = await get(`/api/v1/events?order=${order}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
          got.push(...r.body.items.map((e: Json) => e.id));
          cursor = r.body.nextCursor;
        } while (cursor);
        expect(got).toEqual(order === 'desc' ? ids : [...ids].reverse());
      }
      expect((await get('/api/v1/events?address=JOE@example.com')).body.items).toEqual([
        expect.objectContaining({ address: 'joe@example.com', kind: 'bounce', reason: 'userunknown', hard: true, mta: 'postfix', outcome: 'suppress', rule: expect.any(String) }),
      ]);
      expect((await get('/api/v1/events?kind=complaint')).body.items.map((e: Json) => e.address)).toEqual(['jane@example.com']);
      expect((await get('/api/v1/events?reason=blocked')).body.items).toEqual([expect.objectContaining({ address: 'carl@example.net', fault: 'sender' })]);
      const since = await get(`/api/v1/events?since=${new Date(TODAY - DAY).toISOString()}`);
      expect(since.body.items.map((e: Json) => e.address).sort()).toEqual(['dave@example.com', 'jane@example.com', 'kim@example.com']);
      expect((await get('/api/v1/events?kind=nonsense')).status).toBe(400);
    });

    it('shows one event; 404 for none, 400 for a bad id', async () => {
      const id = seeded.results[0]?.events[0]?.id;
      const r = await get(`/api/v1/events/${id}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id, address: 'joe@example.com', status: '5.1.1', replyCode: '550', command: 'RCPT', remoteMta: 'mx.example.net', trusted: true });
      expect((await get('/api/v1/events/999999')).status).toBe(404);
      expect((await get('/api/v1/events/abc')).status).toBe(400);
    });

    it('shows a stored message with its parse result and events, and its raw bytes', async () => {
      const m = seeded.results[2];
      const r = await get(`/api/v1/messages/${m?.messageId}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: m?.messageId, kind: 'bounce', mta: 'postfix', parseStatus: 'parsed', verpRecipient: 'bob@example.net', source: 'test' });
      expect(r.body.result.recipients[0]).toMatchObject({ address: 'bob@example.net', reason: 'mailboxfull', status: '5.2.2' });
      expect(r.body.events).toEqual([expect.objectContaining({ address: 'bob@example.net', outcome: 'count' })]);
      const raw = await get(`/api/v1/messages/${m?.messageId}/raw`);
      expect(raw.status).toBe(200);
      expect(raw.headers['content-type']).toMatch(/^message\/rfc822/);
      expect(raw.raw.equals(SEED[2].raw())).toBe(true);
      expect((await get('/api/v1/messages/999999')).status).toBe(404);
      expect((await get('/api/v1/messages/999999/raw')).status).toBe(404);
    });
  });

  describe('stats', () => {
    const day = (daysAgo: number) => new Date(TODAY - daysAgo * DAY).toISOString().slice(0, 10);

    it('counts events per day by category', async () => {
      const r = await get('/api/v1/stats');
      expect(r.status).toBe(200);
      expect(r.body.by).toBe('category');
      expect(r.body.days).toHaveLength(30);
      expect(r.body.days.at(-1)).toBe(day(0));
      const series = Object.fromEntries(r.body.series.map((s: Json) => [s.key, s]));
      expect(Object.keys(series).sort()).toEqual(['auto-reply', 'complaint', 'hard', 'soft']);
      const at = (key: string, daysAgo: number) => series[key].counts[r.body.days.indexOf(day(daysAgo))];
      expect([at('hard', 3), at('hard', 0), series.hard.total]).toEqual([2, 1, 3]);
      expect([at('soft', 2), series.soft.total]).toEqual([2, 2]);
      expect([at('complaint', 1), at('auto-reply', 1)]).toEqual([1, 1]);
      expect(r.body.more).toBe(false);
    });

    it('counts by reason, fault and recipient domain, with filters and top', async () => {
      const sender = await get('/api/v1/stats?by=reason&fault=sender');
      expect(sender.body.series.map((s: Json) => [s.key, s.total])).toEqual([['blocked', 1]]);
      const domains = await get('/api/v1/stats?by=domain&kind=bounce');
      expect(domains.body.series.map((s: Json) => [s.key, s.total])).toEqual([['example.com', 2], ['example.net', 2], ['example.org', 1]]);
      const top = await get('/api/v1/stats?by=domain&kind=bounce&top=1');
      expect(top.body.series.map((s: Json) => s.key)).toEqual(['example.com']);
      expect(top.body.more).toBe(true);
      const range = await get(`/api/v1/stats?by=kind&since=${day(3)}&until=${day(2)}`);
      expect(range.body.days).toEqual([day(3)]);
      expect(range.body.series).toEqual([{ key: 'bounce', total: 2, counts: [2] }]);
      expect((await get(`/api/v1/stats?since=${day(1)}&until=${day(3)}`)).status).toBe(400);
      expect((await get('/api/v1/stats?since=2020-01-01&until=2026-01-01')).status).toBe(400);
      expect((await get('/api/v1/stats?by=planet')).status).toBe(400);
    });
  });

  describe('parse', () => {
    it('parses a raw message without storing it', async () => {
      const before = (await store.counts()).messages;
      const r = await api.app.inject({ method: 'POST', url: '/api/v1/parse', headers: { ...reader, 'content-type': 'message/rfc822' }, payload: bounce('zed@example.com', 'P1') });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ kind: 'bounce', mta: 'postfix', recipients: [expect.objectContaining({ address: 'zed@example.com', reason: 'userunknown', hard: true })], verp: { recipient: 'zed@example.com' } });
      const text = await api.app.inject({ method: 'POST', url: '/api/v1/parse', headers: { ...reader, 'content-type': 'text/plain' }, payload: autoReply('kim@example.com', 'P2') });
      expect(text.json()).toMatchObject({ kind: 'auto-reply', mta: 'rfc3834' });
      expect((await store.counts()).messages).toBe(before);
    });

    it('refuses an empty body (400), an oversized one (413) and other media types (415)', async () => {
      const post = (payload: Buffer | string, type: string) => api.app.inject({ method: 'POST', url: '/api/v1/parse', headers: { ...reader, 'content-type': type }, payload });
      expect((await post(Buffer.alloc(0), 'message/rfc822')).statusCode).toBe(400);
      const big = await post(Buffer.alloc(10 * 1024 * 1024 + 1, 'a'), 'message/rfc822');
      expect(big.statusCode).toBe(413);
      expect(big.json().error.code).toBe('payload-too-large');
      const other = await post('<html></html>', 'text/html');
      expect(other.statusCode).toBe(415);
      expect(other.json().error.code).toBe('unsupported-media-type');
    });
  });

  describe('health and metrics', () => {
    it('answers /healthz and /readyz without a token; readyz is 503 while stopping', async () => {
      expect(await get('/healthz', {})).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await get('/readyz', {})).toMatchObject({ status: 200, body: { status: 'ready' } });
      api.setAccepting(false);
      try {
        expect(await get('/readyz', {})).toMatchObject({ status: 503, body: { error: { code: 'stopping' } } });
      } finally {
        api.setAccepting(true);
      }
    });

    it('exposes bounces by kind and reason, intake latency, store and outbox depth', async () => {
      const r = await get('/metrics');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
      const text = String(r.body);
      expect(text).toContain('rebound_bounces_total{kind="bounce",reason="userunknown"} 3');
      expect(text).toContain('rebound_bounces_total{kind="complaint",reason="feedback"} 1');
      expect(text).toContain(`rebound_intake_duration_seconds_count{source="smtp"} ${SEED.length}`);
      expect(text).toContain(`rebound_store_rows{table="messages"} ${SEED.length}`);
      expect(text).toMatch(/rebound_store_pending \d+/);
      expect(text).toMatch(/rebound_outbox_depth\{state="queued"\} \d+/);
      expect(text).toMatch(/rebound_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/suppressions",status="200"\} \d+/);
    });
  });
});
