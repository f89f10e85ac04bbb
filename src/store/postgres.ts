// The shared store: PostgreSQL through pg. Each unit is one transaction on a pooled connection; decisions
// about one address are serialised across processes with a transaction-scoped advisory lock, so several
// receivers can ingest into one database at once.
import pg from 'pg';
import { SqlReads, SqlTx, sweepLapsed, type Queryable, type Row } from './common.js';
import { MIGRATIONS } from './migrations.js';
import { StoreError, type Store, type StoreOptions, type Tx } from './types.js';

// BIGINT (int8) and NUMERIC come back as strings by default; our values fit in a double.
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 || oid === 1700 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
};

/** "?" placeholders to PostgreSQL's "$1, $2, …" (our queries never contain a literal "?"). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

class PgQueryable implements Queryable {
  readonly #c: pg.Pool | pg.PoolClient;
  readonly #cache = new Map<string, string>();
  constructor(c: pg.Pool | pg.PoolClient) {
    this.#c = c;
  }
  #sql(sql: string): string {
    let s = this.#cache.get(sql);
    if (s === undefined) {
      s = numbered(sql);
      if (this.#cache.size < 1000) this.#cache.set(sql, s);
    }
    return s;
  }
  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.#c.query(this.#sql(sql), params as unknown[])).rows as Row[];
  }
  async get(sql: string, params: readonly unknown[] = []): Promise<Row | undefined> {
    return (await this.#c.query(this.#sql(sql), params as unknown[])).rows[0] as Row | undefined;
  }
  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    return { changes: (await this.#c.query(this.#sql(sql), params as unknown[])).rowCount ?? 0 };
  }
}

const LOCK_SQL = 'SELECT pg_advisory_xact_lock(hashtext(?))';
// deadlock, serialization failure, unique violation raced by another process: the unit is retried
const RETRYABLE = new Set(['40P01', '40001', '23505']);

export class PostgresStore extends SqlReads implements Store {
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool;
  #closed = false;

  readonly #notifications: boolean;

  private constructor(pool: pg.Pool, notifications: boolean) {
    super(new PgQueryable(pool), 'postgres');
    this.#pool = pool;
    this.#notifications = notifications;
  }

  static open(url: string, opts: StoreOptions = {}, poolSize = 10): PostgresStore {
    const pool = new pg.Pool({ connectionString: url, max: poolSize, types, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => {
      /* an idle client died (server restart): the pool replaces it on next use */
    });
    return new PostgresStore(pool, opts.notifications ?? true);
  }

  async migrate(): Promise<number> {
    const c = await this.#connect();
    try {
      // one migrator at a time across processes
      await c.query('SELECT pg_advisory_lock(7243401)');
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      // apply every migration not yet recorded, in version order (not just those above the highest applied)
      const applied = new Set(((await c.query('SELECT version FROM schema_migrations')).rows as Array<{ version: number }>).map((r) => Number(r.version)));
      for (const m of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
        if (applied.has(m.version)) continue;
        await c.query('BEGIN');
        try {
          await c.query(m.postgres);
          await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
          await c.query('COMMIT');
        } catch (err) {
          await c.query('ROLLBACK');
          throw new StoreError(`migration ${m.version} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.add(m.version);
      }
      return Math.max(0, ...applied);
    } finally {
      await c.query('SELECT pg_advisory_unlock(7243401)').catch(() => undefined);
      c.release();
    }
  }

  async #connect(): Promise<pg.PoolClient> {
    if (this.#closed) throw new StoreError('store is closed');
    try {
      return await this.#pool.connect();
    } catch (err) {
      throw new StoreError(`cannot connect to PostgreSQL: ${(err as Error).message}`, { cause: err });
    }
  }

  async unit<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.#connect();
      try {
        await c.query('BEGIN');
        const value = await fn(new SqlTx(new PgQueryable(c), LOCK_SQL, 'postgres', this.#notifications));
        await c.query('COMMIT');
        return value;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        const code = (err as { code?: string }).code;
        if (code && RETRYABLE.has(code) && attempt < 5) continue;
        throw err instanceof StoreError ? err : new StoreError(`transaction failed: ${(err as Error).message}`, { cause: err });
      } finally {
        c.release();
      }
    }
  }

  pending(): number {
    return this.#pool.waitingCount;
  }

  sweepExpired(now = Date.now()): Promise<number> {
    return this.unit((tx) => sweepLapsed(tx, now));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}
