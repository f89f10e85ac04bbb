// A real store failure in the middle of a unit: a trigger that makes every event insert fail (as a full
// disk or a lost connection would), so the message row written just before it must be rolled back too.
import Database from 'better-sqlite3';
import pg from 'pg';
import type { StoreKind } from './stores.js';

/** Make inserts into events (only those about `address`, when given) fail until the returned repair() runs. */
export async function breakEventInserts(kind: StoreKind, url: string, address?: string): Promise<() => Promise<void>> {
  const only = address ? address.replace(/'/g, "''") : undefined;
  if (kind === 'sqlite') {
    const db = new Database(url);
    db.exec(`CREATE TRIGGER rebound_test_fail BEFORE INSERT ON events ${only ? `WHEN NEW.address = '${only}' ` : ''}BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END`);
    db.close();
    return async () => {
      const d = new Database(url);
      d.exec('DROP TRIGGER IF EXISTS rebound_test_fail');
      d.close();
    };
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE OR REPLACE FUNCTION rebound_test_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated storage failure'; END $$ LANGUAGE plpgsql`);
  await c.query(`CREATE TRIGGER rebound_test_fail BEFORE INSERT ON events FOR EACH ROW ${only ? `WHEN (NEW.address = '${only}') ` : ''}EXECUTE FUNCTION rebound_test_fail()`);
  await c.end();
  return async () => {
    const d = new pg.Client({ connectionString: url });
    await d.connect();
    await d.query('DROP TRIGGER IF EXISTS rebound_test_fail ON events');
    await d.end();
  };
}
