// The embedded store: SQLite through better-sqlite3 in WAL mode. Writes go through one connection and are
// group-committed: units that arrive while a commit is being synced are batched into the next transaction
// (each inside its own savepoint). A batch is acknowledged only after its WAL frames are on disk: SQLite
// commits the batch with synchronous=NORMAL (no fsync inside COMMIT) and the store then fsyncs the WAL file
// on the libuv thread pool, so the event loop keeps serving connections while the disk syncs and one fsync
// acknowledges everything that arrived meanwhile. Where WAL is unavailable (":memory:") it falls back to
// synchronous=FULL. Reads use a second connection, which in WAL mode never sees a half-done batch.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SqlReads, SqlTx, sweepLapsed, type Queryable, type Row } from './common.js';
import { MIGRATIONS } from './migrations.js';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js';
import { StoreError, type Store, type StoreOptions, type Tx } from './types.js';

type Db = Database.Database;

/** How much of the database file the read connection maps into memory. */
const READER_MMAP_BYTES = 1024 * 1024 * 1024;

/**
 * The checkpoint worker starts this long after the first commit: a short-lived command (`rebound ingest`,
 * run once per bounce from an MTA's pipe) closes before then and never pays for a thread, and SQLite
 * checkpoints the log itself when the last connection closes.
 */
const CHECKPOINTER_DELAY_MS = 1000;

/** Most units in one group commit (bounds the latency of the last one in a batch). */
const MAX_BATCH = 256;

