// Bulk imports: an mbox file, a Maildir, or message files. Messages go through ingestMany() in batches of
// many per unit (one commit per batch, not per message), the next batch parsed while the previous one
// commits. Resumable: an mbox import records its byte offset in a checkpoint (migration 4) committed with
// the batches, so a second run continues where the first stopped; for every import, messages whose
// content is already stored are recognised by their hash and skipped without being parsed again.
import { open, realpath, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { splitMbox } from '../parse/mbox.js';
import { ingestMany, sha256, type IngestContext, type IngestResult } from './ingest-raw.js';

/** Messages per unit: amortises the commit (and the fsync) over many messages. */
export const IMPORT_BATCH = 500;
/** Batches parsed ahead of the one committing: the parser works while the disk syncs. */
const IN_FLIGHT = 3;
/** Bytes read from an mbox at a time. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** How much of the file before a checkpoint's offset must be unchanged for the import to resume there. */
const RESUME_CHECK_BYTES = 64 * 1024;

export interface ImportSummary {
  source: string;
  /** Messages read in this run. */
  messages: number;
  /** Stored for the first time. */
  stored: number;
  /** Already stored (same content), counted once. */
  duplicates: number;
  /** Stored, but no decoder recognised them (or parsing failed): kept and counted as unparsed. */
  unparsed: number;
  /** Inputs that could not be read. */
  errors: number;
  /** mbox: the byte offset this run continued from (0: from the start). */
  resumedAt: number;
  /** False when stopped early (signal): run the same import again to continue. */
  complete: boolean;
}

export interface ImportProgress {
  messages: number;
  /** Work done and to do: bytes of an mbox, files of a Maildir or a file list. */
  done: number;
  total: number;
}

export interface ImportOptions {
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Reports inputs that could not be read (the import goes on). */
  onError?: (source: string, message: string) => void;
  /** Stop after the batches in progress; the summary says complete: false. */
  signal?: AbortSignal;
}

export class ImportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImportError';
  }
}

interface Item {
  raw: Buffer;
  source: string;
}

/**
 * Batches in flight, committed in order of completion; `safe` is the end of the longest run of batches
 * from the first that have all committed — the only position a checkpoint may name.
 */
class Pipeline {
  readonly summary: ImportSummary;
  #inFlight = new Set<Promise<void>>();
  #ends: number[] = [];
  #committed: boolean[] = [];
  #safeIndex = -1;
  #failure: unknown = undefined;

  constructor(
    private readonly ctx: IngestContext,
    source: string,
    private readonly checkpoint?: { name: string; validity: (pos: number) => Promise<string> },
  ) {
    this.summary = { source, messages: 0, stored: 0, duplicates: 0, unparsed: 0, errors: 0, resumedAt: 0, complete: true };
  }

  get safe(): number {
    return this.#safeIndex < 0 ? this.summary.resumedAt : (this.#ends[this.#safeIndex] as number);
  }

  /** Queue a batch (its messages ending at byte `end` for an mbox); waits while too many are in flight. */
  async add(items: readonly Item[], end: number): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    while (this.#inFlight.size >= IN_FLIGHT) await Promise.race(this.#inFlight);
    if (this.#failure !== undefined) throw this.#failure;
    const index = this.#ends.length;
    this.#ends.push(end);
    this.#committed.push(false);
    this.summary.messages += items.length;
    const p = this.#run(items, index).catch((err: unknown) => {
      this.#failure ??= err;
    });
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p));
  }

  async #run(items: readonly Item[], index: number): Promise<void> {
    // already stored (an earlier, interrupted run; a message imported twice): skipped without parsing
    const hashes = items.map((m) => sha256(m.raw));
    const known = await this.ctx.store.knownHashes(hashes);
    const fresh = items.filter((_m, i) => !known.has(hashes[i] as string));
    const cp = this.checkpoint;
    // the checkpoint this unit may record: the end of the batches already committed before it
    const results: IngestResult[] = await ingestMany(this.ctx, fresh, cp
      ? async (tx) => {
        const pos = this.safe;
        if (pos > 0) await tx.putCheckpoint({ name: cp.name, validity: await cp.validity(pos), position: pos, updatedAt: Date.now() });
      }
      : undefined);
    const stored = results.filter((r) => !r.duplicate);
    this.summary.stored += stored.length;
    this.summary.duplicates += items.length - stored.length;
    this.summary.unparsed += stored.filter((r) => r.parseStatus !== 'parsed').length;
    this.#committed[index] = true;
    while (this.#committed[this.#safeIndex + 1]) this.#safeIndex++;
  }

  /** Wait for every batch; record the final checkpoint. Rethrows the first failure. */
  async finish(): Promise<ImportSummary> {
    while (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
    if (this.#failure !== undefined) {
      await this.#record().catch(() => undefined);
      throw this.#failure;
    }
    await this.#record();
    return this.summary;
  }

  async #record(): Promise<void> {
    const cp = this.checkpoint;
    const pos = this.safe;
    if (!cp || pos <= this.summary.resumedAt) return;
    const validity = await cp.validity(pos);
    await this.ctx.store.unit((tx) => tx.putCheckpoint({ name: cp.name, validity, position: pos, updatedAt: Date.now() }));
  }
}

const FROM = Buffer.from('\nFrom ');

