// The API's shared shapes (zod): what a suppression, an event, a stored message and a parse result look like
// on the wire, the time and paging parameters, and the converters from store records. The OpenAPI document
// is generated from these (the ones with an id become components).
import { z } from 'zod';
import { REASONS } from '../classify/reasons.js';
import type { ParseResult } from '../parse/index.js';
import type { StoredEvent, StoredMessage, Suppression as StoredSuppression } from '../store/types.js';

export const KINDS = ['bounce', 'delay', 'delivered', 'complaint', 'auto-reply', 'not-bounce'] as const;
export const FAULTS = ['recipient', 'sender', 'transient', 'none'] as const;
export const ACTIONS = ['failed', 'delayed', 'delivered', 'relayed', 'expanded', ''] as const;

const iso = (t: number): string => new Date(t).toISOString();
/** An instant in responses: ISO 8601 in UTC, as toISOString() writes it (documented, not re-checked on the way out). */
export const Time = z.string().meta({ format: 'date-time', description: 'ISO 8601, UTC' });

// ISO 8601 date (a UTC day) or date-time with its zone; a date-time without a zone would mean the server's
const TIME_PARAM = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** A query parameter holding an instant: "2026-11-01" or "2026-11-01T10:00:00Z"; parsed to milliseconds. */
export const TimeParam = z.string()
  .regex(TIME_PARAM, 'expected an ISO 8601 date (2026-11-01) or date-time with zone (2026-11-01T10:00:00Z)')
  .transform((v, ctx) => {
    const t = Date.parse(v);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: `not a valid date: ${v}` });
      return z.NEVER;
    }
    return t;
  });

export const Limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt)
  .describe(`page size (1–${max}, default ${dflt})`);

export const CursorParam = z.string().max(2048).describe('nextCursor of the previous page');

export const Suppression = z.object({
  address: z.string(),
  reason: z.string().describe('a bounce reason (userunknown, …) or, for manual entries, a short word'),
  fault: z.string(),
  kind: z.string().describe('kind of the event that caused it, or "manual"'),
  manual: z.boolean(),
  rule: z.string().describe('the policy rule that decided it'),
  count: z.number().int(),
  firstSeen: Time,
  lastSeen: Time,
  expiresAt: Time.nullable().describe('when it lapses; null: never'),
  sourceEventId: z.number().int().nullable(),
  note: z.string(),
}).meta({ id: 'Suppression' });

export function suppressionOut(s: StoredSuppression): z.infer<typeof Suppression> {
  return {
    address: s.address, reason: s.reason, fault: s.fault, kind: s.kind, manual: s.manual, rule: s.rule, count: s.count,
    firstSeen: iso(s.firstSeen), lastSeen: iso(s.lastSeen), expiresAt: s.expiresAt === null ? null : iso(s.expiresAt),
    sourceEventId: s.sourceEventId, note: s.note,
  };
}

/** What the classifier says of one recipient: shared by events and parse results. */
const classified = {
  action: z.enum(ACTIONS),
  status: z.string(),
  replyCode: z.string(),
  reason: z.enum(REASONS),
  hard: z.boolean().nullable(),
  fault: z.enum(FAULTS),
  diagnostic: z.string(),
  remoteMta: z.string(),
  command: z.string(),
};

export const Event = z.object({
  id: z.number().int(),
  messageId: z.number().int().describe('the stored message it came from'),
  address: z.string().describe('the address it concerns: the VERP recipient when known, else the reported one'),
  reportedAddress: z.string(),
  kind: z.enum(KINDS),
  ...classified,
  mta: z.string().nullable().describe('the decoder that read the bounce'),
  trusted: z.boolean().describe('false: the VERP tag did not verify, so it changed nothing'),
  receivedAt: Time,
  outcome: z.string().describe('the policy decision: suppress, count, record, …'),
  rule: z.string().describe('the policy rule that decided'),
  explanation: z.string(),
  softCounted: z.boolean(),
}).meta({ id: 'Event' });

export function eventOut(e: StoredEvent): z.infer<typeof Event> {
  return { ...e, receivedAt: iso(e.receivedAt) };
}

export const Recipient = z.object({
  address: z.string(),
  ...classified,
  alias: z.string().optional(),
  feedbackType: z.string().optional(),
}).meta({ id: 'Recipient' });

export const ParseResultSchema = z.object({
  kind: z.enum(KINDS),
  recipients: z.array(Recipient),
  verp: z.object({
    returnPath: z.string(),
    recipient: z.string().nullable(),
    recipientId: z.number().int().optional(),
  }).nullable(),
  mta: z.string().nullable(),
  messageId: z.string().nullable(),
  subject: z.string(),
  limits: z.array(z.string()),
  error: z.string().optional(),
}).meta({ id: 'ParseResult' });

export function parseResultOut(r: ParseResult): z.infer<typeof ParseResultSchema> {
  const verp = r.verp === null ? null : {
    returnPath: r.verp.returnPath, recipient: r.verp.recipient, ...(r.verp.recipientId === undefined ? {} : { recipientId: r.verp.recipientId }),
  };
  return { ...r, verp };
}

export const Message = z.object({
  id: z.number().int(),
  sha256: z.string(),
  receivedAt: Time,
  source: z.string().describe('where it came from: smtp:ADDRESS, …'),
  size: z.number().int(),
  parseStatus: z.enum(['parsed', 'unrecognized', 'error']),
  kind: z.enum(KINDS),
  mta: z.string().nullable().describe('the decoder that read it'),
  parserVersion: z.string(),
  messageId: z.string().nullable(),
  subject: z.string(),
  verpReturnPath: z.string().nullable(),
  verpStatus: z.string().nullable(),
  verpRecipient: z.string().nullable(),
  error: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).describe('the parse result as stored (the shape POST /api/v1/parse returns)'),
  events: z.array(Event),
}).meta({ id: 'Message' });

export function messageOut(m: StoredMessage, events: readonly StoredEvent[]): z.infer<typeof Message> {
  let result: Record<string, unknown> = {};
  try {
    const r: unknown = JSON.parse(m.result);
    if (r && typeof r === 'object' && !Array.isArray(r)) result = r as Record<string, unknown>;
  } catch {
    /* an unreadable stored result is shown as empty */
  }
  return { ...m, receivedAt: iso(m.receivedAt), result, events: events.map(eventOut) };
}

/** A page of a cursor-paginated list. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
  });
}
