// The users-table hook: keeps a column in the app's own database in step with the suppression list by
// running the configured statement, the address and reason passed as bound parameters only ($1, $2). It
// is an outbox target, so a failing database is retried and visible and never holds up intake.
//
// Each delivery writes the address's *current* state (suppressed: the suppress statement with the current
// reason; not suppressed: the unsuppress statement), so a retry that arrives late cannot undo a newer
// change.
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { describeDatabase } from '../store/index.js';
import type { ClaimedDelivery, OutboxType, Store } from '../store/types.js';
import { scanParams } from './sql-params.js';
import { DeliveryError, type Target } from './target.js';

/** How long a statement may wait for the app's SQLite lock: short, because better-sqlite3 waits synchronously. */
const SQLITE_BUSY_MS = 250;
/** Longest a statement may run on the app's PostgreSQL. */
const PG_STATEMENT_MS = 10_000;

export interface UsersHookOptions {
  /** postgres:// URL, or a SQLite file (sqlite:PATH or a path). */
  databaseUrl: string;
  suppressSql: string;
  /** Empty: nothing is run when an address leaves the list. */
  unsuppressSql: string;
  /** The suppression list the current state is read from. */
  store: Store;
}

interface Runner {
  run(statement: 'suppress' | 'unsuppress', address: string, reason: string): Promise<number>;
  close(): Promise<void>;
}

// Each driver loads only when a hook of its kind exists: pg alone costs a short-lived command tens of ms.
const require = createRequire(import.meta.url);

function pgRunner(url: string, sql: Record<'suppress' | 'unsuppress', string>): Runner {
  const { Pool } = require('pg') as typeof pg;
  const pool = new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000, statement_timeout: PG_STATEMENT_MS });
  pool.on('error', () => {
    /* an idle connection died: the pool opens another on next use */
  });
  return {
    async run(statement, address, reason) {
      const text = sql[statement];
      const params = scanParams(text).params.has(2) ? [address, reason] : [address];
      return (await pool.query(text, params)).rowCount ?? 0;
    },
    close: () => pool.end(),
  };
}

function sqliteRunner(path: string, sql: Record<'suppress' | 'unsuppress', string>): Runner {
  let db: Database.Database | null = null;
  const statements = new Map<string, Database.Statement>();
  return {
    run(statement, address, reason) {
      // opened on first use (the app's file must exist: an empty new database would hide a wrong path)
      if (db === null) {
        const Driver = require('better-sqlite3') as typeof Database;
        db = new Driver(path, { fileMustExist: true, timeout: SQLITE_BUSY_MS });
      }
      let s = statements.get(statement);
      if (!s) {
        s = db.prepare(scanParams(sql[statement]).sqlite);
        statements.set(statement, s);
      }
      return Promise.resolve(s.run({ p1: address, p2: reason }).changes);
    },
    close() {
      db?.close();
      db = null;
      return Promise.resolve();
    },
  };
}

export class UsersTableHook implements Target {
  readonly name = 'hook';
  readonly types: readonly OutboxType[];
  readonly #runner: Runner;
  readonly #store: Store;
  readonly #unsuppress: boolean;

  constructor(o: UsersHookOptions) {
    const sql = { suppress: o.suppressSql, unsuppress: o.unsuppressSql };
    const d = describeDatabase(o.databaseUrl);
    this.#runner = d.dialect === 'postgres' ? pgRunner(o.databaseUrl, sql) : sqliteRunner(d.target, sql);
    this.#store = o.store;
    this.#unsuppress = o.unsuppressSql.trim() !== '';
    this.types = this.#unsuppress ? ['suppressed', 'unsuppressed'] : ['suppressed'];
  }

  async deliver(d: ClaimedDelivery): Promise<void> {
    const current = await this.#store.isSuppressed(d.address);
    let reason = current?.reason;
    if (!current) {
      if (!this.#unsuppress) return;
      const data = (JSON.parse(d.payload) as { data?: { reason?: unknown } }).data;
      reason = typeof data?.reason === 'string' ? data.reason : '';
    }
    try {
      await this.#runner.run(current ? 'suppress' : 'unsuppress', d.address, reason ?? '');
    } catch (err) {
      throw new DeliveryError(`users-table hook: ${(err as Error).message}`, { cause: err });
    }
  }

  close(): Promise<void> {
    return this.#runner.close();
  }
}
