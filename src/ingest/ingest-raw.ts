// ingestRaw(): the one way a returned message enters Rebound, whatever brought it (SMTP, IMAP, Maildir,
// mbox, pipe). Parse (pure, outside the transaction), then in one durable unit: keep the raw message
// (deduplicated by content hash), one event per recipient, and the policy's decision for each address.
// When the promise resolves the message is committed; only then may the intake acknowledge it.
import { createHash } from 'node:crypto';
import { parse, PARSER_VERSION, type ParseResult } from '../parse/index.js';
import type { RecipientResult } from '../parse/types.js';
import { decide, type Decision, type PolicyConfig } from '../policy/index.js';
import type { Store, Tx } from '../store/types.js';
import type { NewEvent, NewMessage, ParseStatus, Suppression } from '../store/types.js';
import { eventNotice, suppressedNotice } from '../notify/events.js';
import { decode as decodeVerp, type VerpConfig, type VerpStatus } from '../verp/codec.js';

export interface IngestConfig {
  verp: VerpConfig;
  policy: PolicyConfig;
}

export interface IngestContext extends IngestConfig {
  store: Store;
  /** Clock (ms), for tests and replays. */
  now?: () => number;
  /** Called after commit for each suppression change (hooks and webhooks subscribe here). */
  onChange?: (change: SuppressionChange) => void;
  /**
   * Called after commit for each message, whatever brought it, with the time from the start of its batch
   * (parse, decide, durable commit) and the source's kind ("smtp", "imap", "maildir", …): for metrics.
   */
  onIngested?: (result: IngestResult, seconds: number, source: string) => void;
}

export interface SuppressionChange {
  address: string;
  change: 'add' | 'update' | 'remove';
  reason: string;
  eventId: number | null;
}

export interface IngestResult {
  /** The stored message's id. */
  messageId: number;
  /** True when the same content was already stored: nothing was counted again. */
  duplicate: boolean;
  parseStatus: ParseStatus;
  kind: ParseResult['kind'];
  verpStatus: VerpStatus | null;
  events: Array<{ id: number; address: string; reason: string; outcome: string; rule: string }>;
  changes: SuppressionChange[];
}

