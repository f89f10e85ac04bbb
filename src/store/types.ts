// The Store: one interface, two implementations (SQLite and PostgreSQL) beside each other, one test suite.
import type { Reason } from '../classify/reasons.js';
import type { Action, Fault, Kind } from '../parse/types.js';
import type { VerpStatus } from '../verp/codec.js';

export type ParseStatus = 'parsed' | 'unrecognized' | 'error';

export interface NewMessage {
  sha256: string;
  receivedAt: number;
  /** Where it came from: "smtp:1.2.3.4", "imap:host/INBOX", "pipe", "mbox:file", … */
  source: string;
  raw: Buffer;
  parseStatus: ParseStatus;
  kind: Kind;
  mta: string | null;
  parserVersion: string;
  messageId: string | null;
  subject: string;
  verpReturnPath: string | null;
  verpStatus: VerpStatus | null;
  verpRecipient: string | null;
  error: string | null;
  /** The parse result, JSON. */
  result: string;
}

export interface StoredMessage extends Omit<NewMessage, 'raw'> {
  id: number;
  size: number;
}

export interface NewEvent {
  messageId: number;
  /** The address the event is about (lower case): the VERP recipient when there is one, else the reported one. */
  address: string;
  /** The recipient as the bounce reported it. */
  reportedAddress: string;
  kind: Kind;
  action: Action;
  status: string;
  replyCode: string;
  reason: Reason;
  hard: boolean | null;
  fault: Fault;
  diagnostic: string;
  remoteMta: string;
  command: string;
  mta: string | null;
  trusted: boolean;
  receivedAt: number;
  /** Policy outcome and the rule that decided it. */
  outcome: string;
  rule: string;
  explanation: string;
  /** True when the policy counted it as a soft bounce. */
  softCounted: boolean;
}

export interface StoredEvent extends NewEvent {
  id: number;
}

export interface Suppression {
  address: string;
  reason: string;
  fault: string;
  kind: string;
  sourceEventId: number | null;
  firstSeen: number;
  lastSeen: number;
  count: number;
  expiresAt: number | null;
  manual: boolean;
  rule: string;
  note: string;
}

export type AuditChange = 'add' | 'update' | 'remove' | 'expire';
export type AuditActor = 'policy' | 'manual' | 'reclassify' | 'expiry';

export interface AuditEntry {
  id?: number;
  address: string;
  change: AuditChange;
  actor: AuditActor;
  reason: string;
  eventId: number | null;
  at: number;
  detail: string;
}

export interface EventFilter {
  address?: string | undefined;
  kind?: string | undefined;
  reason?: string | undefined;
  since?: number | undefined;
  /** Return events with id greater than this (ascending order) … */
  afterId?: number | undefined;
  /** … or with id less than this. */
  beforeId?: number | undefined;
  /** Events of one stored message. */
  messageId?: number | undefined;
  /** Newest first (descending id) instead of oldest first. */
  newestFirst?: boolean | undefined;
  limit?: number | undefined;
}

/** What the events of a period are counted by, per day (see Store.stats). */
export type StatsDimension = 'category' | 'kind' | 'reason' | 'fault' | 'domain';

export interface StatsFilter {
  by: StatsDimension;
  /** Received at or after (ms). */
  since: number;
  /** Received before (ms). */
  until: number;
  kind?: string | undefined;
  reason?: string | undefined;
  fault?: string | undefined;
  /** Only the `top` keys with the most events. */
  top: number;
}

export interface StatsRow {
  /** Start of the UTC day (ms). */
  day: number;
  key: string;
  count: number;
}

export interface SuppressionFilter {
  /** Substring of the address. */
  search?: string | undefined;
  reason?: string | undefined;
  fault?: string | undefined;
  since?: number | undefined;
  /** Addresses after this one (ascending order): cursor pagination. */
  after?: string | undefined;
  limit?: number | undefined;
  /** Include suppressions that have lapsed but not been swept yet. */
  includeExpired?: boolean | undefined;
  now?: number | undefined;
}

export interface SoftHistory {
  softBounces: number[];
  lastDelivered?: number | undefined;
}

