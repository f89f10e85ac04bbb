// The classifier against the reference parser's own labels: for every recipient of every verified
// bounce in the labelled corpus, rebuild the raw status from the label's fields (without its reason),
// classify it, and require the agreement rates below. Disagreements are printed when a rate fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import type { Action, RawStatus, RecipientResult, SmtpCommand } from '../../src/parse/types.js';
import { CORPUS_DIR } from '../support/corpus.js';

const MANIFEST = join(CORPUS_DIR, 'manifest.jsonl');

interface Label {
  recipient: string;
  status: string;
  replycode: string;
  reason: string;
  hard: boolean | null;
  action: string;
  diagnosticcode: string;
  diagnostictype: string;
  smtpcommand: string;
  rhost: string;
  smtpagent: string;
}

interface Row {
  file: string;
  kind: string;
  label_quality: string;
  expected: Label[];
}

interface Case {
  file: string;
  label: Label;
  got: RecipientResult;
}

const SKIPPED_KINDS = new Set(['feedback-loop', 'auto-reply', 'none']);

function loadCases(): Case[] {
  const rows = readFileSync(MANIFEST, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Row);
  const cases: Case[] = [];
  for (const row of rows) {
    if (row.label_quality !== 'verified' || SKIPPED_KINDS.has(row.kind)) continue;
    for (const label of row.expected) cases.push({ file: row.file, label, got: classify(rawOf(label), { mta: label.smtpagent.toLowerCase() }) });
  }
  return cases;
}

function rawOf(label: Label): RawStatus {
  const raw: RawStatus = { recipient: label.recipient };
  if (label.action !== '') raw.action = label.action as Action;
  if (label.status !== '') raw.status = label.status;
  if (label.replycode !== '') raw.replyCode = label.replycode;
  if (label.diagnosticcode !== '') raw.diagnostic = label.diagnosticcode;
  if (label.diagnostictype !== '') raw.diagnosticType = label.diagnostictype;
  if (label.smtpcommand !== '') raw.command = label.smtpcommand as SmtpCommand;
  if (label.rhost !== '') raw.remoteMta = label.rhost;
  return raw;
}

function rate(cases: readonly Case[], agree: (c: Case) => boolean): { rate: number; misses: Case[] } {
  const misses = cases.filter((c) => !agree(c));
  return { rate: (cases.length - misses.length) / cases.length, misses };
}

function describeMiss(c: Case, field: string, want: unknown, got: unknown): string {
  const l = c.label;
  return `${c.file} [${l.smtpagent}] ${field}: want ${String(want)} got ${String(got)}`
    + ` | ${l.status} ${l.replycode} ${l.smtpcommand || '-'} ${l.rhost} | ${l.diagnosticcode.slice(0, 160)}`;
}

describe('classifier agreement with the reference labels', () => {
  const cases = loadCases();

  it('covers the verified bounces', () => {
    expect(cases.length).toBeGreaterThan(400);
  });

  it('agrees on the reason for at least 93% of recipients', () => {
    const { rate: r, misses } = rate(cases, (c) => c.got.reason === c.label.reason);
    console.log(`reason agreement ${(100 * r).toFixed(1)}% (${cases.length - misses.length}/${cases.length})`);
    if (r < 0.93) console.log(misses.map((c) => describeMiss(c, 'reason', c.label.reason, c.got.reason)).join('\n'));
    expect(r).toBeGreaterThanOrEqual(0.93);
  });

  it('agrees on hard/soft for at least 98% of recipients', () => {
    const { rate: r, misses } = rate(cases, (c) => c.got.hard === c.label.hard);
    console.log(`hard agreement ${(100 * r).toFixed(1)}%`);
    if (r < 0.98) console.log(misses.map((c) => describeMiss(c, 'hard', c.label.hard, c.got.hard)).join('\n'));
    expect(r).toBeGreaterThanOrEqual(0.98);
  });

  it('keeps the labelled status for at least 98% of recipients', () => {
    const { rate: r, misses } = rate(cases, (c) => c.got.status === c.label.status);
    console.log(`status agreement ${(100 * r).toFixed(1)}%`);
    if (r < 0.98) console.log(misses.map((c) => describeMiss(c, 'status', c.label.status, c.got.status)).join('\n'));
    expect(r).toBeGreaterThanOrEqual(0.98);
  });

  it('reports the remaining reason disagreements', () => {
    const misses = cases.filter((c) => c.got.reason !== c.label.reason);
    if (process.env.SHOW_LABEL_MISSES) {
      console.log(misses.map((c) => describeMiss(c, 'reason', c.label.reason, c.got.reason)).join('\n'));
    }
    expect(misses.length).toBeLessThan(cases.length);
  });
});
