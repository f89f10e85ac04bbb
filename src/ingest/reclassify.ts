// Reclassify: re-parse every stored raw message with the current parser and rebuild events and automatic
// suppressions from them, in arrival order, as if they had arrived again. Manual suppressions stay. The
// net changes to the suppression list are audited (actor "reclassify") and queued for the webhooks and
// the users-table hook, in the same unit as the rebuild.
import { parse } from '../parse/index.js';
import type { Store, Suppression } from '../store/types.js';
import { suppressedNotice, unsuppressedNotice } from '../notify/events.js';
import { isTrusted, messageFields, recordEvents, verpOf, type IngestConfig, type SuppressionChange } from './ingest-raw.js';

export interface ReclassifyResult {
  messages: number;
  events: number;
  added: number;
  removed: number;
  updated: number;
  changes: SuppressionChange[];
}

const BATCH = 500;

export async function reclassify(store: Store, cfg: IngestConfig, onProgress?: (done: number) => void): Promise<ReclassifyResult> {
  const before = new Map<string, Suppression>();
  for (const s of await store.listSuppressions({ includeExpired: true })) before.set(s.address, s);
  const ids: number[] = [];
  for (let after = 0; ; ) {
    const page = await store.messageIds(after, 10_000);
    if (page.length === 0) break;
    ids.push(...page);
    after = page[page.length - 1] ?? after;
  }
  let events = 0;
  const now = Date.now();
  const changes: SuppressionChange[] = [];
  let added = 0;
  let removed = 0;
  let updated = 0;
  await store.unit(async (tx) => {
    for (const s of before.values()) if (!s.manual) await tx.deleteSuppression(s.address);
    const touched = new Set<string>();
    for (let i = 0; i < ids.length; i += BATCH) {
      for (const id of ids.slice(i, i + BATCH)) {
        const m = await store.getMessage(id);
        const raw = await store.getRaw(id);
        if (!m || !raw) continue;
        const r = parse(raw, { verp: cfg.verp });
        const verp = await verpOf(tx, r, cfg.verp, m.receivedAt);
        await tx.updateMessageParse(id, messageFields(r, verp));
        await tx.deleteEventsOfMessage(id);
        const rec = await recordEvents(tx, cfg, id, r, verp?.recipient ?? null, isTrusted(cfg.verp, verp?.status ?? null), m.receivedAt, false);
        events += rec.events.length;
        for (const c of rec.changes) touched.add(c.address);
      }
      onProgress?.(Math.min(ids.length, i + BATCH));
    }
    // the net difference between the list before and after, audited and queued for the webhooks and the
    // users-table hook in this same unit: if the rebuild rolls back, so do they
    for (const a of [...new Set([...before.keys(), ...touched])].sort()) {
      const b = before.get(a);
      const s = await tx.getSuppression(a);
      if (s && !b) {
        added++;
        changes.push({ address: a, change: 'add', reason: s.reason, eventId: s.sourceEventId });
        await tx.audit({ address: a, change: 'add', actor: 'reclassify', reason: s.reason, eventId: s.sourceEventId, at: now, detail: s.note });
        await tx.enqueueOutbox(suppressedNotice(s, 'add', 'reclassify', now));
      } else if (s && b && (b.reason !== s.reason || b.expiresAt !== s.expiresAt)) {
        updated++;
        changes.push({ address: a, change: 'update', reason: s.reason, eventId: s.sourceEventId });
        await tx.audit({ address: a, change: 'update', actor: 'reclassify', reason: s.reason, eventId: s.sourceEventId, at: now, detail: `was ${b.reason}; ${s.note}` });
        await tx.enqueueOutbox(suppressedNotice(s, 'update', 'reclassify', now));
      } else if (!s && b) {
        removed++;
        const detail = 'no longer suppressed under the current parser and policy';
        changes.push({ address: a, change: 'remove', reason: b.reason, eventId: null });
        await tx.audit({ address: a, change: 'remove', actor: 'reclassify', reason: b.reason, eventId: null, at: now, detail });
        await tx.enqueueOutbox(unsuppressedNotice(a, 'remove', 'reclassify', b.reason, now, detail));
      }
    }
  });
  return { messages: ids.length, events, added, removed, updated, changes };
}
