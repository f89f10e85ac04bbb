// What the two stores share: the queries (written once, with "?" placeholders) and the row mapping. Each
// store supplies a Queryable for its driver.
import type {
  AuditEntry, EventFilter, NewEvent, NewMessage, SoftHistory, StoredEvent, StoredMessage, Suppression,
  SuppressionFilter, Tx,
} from './types.js';
import type {
  ClaimedDelivery, DeliveryClaim, DeliveryOutcome, NewOutboxEvent, OutboxCounts, OutboxDelivery, OutboxFilter,
  OutboxTargetSpec,
} from './types.js';
import * as outbox from './outbox-sql.js';
import * as intake from './intake-sql.js';
import type { Checkpoint } from './types.js';
import * as query from './query-sql.js';
import type { StatsFilter, StatsRow } from './types.js';
import { unsuppressedNotice } from '../notify/events.js';

export type Row = Record<string, unknown>;

export interface Queryable {
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  get(sql: string, params?: readonly unknown[]): Promise<Row | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const bool = (v: unknown): boolean => num(v) === 1;
const boolOrNull = (v: unknown): boolean | null => (v === null || v === undefined ? null : num(v) === 1);
const int01 = (b: boolean | null): number | null => (b === null ? null : b ? 1 : 0);

export function toSuppression(r: Row): Suppression {
  return {
    address: str(r['address']),
    reason: str(r['reason']),
    fault: str(r['fault']),
    kind: str(r['kind']),
    sourceEventId: numOrNull(r['source_event_id']),
    firstSeen: num(r['first_seen']),
    lastSeen: num(r['last_seen']),
    count: num(r['count']),
    expiresAt: numOrNull(r['expires_at']),
    manual: bool(r['manual']),
    rule: str(r['rule']),
    note: str(r['note']),
  };
}

export function toEvent(r: Row): StoredEvent {
  return {
    id: num(r['id']),
    messageId: num(r['message_id']),
    address: str(r['address']),
    reportedAddress: str(r['reported_address']),
    kind: str(r['kind']) as StoredEvent['kind'],
    action: str(r['action']) as StoredEvent['action'],
    status: str(r['status']),
    replyCode: str(r['reply_code']),
    reason: str(r['reason']) as StoredEvent['reason'],
    hard: boolOrNull(r['hard']),
    fault: str(r['fault']) as StoredEvent['fault'],
    diagnostic: str(r['diagnostic']),
    remoteMta: str(r['remote_mta']),
    command: str(r['command']),
    mta: strOrNull(r['mta']),
    trusted: bool(r['trusted']),
    receivedAt: num(r['received_at']),
    outcome: str(r['outcome']),
    rule: str(r['rule']),
    explanation: str(r['explanation']),
    softCounted: bool(r['soft_counted']),
  };
}

export function toMessage(r: Row): StoredMessage {
  return {
    id: num(r['id']),
    sha256: str(r['sha256']),
    receivedAt: num(r['received_at']),
    source: str(r['source']),
    size: num(r['size']),
    parseStatus: str(r['parse_status']) as StoredMessage['parseStatus'],
    kind: str(r['kind']) as StoredMessage['kind'],
    mta: strOrNull(r['mta']),
    parserVersion: str(r['parser_version']),
    messageId: strOrNull(r['message_id']),
    subject: str(r['subject']),
    verpReturnPath: strOrNull(r['verp_return_path']),
    verpStatus: strOrNull(r['verp_status']) as StoredMessage['verpStatus'],
    verpRecipient: strOrNull(r['verp_recipient']),
    error: strOrNull(r['error']),
    result: str(r['result']),
  };
}

export function toAudit(r: Row): AuditEntry {
  return {
    id: num(r['id']),
    address: str(r['address']),
    change: str(r['change']) as AuditEntry['change'],
    actor: str(r['actor']) as AuditEntry['actor'],
    reason: str(r['reason']),
    eventId: numOrNull(r['event_id']),
    at: num(r['at']),
    detail: str(r['detail']),
  };
}

const MESSAGE_COLUMNS = 'id, sha256, received_at, source, size, parse_status, kind, mta, parser_version, message_id, subject, verp_return_path, verp_status, verp_recipient, error, result';

/** The Tx operations as SQL over any Queryable. */
export class SqlTx implements Tx {
  constructor(
    protected readonly q: Queryable,
    private readonly lockSql: string | null,
    private readonly dialect: outbox.Dialect = lockSql === null ? 'sqlite' : 'postgres',
    private readonly notifications = true,
  ) {}

