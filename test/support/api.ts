// The HTTP API over a real store for tests: a seeded store (bounces of every category over four days, a
// complaint, an auto-reply, manual suppressions) and the fastify app built on it.
import { buildHttp } from '../../src/api/server.js';
import type { ApiApp } from '../../src/api/context.js';
import { loadConfig, type Config } from '../../src/config.js';
import { ingestRaw, type IngestResult } from '../../src/ingest/ingest-raw.js';
import { createLogger } from '../../src/log.js';
import { Metrics } from '../../src/metrics.js';
import type { Store } from '../../src/store/types.js';
import { suppressManually } from '../../src/suppressions.js';
import { postfixDsn } from './dsn.js';

export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const READ_TOKEN = 'read-token-0123456789abcdef';
export const DAY = 86_400_000;
/** The start of today (UTC): the seed's days count back from it, so the default 30-day window holds them. */
export const TODAY = Math.floor(Date.now() / DAY) * DAY;
/** Manual suppressions page-00@list.example … page-24@list.example. */
export const MANUAL_COUNT = 25;

const verpOf = (address: string): string => `bounces+${address.replace('@', '=')}@bounces.example.org`;

export function complaint(recipient: string, id: string): Buffer {
  return Buffer.from([
    'From: staff@fbl.example.net', `To: ${verpOf(recipient)}`, 'Subject: complaint about message',
    'Date: Thu, 26 Nov 2026 10:00:00 +0000', `Message-ID: <arf.${id}@fbl.example.net>`, 'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"', '',
    '--b1', 'Content-Type: text/plain', '', 'This is an email abuse report.', '',
    '--b1', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: Example FBL', 'Version: 1',
    `Original-Rcpt-To: ${recipient}`, 'Arrival-Date: Thu, 26 Nov 2026 09:00:00 +0000', '',
    '--b1', 'Content-Type: message/rfc822', '', `Return-Path: <${verpOf(recipient)}>`, 'From: News <news@example.org>',
    `To: ${recipient}`, 'Subject: Our news', `Message-ID: <orig.${id}@example.org>`, '', 'Hello', '', '--b1--', '',
  ].join('\r\n'));
}

export function autoReply(recipient: string, id: string): Buffer {
  return Buffer.from([
    `From: <${recipient}>`, `To: ${verpOf(recipient)}`, 'Subject: Out of Office: Our news', 'Auto-Submitted: auto-replied',
    'Date: Thu, 26 Nov 2026 10:00:00 +0000', `Message-ID: <ooo.${id}@example.com>`, 'Content-Type: text/plain', '',
    'I am out of the office until Monday.', '',
  ].join('\r\n'));
}

export function bounce(recipient: string, id: string, status = '5.1.1', diagnostic?: string): Buffer {
  return postfixDsn({ to: verpOf(recipient), recipient, id, status, ...(diagnostic ? { diagnostic } : {}) });
}

/** What the seed put in: by category, the messages on each day (days back from TODAY). */
export const SEED = [
  { daysAgo: 3, category: 'hard', address: 'joe@example.com', raw: () => bounce('joe@example.com', 'S1') },
  { daysAgo: 3, category: 'hard', address: 'ann@example.org', raw: () => bounce('ann@example.org', 'S2') },
  { daysAgo: 2, category: 'soft', address: 'bob@example.net', raw: () => bounce('bob@example.net', 'S3', '5.2.2', '552 5.2.2 <bob@example.net>: Mailbox full') },
  {
    daysAgo: 2, category: 'soft', address: 'carl@example.net',
    raw: () => bounce('carl@example.net', 'S4', '5.7.1', '550 5.7.1 Service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org'),
  },
  { daysAgo: 1, category: 'complaint', address: 'jane@example.com', raw: () => complaint('jane@example.com', 'S5') },
  { daysAgo: 1, category: 'auto-reply', address: 'kim@example.com', raw: () => autoReply('kim@example.com', 'S6') },
  { daysAgo: 0, category: 'hard', address: 'dave@example.com', raw: () => bounce('dave@example.com', 'S7') },
] as const;

export function testConfig(extra: Record<string, string> = {}): Config {
  return loadConfig({ env: {}, flags: { 'http.token': ADMIN_TOKEN, 'http.readToken': READ_TOKEN, 'log.level': 'silent', ...extra } });
}

export interface Seeded {
  results: IngestResult[];
}

/** Ingest the SEED messages (each at noon of its day) and the manual suppressions. */
export async function seed(store: Store, config: Config = testConfig()): Promise<Seeded> {
  const results: IngestResult[] = [];
  for (const s of SEED) {
    const at = TODAY - s.daysAgo * DAY + 12 * 3_600_000;
    const r = await ingestRaw({ store, verp: config.verpConfig, policy: config.policyConfig, now: () => Math.min(at, Date.now()) }, s.raw(), 'test');
    results.push(r);
  }
  for (let i = 0; i < MANUAL_COUNT; i++) {
    await suppressManually(store, `page-${String(i).padStart(2, '0')}@list.example`, { reason: 'unsubscribed', note: 'seed' });
  }
  return { results };
}

export interface TestApi {
  app: ApiApp;
  metrics: Metrics;
  /** Whether readiness says it accepts work. */
  setAccepting(v: boolean): void;
}

export async function testApi(store: Store, config: Config = testConfig()): Promise<TestApi> {
  const metrics = new Metrics(store);
  let accepting = true;
  const app = await buildHttp({
    store, metrics, log: createLogger('silent'), verp: config.verpConfig, maxMessageBytes: config.smtp.maxMessageBytes,
    auth: config.http, accepting: () => accepting,
  });
  return { app, metrics, setAccepting: (v) => { accepting = v; } };
}

export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
export const reader = { authorization: `Bearer ${READ_TOKEN}` };
