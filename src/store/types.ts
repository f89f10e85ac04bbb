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
  limit?: number | undefined;
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
  getMessage(id: number): Promise<StoredMessage | undefined>;
  getRaw(id: number): Promise<Buffer | undefined>;
  /** Message ids in order of arrival, for reclassify. */
  messageIds(afterId: number, limit: number): Promise<number[]>;
  /** Counts for metrics and health. */
  counts(): Promise<{ messages: number; unparsed: number; events: number; suppressions: number }>;
  /** Remove lapsed suppressions, auditing each; returns how many. */
  sweepExpired(now?: number): Promise<number>;
  close(): Promise<void>;
}

export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}
