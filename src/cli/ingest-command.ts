// rebound ingest — one message on standard input, for an MTA's pipe alias (bounces: "|rebound ingest").
// Exit 0 only after the message is committed; 75 (EX_TEMPFAIL) whenever it could not be, so the MTA keeps
// it and retries: the store unavailable, a failed transaction (nothing of it is kept), or a configuration
// that does not load (the message waits until it is fixed).
import { parseArgs } from 'node:util';
import { ingestRaw } from '../ingest/ingest-raw.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { CONFIG_USAGE, configFromValues, configOptions } from './config-args.js';
import { UsageError } from './errors.js';

/** sysexits.h: the MTA defers the message and tries again later. */
export const EX_TEMPFAIL = 75;
/** sysexits.h: the input was not a message (empty): retrying cannot help. */
export const EX_DATAERR = 65;

export const INGEST_USAGE = `usage: rebound ingest [--config FILE] [--database-url URL] < MESSAGE

Reads one message on standard input and stores it like every other intake (same REBOUND_* settings as
rebound serve). For a Postfix or Sendmail alias:  bounces: "|/usr/local/bin/rebound ingest"
Exit status: 0 stored (committed); 75 (EX_TEMPFAIL) not stored, the MTA retries later (store unavailable,
transaction failed, configuration invalid); 65 empty input; 2 usage error.
${CONFIG_USAGE}`;

function readStdin(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}

export async function ingestCommand(argv: string[]): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...configOptions(), help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message, INGEST_USAGE);
  }
  if (values['help']) {
    process.stdout.write(INGEST_USAGE + '\n');
    return 0;
  }
  const fail = (what: string, err: unknown): number => {
    process.stderr.write(`rebound ingest: ${what}: ${(err as Error).message ?? String(err)} (temporary failure, the MTA will retry)\n`);
    return EX_TEMPFAIL;
  };
  let config;
  try {
    config = configFromValues(values);
  } catch (err) {
    return fail('configuration', err);
  }
  let raw: Buffer;
  try {
    raw = await readStdin();
  } catch (err) {
    return fail('reading the message', err);
  }
  if (raw.length === 0) {
    process.stderr.write('rebound ingest: standard input was empty: no message to store\n');
    return EX_DATAERR;
  }
  let store: Store;
  try {
    store = await openStore(config.database.url);
  } catch (err) {
    return fail('store unavailable', err);
  }
  try {
    const r = await ingestRaw({ store, verp: config.verpConfig, policy: config.policyConfig }, raw, 'pipe');
    process.stdout.write(`stored as message ${r.messageId}${r.duplicate ? ' (already stored)' : ''}\n`);
    return 0;
  } catch (err) {
    return fail('store failed, nothing was kept', err);
  } finally {
    await store.close().catch(() => undefined);
  }
}
