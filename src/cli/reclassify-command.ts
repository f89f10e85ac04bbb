// rebound reclassify — re-parse every stored message with the current parser and rebuild events and
// automatic suppressions.
import { parseArgs } from 'node:util';
import { reclassify } from '../ingest/reclassify.js';
import { openStore } from '../store/index.js';
import { CONFIG_USAGE, configFromValues, configOptions } from './config-args.js';
import { UsageError } from './errors.js';

export const RECLASSIFY_USAGE = `usage: rebound reclassify [--json]

Re-parses every stored raw message with this version's parser, replaces its events, and rebuilds the
automatic suppressions under the current policy. Manual suppressions stay. Net changes are audited.
${CONFIG_USAGE}`;

export async function reclassifyCommand(argv: string[]): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...configOptions(), json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message, RECLASSIFY_USAGE);
  }
  if (values['help']) {
    process.stdout.write(RECLASSIFY_USAGE + '\n');
    return 0;
  }
  const config = configFromValues(values);
  const store = await openStore(config.database.url);
  try {
    const r = await reclassify(store, { verp: config.verpConfig, policy: config.policyConfig }, (n) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${n} messages`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const summary = { messages: r.messages, events: r.events, added: r.added, removed: r.removed, updated: r.updated };
    process.stdout.write((values['json'] ? JSON.stringify(summary) : `reclassified ${r.messages} messages: ${r.events} events; suppressions +${r.added} -${r.removed} ~${r.updated}`) + '\n');
    return 0;
  } finally {
    await store.close();
  }
}
