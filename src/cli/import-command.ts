// rebound import mbox FILE | maildir DIR | eml FILE... — bulk imports into the store, resumable, with a
// progress bar on a terminal (standard error) and a summary at the end (standard output).
import { statSync } from 'node:fs';
import { notificationsConfigured } from '../config.js';
import { parseArgs } from 'node:util';
import { importFiles, importMbox, type ImportOptions, type ImportProgress, type ImportSummary } from '../ingest/import.js';
import type { IngestContext } from '../ingest/ingest-raw.js';
import { openStore } from '../store/index.js';
import { CONFIG_USAGE, configFromValues, configOptions } from './config-args.js';
import { UsageError } from './errors.js';
import { listFiles } from './inputs.js';

export const IMPORT_USAGE = `usage: rebound import mbox FILE [--json]
       rebound import maildir DIR [--json]
       rebound import eml FILE... [--json]

Stores every message (bounces are decided and suppressed exactly as when they arrive over SMTP), many
messages per transaction. An interrupted import continues where it stopped when run again: an mbox from
the byte offset it had reached, and messages already stored are skipped without being parsed again.
A Maildir is read in place (new/ then cur/; nothing is moved). A progress bar is shown on a terminal;
at the end a summary: messages, new, duplicates, unparsed, errors (--json: one JSON object).
Exit status: 0 done, 1 when an input could not be read or the store failed (run again to continue),
2 usage error, 130 interrupted (run again to continue).
${CONFIG_USAGE}`;

const BAR = 30;

function progressBar(label: string): ((p: ImportProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const t0 = Date.now();
  return (p) => {
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
    const filled = Math.round(frac * BAR);
    const rate = p.messages / Math.max(0.001, (Date.now() - t0) / 1000);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${p.messages} messages  ${Math.round(rate)}/s `);
  };
}

function describe(s: ImportSummary, seconds: number): string {
  const resumed = s.resumedAt > 0 ? ` (continued from byte ${s.resumedAt})` : '';
  const stopped = s.complete ? '' : '; interrupted: run the same import again to continue';
  return `imported ${s.source}${resumed}: ${s.messages} messages, ${s.stored} new, ${s.duplicates} duplicates, ${s.unparsed} unparsed, ${s.errors} errors in ${seconds.toFixed(1)} s${stopped}`;
}

export async function importCommand(argv: string[]): Promise<number> {
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv, allowPositionals: true, options: { ...configOptions(), json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, IMPORT_USAGE);
  }
  if (values['help']) {
    process.stdout.write(IMPORT_USAGE + '\n');
    return 0;
  }
  const [what, ...paths] = positionals;
  if (what !== 'mbox' && what !== 'maildir' && what !== 'eml') throw new UsageError(what ? `unknown import '${what}'` : 'what to import is missing', IMPORT_USAGE);
  if (paths.length === 0) throw new UsageError(`import ${what} needs ${what === 'maildir' ? 'a directory' : 'a file'}`, IMPORT_USAGE);
  if (what !== 'eml' && paths.length > 1) throw new UsageError(`import ${what} takes one ${what === 'maildir' ? 'directory' : 'file'}`, IMPORT_USAGE);
  const config = configFromValues(values);
  const path = paths[0] as string;
  let files: string[] = [];
  if (what === 'maildir') {
    try {
      if (!statSync(path).isDirectory()) throw new Error('not a directory');
      files = listFiles(path);
    } catch (err) {
      process.stderr.write(`rebound import: cannot read ${path}: ${(err as Error).message}\n`);
      return 1;
    }
  }

  let store;
  try {
    store = await openStore(config.database.url, { notifications: notificationsConfigured(config) });
  } catch (err) {
    process.stderr.write(`rebound import: ${(err as Error).message}\n`);
    return 1;
  }
  const ctx: IngestContext = { store, verp: config.verpConfig, policy: config.policyConfig };
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const bar = progressBar(what);
  const opts: ImportOptions = {
    signal: abort.signal,
    onError: (source, message) => process.stderr.write(`${bar ? '\n' : ''}rebound import: ${source}: ${message}\n`),
    ...(bar ? { onProgress: bar } : {}),
  };
  const t0 = Date.now();
  try {
    const summary = what === 'mbox' ? await importMbox(ctx, path, opts) : await importFiles(ctx, what === 'maildir' ? path : paths.join(' '), what === 'maildir' ? files : paths, opts);
    if (bar) process.stderr.write('\n');
    const seconds = (Date.now() - t0) / 1000;
    process.stdout.write((values['json'] ? JSON.stringify({ ...summary, seconds }) : describe(summary, seconds)) + '\n');
    if (!summary.complete) return 130;
    return summary.errors > 0 ? 1 : 0;
  } catch (err) {
    if (bar) process.stderr.write('\n');
    process.stderr.write(`rebound import: ${(err as Error).message}; what was committed stays, run the same import again to continue\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
}
