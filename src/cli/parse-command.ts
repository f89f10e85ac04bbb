// rebound parse [--ndjson] PATH... — parse returned messages and print what happened to each recipient.
import { parseArgs } from 'node:util';
import { parse, type ParseResult } from '../parse/index.js';
import { expandInputs } from './inputs.js';
import { Output } from './output.js';
import { UsageError } from './errors.js';

export const PARSE_USAGE = `usage: rebound parse [--ndjson] PATH...

PATH is a message file, an mbox, a Maildir or a directory of message files.
  --ndjson   one JSON object per message, one per line, in input order
Exit status: 0 when every input was read, 1 when any could not be, 2 on a usage error.`;

/** The JSON object printed for one message (the contract scripts rely on). */
export function resultJson(source: string, index: number, r: ParseResult): Record<string, unknown> {
  const o: Record<string, unknown> = {
    source,
    index,
    kind: r.kind,
    recipients: r.recipients,
    verp: r.verp?.recipient ? { recipient: r.verp.recipient } : null,
    mta: r.mta,
    messageId: r.messageId,
  };
  if (r.limits.length > 0) o['limits'] = r.limits;
  if (r.error !== undefined) o['error'] = r.error;
  return o;
}

function summary(source: string, index: number, r: ParseResult, many: boolean): string[] {
  const where = many ? `${source}#${index}` : source;
  const lines = [`${where}: ${r.kind}${r.mta ? ` (${r.mta})` : ''}${r.error ? ` — error: ${r.error}` : ''}`];
  for (const x of r.recipients) {
    const hard = x.hard === null ? '' : x.hard ? ' hard' : ' soft';
    const code = [x.status, x.replyCode].filter(Boolean).join(' ');
    lines.push(`  ${x.address}  ${x.action || '-'} ${code || '-'} ${x.reason}${hard} fault=${x.fault}`);
    if (x.diagnostic) lines.push(`      ${x.diagnostic.length > 160 ? x.diagnostic.slice(0, 157) + '...' : x.diagnostic}`);
  }
  if (r.verp) lines.push(`  verp: ${r.verp.recipient ?? r.verp.returnPath}`);
  return lines;
}

export async function parseCommand(argv: string[]): Promise<number> {
  let values: { ndjson?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { ndjson: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, PARSE_USAGE);
  }
  if (values.help) {
    process.stdout.write(PARSE_USAGE + '\n');
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('no PATH given', PARSE_USAGE);
  const out = new Output();
  let failed = false;
  let counts = { messages: 0, bounces: 0 };
  for (const item of expandInputs(positionals)) {
    if ('error' in item) {
      failed = true;
      if (values.ndjson) out.line(JSON.stringify({ source: item.source, index: 0, kind: 'not-bounce', recipients: [], verp: null, mta: null, messageId: null, error: item.error }));
      else out.line(`${item.source}: error: ${item.error}`);
      continue;
    }
    const r = parse(item.raw);
    if (r.error) failed = true;
    counts.messages++;
    if (r.recipients.length > 0) counts.bounces++;
    if (values.ndjson) out.line(JSON.stringify(resultJson(item.source, item.index, r)));
    else for (const l of summary(item.source, item.index, r, item.index > 0)) out.line(l);
  }
  await out.flush();
  return failed ? 1 : 0;
}
