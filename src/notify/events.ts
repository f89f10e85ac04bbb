// The events Rebound tells the app about, as written to the outbox (pure). Each becomes the `data` of one
// webhook body {id, type, createdAt, data}; the users-table hook takes the suppression ones.
//
//   bounce        a trusted bounce event (one recipient of one stored bounce), whether or not it suppressed
//   complaint     a trusted ARF complaint
//   suppressed    an address was put on the suppression list, or its entry changed (change: add | update)
//   unsuppressed  an address left the list (change: remove by hand or by reclassify, expire when it lapsed)
import type { AuditActor, NewEvent, NewOutboxEvent, Suppression } from '../store/types.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/** The notice for a recorded event, or undefined when the event is not one the app is told about. */
export function eventNotice(e: NewEvent, eventId: number, extra: { feedbackType?: string | undefined } = {}): NewOutboxEvent | undefined {
  // an untrusted event (forged, expired or unsigned VERP) changes nothing and is not announced either
  if (!e.trusted) return undefined;
  if (e.kind !== 'bounce' && e.kind !== 'complaint') return undefined;
  return {
    type: e.kind,
    address: e.address,
    at: e.receivedAt,
    data: {
      address: e.address, reportedAddress: e.reportedAddress, kind: e.kind, action: e.action, status: e.status,
      replyCode: e.replyCode, reason: e.reason, hard: e.hard, fault: e.fault, diagnostic: e.diagnostic, remoteMta: e.remoteMta,
      command: e.command, mta: e.mta, ...(extra.feedbackType ? { feedbackType: extra.feedbackType } : {}),
      outcome: e.outcome, rule: e.rule, eventId, messageId: e.messageId, receivedAt: iso(e.receivedAt),
    },
  };
}

export function suppressedNotice(s: Suppression, change: 'add' | 'update', actor: AuditActor, at: number): NewOutboxEvent {
  return {
    type: 'suppressed',
    address: s.address,
    at,
    data: {
      address: s.address, change, actor, reason: s.reason, fault: s.fault, kind: s.kind, manual: s.manual, rule: s.rule,
      expiresAt: iso(s.expiresAt), eventId: s.sourceEventId, note: s.note,
    },
  };
}

export function unsuppressedNotice(
  address: string, change: 'remove' | 'expire', actor: AuditActor, formerReason: string, at: number, note = '',
): NewOutboxEvent {
  return { type: 'unsuppressed', address, at, data: { address, change, actor, reason: formerReason, note } };
}
