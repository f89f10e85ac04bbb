// The labelled development corpus (a copy of ../shared/corpus/sisimai kept in test/fixtures so CI needs
// nothing outside the repository) and the comparisons the corpus test and the scorer make.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sisimai');

export interface Expected {
  recipient: string;
  status: string;
  replycode: string;
  reason: string;
  hard: boolean | null;
  action: string;
  diagnosticcode: string;
  smtpcommand: string;
  smtpagent: string;
  feedbacktype: string;
}

export interface ManifestRow {
  file: string;
  family: string;
  set: string;
  kind: string;
  label_quality: string;
  expected: Expected[];
}

const UNSCORED = new Set(['missing', 'disputed', 'empty-input', 'unlabeled', 'no-address-asserted']);

export function loadManifest(): ManifestRow[] {
  return readFileSync(join(CORPUS_DIR, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ManifestRow);
}

/** Rows the scorer counts (labelled, with a known kind). */
export function scoredRows(rows: ManifestRow[]): ManifestRow[] {
  return rows.filter((r) => !UNSCORED.has(r.label_quality) && r.kind !== null && r.kind !== 'unknown');
}

export function corpusFile(row: ManifestRow): Buffer {
  return readFileSync(join(CORPUS_DIR, row.file));
}

/** Kinds of ours that agree with each labelled kind. */
export const KIND_OF: Readonly<Record<string, readonly string[]>> = {
  bounce: ['bounce', 'delay'],
  'delay-warning': ['delay'],
  'feedback-loop': ['complaint'],
  'auto-reply': ['auto-reply'],
  'delivery-report': ['delivered'],
  'not-bounce': ['not-bounce'],
  none: ['not-bounce'],
};

export const isBounceKind = (k: string): boolean =>
  k === 'bounce' || k === 'delay-warning' || k === 'delivery-report' || k === 'feedback-loop' || k === 'auto-reply';
