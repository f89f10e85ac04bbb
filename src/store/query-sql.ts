// The read queries of the HTTP API that the two dialects write differently: a batch membership test and
// the per-day statistics. Everything else they share is in common.ts.
import type { Queryable, Row } from './common.js';
import type { StatsFilter, StatsRow } from './types.js';

export type ReadDialect = 'sqlite' | 'postgres';

const DAY_MS = 86_400_000;

/** The domain of the `address` column: what follows its last "@" (a quoted local part may hold one). */
const DOMAIN_OF: Record<ReadDialect, string> = {
  // rtrim() strips every trailing character except "@", so what it leaves ends at the last "@"
  sqlite: "substr(address, length(rtrim(address, replace(address, '@', ''))) + 1)",
  postgres: "substring(address from '[^@]*$')",
};

/**
 * The live suppressions among a list of addresses bound to one parameter: SQLite reads a JSON array
 * (json_each), PostgreSQL an array it unnests and joins (a nested loop over the primary key; "= ANY(array)"
 * would be planned as a scan of the whole table for a long list). Either way one statement for the batch.
 */
const SUPPRESSED_AMONG: Record<ReadDialect, { sql: string; param: (list: readonly string[]) => unknown }> = {
  sqlite: {
    sql: 'SELECT * FROM suppressions WHERE address IN (SELECT value FROM json_each(?)) AND (expires_at IS NULL OR expires_at > ?)',
    param: (list) => JSON.stringify(list),
  },
  postgres: {
    sql: 'SELECT s.* FROM unnest(?::text[]) AS a (address) JOIN suppressions s ON s.address = a.address WHERE (s.expires_at IS NULL OR s.expires_at > ?)',
    param: (list) => list,
  },
};

/** The live suppressions among these (already lower-cased, distinct) addresses. */
export function suppressedAmong(q: Queryable, dialect: ReadDialect, addresses: readonly string[], now: number): Promise<Row[]> {
  if (addresses.length === 0) return Promise.resolve([]);
  const query = SUPPRESSED_AMONG[dialect];
  return q.all(query.sql, [query.param(addresses), now]);
}

/** The value an event is counted under for each dimension. */
function keyOf(dialect: ReadDialect, by: StatsFilter['by']): string {
  switch (by) {
    case 'category':
      return "CASE WHEN kind = 'bounce' AND hard = 1 THEN 'hard' WHEN kind = 'bounce' THEN 'soft' ELSE kind END";
    case 'domain':
      return DOMAIN_OF[dialect];
    default:
      return by; // kind, reason, fault: columns of the same name
  }
}

/** Events per UTC day and key, for the `top` keys with the most events in the period. */
export async function stats(q: Queryable, dialect: ReadDialect, f: StatsFilter): Promise<{ rows: StatsRow[]; more: boolean }> {
  const where = ['received_at >= ?', 'received_at < ?'];
  const params: unknown[] = [f.since, f.until];
  for (const col of ['kind', 'reason', 'fault'] as const) {
    const v = f[col];
    if (v !== undefined) {
      where.push(`${col} = ?`);
      params.push(v);
    }
  }
  const top = Math.max(1, Math.floor(f.top));
  // one more key than asked for tells whether any were left out
  const rows = await q.all(
    `WITH e AS (SELECT received_at / ${DAY_MS} AS day, ${keyOf(dialect, f.by)} AS k FROM events WHERE ${where.join(' AND ')}),
       t AS (SELECT k, COUNT(*) AS n FROM e GROUP BY k ORDER BY n DESC, k LIMIT ${top + 1})
     SELECT e.day AS day, e.k AS k, COUNT(*) AS n, t.n AS total FROM e JOIN t ON t.k = e.k
     GROUP BY e.day, e.k, t.n ORDER BY t.n DESC, e.k, e.day`,
    params,
  );
  const keys: string[] = [];
  for (const r of rows) {
    const k = String(r['k'] ?? '');
    if (keys[keys.length - 1] !== k) keys.push(k);
  }
  const kept = new Set(keys.slice(0, top));
  return {
    rows: rows
      .filter((r) => kept.has(String(r['k'] ?? '')))
      .map((r) => ({ day: Number(r['day']) * DAY_MS, key: String(r['k'] ?? ''), count: Number(r['n']) })),
    more: keys.length > top,
  };
}
