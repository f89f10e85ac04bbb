// rebound events list [--address A] [--kind K] [--reason R] [--limit N] [--json]
import { parseArgs } from 'node:util';
import { openStore } from '../store/index.js';
import type { StoredEvent } from '../store/types.js';
import { CONFIG_USAGE, configFromValues, configOptions } from './config-args.js';
import { UsageError } from './errors.js';
import { Output } from './output.js';

export const EVENTS_USAGE = `usage: rebound events list [--address A] [--kind K] [--reason R] [--limit N] [--json]

One event per recipient of every stored message, oldest first. --json prints one JSON object per line
with address, kind, reason, hard, fault, messageId (the stored message's id), receivedAt and more.
${CONFIG_USAGE}`;

export function eventJson(e: StoredEvent): Record<string, unknown> {
  return {
    id: e.id, address: e.address, reportedAddress: e.reportedAddress, kind: e.kind, action: e.action, status: e.status,
    replyCode: e.replyCode, reason: e.reason, hard: e.hard, fault: e.fault, messageId: e.messageId,
    receivedAt: new Date(e.receivedAt).toISOString(), trusted: e.trusted, outcome: e.outcome, rule: e.rule, mta: e.mta,
    diagnostic: e.diagnostic, remoteMta: e.remoteMta, command: e.command,
  };
}

export async function eventsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        ...configOptions(), address: { type: 'string' }, kind: { type: 'string' }, reason: { type: 'string' },
        limit: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, EVENTS_USAGE);
  }
  if (values['help'] || sub !== 'list') {
    if (sub !== 'list' && !values['help']) throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'missing subcommand', EVENTS_USAGE);
    process.stdout.write(EVENTS_USAGE + '\n');
    return 0;
  }
  const limit = values['limit'] === undefined ? undefined : Number(values['limit']);
  if (limit !== undefined && !(limit >= 0)) throw new UsageError('--limit takes a number', EVENTS_USAGE);
  const config = configFromValues(values);
  const store = await openStore(config.database.url);
  const out = new Output();
  try {
    const page = 5000;
    let afterId = 0;
    let left = limit ?? Infinity;
    while (left > 0) {
      const batch = await store.listEvents({
        address: values['address'] as string | undefined, kind: values['kind'] as string | undefined,
        reason: values['reason'] as string | undefined, afterId, limit: Math.min(page, left),
      });
      for (const e of batch) {
        out.line(values['json'] ? JSON.stringify(eventJson(e))
          : `${new Date(e.receivedAt).toISOString()}  ${e.address}  ${e.kind}  ${e.reason}  ${e.hard === null ? '' : e.hard ? 'hard' : 'soft'}  ${e.fault}  ${e.outcome}  msg=${e.messageId}`);
      }
      left -= batch.length;
      if (batch.length < page) break;
      afterId = batch[batch.length - 1]?.id ?? afterId;
    }
  } finally {
    await out.flush();
    await store.close();
  }
  return 0;
}
