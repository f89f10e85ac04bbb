// The outbox's SQL, shared by both stores (the Tx and read methods in common.ts delegate here). Events are
// written by the unit that causes them; a dispatcher fans each out to one delivery row per target, leases
// due deliveries (PostgreSQL: FOR UPDATE SKIP LOCKED, so several dispatchers never take the same row), and
// records each attempt's outcome under its lease token.
import { randomUUID } from 'node:crypto';
import type { Queryable, Row } from './common.js';
import type {
  ClaimedDelivery, DeliveryClaim, DeliveryOutcome, DeliveryStatus, NewOutboxEvent, OutboxCounts, OutboxDelivery,
  OutboxFilter, OutboxTargetSpec, OutboxType,
} from './types.js';

export type Dialect = 'sqlite' | 'postgres';

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** The webhook body: the same bytes on every attempt, so receivers can deduplicate by `id`. */
export function outboxBody(eventId: string, e: NewOutboxEvent): string {
  return JSON.stringify({ id: eventId, type: e.type, createdAt: new Date(e.at).toISOString(), data: e.data });
}

export async function enqueue(q: Queryable, e: NewOutboxEvent): Promise<string> {
  const eventId = randomUUID();
  await q.run(
    'INSERT INTO outbox (event_id, type, address, created_at, payload, fanned_out) VALUES (?, ?, ?, ?, ?, 0)',
    [eventId, e.type, e.address, e.at, outboxBody(eventId, e)],
  );
  return eventId;
}

export async function fanOut(q: Queryable, dialect: Dialect, targets: readonly OutboxTargetSpec[], now: number, limit: number): Promise<number> {
  const lock = dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  const rows = await q.all(`SELECT id, type FROM outbox WHERE fanned_out = 0 ORDER BY id LIMIT ${Math.floor(limit)}${lock}`);
  if (rows.length === 0) return 0;
  for (const r of rows) {
    const type = str(r['type']) as OutboxType;
    for (const t of targets) {
      if (!t.types.includes(type)) continue;
      await q.run(
        `INSERT INTO outbox_deliveries (outbox_id, target, status, attempts, next_attempt_at, last_error, updated_at)
         VALUES (?, ?, 'pending', 0, ?, '', ?) ON CONFLICT (outbox_id, target) DO NOTHING`,
        [num(r['id']), t.name, now, now],
      );
    }
  }
  const ids = rows.map((r) => num(r['id']));
  await q.run(`UPDATE outbox SET fanned_out = 1 WHERE id IN (${marks(ids.length)})`, ids);
  return rows.length;
}

export async function claim(q: Queryable, dialect: Dialect, c: DeliveryClaim): Promise<ClaimedDelivery[]> {
  if (c.targets.length === 0 || c.limit <= 0) return [];
  const lock = dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
  // the outer conditions are checked again on the row as it is when the update takes it (PostgreSQL
  // re-evaluates them after waiting for a concurrent writer), so a row is leased by one claim only
  await q.run(
    `UPDATE outbox_deliveries SET attempts = attempts + 1, lease_token = ?, lease_until = ?, updated_at = ?
     WHERE id IN (SELECT id FROM outbox_deliveries
                  WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                    AND target IN (${marks(c.targets.length)})
                  ORDER BY next_attempt_at, id LIMIT ${Math.floor(c.limit)}${lock})
       AND status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)`,
    [c.token, c.now + c.leaseMs, c.now, c.now, c.now, ...c.targets, c.now],
  );
  const rows = await q.all(
    `SELECT d.id, d.target, d.attempts, o.event_id, o.type, o.address, o.payload, o.created_at
     FROM outbox_deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE d.lease_token = ? ORDER BY d.id`,
    [c.token],
  );
  return rows.map((r) => ({
    id: num(r['id']), target: str(r['target']), attempts: num(r['attempts']), eventId: str(r['event_id']),
    type: str(r['type']) as OutboxType, address: str(r['address']), payload: str(r['payload']), createdAt: num(r['created_at']),
  }));
}

export async function finish(q: Queryable, id: number, token: string, o: DeliveryOutcome): Promise<boolean> {
  const next = o.status === 'pending' ? o.nextAttemptAt : o.at;
  const error = o.status === 'delivered' ? '' : o.error.slice(0, 2000);
  const r = await q.run(
    `UPDATE outbox_deliveries SET status = ?, next_attempt_at = ?, last_error = ?, lease_token = NULL, lease_until = NULL,
       updated_at = ? WHERE id = ? AND lease_token = ?`,
    [o.status, next, error, o.at, id, token],
  );
  return r.changes > 0;
}

export async function retry(q: Queryable, ids: readonly number[] | 'failed', now: number): Promise<number> {
  const set = `SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_token = NULL, lease_until = NULL, updated_at = ?`;
  if (ids === 'failed') return (await q.run(`UPDATE outbox_deliveries ${set} WHERE status = 'failed'`, [now, now])).changes;
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    // never one that is being delivered right now (leased): that could send it twice at once
    n += (await q.run(
      `UPDATE outbox_deliveries ${set}
       WHERE id IN (${marks(chunk.length)}) AND status <> 'delivered' AND (lease_until IS NULL OR lease_until <= ?)`,
      [now, now, ...chunk, now],
    )).changes;
  }
  return n;
}

export async function prune(q: Queryable, before: number): Promise<number> {
  const d = await q.run("DELETE FROM outbox_deliveries WHERE status = 'delivered' AND updated_at < ?", [before]);
  const e = await q.run(
    `DELETE FROM outbox WHERE fanned_out = 1 AND created_at < ?
       AND NOT EXISTS (SELECT 1 FROM outbox_deliveries d WHERE d.outbox_id = outbox.id)`,
    [before],
  );
  return d.changes + e.changes;
}

function toDelivery(r: Row): OutboxDelivery {
  return {
    id: num(r['id']), eventId: str(r['event_id']), type: str(r['type']) as OutboxType, address: str(r['address']),
    target: str(r['target']), status: str(r['status']) as DeliveryStatus, attempts: num(r['attempts']),
    nextAttemptAt: num(r['next_attempt_at']), lastError: str(r['last_error']), createdAt: num(r['created_at']),
    updatedAt: num(r['updated_at']),
  };
}

export async function list(q: Queryable, f: OutboxFilter = {}): Promise<OutboxDelivery[]> {
  const status = f.status ?? ['pending', 'failed'];
  if (status.length === 0) return [];
  const limit = f.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(f.limit))}`;
  const rows = await q.all(
    `SELECT d.id, o.event_id, o.type, o.address, d.target, d.status, d.attempts, d.next_attempt_at, d.last_error,
       o.created_at, d.updated_at
     FROM outbox_deliveries d JOIN outbox o ON o.id = d.outbox_id
     WHERE d.status IN (${marks(status.length)}) ORDER BY d.id${limit}`,
    [...status],
  );
  return rows.map(toDelivery);
}

export async function counts(q: Queryable): Promise<OutboxCounts> {
  const queued = await q.get('SELECT COUNT(*) AS n FROM outbox WHERE fanned_out = 0');
  const out: OutboxCounts = { queued: num(queued?.['n'] ?? 0), pending: 0, failed: 0, delivered: 0 };
  for (const r of await q.all('SELECT status, COUNT(*) AS n FROM outbox_deliveries GROUP BY status')) {
    const s = str(r['status']);
    if (s === 'pending' || s === 'failed' || s === 'delivered') out[s] = num(r['n']);
  }
  return out;
}