/** What the outbox carries to webhooks and the users-table hook (src/notify/). */
export type OutboxType = 'bounce' | 'complaint' | 'suppressed' | 'unsuppressed';

/** A notification written inside the unit whose change causes it. */
export interface NewOutboxEvent {
  type: OutboxType;
  address: string;
  at: number;
  /** The event's fields (see src/notify/events.ts); stored as the JSON body every delivery sends. */
  data: Readonly<Record<string, unknown>>;
}

/** A delivery target as the dispatcher knows it: a name and the event types it takes. */
export interface OutboxTargetSpec {
  name: string;
  types: readonly OutboxType[];
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryClaim {
  /** Only deliveries for these targets. */
  targets: readonly string[];
  now: number;
  /** The claim lapses after this long (a dispatcher that died mid-delivery): then another may retry. */
  leaseMs: number;
  limit: number;
  /** Identifies this claim; finishDelivery() only applies with it. */
  token: string;
}

export interface ClaimedDelivery {
  id: number;
  target: string;
  /** Attempts including this one. */
  attempts: number;
  eventId: string;
  type: OutboxType;
  address: string;
  /** The exact JSON body, the same on every attempt. */
  payload: string;
  createdAt: number;
}

export type DeliveryOutcome =
  | { status: 'delivered'; at: number }
  | { status: 'pending'; at: number; nextAttemptAt: number; error: string }
  | { status: 'failed'; at: number; error: string };

export interface OutboxDelivery {
  id: number;
  eventId: string;
  type: OutboxType;
  address: string;
  target: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string;
  createdAt: number;
  updatedAt: number;
}

export interface OutboxFilter {
  /** Default: pending and failed. */
  status?: readonly DeliveryStatus[] | undefined;
  limit?: number | undefined;
}

export interface OutboxCounts {
  /** Events no dispatcher has fanned out to its targets yet. */
  queued: number;
  pending: number;
  failed: number;
  delivered: number;
}

/**
 * Where an intake stopped (migration 4): an IMAP mailbox's UIDVALIDITY and last committed UID, or an mbox
 * import's byte offset and a hash of the bytes before it. Written in the unit of the messages it covers.
 */
export interface Checkpoint {
  /** "imap:user@host:port/MAILBOX", "mbox:/abs/path", … */
  name: string;
  /** What the position is valid for: the UIDVALIDITY, or a hash of the file's bytes before the offset. */
  validity: string;
  /** The last UID committed, or the byte offset to continue from. */
  position: number;
  updatedAt: number;
}

/** Operations inside one durable transaction. */
export interface Tx {
  /** Insert a message; duplicate (same sha256) returns the existing id with duplicate = true. */
  insertMessage(m: NewMessage): Promise<{ id: number; duplicate: boolean }>;
  insertEvent(e: NewEvent): Promise<number>;
  /** Serialise decisions about one address across processes (PostgreSQL advisory lock; no-op on SQLite). */
  lockAddress(address: string): Promise<void>;
  softHistory(address: string, since: number): Promise<SoftHistory>;
  getSuppression(address: string): Promise<Suppression | undefined>;
  putSuppression(s: Suppression): Promise<void>;
  deleteSuppression(address: string): Promise<boolean>;
  audit(a: AuditEntry): Promise<void>;
  /** The id of a recipient address for compact VERP tokens, created on first use. */
  recipientId(address: string): Promise<number>;
  recipientById(id: number): Promise<string | undefined>;
  /** Replace a message's parse fields (reclassify). */
  updateMessageParse(id: number, m: Pick<NewMessage, 'parseStatus' | 'kind' | 'mta' | 'parserVersion' | 'messageId' | 'subject' | 'verpReturnPath' | 'verpStatus' | 'verpRecipient' | 'error' | 'result'>): Promise<void>;
  deleteEventsOfMessage(id: number): Promise<void>;
  /** Suppressions whose expiry has passed. */
  lapsedSuppressions(now: number): Promise<Suppression[]>;
  /** Record where an intake stopped (replacing the previous checkpoint of that name). */
  putCheckpoint(c: Checkpoint): Promise<void>;
  /** Queue a notification in this unit (kept only if the unit commits); returns its stable event id. */
  enqueueOutbox(e: NewOutboxEvent): Promise<string>;
  /** Give up to `limit` queued events one delivery per target taking their type; returns how many events. */
  fanOutOutbox(targets: readonly OutboxTargetSpec[], now: number, limit: number): Promise<number>;
  /** Lease due pending deliveries (SKIP LOCKED on PostgreSQL), counting the attempt. */
  claimDeliveries(c: DeliveryClaim): Promise<ClaimedDelivery[]>;
  /** Record an attempt's outcome; false when the claim was lost (lease lapsed and taken over). */
  finishDelivery(id: number, token: string, outcome: DeliveryOutcome): Promise<boolean>;
  /** Make failed (or the given undelivered) deliveries due again with a fresh attempt count. */
  retryDeliveries(ids: readonly number[] | 'failed', now: number): Promise<number>;
  /** Delete deliveries delivered before `before`, and events fanned out before it that have none left. */
  pruneOutbox(before: number): Promise<number>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Apply pending migrations; returns the schema version. */
  migrate(): Promise<number>;
  /**
   * Run fn in one durable transaction: when the promise resolves, the changes are committed and synced to
   * disk (SQLite synchronous=FULL, group-committed with concurrent callers; PostgreSQL COMMIT). When fn or
   * the commit fails the promise rejects and nothing of fn's is kept.
   */
  unit<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  getSuppression(address: string): Promise<Suppression | undefined>;
  /** Suppressed now (present and not lapsed)? */
  isSuppressed(address: string, now?: number): Promise<Suppression | undefined>;
  /** Which of these addresses are suppressed now. */
  checkMany(addresses: readonly string[], now?: number): Promise<Suppression[]>;
  listSuppressions(f?: SuppressionFilter): Promise<Suppression[]>;
  countSuppressions(): Promise<number>;
  listEvents(f?: EventFilter): Promise<StoredEvent[]>;
  listAudit(address?: string, limit?: number): Promise<AuditEntry[]>;
  getEvent(id: number): Promise<StoredEvent | undefined>;
  /**
   * Events per UTC day and key of one dimension: `category` is hard / soft (bounces by hardness) or the kind
   * (complaint, auto-reply, delay, delivered, not-bounce); `domain` is the address's domain. Only the `top`
   * keys with the most events in the period; `more` says whether others were left out.
   */
  stats(f: StatsFilter): Promise<{ rows: StatsRow[]; more: boolean }>;
  /** A round trip to the database (readiness). */
  ping(): Promise<void>;
  /** Writes waiting: units queued for the SQLite writer, or callers waiting for a PostgreSQL connection. */
  pending(): number;
  getMessage(id: number): Promise<StoredMessage | undefined>;
  getRaw(id: number): Promise<Buffer | undefined>;
  /** Message ids in order of arrival, for reclassify. */
  messageIds(afterId: number, limit: number): Promise<number[]>;
  /** Counts for metrics and health. */
  counts(): Promise<{ messages: number; unparsed: number; events: number; suppressions: number }>;
  /** Remove lapsed suppressions, auditing each; returns how many. */
  sweepExpired(now?: number): Promise<number>;
  getCheckpoint(name: string): Promise<Checkpoint | undefined>;
  /** Which of these SHA-256 hashes (hex) belong to stored messages (imports skip them without parsing). */
  knownHashes(hashes: readonly string[]): Promise<Set<string>>;
  /** Outbox deliveries in the order they were created (default: those not delivered). */
  listOutbox(f?: OutboxFilter): Promise<OutboxDelivery[]>;
  outboxCounts(): Promise<OutboxCounts>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /**
   * Queue outbox notifications (webhooks, users-table hook) with the changes that cause them (default on).
   * The high-volume intakes (`rebound serve`, `rebound import`, `rebound send`) turn it off when their
   * configuration has no webhook or hook to deliver to, which saves writes on every message; the occasional
   * commands (manual changes, reclassify, the pipe) always queue, so a server with webhooks delivers them.
   */
  notifications?: boolean;
}

export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}
