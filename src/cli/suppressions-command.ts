// rebound suppressions list|check|add|remove|export — the suppression list from the command line.
import { parseArgs } from 'node:util';
import { REASONS } from '../classify/reasons.js';
import { openStore } from '../store/index.js';
import type { Store, Suppression } from '../store/types.js';
import { InvalidAddressError, normaliseAddress, suppressManually, unsuppress } from '../suppressions.js';
import { CONFIG_USAGE, configFromValues, configOptions } from './config-args.js';
import { UsageError } from './errors.js';
import { Output } from './output.js';

export const SUPPRESSIONS_USAGE = `usage: rebound suppressions <list|check|add|remove|export> [options]

  list [--search S] [--reason R] [--json] [--limit N]   the suppression list
  check ADDRESS [--json]       exit 0 when suppressed (prints the reason), 1 when not, 2 on error
  add ADDRESS --reason R [--note TEXT] [--expires-days N]   suppress by hand (audited)
  remove ADDRESS [--note TEXT] lift a suppression (audited)
  export --csv                 the whole list as CSV on standard output
${CONFIG_USAGE}`;

const iso = (t: number | null): string => (t === null ? '' : new Date(t).toISOString());

export function suppressionJson(s: Suppression): Record<string, unknown> {
  return {
    address: s.address, reason: s.reason, fault: s.fault, kind: s.kind, manual: s.manual, rule: s.rule, count: s.count,
    firstSeen: iso(s.firstSeen), lastSeen: iso(s.lastSeen), expiresAt: s.expiresAt === null ? null : iso(s.expiresAt),
    sourceEventId: s.sourceEventId, note: s.note,
  };
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function withStore<T>(values: Record<string, unknown>, fn: (store: Store) => Promise<T>): Promise<T> {
  const config = configFromValues(values);
  const store = await openStore(config.database.url);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function suppressionsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        ...configOptions(),
        json: { type: 'boolean' }, csv: { type: 'boolean' }, search: { type: 'string' }, reason: { type: 'string' },
        note: { type: 'string' }, 'expires-days': { type: 'string' }, limit: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, SUPPRESSIONS_USAGE);
  }
  if (values['help'] || !sub) {
    process.stdout.write(SUPPRESSIONS_USAGE + '\n');
    return sub ? 0 : 2;
  }
  const out = new Output();
  const one = (): string => {
    if (positionals.length !== 1) throw new UsageError(`${sub} takes exactly one ADDRESS`, SUPPRESSIONS_USAGE);
    try {
      return normaliseAddress(positionals[0] as string);
    } catch (err) {
      if (err instanceof InvalidAddressError) throw new UsageError(err.message, SUPPRESSIONS_USAGE);
      throw err;
    }
  };
  switch (sub) {
    case 'check': {
      const address = one();
      const s = await withStore(values, (store) => store.isSuppressed(address));
      if (values['json']) out.line(JSON.stringify(s ? { suppressed: true, ...suppressionJson(s) } : { suppressed: false, address }));
      else out.line(s ? `${address}: suppressed (${s.reason}${s.manual ? ', manual' : ''}${s.expiresAt ? `, until ${iso(s.expiresAt)}` : ''})` : `${address}: not suppressed`);
      await out.flush();
      return s ? 0 : 1;
    }
    case 'list': {
      const limit = values['limit'] === undefined ? undefined : Number(values['limit']);
      if (limit !== undefined && !(limit >= 0)) throw new UsageError('--limit takes a number', SUPPRESSIONS_USAGE);
      const list = await withStore(values, (store) => store.listSuppressions({
        search: values['search'] as string | undefined, reason: values['reason'] as string | undefined, limit,
      }));
      for (const s of list) {
        out.line(values['json'] ? JSON.stringify(suppressionJson(s)) : `${s.address}\t${s.reason}\t${s.manual ? 'manual' : s.rule}\t${iso(s.lastSeen)}\t${s.expiresAt ? 'until ' + iso(s.expiresAt) : 'permanent'}`);
      }
      await out.flush();
      return 0;
    }
    case 'export': {
      if (!values['csv']) throw new UsageError('export needs --csv', SUPPRESSIONS_USAGE);
      const cols = ['address', 'reason', 'fault', 'kind', 'manual', 'rule', 'count', 'firstSeen', 'lastSeen', 'expiresAt', 'sourceEventId', 'note'];
      out.line(cols.join(','));
      const list = await withStore(values, (store) => store.listSuppressions());
      for (const s of list) {
        const j = suppressionJson(s);
        out.line(cols.map((c) => csvCell(j[c])).join(','));
      }
      await out.flush();
      return 0;
    }
    case 'add': {
      const address = one();
      const reason = values['reason'];
      if (typeof reason !== 'string' || !reason) throw new UsageError('add needs --reason', SUPPRESSIONS_USAGE);
      if (!(REASONS as readonly string[]).includes(reason) && !/^[a-z0-9-]{1,32}$/.test(reason)) {
        throw new UsageError(`--reason must be a reason name or a short word ([a-z0-9-]): ${reason}`, SUPPRESSIONS_USAGE);
      }
      const days = values['expires-days'] === undefined ? undefined : Number(values['expires-days']);
      if (days !== undefined && !(days > 0)) throw new UsageError('--expires-days takes a positive number', SUPPRESSIONS_USAGE);
      const s = await withStore(values, (store) => suppressManually(store, address, { reason, note: values['note'] as string | undefined, expiresInDays: days }));
      out.line(values['json'] ? JSON.stringify(suppressionJson(s)) : `${s.address}: suppressed (${s.reason}, manual)`);
      await out.flush();
      return 0;
    }
    case 'remove': {
      const address = one();
      const removed = await withStore(values, (store) => unsuppress(store, address, (values['note'] as string | undefined) ?? ''));
      out.line(removed ? `${address}: no longer suppressed` : `${address}: was not suppressed`);
      await out.flush();
      return removed ? 0 : 1;
    }
    default:
      throw new UsageError(`unknown subcommand '${sub}'`, SUPPRESSIONS_USAGE);
  }
}