/** Where the next "From " separator (at a line start, after a blank line) begins at or after `from`; -1 if none. */
function nextSeparator(buf: Buffer, from: number): number {
  let pos = Math.max(from, 1) - 1;
  for (;;) {
    const at = buf.indexOf(FROM, pos);
    if (at < 0) return -1;
    // the line before must be empty: "\n\nFrom " or "\n\r\nFrom "
    const p = at - 1;
    if (p >= 0 && (buf[p] === 10 || (buf[p] === 13 && p >= 1 && buf[p - 1] === 10))) return at + 1;
    pos = at + 1;
  }
}

/** An mbox message without its "From " line, ">From " lines unescaped. */
function mboxMessage(segment: Buffer): Buffer {
  const [m] = splitMbox(segment);
  const msg = m ?? segment;
  const eol = msg.indexOf(10);
  return eol < 0 ? Buffer.alloc(0) : msg.subarray(eol + 1);
}

/** Import an mbox file; resumes from its checkpoint when the file before that offset is unchanged. */
export async function importMbox(ctx: IngestContext, path: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const fh = await open(path, 'r').catch((err: unknown) => {
    throw new ImportError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  });
  try {
    const size = (await fh.stat()).size;
    const name = `mbox:${await realpath(path)}`;
    // what the checkpoint must match: a hash of the bytes just before the offset (and the offset itself)
    const validity = async (pos: number): Promise<string> => {
      const len = Math.min(pos, RESUME_CHECK_BYTES);
      const b = Buffer.alloc(len);
      await fh.read(b, 0, len, pos - len);
      return `${pos}:${createHash('sha256').update(b).digest('hex')}`;
    };
    let start = 0;
    const cp = await ctx.store.getCheckpoint(name);
    if (cp && cp.position <= size && (await validity(cp.position)) === cp.validity) start = cp.position;
    const pipe = new Pipeline(ctx, path, { name, validity });
    pipe.summary.resumedAt = start;
    const batchSize = opts.batchSize ?? IMPORT_BATCH;
    let batch: Item[] = [];
    let carry = Buffer.alloc(0);
    let carryAt = start; // file offset of carry[0]
    let readAt = start;
    let lastProgress = 0;
    const progress = (force = false): void => {
      const now = Date.now();
      if (!opts.onProgress || (!force && now - lastProgress < 100)) return;
      lastProgress = now;
      opts.onProgress({ messages: pipe.summary.messages, done: carryAt, total: size });
    };
    const chunk = Buffer.alloc(CHUNK_BYTES);
    if (start === 0 && size > 0) {
      const head = Buffer.alloc(Math.min(5, size));
      await fh.read(head, 0, head.length, 0);
      if (head.toString('latin1') !== 'From '.slice(0, head.length)) throw new ImportError(`${path} is not an mbox (it does not start with a "From " line)`);
    }
    while (readAt < size || carry.length > 0) {
      if (opts.signal?.aborted) {
        pipe.summary.complete = false;
        break;
      }
      let eof = readAt >= size;
      if (!eof) {
        const { bytesRead } = await fh.read(chunk, 0, CHUNK_BYTES, readAt);
        readAt += bytesRead;
        carry = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : Buffer.from(chunk.subarray(0, bytesRead));
        eof = readAt >= size || bytesRead === 0;
      }
      // whole messages: from one separator to the next (the last only at the end of the file)
      let s = 0;
      for (;;) {
        let e = nextSeparator(carry, s + 1);
        if (e < 0) {
          if (!eof) break;
          e = carry.length;
        }
        if (e > s) batch.push({ raw: mboxMessage(carry.subarray(s, e)), source: `mbox:${path}` });
        s = e;
        if (batch.length >= batchSize) {
          await pipe.add(batch, carryAt + s);
          batch = [];
          progress();
        }
        if (s >= carry.length) break;
      }
      carry = carry.subarray(s);
      carryAt += s;
      if (eof && carry.length === 0) break;
    }
    if (batch.length > 0) await pipe.add(batch, carryAt);
    const summary = await pipe.finish();
    progress(true);
    return summary;
  } finally {
    await fh.close();
  }
}

/** Import message files, one message each (a Maildir's files, or files named on the command line). */
export async function importFiles(ctx: IngestContext, label: string, files: readonly string[], opts: ImportOptions = {}): Promise<ImportSummary> {
  const pipe = new Pipeline(ctx, label);
  const batchSize = opts.batchSize ?? IMPORT_BATCH;
  let batch: Item[] = [];
  let done = 0;
  let lastProgress = 0;
  for (const file of files) {
    if (opts.signal?.aborted) {
      pipe.summary.complete = false;
      break;
    }
    try {
      batch.push({ raw: await readFile(file), source: `file:${file}` });
    } catch (err) {
      pipe.summary.errors++;
      opts.onError?.(file, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message);
    }
    done++;
    if (batch.length >= batchSize) {
      await pipe.add(batch, 0);
      batch = [];
    }
    if (opts.onProgress && Date.now() - lastProgress >= 100) {
      lastProgress = Date.now();
      opts.onProgress({ messages: pipe.summary.messages, done, total: files.length });
    }
  }
  if (batch.length > 0) await pipe.add(batch, 0);
  const summary = await pipe.finish();
  opts.onProgress?.({ messages: summary.messages, done, total: files.length });
  return summary;
}
