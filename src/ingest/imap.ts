// The IMAP intake (imapflow): one reader per configured mailbox. Each check fetches the messages whose UID
// is above the checkpoint, ingests them in batches through ingestMany() — the checkpoint (UIDVALIDITY and
// the batch's last UID) commits in the same unit as the messages — and only then acknowledges them: \Seen,
// moved to a folder, or deleted. A restart continues after the checkpoint (nothing skipped, nothing read
// twice); messages committed but not yet acknowledged when the process stopped are acknowledged on the
// next check. A new UIDVALIDITY makes the checkpoint void: the mailbox is read from its start and the
// content-hash deduplication counts every message already stored once. Between checks a reader waits in
// IDLE (new messages wake it) and checks anyway every pollMs (the fallback where IDLE is unavailable).
import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import { CheckLoop, settleAll } from './check-loop.js';
import { ingestMany, type IngestContext, type IngestResult } from './ingest-raw.js';
import type { ImapMailbox } from './imap-config.js';

export type { ImapMailbox } from './imap-config.js';

/** Messages fetched and committed per unit: amortises the commit, bounds the memory of one batch. */
export const IMAP_BATCH = 200;
/** Restart IDLE this often: some servers drop an IDLE that lasts longer than 30 minutes. */
const MAX_IDLE_MS = 5 * 60_000;
/** How long stop() lets a check in progress finish before cutting its connection. */
const STOP_GRACE_MS = 30_000;

export class ImapIntakeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImapIntakeError';
  }
}

export interface ImapOptions {
  /** Milliseconds between checks besides IDLE (and the only trigger without it). */
  pollMs: number;
  /** Wait in IDLE where the server offers it. */
  idle: boolean;
  batchSize?: number;
  /**
   * Called after each batch has been committed and before it is acknowledged, with the UIDs it covered.
   * For observation (logs, tests); when it throws, the check fails there and the batch is acknowledged by
   * the next one.
   */
  onCommitted?: (mailbox: string, uids: readonly number[], results: readonly IngestResult[]) => void | Promise<void>;
}

/** What one check of one mailbox did. */
export interface PollResult {
  mailbox: string;
  uidValidity: string;
  /** The checkpoint after the check. */
  lastUid: number;
  fetched: number;
  /** Stored for the first time. */
  stored: number;
  /** Already stored (same content): counted once. */
  duplicates: number;
  /** Flagged, moved or deleted, including messages committed by an earlier run. */
  acknowledged: number;
}

export interface MailboxStatus {
  mailbox: string;
  connected: boolean;
  checks: number;
  stored: number;
  duplicates: number;
  acknowledged: number;
  lastCheck: number | null;
  /** The last failure's message (cleared by a successful check). */
  lastError: string | null;
}

/** The checkpoint's name for a mailbox. */
export function checkpointName(m: ImapMailbox): string {
  return `imap:${m.name}`;
}

/** "1:4,7,9:10": a compact UID set (sorted input). */
export function uidSet(uids: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < uids.length) {
    const start = uids[i] as number;
    let end = start;
    while (i + 1 < uids.length && uids[i + 1] === end + 1) end = uids[++i] as number;
    parts.push(start === end ? String(start) : `${start}:${end}`);
    i++;
  }
  return parts.join(',');
}

/** A connected client with the mailbox selected (and the move folder created when missing). */
export async function connectMailbox(m: ImapMailbox, opts: { idle: boolean }, log: Logger, events?: { onChange(): void }): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: m.host,
    port: m.port,
    secure: m.tls === 'implicit',
    // starttls: upgrade or fail, so the password never crosses the wire in cleartext; none: stay in cleartext
    doSTARTTLS: m.tls === 'starttls' ? true : m.tls === 'none' ? false : undefined,
    auth: { user: m.user, pass: m.password },
    logger: false,
    disableAutoIdle: !opts.idle,
    autoIdleDelay: 2_000,
    maxIdleTime: MAX_IDLE_MS,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    clientInfo: { name: 'rebound' },
  });
  // an error after connect() closes the connection; the reader notices on its next command
  client.on('error', (err: Error) => log.warn({ mailbox: m.name, err: err.message }, 'imap: connection error'));
  if (events) {
    client.on('exists', () => events.onChange());
    client.on('close', () => events.onChange());
  }
  try {
    await client.connect();
    await client.mailboxOpen(m.mailbox);
    if (m.action === 'move') {
      const r = await client.mailboxCreate(m.folder);
      if (r.created) log.info({ mailbox: m.name, folder: m.folder }, 'imap: created the folder for processed messages');
    }
  } catch (err) {
    client.close();
    const detail = (err as { responseText?: string }).responseText ?? (err as Error).message;
    throw new ImapIntakeError(`${m.name}: ${detail}`, { cause: err });
  }
  return client;
}

