// Turning parse results into `rebound parse` output lines: NDJSON (the contract scripts rely on) or a
// readable summary. Shared by the main thread and the parse workers.
import { parse, type ParseResult } from '../parse/index.js';
import { expandInputs } from './inputs.js';

/** The JSON object printed for one message. */
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

export function summary(source: string, index: number, r: ParseResult): string[] {
  const where = index > 0 ? `${source}#${index}` : source;
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

/**
 * Parse every message under `paths`, in order, handing output text to `emit` in pieces of about
 * `chunk` characters. Returns whether any input failed.
 */
export function parsePaths(paths: readonly string[], ndjson: boolean, emit: (text: string) => void, chunk = 1 << 16): boolean {
  let failed = false;
  let buf: string[] = [];
  let size = 0;
  const line = (s: string): void => {
    buf.push(s);
    size += s.length + 1;
    if (size >= chunk) {
      emit(buf.join('\n') + '\n');
      buf = [];
      size = 0;
    }
  };
  for (const item of expandInputs(paths)) {
    if ('error' in item) {
      failed = true;
      if (ndjson) line(JSON.stringify({ source: item.source, index: 0, kind: 'not-bounce', recipients: [], verp: null, mta: null, messageId: null, error: item.error }));
      else line(`${item.source}: error: ${item.error}`);
      continue;
    }
    const r = parse(item.raw);
    if (r.error) failed = true;
    if (ndjson) line(JSON.stringify(resultJson(item.source, item.index, r)));
    else for (const l of summary(item.source, item.index, r)) line(l);
  }
  if (buf.length > 0) emit(buf.join('\n') + '\n');
  return failed;
}
