// /api/v1/events: what each returned message reported about each address, with the policy's decision.
import { z } from 'zod';
import { REASONS } from '../classify/reasons.js';
import { BEARER, type ApiApp, type ApiDeps } from './context.js';
import { encodeCursor, idCursor } from './cursor.js';
import { ApiError, errorResponses } from './errors.js';
import { CursorParam, Event, eventOut, KINDS, Limit, page, TimeParam } from './schemas.js';

export function eventsRoutes(app: ApiApp, { store }: ApiDeps): void {
  app.get('/api/v1/events', {
    config: { access: 'read' },
    schema: {
      tags: ['events'],
      summary: 'List events',
      description: 'Newest first by default (order=asc: oldest first, for following new events). One page at a time: pass nextCursor back as cursor with the same order.',
      security: BEARER,
      querystring: z.object({
        address: z.string().max(512).optional(),
        kind: z.enum(KINDS).optional(),
        reason: z.enum(REASONS).optional(),
        since: TimeParam.optional().describe('received at or after (ISO 8601)'),
        order: z.enum(['desc', 'asc']).default('desc'),
        cursor: CursorParam.optional(),
        limit: Limit(1000, 100),
      }),
      response: { 200: page(Event), ...errorResponses(400) },
    },
  }, async (req) => {
    const q = req.query;
    const at = q.cursor === undefined ? undefined : idCursor(q.cursor);
    const asc = q.order === 'asc';
    const list = await store.listEvents({
      address: q.address?.trim().toLowerCase(), kind: q.kind, reason: q.reason, since: q.since,
      afterId: asc ? at : undefined, beforeId: asc ? undefined : at, newestFirst: !asc, limit: q.limit + 1,
    });
    const items = list.slice(0, q.limit);
    const last = items[items.length - 1];
    return { items: items.map(eventOut), nextCursor: list.length > q.limit && last ? encodeCursor(last.id) : null };
  });

  app.get('/api/v1/events/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['events'],
      summary: 'One event',
      security: BEARER,
      params: z.object({ id: z.coerce.number().int().min(1) }),
      response: { 200: Event, ...errorResponses(400, 404) },
    },
  }, async (req) => {
    const e = await store.getEvent(req.params.id);
    if (!e) throw new ApiError(404, 'not-found', `no event ${req.params.id}`);
    return eventOut(e);
  });
}