async function acknowledge(c: ImapFlow, m: ImapMailbox, uids: readonly number[]): Promise<number> {
  if (uids.length === 0) return 0;
  const range = uidSet(uids);
  let ok: unknown;
  if (m.action === 'seen') ok = await c.messageFlagsAdd(range, ['\\Seen'], { uid: true });
  else if (m.action === 'move') ok = await c.messageMove(range, m.folder, { uid: true });
  else ok = await c.messageDelete(range, { uid: true });
  if (ok === false) throw new ImapIntakeError(`${m.name}: the server refused to ${m.action === 'seen' ? 'flag' : m.action} UIDs ${range}`);
  return uids.length;
}

async function searchUids(c: ImapFlow, query: Parameters<ImapFlow['search']>[0]): Promise<number[]> {
  const r = await c.search(query, { uid: true });
  if (!Array.isArray(r)) throw new ImapIntakeError('the server refused a UID SEARCH');
  return [...r].sort((a, b) => a - b);
}

/**
 * One complete check of a mailbox on a connected client: acknowledge what an earlier run committed but
 * did not acknowledge, then ingest, commit and acknowledge every message above the checkpoint.
 */
export async function checkMailbox(ctx: IngestContext, c: ImapFlow, m: ImapMailbox, log: Logger, opts: Pick<ImapOptions, 'batchSize' | 'onCommitted'> = {}): Promise<PollResult> {
  await c.noop(); // lets the server report what arrived since the last command
  const box = c.mailbox;
  if (!box) throw new ImapIntakeError(`${m.name}: the mailbox is not selected`);
  const validity = String(box.uidValidity);
  const name = checkpointName(m);
  const cp = await ctx.store.getCheckpoint(name);
  let last = 0;
  if (cp && cp.validity === validity) last = cp.position;
  else if (cp) log.warn({ mailbox: m.name, was: cp.validity, now: validity }, 'imap: UIDVALIDITY changed: reading the mailbox from its start (messages already stored count once)');
  const result: PollResult = { mailbox: m.name, uidValidity: validity, lastUid: last, fetched: 0, stored: 0, duplicates: 0, acknowledged: 0 };

  if (last > 0) {
    // committed before a restart (or a dropped connection) but not acknowledged then
    const pending = (await searchUids(c, m.action === 'seen' ? { uid: `1:${last}`, seen: false } : { uid: `1:${last}` })).filter((u) => u <= last);
    if (pending.length > 0) {
      result.acknowledged += await acknowledge(c, m, pending);
      log.info({ mailbox: m.name, count: pending.length, action: m.action }, 'imap: acknowledged messages committed earlier');
    }
  }

  // "N:*" also matches the highest UID when it is below N: keep only UIDs above the checkpoint
  const uids = (await searchUids(c, { uid: `${last + 1}:*` })).filter((u) => u > last);
  const size = opts.batchSize ?? IMAP_BATCH;
  for (let i = 0; i < uids.length; i += size) {
    const chunk = uids.slice(i, i + size);
    const wanted = new Set(chunk);
    const fetched = (await c.fetchAll(uidSet(chunk), { uid: true, source: true }, { uid: true }))
      .filter((f) => wanted.has(f.uid) && f.source !== undefined)
      .sort((a, b) => a.uid - b.uid);
    if (String(c.mailbox ? c.mailbox.uidValidity : '') !== validity) throw new ImapIntakeError(`${m.name}: UIDVALIDITY changed during the check`);
    const top = chunk[chunk.length - 1] as number;
    // a message expunged by someone else between SEARCH and FETCH is simply absent; the checkpoint passes it
    const results = await ingestMany(
      ctx,
      fetched.map((f) => ({ raw: f.source as Buffer, source: `imap:${m.name}` })),
      (tx) => tx.putCheckpoint({ name, validity, position: top, updatedAt: Date.now() }),
    );
    const stored = results.filter((r) => !r.duplicate).length;
    result.fetched += fetched.length;
    result.stored += stored;
    result.duplicates += results.length - stored;
    result.lastUid = top;
    log.info({ mailbox: m.name, count: fetched.length, stored, duplicates: results.length - stored, lastUid: top }, 'imap: batch committed');
    const done = fetched.map((f) => f.uid);
    await opts.onCommitted?.(m.name, done, results);
    result.acknowledged += await acknowledge(c, m, done);
  }
  return result;
}

