// GET /api/v1/stats: events per UTC day by one dimension — category (hard / soft bounces, complaints,
// auto-replies, …), kind, reason, fault or recipient domain — for the dashboard's chart and tables.
import { z } from 'zod';
import { REASONS } from '../classify/reasons.js';
import { BEARER, type ApiApp, type ApiDeps } from './context.js';
import { ApiError, errorResponses } from './errors.js';
import { FAULTS, KINDS, Time, TimeParam } from './schemas.js';

const DAY_MS = 86_400_000;
/** Longest period one request may cover (the answer has one entry per day and series). */
const MAX_DAYS = 366;
const DEFAULT_DAYS = 30;

const Stats = z.object({
  by: z.enum(['category', 'kind', 'reason', 'fault', 'domain']),
  since: Time,
  until: Time,
  days: z.array(z.string().meta({ format: 'date' })).describe('the UTC days of the period, oldest first'),
  series: z.array(z.object({
    key: z.string(),
    total: z.number().int(),
    counts: z.array(z.number().int()).describe('events per day, aligned with days'),
  })).describe('the keys with the most events first'),
  more: z.boolean().describe('true when keys beyond top were left out'),
}).meta({ id: 'Stats' });

export function statsRoutes(app: ApiApp, { store }: ApiDeps): void {
  app.get('/api/v1/stats', {
    config: { access: 'read' },
    schema: {
      tags: ['stats'],
      summary: 'Events per day by category, kind, reason, fault or recipient domain',
      description: 'category: hard and soft (bounces by hardness), complaint, auto-reply, delay, delivered, not-bounce. '
        + `The period defaults to the last ${DEFAULT_DAYS} UTC days (today included) and may span at most ${MAX_DAYS} days.`,
      security: BEARER,
      querystring: z.object({
        by: z.enum(['category', 'kind', 'reason', 'fault', 'domain']).default('category'),
        since: TimeParam.optional().describe('start (ISO 8601); default: the start of the UTC day 29 days ago'),
        until: TimeParam.optional().describe('end, exclusive (ISO 8601); default: now'),
        kind: z.enum(KINDS).optional(),
        reason: z.enum(REASONS).optional(),
        fault: z.enum(FAULTS).optional(),
        top: z.coerce.number().int().min(1).max(100).default(10).describe('how many keys (1–100, default 10)'),
      }),
      response: { 200: Stats, ...errorResponses(400) },
    },
  }, async (req) => {
    const q = req.query;
    const now = Date.now();
    const until = q.until ?? now;
    const since = q.since ?? Math.floor(until / DAY_MS) * DAY_MS - (DEFAULT_DAYS - 1) * DAY_MS;
    if (since >= until) throw new ApiError(400, 'invalid-request', 'query/since: must be before until');
    const firstDay = Math.floor(since / DAY_MS);
    const lastDay = Math.floor((until - 1) / DAY_MS);
    if (lastDay - firstDay + 1 > MAX_DAYS) throw new ApiError(400, 'invalid-request', `the period may span at most ${MAX_DAYS} days`);
    const { rows, more } = await store.stats({ by: q.by, since, until, kind: q.kind, reason: q.reason, fault: q.fault, top: q.top });
    const days: string[] = [];
    for (let d = firstDay; d <= lastDay; d++) days.push(new Date(d * DAY_MS).toISOString().slice(0, 10));
    const series = new Map<string, { key: string; total: number; counts: number[] }>();
    for (const r of rows) {
      let s = series.get(r.key);
      if (!s) {
        s = { key: r.key, total: 0, counts: days.map(() => 0) };
        series.set(r.key, s);
      }
      const i = Math.floor(r.day / DAY_MS) - firstDay;
      if (i >= 0 && i < days.length) s.counts[i] = (s.counts[i] ?? 0) + r.count;
      s.total += r.count;
    }
    return {
      by: q.by, since: new Date(since).toISOString(), until: new Date(until).toISOString(), days,
      series: [...series.values()].sort((a, b) => b.total - a.total || a.key.localeCompare(b.key)), more,
    };
  });
}
