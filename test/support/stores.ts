// Fresh stores for the suite that runs over both implementations: a temporary SQLite file, and a temporary
// PostgreSQL database (created on the local server, dropped afterwards).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

export const PG_ADMIN_URL = process.env['REBOUND_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface Fresh {
  url: string;
  open(): Promise<Store>;
  /** Drop the database / delete the files. */
  cleanup(): Promise<void>;
}

let counter = 0;

export async function freshDatabase(kind: StoreKind): Promise<Fresh> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rebound-test-'));
    const url = join(dir, 'rebound.db');
    return { url, open: () => openStore(url), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `rebound_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    open: () => openStore(url),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
