// /api/v1/suppressions: the list (search, filters, cursor pages), one address with its audit trail, and
// manual add (PUT) and remove (DELETE), both audited through src/suppressions.ts.
import { z } from 'zod';
import { InvalidAddressError, normaliseAddress, suppressManually, unsuppress } from '../suppressions.js';
import { BEARER, type ApiApp, type ApiDeps } from './context.js';
import { addressCursor, encodeCursor } from './cursor.js';
import { ApiError, errorResponses } from './errors.js';
import { CursorParam, FAULTS, Limit, page, Suppression, suppressionOut, Time, TimeParam } from './schemas.js';

/** Reasons a person may give: a reason name or a short word, as on the command line. */
const ManualReason = z.string().regex(/^[a-z0-9-]{1,32}$/, 'expected a reason name or a short word of a-z, 0-9 and -');

const AuditEntry = z.object({
  change: z.enum(['add', 'update', 'remove', 'expire']),
  actor: z.enum(['policy', 'manual', 'reclassify', 'expiry']),
  reason: z.string(),
  eventId: z.number().int().nullable(),
  at: Time,
  detail: z.string(),
}).meta({ id: 'AuditEntry' });

const SuppressionDetail = Suppression.extend({
  history: z.array(AuditEntry).describe('the audit trail of this address, oldest first (at most 100)'),
}).meta({ id: 'SuppressionDetail' });

const AddressParams = z.object({ address: z.string().min(3).max(512).describe('the email address (percent-encoded)') });

function address(raw: string): string {
  try {
    return normaliseAddress(raw);
  } catch (err) {
    if (err instanceof InvalidAddressError) throw new ApiError(400, 'invalid-request', `params/address: ${err.message}`);
    throw err;
  }
}

const HISTORY = 100;

export function suppressionsRoutes(app: ApiApp, { store, onChange }: ApiDeps): void {
  app.get('/api/v1/suppressions', {
    config: { access: 'read' },
    schema: {
      tags: ['suppressions'],
      summary: 'List suppressed addresses',
      description: 'In address order, one page at a time: pass nextCursor back as cursor. Lapsed entries are left out.',
      security: BEARER,
      querystring: z.object({
        search: z.string().max(320).optional().describe('part of the address'),
        reason: z.string().max(64).optional(),
        fault: z.enum(FAULTS).optional(),
        since: TimeParam.optional().describe('last seen at or after (ISO 8601)'),
        cursor: CursorParam.optional(),
        limit: Limit(1000, 100),
      }),
      response: { 200: page(Suppression), ...errorResponses(400) },
    },
  }, async (req) => {
    const q = req.query;
    const list = await store.listSuppressions({
      search: q.search, reason: q.reason, fault: q.fault, since: q.since,
      after: q.cursor === undefined ? undefined : addressCursor(q.cursor), limit: q.limit + 1,
    });
    const items = list.slice(0, q.limit);
    const last = items[items.length - 1];
    return { items: items.map(suppressionOut), nextCursor: list.length > q.limit && last ? encodeCursor(last.address) : null };
  });

  app.get('/api/v1/suppressions/:address', {
    config: { access: 'read' },
    schema: {
      tags: ['suppressions'],
      summary: 'One suppressed address, with its audit trail',
      security: BEARER,
      params: AddressParams,
      response: { 200: SuppressionDetail, ...errorResponses(400, 404) },
    },
  }, async (req) => {
    const a = address(req.params.address);
    const s = await store.isSuppressed(a);
    if (!s) throw new ApiError(404, 'not-found', `${a} is not suppressed`);
    const history = await store.listAudit(a, HISTORY);
    return {
      ...suppressionOut(s),
      history: history.map((h) => ({ change: h.change, actor: h.actor, reason: h.reason, eventId: h.eventId, at: new Date(h.at).toISOString(), detail: h.detail })),
    };
  });

  app.put('/api/v1/suppressions/:address', {
    config: { access: 'admin' },
    schema: {
      tags: ['suppressions'],
      summary: 'Suppress an address by hand',
      description: 'Adds or replaces a manual suppression (which the policy never overwrites). Audited.',
      security: BEARER,
      params: AddressParams,
      body: z.object({
        reason: ManualReason,
        note: z.string().max(1000).optional(),
        expiresDays: z.number().positive().max(36_500).optional().describe('lapses after this many days; omitted: never'),
      }),
      response: { 200: Suppression, 201: Suppression, ...errorResponses(400) },
    },
  }, async (req, reply) => {
    const a = address(req.params.address);
    const existed = (await store.isSuppressed(a)) !== undefined;
    const s = await suppressManually(store, a, { reason: req.body.reason, note: req.body.note, expiresInDays: req.body.expiresDays });
    onChange?.({ address: a, change: existed ? 'update' : 'add', reason: s.reason, eventId: null });
    return reply.code(existed ? 200 : 201).send(suppressionOut(s));
  });

  app.delete('/api/v1/suppressions/:address', {
    config: { access: 'admin' },
    schema: {
      tags: ['suppressions'],
      summary: 'Lift a suppression',
      description: 'Removes a manual or automatic suppression. Audited.',
      security: BEARER,
      params: AddressParams,
      querystring: z.object({ note: z.string().max(1000).optional().describe('kept in the audit trail') }),
      response: { 204: z.undefined().describe('removed'), ...errorResponses(400, 404) },
    },
  }, async (req, reply) => {
    const a = address(req.params.address);
    const prev = await store.getSuppression(a);
    if (!prev || !(await unsuppress(store, a, req.query.note ?? ''))) throw new ApiError(404, 'not-found', `${a} is not suppressed`);
    onChange?.({ address: a, change: 'remove', reason: prev.reason, eventId: null });
    return reply.code(204).send();
  });
}
