// The labelled corpus as an expectation table: every labelled file is parsed and compared with its labels
// (recipient, action, status, reason, hard/soft, kind). Aggregate agreement must stay above the acceptance
// thresholds, and every single disagreement must be one recorded in corpus-deviations.json, so any change
// of result -- a regression, or a fix that leaves a stale entry behind -- fails the test.
// Regenerate the table after a deliberate change: UPDATE_CORPUS_DEVIATIONS=1 npx vitest run test/corpus.test.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, type ParseResult } from '../src/parse/index.js';
import { corpusFile, isBounceKind, KIND_OF, loadManifest, scoredRows, type ManifestRow } from './support/corpus.js';

const DEVIATIONS_FILE = join(import.meta.dirname, 'corpus-deviations.json');

interface Tally { ok: number; of: number }
const tally = (): Tally => ({ ok: 0, of: 0 });
const lower = (s: unknown): string => (typeof s === 'string' ? s.trim().toLowerCase() : '');

function compare(row: ManifestRow, results: ParseResult[], t: Record<string, Tally>): string[] {
  const misses: string[] = [];
  const recips = results.flatMap((r) => r.recipients);
  const byAddr = new Map(recips.map((x) => [lower(x.address), x]));
  if (!isBounceKind(row.kind)) {
    t.keptOut!.of++;
    const flagged = results.filter((r) => ['bounce', 'delay', 'complaint'].includes(r.kind) && r.recipients.length > 0);
    if (flagged.length === 0) t.keptOut!.ok++;
    else misses.push(`not a bounce, got ${flagged.map((r) => r.kind).join(',')}`);
    return misses;
  }
  t.detection!.of++;
  if (recips.length > 0) t.detection!.ok++;
  else misses.push('no recipient found');
  const kinds = KIND_OF[row.kind];
  if (kinds) {
    t.kind!.of++;
    if (results.some((r) => kinds.includes(r.kind))) t.kind!.ok++;
    else misses.push(`kind ${results.map((r) => r.kind).join(',')}`);
  }
  for (const e of row.expected.filter((x) => x.recipient)) {
    t.recipients!.of++;
    const g = byAddr.get(lower(e.recipient));
    if (!g) {
      misses.push(`${e.recipient}: missing`);
      continue;
    }
    t.recipients!.ok++;
    const fields: Array<[string, string, string]> = [
      ['action', lower(g.action), lower(e.action)],
      ['status', lower(g.status), lower(e.status)],
      ['reason', lower(g.reason), lower(e.reason)],
    ];
    for (const [name, got, want] of fields) {
      if (!want) continue;
      t[name]!.of++;
      if (got === want) t[name]!.ok++;
      else misses.push(`${e.recipient}: ${name} ${got || '-'}`);
    }
    if (typeof e.hard === 'boolean') {
      t.hard!.of++;
      if (g.hard === e.hard) t.hard!.ok++;
      else misses.push(`${e.recipient}: hard ${String(g.hard)}`);
    }
  }
  return misses;
}

describe('labelled corpus', () => {
  const rows = scoredRows(loadManifest());
  const t: Record<string, Tally> = {
    detection: tally(), recipients: tally(), action: tally(), status: tally(), reason: tally(), hard: tally(),
    kind: tally(), keptOut: tally(),
  };
  const found: Record<string, string[]> = {};
  for (const row of rows) {
    const misses = compare(row, [parse(corpusFile(row))], t);
    if (misses.length) found[row.file] = misses.sort();
  }
  const pct = (x: Tally): number => (x.of ? (100 * x.ok) / x.of : 100);

  it('meets the acceptance thresholds', () => {
    const figures = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, `${v.ok}/${v.of} ${pct(v).toFixed(1)}%`]));
    expect(pct(t.detection!), JSON.stringify(figures)).toBeGreaterThanOrEqual(99);
    expect(pct(t.recipients!), JSON.stringify(figures)).toBeGreaterThanOrEqual(99);
    expect(pct(t.status!), JSON.stringify(figures)).toBeGreaterThanOrEqual(97);
    expect(pct(t.reason!), JSON.stringify(figures)).toBeGreaterThanOrEqual(95);
    expect(pct(t.hard!), JSON.stringify(figures)).toBeGreaterThanOrEqual(98);
    expect(pct(t.kind!), JSON.stringify(figures)).toBeGreaterThanOrEqual(98);
    expect(pct(t.keptOut!), JSON.stringify(figures)).toBe(100);
  });

  it('disagrees with the labels only where corpus-deviations.json says so', () => {
    if (process.env['UPDATE_CORPUS_DEVIATIONS']) {
      writeFileSync(DEVIATIONS_FILE, JSON.stringify(found, null, 1) + '\n');
    }
    const recorded = existsSync(DEVIATIONS_FILE)
      ? (JSON.parse(readFileSync(DEVIATIONS_FILE, 'utf8')) as Record<string, string[]>)
      : {};
    expect(found).toEqual(recorded);
  });
});
