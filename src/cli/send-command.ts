// rebound send — send a message through the configured relay, one transaction per recipient with its
// VERP return path; suppressed recipients are skipped, refusals recorded as bounces.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createSender, SendError, type RecipientOutcome } from '../send/index.js';
import { CONFIG_USAGE, configFromValues, configOptions } from './config-args.js';
import { UsageError } from './errors.js';
import { Output } from './output.js';

export const SEND_USAGE = `usage: rebound send --to ADDR [--to ADDR...] --subject S (--text FILE | --html FILE) [--from ADDR] [--id SENDID] [--json]

Sends through send.smtpUrl (REBOUND_SEND_SMTP_URL), one SMTP transaction per recipient with MAIL FROM set
to the recipient's VERP return path at the first bounce domain (signed when verp.secret is set; --id adds a
send id, [a-z0-9-]). --text and --html may be given together; FILE "-" is standard input. Recipients on the
suppression list are skipped; a relay's refusal at RCPT or DATA is recorded like a bounce.
Prints one line per recipient (--json: one object per line). Exit 0 when every recipient was sent or
skipped, 1 when any was refused, invalid or not sent, 2 on a usage or configuration error.
${CONFIG_USAGE}`;

async function body(path: unknown): Promise<string | undefined> {
  if (typeof path !== 'string') return undefined;
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`, SEND_USAGE);
  }
}

function line(o: RecipientOutcome): string {
  switch (o.status) {
    case 'sent': return `sent\t${o.address}\t${o.returnPath}`;
    case 'skipped': return `skipped\t${o.address}\tsuppressed (${o.reason})`;
    case 'rejected': return `rejected\t${o.address}\t${o.response}\t${o.recorded.changes.length > 0 ? 'suppressed' : 'recorded'}`;
    case 'invalid': return `invalid\t${o.address}\t${o.error}`;
    case 'failed': return `failed\t${o.address}\t${o.error}`;
  }
}

export async function sendCommand(argv: string[]): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...configOptions(), to: { type: 'string', multiple: true }, subject: { type: 'string' }, text: { type: 'string' },
        html: { type: 'string' }, from: { type: 'string' }, id: { type: 'string' }, json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, SEND_USAGE);
  }
  if (values['help']) {
    process.stdout.write(SEND_USAGE + '\n');
    return 0;
  }
  const to = (values['to'] as string[] | undefined) ?? [];
  if (to.length === 0) throw new UsageError('--to is required', SEND_USAGE);
  if (typeof values['subject'] !== 'string') throw new UsageError('--subject is required', SEND_USAGE);
  if (values['text'] === undefined && values['html'] === undefined) throw new UsageError('--text FILE or --html FILE is required', SEND_USAGE);
  if (values['text'] === '-' && values['html'] === '-') throw new UsageError('only one of --text and --html can read standard input', SEND_USAGE);
  const config = configFromValues(values);
  const text = await body(values['text']);
  const html = await body(values['html']);
  const sender = await createSender(config);
  const out = new Output();
  try {
    const report = await sender.send({
      to, subject: values['subject'], text, html, from: values['from'] as string | undefined, sendId: values['id'] as string | undefined,
    });
    for (const o of report.recipients) out.line(values['json'] ? JSON.stringify(o) : line(o));
    await out.flush();
    return report.rejected + report.failed > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof SendError) throw new UsageError(err.message, SEND_USAGE);
    throw err;
  } finally {
    await sender.close();
  }
}