/** Connect, check once, log out: read a mailbox to the end (imports, benchmarks, scripts). */
export async function pollMailboxOnce(ctx: IngestContext, m: ImapMailbox, log: Logger, opts: Pick<ImapOptions, 'batchSize' | 'onCommitted'> = {}): Promise<PollResult> {
  const c = await connectMailbox(m, { idle: false }, log);
  try {
    return await checkMailbox(ctx, c, m, log, opts);
  } finally {
    await c.logout().catch(() => c.close());
  }
}

/** One mailbox's reader: connect, check, wait (IDLE / poll), check again; reconnect with backoff on failure. */
class MailboxReader {
  readonly status: MailboxStatus;
  #client: ImapFlow | null = null;
  readonly #loop: CheckLoop<PollResult>;

  constructor(
    private readonly ctx: IngestContext,
    private readonly m: ImapMailbox,
    private readonly opts: ImapOptions,
    private readonly log: Logger,
  ) {
    this.status = { mailbox: m.name, connected: false, checks: 0, stored: 0, duplicates: 0, acknowledged: 0, lastCheck: null, lastError: null };
    this.#loop = new CheckLoop(`IMAP mailbox ${m.name}`, () => this.#check(), {
      pollMs: opts.pollMs,
      onError: (err, retryMs) => log.warn({ mailbox: m.name, err: (err as Error).message, retryMs }, 'imap: check failed; retrying'),
    });
  }

  check(): Promise<PollResult> {
    return this.#loop.request();
  }

  async #check(): Promise<PollResult> {
    try {
      this.#client ??= await connectMailbox(this.m, this.opts, this.log, { onChange: () => this.#loop.poke() });
      this.status.connected = true;
      const r = await checkMailbox(this.ctx, this.#client, this.m, this.log, this.opts);
      this.status.checks++;
      this.status.stored += r.stored;
      this.status.duplicates += r.duplicates;
      this.status.acknowledged += r.acknowledged;
      this.status.lastCheck = Date.now();
      this.status.lastError = null;
      if (!this.#client.usable) this.#drop();
      return r;
    } catch (err) {
      this.status.lastError = (err as Error).message;
      this.#drop();
      throw err;
    }
  }

  #drop(): void {
    this.#client?.close();
    this.#client = null;
    this.status.connected = false;
  }

  /** Finish the check in progress (its batch commits and is acknowledged), then log out. */
  async stop(): Promise<void> {
    // a server that stopped answering must not hold the shutdown: after the grace period the connection is cut
    // (a batch not yet committed is read again by the next run, one committed but not acknowledged is acknowledged then)
    const grace = setTimeout(() => this.#client?.close(), STOP_GRACE_MS);
    await this.#loop.stop();
    clearTimeout(grace);
    const c = this.#client;
    this.#client = null;
    this.status.connected = false;
    if (c) await c.logout().catch(() => c.close());
  }
}

export interface ImapIntake {
  /**
   * A check of every mailbox that starts now; resolves when each has committed and acknowledged all it found
   * (in the order the mailboxes were given). When any fails it rejects, after the others have finished.
   */
  pollNow(): Promise<PollResult[]>;
  status(): MailboxStatus[];
  /** Let the checks in progress finish, then log out. */
  stop(): Promise<void>;
}

/** Start one reader per mailbox; they run until stop(). */
export function startImap(ctx: IngestContext, mailboxes: readonly ImapMailbox[], opts: ImapOptions, log: Logger): ImapIntake {
  const readers = mailboxes.map((m) => new MailboxReader(ctx, m, opts, log));
  return {
    pollNow: () => settleAll(readers.map((r) => r.check())),
    status: () => readers.map((r) => ({ ...r.status })),
    stop: async () => {
      await Promise.all(readers.map((r) => r.stop()));
    },
  };
}
