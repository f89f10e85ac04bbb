// The suppression policy: given one classified event and the address's recent history, decide whether the
// address is suppressed. Pure: no I/O, no clock (the event carries its time).
import type { Reason } from '../classify/reasons.js';
import type { Action, Fault, Kind } from '../parse/types.js';

export const DAY_MS = 86_400_000;

export type RuleAction = 'suppress' | 'count' | 'ignore';

/** An override: the first rule whose conditions all match an event decides what happens to it. */
export interface PolicyRule {
  reason?: Reason | undefined;
  fault?: Fault | undefined;
  kind?: Kind | undefined;
  action: RuleAction;
  /** For 'count': bounces needed, minimum spread in days, window in days. */
  count?: number | undefined;
  spreadDays?: number | undefined;
  windowDays?: number | undefined;
  /** For 'suppress' and 'count': days until the suppression lapses; null = never. */
  expiryDays?: number | null | undefined;
}

export interface PolicyConfig {
  soft: {
    /** Soft bounces needed before suppressing. */
    count: number;
    /** They must be spread over at least this many days (a burst in one hour is one bad day, not a dead mailbox). */
    spreadDays: number;
    /** Only bounces within this many days count. */
    windowDays: number;
    /** A gap longer than this between soft bounces starts the count again. */
    staleDays: number;
    /** Soft suppressions lapse after this many days. */
    expiryDays: number;
  };
  /** Days until a complaint suppression lapses; null = never. */
  complaintExpiryDays: number | null;
  /** Days until a hard-bounce suppression lapses; null = never. */
  hardExpiryDays: number | null;
  rules: readonly PolicyRule[];
}

export const POLICY_DEFAULTS: PolicyConfig = {
  soft: { count: 3, spreadDays: 3, windowDays: 30, staleDays: 14, expiryDays: 30 },
  complaintExpiryDays: null,
  hardExpiryDays: null,
  rules: [],
};

export interface PolicyEvent {
  kind: Kind;
  reason: Reason;
  hard: boolean | null;
  fault: Fault;
  action: Action;
  /** Event time, ms since the epoch. */
  at: number;
  /** False when the bounce's VERP tag was missing (signing required), wrong or expired: it changes nothing. */
  trusted: boolean;
}

export interface PolicyHistory {
  /** Times of earlier counted soft bounces for this address (any order). */
  softBounces: readonly number[];
  /** Time of the last successful delivery notice, if any: soft bounces before it do not count. */
  lastDelivered?: number | undefined;
}

export type Outcome = 'suppress' | 'count' | 'reset' | 'record';

export interface Decision {
  /** suppress: add/refresh the suppression; count: a soft bounce counted, no suppression yet;
   *  reset: a success that clears soft counts; record: kept for statistics only. */
  outcome: Outcome;
  /** Which rule decided, e.g. "hard-bounce", "complaint", "soft-bounce", "sender-fault", "untrusted". */
  rule: string;
  /** When the suppression lapses (ms), null = never; only for suppress. */
  expiresAt: number | null;
  /** Soft bounces counted including this one (count and soft suppress). */
  softCount?: number;
  /** Human-readable reason for the audit trail and the dashboard. */
  explanation: string;
}

function matches(rule: PolicyRule, e: PolicyEvent): boolean {
  return (rule.reason === undefined || rule.reason === e.reason)
    && (rule.fault === undefined || rule.fault === e.fault)
    && (rule.kind === undefined || rule.kind === e.kind);
}

const expiry = (at: number, days: number | null | undefined): number | null =>
  days === null || days === undefined ? null : at + days * DAY_MS;

/**
 * Soft bounces that still count: within the window, after the last success, and in the latest run whose
 * consecutive gaps are no longer than the stale period.
 */
