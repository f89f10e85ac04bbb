// Choosing a store from REBOUND_DATABASE_URL: "postgres://…" / "postgresql://…" → PostgreSQL;
// "sqlite:PATH", "sqlite://PATH", a plain path or ":memory:" → SQLite.
import type { Store, StoreOptions } from './types.js';

export type { Store, StoreOptions, Tx } from './types.js';
export { StoreError } from './types.js';

export const DEFAULT_DATABASE_URL = './data/rebound.db';

export function describeDatabase(url: string): { dialect: 'sqlite' | 'postgres'; target: string } {
  if (/^postgres(?:ql)?:\/\//i.test(url)) return { dialect: 'postgres', target: url.replace(/\/\/[^@/]*@/, '//***@') };
  let path = url;
  if (path.startsWith('sqlite://')) path = path.slice('sqlite://'.length);
  else if (path.startsWith('sqlite:')) path = path.slice('sqlite:'.length);
  return { dialect: 'sqlite', target: path || DEFAULT_DATABASE_URL };
}

/** Open the store a database URL names and apply migrations. */
export async function openStore(url: string = DEFAULT_DATABASE_URL, opts: StoreOptions = {}): Promise<Store> {
  const d = describeDatabase(url);
  // each driver is loaded only when used: pg alone costs a short-lived command (`rebound ingest`, run once
  // per bounce from an MTA's pipe) tens of milliseconds
  const store = d.dialect === 'postgres'
    ? (await import('./postgres.js')).PostgresStore.open(url, opts)
    : (await import('./sqlite.js')).SqliteStore.open(d.target, opts);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
