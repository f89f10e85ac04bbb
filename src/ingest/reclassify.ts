// Reclassify: re-parse every stored raw message with the current parser and rebuild events and automatic
// suppressions from them, in arrival order, as if they had arrived again. Manual suppressions stay. The
// net changes to the suppression list are audited (actor "reclassify").
import { parse } from '../parse/index.js';
import type { Store, Suppression } from '../store/types.js';
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
  await store.unit(async (tx) => {
    for (const s of before.values()) if (!s.manual) await tx.deleteSuppression(s.address);
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
      }
      onProgress?.(Math.min(ids.length, i + BATCH));
    }
  });
  // audit the net difference between the list before and after (read after commit)
  const now = Date.now();
  const afterAll = new Map<string, Suppression>();
  for (const s of await store.listSuppressions({ includeExpired: true })) afterAll.set(s.address, s);
  const changes: SuppressionChange[] = [];
  let added = 0;
  let removed = 0;
  let updated = 0;
  await store.unit(async (tx) => {
    for (const [a, s] of afterAll) {
      const b = before.get(a);
      if (!b) {
        added++;
        changes.push({ address: a, change: 'add', reason: s.reason, eventId: s.sourceEventId });
        await tx.audit({ address: a, change: 'add', actor: 'reclassify', reason: s.reason, eventId: s.sourceEventId, at: now, detail: s.note });
      } else if (b.reason !== s.reason || b.expiresAt !== s.expiresAt) {
        updated++;
        changes.push({ address: a, change: 'update', reason: s.reason, eventId: s.sourceEventId });
        await tx.audit({ address: a, change: 'update', actor: 'reclassify', reason: s.reason, eventId: s.sourceEventId, at: now, detail: `was ${b.reason}; ${s.note}` });
      }
    }
    for (const [a, b] of before) {
      if (afterAll.has(a)) continue;
      removed++;
      changes.push({ address: a, change: 'remove', reason: b.reason, eventId: null });
      await tx.audit({ address: a, change: 'remove', actor: 'reclassify', reason: b.reason, eventId: null, at: now, detail: 'no longer suppressed under the current parser and policy' });
    }
  });
  return { messages: ids.length, events, added, removed, updated, changes };
}