  async insertMessage(m: NewMessage): Promise<{ id: number; duplicate: boolean }> {
    const row = await this.q.get(
      `INSERT INTO messages (sha256, received_at, source, size, raw, parse_status, kind, mta, parser_version, message_id,
         subject, verp_return_path, verp_status, verp_recipient, error, result)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sha256) DO NOTHING RETURNING id`,
      [m.sha256, m.receivedAt, m.source, m.raw.length, m.raw, m.parseStatus, m.kind, m.mta, m.parserVersion, m.messageId,
        m.subject, m.verpReturnPath, m.verpStatus, m.verpRecipient, m.error, m.result],
    );
    if (row) return { id: num(row['id']), duplicate: false };
    const existing = await this.q.get('SELECT id FROM messages WHERE sha256 = ?', [m.sha256]);
    return { id: num(existing?.['id']), duplicate: true };
  }

  async insertEvent(e: NewEvent): Promise<number> {
    const row = await this.q.get(
      `INSERT INTO events (message_id, address, reported_address, kind, action, status, reply_code, reason, hard, fault,
         diagnostic, remote_mta, command, mta, trusted, received_at, outcome, rule, explanation, soft_counted)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [e.messageId, e.address, e.reportedAddress, e.kind, e.action, e.status, e.replyCode, e.reason, int01(e.hard), e.fault,
        e.diagnostic, e.remoteMta, e.command, e.mta, int01(e.trusted), e.receivedAt, e.outcome, e.rule, e.explanation,
        int01(e.softCounted)],
    );
    return num(row?.['id']);
  }

  async lockAddress(address: string): Promise<void> {
    if (this.lockSql) await this.q.get(this.lockSql, [address]);
  }

  async softHistory(address: string, since: number): Promise<SoftHistory> {
    const soft = await this.q.all(
      'SELECT received_at FROM events WHERE address = ? AND soft_counted = 1 AND received_at >= ? ORDER BY received_at',
      [address, since],
    );
    const delivered = await this.q.get(
      "SELECT MAX(received_at) AS t FROM events WHERE address = ? AND kind = 'delivered' AND trusted = 1",
      [address],
    );
    return { softBounces: soft.map((r) => num(r['received_at'])), lastDelivered: numOrNull(delivered?.['t']) ?? undefined };
  }

  async getSuppression(address: string): Promise<Suppression | undefined> {
    const r = await this.q.get('SELECT * FROM suppressions WHERE address = ?', [address]);
    return r ? toSuppression(r) : undefined;
  }

  async putSuppression(s: Suppression): Promise<void> {
    await this.q.run(
      `INSERT INTO suppressions (address, reason, fault, kind, source_event_id, first_seen, last_seen, count, expires_at, manual, rule, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (address) DO UPDATE SET reason = excluded.reason, fault = excluded.fault, kind = excluded.kind,
         source_event_id = excluded.source_event_id, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
         count = excluded.count, expires_at = excluded.expires_at, manual = excluded.manual, rule = excluded.rule,
         note = excluded.note`,
      [s.address, s.reason, s.fault, s.kind, s.sourceEventId, s.firstSeen, s.lastSeen, s.count, s.expiresAt, int01(s.manual),
        s.rule, s.note],
    );
  }

  async deleteSuppression(address: string): Promise<boolean> {
    const r = await this.q.run('DELETE FROM suppressions WHERE address = ?', [address]);
    return r.changes > 0;
  }

  async audit(a: AuditEntry): Promise<void> {
    await this.q.run(
      'INSERT INTO audit (address, change, actor, reason, event_id, at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [a.address, a.change, a.actor, a.reason, a.eventId, a.at, a.detail],
    );
  }

  async recipientId(address: string): Promise<number> {
    const row = await this.q.get('INSERT INTO recipients (address) VALUES (?) ON CONFLICT (address) DO NOTHING RETURNING id', [address]);
    if (row) return num(row['id']);
    const existing = await this.q.get('SELECT id FROM recipients WHERE address = ?', [address]);
    return num(existing?.['id']);
  }

  async recipientById(id: number): Promise<string | undefined> {
    const row = await this.q.get('SELECT address FROM recipients WHERE id = ?', [id]);
    return row ? str(row['address']) : undefined;
  }

  async updateMessageParse(id: number, m: Parameters<Tx['updateMessageParse']>[1]): Promise<void> {
    await this.q.run(
      `UPDATE messages SET parse_status = ?, kind = ?, mta = ?, parser_version = ?, message_id = ?, subject = ?,
         verp_return_path = ?, verp_status = ?, verp_recipient = ?, error = ?, result = ? WHERE id = ?`,
      [m.parseStatus, m.kind, m.mta, m.parserVersion, m.messageId, m.subject, m.verpReturnPath, m.verpStatus, m.verpRecipient,
        m.error, m.result, id],
    );
  }

  async lapsedSuppressions(now: number): Promise<Suppression[]> {
    const rows = await this.q.all('SELECT * FROM suppressions WHERE expires_at IS NOT NULL AND expires_at <= ?', [now]);
    return rows.map(toSuppression);
  }

  async deleteEventsOfMessage(id: number): Promise<void> {
    await this.q.run('DELETE FROM events WHERE message_id = ?', [id]);
  }

  // intake checkpoints (src/store/intake-sql.ts)
  putCheckpoint(c: Checkpoint): Promise<void> {
    return intake.putCheckpoint(this.q, c);
  }

  // the outbox (src/store/outbox-sql.ts)
  enqueueOutbox(e: NewOutboxEvent): Promise<string> {
    if (!this.notifications) return Promise.resolve(''); // nothing would deliver it (StoreOptions)
    return outbox.enqueue(this.q, e);
  }

  fanOutOutbox(targets: readonly OutboxTargetSpec[], now: number, limit: number): Promise<number> {
    return outbox.fanOut(this.q, this.dialect, targets, now, limit);
  }

  claimDeliveries(c: DeliveryClaim): Promise<ClaimedDelivery[]> {
    return outbox.claim(this.q, this.dialect, c);
  }

  finishDelivery(id: number, token: string, o: DeliveryOutcome): Promise<boolean> {
    return outbox.finish(this.q, id, token, o);
  }

  retryDeliveries(ids: readonly number[] | 'failed', now: number): Promise<number> {
    return outbox.retry(this.q, ids, now);
  }

  pruneOutbox(before: number): Promise<number> {
    return outbox.prune(this.q, before);
  }
}

/** The read-side Store operations as SQL over any Queryable. */
export class SqlReads {
  constructor(
    protected r: Queryable,
    private readonly readDialect: query.ReadDialect = 'sqlite',
  ) {}

  async getSuppression(address: string): Promise<Suppression | undefined> {
    const row = await this.r.get('SELECT * FROM suppressions WHERE address = ?', [address.toLowerCase()]);
    return row ? toSuppression(row) : undefined;
  }

  async isSuppressed(address: string, now = Date.now()): Promise<Suppression | undefined> {
    const s = await this.getSuppression(address);
    return s && (s.expiresAt === null || s.expiresAt > now) ? s : undefined;
  }

  async checkMany(addresses: readonly string[], now = Date.now()): Promise<Suppression[]> {
    const unique = [...new Set(addresses.map((a) => a.toLowerCase()))];
    return (await query.suppressedAmong(this.r, this.readDialect, unique, now)).map(toSuppression);
  }

  async listSuppressions(f: SuppressionFilter = {}): Promise<Suppression[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.search) {
      where.push('address LIKE ?');
      params.push(`%${f.search.toLowerCase().replace(/[%_]/g, '')}%`);
    }
    if (f.reason) {
      where.push('reason = ?');
      params.push(f.reason);
    }
    if (f.fault) {
      where.push('fault = ?');
      params.push(f.fault);
    }
    if (f.since !== undefined) {
      where.push('last_seen >= ?');
      params.push(f.since);
    }
    if (f.after !== undefined) {
      where.push('address > ?');
      params.push(f.after);
    }
    if (!f.includeExpired) {
      where.push('(expires_at IS NULL OR expires_at > ?)');
      params.push(f.now ?? Date.now());
    }
    const limit = f.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(f.limit))}`;
    const rows = await this.r.all(
      `SELECT * FROM suppressions${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY address${limit}`,
      params,
    );
    return rows.map(toSuppression);
  }

  async countSuppressions(): Promise<number> {
    const row = await this.r.get('SELECT COUNT(*) AS n FROM suppressions');
    return num(row?.['n']);
  }

  async listEvents(f: EventFilter = {}): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.address) {
      where.push('address = ?');
      params.push(f.address.toLowerCase());
    }
    if (f.kind) {
      where.push('kind = ?');
      params.push(f.kind);
    }
    if (f.reason) {
      where.push('reason = ?');
      params.push(f.reason);
    }
    if (f.since !== undefined) {
      where.push('received_at >= ?');
      params.push(f.since);
    }
    if (f.afterId !== undefined) {
      where.push('id > ?');
      params.push(f.afterId);
    }
    if (f.beforeId !== undefined) {
      where.push('id < ?');
      params.push(f.beforeId);
    }
    if (f.messageId !== undefined) {
      where.push('message_id = ?');
      params.push(f.messageId);
    }
    const limit = f.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(f.limit))}`;
    const order = f.newestFirst ? 'id DESC' : 'id';
    const rows = await this.r.all(`SELECT * FROM events${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY ${order}${limit}`, params);
    return rows.map(toEvent);
  }

  async getEvent(id: number): Promise<StoredEvent | undefined> {
    const row = await this.r.get('SELECT * FROM events WHERE id = ?', [id]);
    return row ? toEvent(row) : undefined;
  }

  stats(f: StatsFilter): Promise<{ rows: StatsRow[]; more: boolean }> {
    return query.stats(this.r, this.readDialect, f);
  }

  async ping(): Promise<void> {
    await this.r.get('SELECT 1 AS ok');
  }

  async listAudit(address?: string, limit = 1000): Promise<AuditEntry[]> {
    const rows = address
      ? await this.r.all(`SELECT * FROM audit WHERE address = ? ORDER BY id LIMIT ${Math.floor(limit)}`, [address.toLowerCase()])
      : await this.r.all(`SELECT * FROM audit ORDER BY id LIMIT ${Math.floor(limit)}`);
    return rows.map(toAudit);
  }

  async getMessage(id: number): Promise<StoredMessage | undefined> {
    const row = await this.r.get(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`, [id]);
    return row ? toMessage(row) : undefined;
  }

  async getRaw(id: number): Promise<Buffer | undefined> {
    const row = await this.r.get('SELECT raw FROM messages WHERE id = ?', [id]);
    const raw = row?.['raw'];
    return raw instanceof Uint8Array ? Buffer.from(raw) : undefined;
  }

  async messageIds(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.r.all(`SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ${Math.floor(limit)}`, [afterId]);
    return rows.map((r) => num(r['id']));
  }

  getCheckpoint(name: string): Promise<Checkpoint | undefined> {
    return intake.getCheckpoint(this.r, name);
  }

  knownHashes(hashes: readonly string[]): Promise<Set<string>> {
    return intake.knownHashes(this.r, hashes);
  }

  listOutbox(f?: OutboxFilter): Promise<OutboxDelivery[]> {
    return outbox.list(this.r, f);
  }

  outboxCounts(): Promise<OutboxCounts> {
    return outbox.counts(this.r);
  }

  async counts(): Promise<{ messages: number; unparsed: number; events: number; suppressions: number }> {
    const m = await this.r.get("SELECT COUNT(*) AS n, SUM(CASE WHEN parse_status <> 'parsed' THEN 1 ELSE 0 END) AS u FROM messages");
    const e = await this.r.get('SELECT COUNT(*) AS n FROM events');
    const s = await this.r.get('SELECT COUNT(*) AS n FROM suppressions');
    return { messages: num(m?.['n']), unparsed: num(m?.['u'] ?? 0), events: num(e?.['n']), suppressions: num(s?.['n']) };
  }
}

/** Lapsed suppressions removed with an audit entry each (shared by both stores through unit()). */
export async function sweepLapsed(tx: Tx, now: number): Promise<number> {
  const lapsed = await tx.lapsedSuppressions(now);
  for (const s of lapsed) {
    await tx.deleteSuppression(s.address);
    await tx.audit({ address: s.address, change: 'expire', actor: 'expiry', reason: s.reason, eventId: null, at: now, detail: `lapsed at ${new Date(s.expiresAt ?? now).toISOString()}` });
    await tx.enqueueOutbox(unsuppressedNotice(s.address, 'expire', 'expiry', s.reason, now));
  }
  return lapsed.length;
}
