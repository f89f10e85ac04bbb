// The Maildir intake: every message delivered to new/ is ingested and, once committed, moved to cur/ with
// the "seen" info suffix (":2,S"), or to the cur/ of a processed folder. A scan runs at start (catching up
// on what arrived while Rebound was down), whenever the file system reports a change in new/, and every
// pollMs besides (notifications can be lost). A message that was committed but not moved when the process
// stopped is recognised by its content hash on the next scan and only moved: nothing is counted twice.
import { watch, type FSWatcher } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import type { Logger } from 'pino';
import { CheckLoop, settleAll } from './check-loop.js';
import { ingestMany, sha256, type IngestContext } from './ingest-raw.js';

/** Messages read and committed per unit. */
export const MAILDIR_BATCH = 200;
/** A burst of deliveries produces a burst of notifications: wait this long for it to settle, then scan once. */
const NOTIFY_SETTLE_MS = 50;

export class MaildirError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MaildirError';
  }
}

export interface MaildirOptions {
  /** Maildir folder committed messages go to (relative: inside the Maildir); "" for the Maildir's own cur/. */
  processed: string;
  /** Milliseconds between scans besides file-system notifications. */
  pollMs: number;
  batchSize?: number;
}

export interface ScanResult {
  maildir: string;
  /** Files found in new/. */
  found: number;
  stored: number;
  /** Already stored (same content: an earlier run committed it but did not move it, or a repeated delivery). */
  duplicates: number;
  moved: number;
}

export interface MaildirStatus {
  maildir: string;
  scans: number;
  stored: number;
  duplicates: number;
  moved: number;
  lastScan: number | null;
  lastError: string | null;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** The Maildir committed messages of `dir` go to (created with cur/ new/ tmp/ when missing). */
async function processedDir(dir: string, processed: string): Promise<string> {
  if (processed === '') return dir;
  const target = isAbsolute(processed) ? processed : join(dir, processed);
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(target, sub), { recursive: true });
  return target;
}

/** A message's name in cur/: the "S" (seen) flag added to its info, which is created when absent. */
export function seenName(name: string): string {
  const i = name.indexOf(':2,');
  if (i < 0) return `${name.replace(/:.*$/, '')}:2,S`;
  const flags = new Set(name.slice(i + 3));
  flags.add('S');
  return name.slice(0, i + 3) + [...flags].sort().join('');
}

async function move(from: string, to: string, tmpDir: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    // another file system: copy into tmp/, rename into place, then remove the original
    const tmp = join(tmpDir, basename(to));
    await copyFile(from, tmp);
    await rename(tmp, to);
    await unlink(from);
  }
}

/** One pass over a Maildir: everything in new/ ingested, committed, then moved. */
export async function scanMaildir(ctx: IngestContext, dir: string, opts: Pick<MaildirOptions, 'processed' | 'batchSize'>, log: Logger): Promise<ScanResult> {
  const newDir = join(dir, 'new');
  if (!(await isDir(newDir)) || !(await isDir(join(dir, 'cur')))) throw new MaildirError(`${dir} is not a Maildir (it needs new/ and cur/)`);
  const target = await processedDir(dir, opts.processed);
  const names = (await readdir(newDir)).filter((n) => !n.startsWith('.')).sort();
  const result: ScanResult = { maildir: dir, found: names.length, stored: 0, duplicates: 0, moved: 0 };
  const size = opts.batchSize ?? MAILDIR_BATCH;
  for (let i = 0; i < names.length; i += size) {
    const batch: Array<{ name: string; raw: Buffer; hash: string }> = [];
    for (const name of names.slice(i, i + size)) {
      try {
        const raw = await readFile(join(newDir, name));
        batch.push({ name, raw, hash: sha256(raw) });
      } catch (err) {
        // taken away meanwhile (another reader, a person): not ours any more
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    // committed by an earlier run that stopped before moving them: only the move is left to do
    const known = await ctx.store.knownHashes(batch.map((b) => b.hash));
    const fresh = batch.filter((b) => !known.has(b.hash));
    const results = fresh.length > 0 ? await ingestMany(ctx, fresh.map((b) => ({ raw: b.raw, source: `maildir:${dir}` }))) : [];
    const stored = results.filter((r) => !r.duplicate).length;
    result.stored += stored;
    result.duplicates += batch.length - stored;
    if (batch.length > 0) log.info({ maildir: dir, count: batch.length, stored, duplicates: batch.length - stored }, 'maildir: batch committed');
    for (const b of batch) {
      try {
        await move(join(newDir, b.name), join(target, 'cur', seenName(b.name)), join(target, 'tmp'));
        result.moved++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
  return result;
}

/** One Maildir's watcher: scans at start, on notifications and every pollMs. */
class MaildirReader {
  readonly status: MaildirStatus;
  readonly #loop: CheckLoop<ScanResult>;
  #watcher: FSWatcher | null = null;
  #settle: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: IngestContext,
    private readonly dir: string,
    private readonly opts: MaildirOptions,
    private readonly log: Logger,
  ) {
    this.status = { maildir: dir, scans: 0, stored: 0, duplicates: 0, moved: 0, lastScan: null, lastError: null };
    this.#loop = new CheckLoop(`Maildir ${dir}`, () => this.#scan(), {
      pollMs: opts.pollMs,
      onError: (err, retryMs) => log.warn({ maildir: dir, err: (err as Error).message, retryMs }, 'maildir: scan failed; retrying'),
    });
  }

  #watch(): void {
    if (this.#watcher) return;
    try {
      this.#watcher = watch(join(this.dir, 'new'), () => {
        this.#settle ??= setTimeout(() => {
          this.#settle = null;
          this.#loop.poke();
        }, NOTIFY_SETTLE_MS);
      });
      this.#watcher.on('error', () => this.#unwatch());
    } catch {
      // no notifications here (the directory is missing, or the file system has none): polling still works
    }
  }

  #unwatch(): void {
    this.#watcher?.close();
    this.#watcher = null;
  }

  async #scan(): Promise<ScanResult> {
    try {
      this.#watch();
      const r = await scanMaildir(this.ctx, this.dir, this.opts, this.log);
      this.status.scans++;
      this.status.stored += r.stored;
      this.status.duplicates += r.duplicates;
      this.status.moved += r.moved;
      this.status.lastScan = Date.now();
      this.status.lastError = null;
      return r;
    } catch (err) {
      this.status.lastError = (err as Error).message;
      throw err;
    }
  }

  scan(): Promise<ScanResult> {
    return this.#loop.request();
  }

  async stop(): Promise<void> {
    this.#unwatch();
    if (this.#settle) clearTimeout(this.#settle);
    await this.#loop.stop();
  }
}

export interface MaildirIntake {
  /**
   * A scan of every Maildir that starts now; resolves when each has committed and moved everything in its
   * new/ (in the order the Maildirs were given). When any fails it rejects, after the others have finished.
   */
  scanNow(): Promise<ScanResult[]>;
  status(): MaildirStatus[];
  /** Let the scans in progress finish, then stop watching. */
  stop(): Promise<void>;
}

/** Start watching each Maildir (the first scan, the catch-up, starts at once). */
export function startMaildir(ctx: IngestContext, dirs: readonly string[], opts: MaildirOptions, log: Logger): MaildirIntake {
  const readers = dirs.map((d) => new MaildirReader(ctx, d, opts, log));
  return {
    scanNow: () => settleAll(readers.map((r) => r.scan())),
    status: () => readers.map((r) => ({ ...r.status })),
    stop: async () => {
      await Promise.all(readers.map((r) => r.stop()));
    },
  };
}