export function sha256(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

function parseStatusOf(r: ParseResult): ParseStatus {
  if (r.error) return 'error';
  return r.mta === null ? 'unrecognized' : 'parsed';
}

/** The stored form of a parse result. */
export function messageFields(r: ParseResult, verp: { returnPath: string; status: VerpStatus; recipient: string | null } | null): Omit<NewMessage, 'sha256' | 'receivedAt' | 'source' | 'raw'> {
  return {
    parseStatus: parseStatusOf(r),
    kind: r.kind,
    mta: r.mta,
    parserVersion: PARSER_VERSION,
    messageId: r.messageId,
    subject: r.subject.slice(0, 998),
    verpReturnPath: verp?.returnPath ?? null,
    verpStatus: verp?.status ?? null,
    verpRecipient: verp?.recipient ?? null,
    error: r.error ?? null,
    result: JSON.stringify(r),
  };
}

interface Subject {
  address: string;
  recipient: RecipientResult;
}

/**
 * Which address each reported recipient is about. A VERP return path names the recipient we sent to; the
 * report may name a forwarded or rewritten address, so the VERP recipient wins. Each address is decided
 * once per message (the first report of it).
 */
function subjects(r: ParseResult, verpRecipient: string | null): Subject[] {
  const out: Subject[] = [];
  for (const rec of r.recipients) out.push({ address: (verpRecipient ?? rec.address).toLowerCase(), recipient: rec });
  return out;
}

/** Apply a decision to the suppression list inside the unit; returns the change made, if any. */
async function applyDecision(
  tx: Tx, address: string, kind: string, rec: RecipientResult, d: Decision, eventId: number, at: number, audit: boolean,
): Promise<SuppressionChange | undefined> {
  if (d.outcome !== 'suppress') return undefined;
  const prev = await tx.getSuppression(address);
  const prevLive = prev && (prev.expiresAt === null || prev.expiresAt > at) ? prev : undefined;
  if (prevLive && (prevLive.manual || (prevLive.expiresAt === null && d.expiresAt !== null))) {
    // a manual suppression stands as a person set it, and a permanent one outranks a lapsing one:
    // the new event is counted against it
    await tx.putSuppression({ ...prevLive, lastSeen: at, count: prevLive.count + 1 });
    return undefined;
  }
  const expiresAt = d.expiresAt;
  const s: Suppression = {
    address,
    reason: rec.reason,
    fault: rec.fault,
    kind,
    sourceEventId: eventId,
    firstSeen: prevLive?.firstSeen ?? at,
    lastSeen: at,
    count: (prevLive?.count ?? 0) + 1,
    expiresAt,
    manual: false,
    rule: d.rule,
    note: d.explanation,
  };
  await tx.putSuppression(s);
  const change = prevLive ? 'update' : 'add';
  if (audit) {
    await tx.audit({ address, change, actor: 'policy', reason: rec.reason, eventId, at, detail: d.explanation });
    await tx.enqueueOutbox(suppressedNotice(s, change, 'policy', at));
  }
  return { address, change, reason: rec.reason, eventId };
}

/**
 * Record one message's events and decisions inside a unit (also used by reclassify). `audit` marks a live
 * arrival: its suppression changes are audited and it queues the outbox notices (webhooks, users-table
 * hook) in the same unit; reclassify replays with it off and audits and notifies the net changes itself.
 */
export async function recordEvents(
  tx: Tx, ctx: IngestConfig, messageId: number, r: ParseResult, verpRecipient: string | null, trusted: boolean, at: number,
  audit = true,
): Promise<{ events: IngestResult['events']; changes: SuppressionChange[] }> {
  const events: IngestResult['events'] = [];
  const changes: SuppressionChange[] = [];
  const list = subjects(r, verpRecipient);
  // lock addresses in a fixed order so two receivers never wait on each other in a cycle
  for (const a of [...new Set(list.map((s) => s.address))].sort()) await tx.lockAddress(a);
  const decided = new Set<string>();
  const seen = new Set<string>();
  for (const { address, recipient: rec } of list) {
    // a report that lists one recipient twice gives one event (the store keeps one per address and
    // reported address; a second insert would fail the whole message)
    const key = `${address}\n${rec.address.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const first = !decided.has(address);
    decided.add(address);
    let d: Decision = { outcome: 'record', rule: 'same-message', expiresAt: null, explanation: 'address already decided for this message' };
    if (first) {
      const event = { kind: r.kind, reason: rec.reason, hard: rec.hard, fault: rec.fault, action: rec.action, at, trusted };
      // most decisions need no history (hard bounces, complaints, sender faults): read it only for counting ones
      d = decide(event, { softBounces: [] }, ctx.policy);
      if (d.outcome === 'count' || d.softCount !== undefined) {
        d = decide(event, await tx.softHistory(address, at - ctx.policy.soft.windowDays * 86_400_000), ctx.policy);
      }
    }
    const event: NewEvent = {
      messageId, address, reportedAddress: rec.address, kind: r.kind, action: rec.action, status: rec.status,
      replyCode: rec.replyCode, reason: rec.reason, hard: rec.hard, fault: rec.fault, diagnostic: rec.diagnostic.slice(0, 4000),
      remoteMta: rec.remoteMta, command: rec.command, mta: r.mta, trusted, receivedAt: at, outcome: d.outcome, rule: d.rule,
      explanation: d.explanation, softCounted: d.outcome === 'count' || (d.outcome === 'suppress' && d.softCount !== undefined),
    };
    const id = await tx.insertEvent(event);
    const notice = audit ? eventNotice(event, id, { feedbackType: rec.feedbackType }) : undefined;
    if (notice) await tx.enqueueOutbox(notice);
    events.push({ id, address, reason: rec.reason, outcome: d.outcome, rule: d.rule });
    const c = await applyDecision(tx, address, r.kind, rec, d, id, at, audit);
    if (c) changes.push(c);
  }
  return { events, changes };
}

/** Verify the VERP return path the parser found, resolving compact tokens through the store. */
export async function verpOf(tx: Tx, r: ParseResult, cfg: VerpConfig, now: number): Promise<{ returnPath: string; status: VerpStatus; recipient: string | null } | null> {
  if (!r.verp) return null;
  const d = decodeVerp(r.verp.returnPath, cfg, now);
  let recipient = d.recipient ?? null;
  if (recipient === null && d.recipientId !== undefined) recipient = (await tx.recipientById(d.recipientId)) ?? null;
  return { returnPath: r.verp.returnPath, status: recipient === null && d.status === 'ok' ? 'not-verp' : d.status, recipient };
}

/**
 * Whether a bounce may change suppression state. With no secret configured every bounce is trusted; with
 * one, only a bounce whose VERP tag verifies (anything else is stored and shown, and changes nothing).
 */
export function isTrusted(cfg: VerpConfig, verpStatus: VerpStatus | null): boolean {
  if (cfg.secrets.length === 0) return true;
  return verpStatus === 'ok';
}

/** One message for ingestMany(): its bytes and where it came from. */
export interface RawMessage {
  raw: Buffer;
  source: string;
}

export async function ingestRaw(ctx: IngestContext, raw: Buffer, source: string): Promise<IngestResult> {
  const [result] = await ingestMany(ctx, [{ raw, source }]);
  return result as IngestResult;
}

/**
 * ingestRaw() for several messages in one durable unit (imports, IMAP and Maildir batches): each message is
 * kept, deduplicated, counted and decided exactly as ingestRaw() does, in order. `within` runs in the same
 * unit after them, so an intake's checkpoint commits together with the messages it covers. Resolves after
 * the commit; when anything fails the promise rejects and nothing of the batch is kept.
 */
/** "smtp:192.0.2.1", "imap:bounces@…/INBOX" → "smtp", "imap". */
function sourceKind(source: string): string {
  const colon = source.indexOf(':');
  return colon > 0 ? source.slice(0, colon) : source;
}

export async function ingestMany(
  ctx: IngestContext, messages: readonly RawMessage[], within?: (tx: Tx, results: readonly IngestResult[]) => Promise<void>,
): Promise<IngestResult[]> {
  const now = ctx.now?.() ?? Date.now();
  const started = process.hrtime.bigint();
  const parsed = messages.map((m) => ({ m, r: parse(m.raw, { verp: ctx.verp }), hash: sha256(m.raw) }));
  const results = await ctx.store.unit(async (tx): Promise<IngestResult[]> => {
    const verps: Array<Awaited<ReturnType<typeof verpOf>>> = [];
    for (const p of parsed) verps.push(await verpOf(tx, p.r, ctx.verp, now));
    if (parsed.length > 1) {
      // every address of the batch locked in one fixed order first, so two batches never wait on each other in a cycle
      const addresses = new Set<string>();
      parsed.forEach((p, i) => {
        for (const s of subjects(p.r, verps[i]?.recipient ?? null)) addresses.add(s.address);
      });
      for (const a of [...addresses].sort()) await tx.lockAddress(a);
    }
    const out: IngestResult[] = [];
    for (let i = 0; i < parsed.length; i++) {
      const { m, r, hash } = parsed[i] as (typeof parsed)[number];
      const verp = verps[i] ?? null;
      const fields = messageFields(r, verp);
      const { id, duplicate } = await tx.insertMessage({ sha256: hash, receivedAt: now, source: m.source, raw: m.raw, ...fields });
      const base = { messageId: id, duplicate, parseStatus: fields.parseStatus, kind: r.kind, verpStatus: verp?.status ?? null };
      if (duplicate) {
        out.push({ ...base, events: [], changes: [] });
        continue;
      }
      const trusted = isTrusted(ctx.verp, verp?.status ?? null);
      const recorded = await recordEvents(tx, ctx, id, r, verp?.recipient ?? null, trusted, now);
      out.push({ ...base, ...recorded });
    }
    if (within) await within(tx, out);
    return out;
  });
  if (ctx.onChange) for (const result of results) for (const c of result.changes) ctx.onChange(c);
  if (ctx.onIngested) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    results.forEach((r, i) => ctx.onIngested?.(r, seconds, sourceKind(messages[i]?.source ?? '')));
  }
  return results;
}
