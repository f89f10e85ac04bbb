// The mailbox intakes' SQL, shared by both stores (the Tx and read methods in common.ts delegate here):
// checkpoints (where an IMAP mailbox or an mbox import stopped) and the content-hash look-up that lets an
// import skip messages already stored without parsing them again.
import type { Queryable } from './common.js';
import type { Checkpoint } from './types.js';

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** Hashes per look-up: well under SQLite's and PostgreSQL's bound-parameter limits. */
const HASH_CHUNK = 500;

export async function putCheckpoint(q: Queryable, c: Checkpoint): Promise<void> {
  await q.run(
    `INSERT INTO intake_checkpoints (name, validity, position, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET validity = excluded.validity, position = excluded.position, updated_at = excluded.updated_at`,
    [c.name, c.validity, c.position, c.updatedAt],
  );
}

export async function getCheckpoint(q: Queryable, name: string): Promise<Checkpoint | undefined> {
  const row = await q.get('SELECT name, validity, position, updated_at FROM intake_checkpoints WHERE name = ?', [name]);
  if (!row) return undefined;
  return { name: String(row['name']), validity: String(row['validity']), position: num(row['position']), updatedAt: num(row['updated_at']) };
}

export async function knownHashes(q: Queryable, hashes: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += HASH_CHUNK) {
    const chunk = unique.slice(i, i + HASH_CHUNK);
    const rows = await q.all(`SELECT sha256 FROM messages WHERE sha256 IN (${chunk.map(() => '?').join(', ')})`, chunk);
    for (const r of rows) out.add(String(r['sha256']));
  }
  return out;
}
