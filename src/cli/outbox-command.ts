// rebound outbox list|retry — the webhook and users-table hook deliveries waiting, retrying or failed.
import { parseArgs } from 'node:util';
import { openStore } from '../store/index.js';
import type { DeliveryStatus, OutboxDelivery, Store } from '../store/types.js';
import { CONFIG_USAGE, configFromValues, configOptions } from './config-args.js';
import { UsageError } from './errors.js';
import { Output } from './output.js';

export const OUTBOX_USAGE = `usage: rebound outbox list [--failed | --all] [--limit N] [--json]
       rebound outbox retry [ID...] [--json]

list    deliveries not yet made: pending (waiting for their next attempt) and failed (out of attempts);
        --failed only the failed ones, --all the delivered ones too. A summary goes to standard error.
retry   make every failed delivery (or the deliveries with these ids) due now, with a fresh attempt count;
        a running 'rebound serve' delivers them.
${CONFIG_USAGE}`;

const iso = (t: number): string => new Date(t).toISOString();

export function deliveryJson(d: OutboxDelivery): Record<string, unknown> {
  return {
    id: d.id, eventId: d.eventId, type: d.type, address: d.address, target: d.target, status: d.status, attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null, lastError: d.lastError, createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}

async function withStore<T>(values: Record<string, unknown>, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(configFromValues(values).database.url);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function outboxCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest, allowPositionals: true,
      options: {
        ...configOptions(), failed: { type: 'boolean' }, all: { type: 'boolean' }, limit: { type: 'string' }, json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, OUTBOX_USAGE);
  }
  if (values['help'] || !sub) {
    process.stdout.write(OUTBOX_USAGE + '\n');
    return sub ? 0 : 2;
  }
  const out = new Output();
  if (sub === 'list') {
    if (positionals.length > 0) throw new UsageError('list takes no arguments', OUTBOX_USAGE);
    if (values['failed'] && values['all']) throw new UsageError('--failed and --all exclude each other', OUTBOX_USAGE);
    const limit = values['limit'] === undefined ? undefined : Number(values['limit']);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new UsageError('--limit takes a number', OUTBOX_USAGE);
    const status: DeliveryStatus[] = values['failed'] ? ['failed'] : values['all'] ? ['pending', 'failed', 'delivered'] : ['pending', 'failed'];
    const [rows, counts] = await withStore(values, async (store) => [await store.listOutbox({ status, limit }), await store.outboxCounts()] as const);
    for (const d of rows) {
      out.line(values['json']
        ? JSON.stringify(deliveryJson(d))
        : [d.id, d.status, `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`, d.target, d.type, d.address,
          d.status === 'pending' ? `next ${iso(d.nextAttemptAt)}` : iso(d.updatedAt), d.lastError].join('\t'));
    }
    await out.flush();
    if (!values['json']) {
      process.stderr.write(`outbox: ${counts.queued} queued, ${counts.pending} pending, ${counts.failed} failed, ${counts.delivered} delivered\n`);
    }
    return 0;
  }
  if (sub === 'retry') {
    const ids = positionals.map(Number);
    if (ids.some((n) => !Number.isInteger(n) || n <= 0)) throw new UsageError('retry takes delivery ids (numbers)', OUTBOX_USAGE);
    const n = await withStore(values, (store) => store.unit((tx) => tx.retryDeliveries(ids.length > 0 ? ids : 'failed', Date.now())));
    out.line(values['json'] ? JSON.stringify({ retried: n }) : `${n} deliver${n === 1 ? 'y' : 'ies'} due again`);
    await out.flush();
    return 0;
  }
  throw new UsageError(`unknown subcommand '${sub}'`, OUTBOX_USAGE);
}