export function countingRun(times: readonly number[], now: number, windowDays: number, staleDays: number, lastDelivered?: number): number[] {
  const from = Math.max(now - windowDays * DAY_MS, lastDelivered === undefined ? -Infinity : lastDelivered + 1);
  const t = [...times, now].filter((x) => x >= from && x <= now).sort((a, b) => a - b);
  let start = 0;
  for (let i = 1; i < t.length; i++) if ((t[i] as number) - (t[i - 1] as number) > staleDays * DAY_MS) start = i;
  return t.slice(start);
}

function soft(e: PolicyEvent, h: PolicyHistory, cfg: PolicyConfig, rule: PolicyRule | undefined, name: string): Decision {
  const need = rule?.count ?? cfg.soft.count;
  const spread = rule?.spreadDays ?? cfg.soft.spreadDays;
  const window = rule?.windowDays ?? cfg.soft.windowDays;
  const run = countingRun(h.softBounces, e.at, window, cfg.soft.staleDays, h.lastDelivered);
  const span = run.length > 0 ? (e.at - (run[0] as number)) / DAY_MS : 0;
  if (run.length >= need && span >= spread) {
    const days = rule && 'expiryDays' in rule ? rule.expiryDays : cfg.soft.expiryDays;
    return {
      outcome: 'suppress', rule: name, expiresAt: expiry(e.at, days), softCount: run.length,
      explanation: `${run.length} soft bounces over ${span.toFixed(1)} days (policy: ${need} over at least ${spread} days within ${window})`,
    };
  }
  return {
    outcome: 'count', rule: name, expiresAt: null, softCount: run.length,
    explanation: `soft bounce ${run.length} of ${need} needed (spread ${span.toFixed(1)} of ${spread} days)`,
  };
}

/** Decide what one event does to its address. */
export function decide(e: PolicyEvent, h: PolicyHistory, cfg: PolicyConfig = POLICY_DEFAULTS): Decision {
  if (!e.trusted) {
    return { outcome: 'record', rule: 'untrusted', expiresAt: null, explanation: 'VERP tag missing, wrong or expired: recorded, changes nothing' };
  }
  if (e.kind === 'delivered' || e.reason === 'delivered') {
    return { outcome: 'reset', rule: 'delivered', expiresAt: null, explanation: 'successful delivery: soft bounce count starts again' };
  }
  const rule = cfg.rules.find((r) => matches(r, e));
  if (rule) {
    const name = `rule:${[rule.kind, rule.reason, rule.fault].filter(Boolean).join('/') || 'any'}`;
    if (rule.action === 'ignore') return { outcome: 'record', rule: name, expiresAt: null, explanation: 'configured rule: recorded only' };
    if (rule.action === 'suppress') {
      return { outcome: 'suppress', rule: name, expiresAt: expiry(e.at, rule.expiryDays), explanation: 'configured rule: suppress' };
    }
    return soft(e, h, cfg, rule, name);
  }
  if (e.kind === 'complaint') {
    return { outcome: 'suppress', rule: 'complaint', expiresAt: expiry(e.at, cfg.complaintExpiryDays), explanation: 'the recipient complained' };
  }
  if (e.kind === 'auto-reply' || e.kind === 'not-bounce') {
    return { outcome: 'record', rule: e.kind, expiresAt: null, explanation: 'not a bounce: recorded only' };
  }
  if (e.kind === 'delay' || e.action === 'delayed') {
    return { outcome: 'record', rule: 'delay', expiresAt: null, explanation: 'still being retried by the sending MTA: recorded only' };
  }
  if (e.fault === 'sender') {
    return {
      outcome: 'record', rule: 'sender-fault', expiresAt: null,
      explanation: `rejected for the sender's reasons (${e.reason}): counted against the sender, not the recipient`,
    };
  }
  if (e.fault === 'none') return { outcome: 'record', rule: 'no-fault', expiresAt: null, explanation: 'nothing wrong with the address' };
  if (e.hard === true && e.fault === 'recipient') {
    return { outcome: 'suppress', rule: 'hard-bounce', expiresAt: expiry(e.at, cfg.hardExpiryDays), explanation: `hard bounce (${e.reason})` };
  }
  return soft(e, h, cfg, undefined, 'soft-bounce');
}
