// rebound verp encode ADDRESS [--id ID] / rebound verp decode RETURN-PATH
import { parseArgs } from 'node:util';
import { openStore } from '../store/index.js';
import { decode, encode, fitsReadable, VerpError } from '../verp/codec.js';
import { CONFIG_USAGE, configFromValues, configOptions } from './config-args.js';
import { UsageError } from './errors.js';

export const VERP_USAGE = `usage: rebound verp encode ADDRESS [--id ID] [--json]
       rebound verp decode RETURN-PATH [--json]

encode prints the return path for a recipient (signed when REBOUND_VERP_SECRET is set; --id adds a
send/campaign id, [a-z0-9-]). Addresses that do not fit a readable return path get a compact token backed
by the store. decode prints the recipient and whether the tag verifies (exit 0 when valid, 1 otherwise).
${CONFIG_USAGE}`;

export async function verpCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest, allowPositionals: true,
      options: { ...configOptions(), id: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, VERP_USAGE);
  }
  if (values['help']) {
    process.stdout.write(VERP_USAGE + '\n');
    return 0;
  }
  if ((sub !== 'encode' && sub !== 'decode') || positionals.length !== 1) {
    throw new UsageError(sub === 'encode' || sub === 'decode' ? `${sub} takes exactly one address` : 'expected encode or decode', VERP_USAGE);
  }
  const config = configFromValues(values);
  const cfg = config.verpConfig.domains.length > 0 ? config.verpConfig : { ...config.verpConfig, domains: ['localhost'] };
  const arg = positionals[0] as string;
  if (sub === 'encode') {
    const sendId = values['id'] as string | undefined;
    let path: string;
    try {
      if (fitsReadable(arg, cfg, sendId?.toLowerCase())) {
        path = encode(arg, cfg, sendId ? { sendId } : {});
      } else {
        const store = await openStore(config.database.url);
        try {
          const recipientId = await store.unit((tx) => tx.recipientId(arg));
          path = encode(arg, cfg, { recipientId, ...(sendId ? { sendId } : {}) });
        } finally {
          await store.close();
        }
      }
    } catch (err) {
      if (err instanceof VerpError) throw new UsageError(err.message, VERP_USAGE);
      throw err;
    }
    process.stdout.write((values['json'] ? JSON.stringify({ address: arg, returnPath: path }) : path) + '\n');
    return 0;
  }
  const d = decode(arg, cfg);
  let recipient = d.recipient;
  if (recipient === undefined && d.recipientId !== undefined) {
    const store = await openStore(config.database.url);
    try {
      recipient = await store.unit((tx) => tx.recipientById(d.recipientId as number));
    } finally {
      await store.close();
    }
  }
  const valid = d.status === 'ok' && recipient !== undefined;
  if (values['json']) {
    process.stdout.write(JSON.stringify({ returnPath: arg, status: recipient === undefined && d.status === 'ok' ? 'unknown-id' : d.status, recipient: recipient ?? null, sendId: d.sendId ?? null }) + '\n');
  } else {
    process.stdout.write(`${recipient ?? '-'}\t${d.status}${d.sendId ? `\tid=${d.sendId}` : ''}\n`);
  }
  return valid ? 0 : 1;
}