class SqliteQueryable implements Queryable {
  readonly #db: Db;
  readonly #cache = new Map<string, Database.Statement>();
  constructor(db: Db) {
    this.#db = db;
  }
  #stmt(sql: string): Database.Statement {
    let s = this.#cache.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#cache.set(sql, s);
    }
    return s;
  }
  all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return Promise.resolve(this.#stmt(sql).all(...params) as Row[]);
  }
  get(sql: string, params: readonly unknown[] = []): Promise<Row | undefined> {
    return Promise.resolve(this.#stmt(sql).get(...params) as Row | undefined);
  }
  run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    return Promise.resolve({ changes: this.#stmt(sql).run(...params).changes });
  }
}

/**
 * Create a directory and its missing parents, one level at a time (Node's recursive mkdirSync can spin
 * forever on file systems that refuse creation with ENOENT, such as /proc).
 */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

function open(path: string, readonly: boolean): { db: Db; wal: boolean } {
  const db = new Database(path, { readonly, fileMustExist: readonly && path !== ':memory:' });
  db.pragma('busy_timeout = 10000');
  let wal = false;
  if (!readonly) {
    wal = String(db.pragma('journal_mode = WAL', { simple: true })).toLowerCase() === 'wal';
    // with WAL the store syncs the log itself before acknowledging (see the header); otherwise SQLite does
    db.pragma(wal ? 'synchronous = NORMAL' : 'synchronous = FULL');
    // checkpoints run in a thread of their own (sqlite-checkpointer.ts), not inside COMMIT
    if (wal && path !== ':memory:') db.pragma('wal_autocheckpoint = 0');
    db.pragma('foreign_keys = ON');
  } else {
    // the read connection maps the file: index lookups (a 10,000-address check) read pages without a
    // system call each, about twice as fast; address space only, the pages stay in the OS cache
    db.pragma(`mmap_size = ${READER_MMAP_BYTES}`);
  }
  return { db, wal };
}

export class SqliteStore extends SqlReads implements Store {
  readonly dialect = 'sqlite' as const;
  readonly path: string;
  readonly #writer: Db;
  #reader: Db | null = null;
  readonly #tx: SqlTx;
  #queue: Job[] = [];
  #flushing = false;
  #closed = false;

  /** Set when the store syncs the WAL itself; the handle opens on first use (the file appears with the first write). */
  readonly #walPath: string | null;
  #walFile: FileHandle | null = null;
  readonly #checkpoints: boolean;
  #checkpointer: Checkpointer | null = null;
  #checkpointerTimer: NodeJS.Timeout | null = null;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;

  private constructor(path: string, writer: Db, wal: boolean, opts: StoreOptions) {
    const wq = new SqliteQueryable(writer);
    super(wq, 'sqlite');
    this.path = path;
    this.#writer = writer;
    this.#tx = new SqlTx(wq, null, 'sqlite', opts.notifications ?? true);
    this.#walPath = wal ? `${path}-wal` : null;
    this.#checkpoints = wal && path !== ':memory:';
    this.#begin = writer.prepare('BEGIN IMMEDIATE');
    this.#commit = writer.prepare('COMMIT');
  }

  /** Open (creating directories and the file as needed). ":memory:" gives a private in-memory store. */
  static open(path: string, opts: StoreOptions = {}): SqliteStore {
    try {
      if (path !== ':memory:') makeDirs(dirname(path));
      const { db, wal } = open(path, false);
      return new SqliteStore(path, db, wal, opts);
    } catch (err) {
      throw new StoreError(`cannot open SQLite database ${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Reads move to their own connection once the schema exists (a read-only handle cannot create it). */
  #attachReader(): void {
    if (this.#reader || this.path === ':memory:') return;
    this.#reader = open(this.path, true).db;
    this.r = new SqliteQueryable(this.#reader);
  }

  async migrate(): Promise<number> {
    const db = this.#writer;
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    // apply every migration not yet recorded, in version order (not just those above the highest applied)
    const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version));
    for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      db.transaction(() => {
        db.exec(m.sqlite);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      })();
      applied.add(m.version);
    }
    this.#attachReader();
    return Math.max(0, ...applied);
  }

  unit<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreError('store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    const db = this.#writer;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      const done: Array<{ job: Job; ok: boolean; value: unknown }> = [];
      try {
        this.#begin.run();
      } catch (err) {
        for (const job of batch) job.reject(new StoreError(`cannot begin a transaction: ${(err as Error).message}`, { cause: err }));
        continue;
      }
      const sp = this.#savepoints();
      for (const job of batch) {
        sp.begin.run();
        try {
          const value = await job.fn(this.#tx);
          sp.release.run();
          done.push({ job, ok: true, value });
        } catch (err) {
          try {
            sp.rollback.run();
            sp.release.run();
          } catch {
            /* the outer rollback below still protects the batch */
          }
          done.push({ job, ok: false, value: err });
        }
      }
      try {
        this.#commit.run();
        await this.#syncWal();
      } catch (err) {
        try {
          if (db.inTransaction) db.exec('ROLLBACK');
        } catch {
          /* already rolled back */
        }
        for (const d of done) d.job.reject(new StoreError(`commit failed: ${(err as Error).message}`, { cause: err }));
        continue;
      }
      for (const d of done) (d.ok ? d.job.resolve : d.job.reject)(d.value);
      this.#scheduleCheckpointer();
    }
    this.#flushing = false;
  }

  #scheduleCheckpointer(): void {
    if (!this.#checkpoints || this.#checkpointer || this.#checkpointerTimer || this.#closed) return;
    this.#checkpointerTimer = setTimeout(() => {
      this.#checkpointerTimer = null;
      if (!this.#closed) this.#checkpointer = startCheckpointer(this.path);
    }, CHECKPOINTER_DELAY_MS);
    this.#checkpointerTimer.unref();
  }

  #sp: { begin: Database.Statement; release: Database.Statement; rollback: Database.Statement } | null = null;

  /** Savepoint statements, prepared once (exec() would parse them for every unit). */
  #savepoints(): { begin: Database.Statement; release: Database.Statement; rollback: Database.Statement } {
    this.#sp ??= {
      begin: this.#writer.prepare('SAVEPOINT unit'),
      release: this.#writer.prepare('RELEASE unit'),
      rollback: this.#writer.prepare('ROLLBACK TO unit'),
    };
    return this.#sp;
  }

  /** Make the committed WAL frames durable (fsync on the thread pool). */
  async #syncWal(): Promise<void> {
    if (!this.#walPath) return;
    if (!this.#walFile) {
      if (!existsSync(this.#walPath)) return; // nothing written through the log yet
      this.#walFile = await openFile(this.#walPath, 'r');
    }
    await this.#walFile.sync();
  }

  pending(): number {
    return this.#queue.length;
  }

  sweepExpired(now = Date.now()): Promise<number> {
    return this.unit((tx) => sweepLapsed(tx, now));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // let queued units finish first
    while (this.#flushing || this.#queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    this.#closed = true;
    if (this.#checkpointerTimer) clearTimeout(this.#checkpointerTimer);
    await this.#checkpointer?.stop();
    await this.#walFile?.close();
    this.#reader?.close();
    this.#writer.close();
  }
}
