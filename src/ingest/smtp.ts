// The SMTP receiver (smtp-server). Accepts mail only for the VERP addresses of the configured bounce
// domains (never a relay), reads the message within the size limit, and answers 250 only after ingestRaw()
// has committed it; when the store fails it answers 451 so the sending MTA retries.
import { readFileSync } from 'node:fs';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from 'pino';
import type { VerpConfig } from '../verp/codec.js';
import { ingestRaw, type IngestContext, type IngestResult } from './ingest-raw.js';

export interface SmtpOptions {
  host: string;
  port: number;
  maxMessageBytes: number;
  maxClients: number;
  hostname?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  /** Milliseconds an idle connection is kept. */
  socketTimeout?: number;
}

class SmtpReply extends Error {
  readonly responseCode: number;
  constructor(code: number, message: string) {
    super(message);
    this.responseCode = code;
  }
}

/** Whether RCPT TO may name this address: the bare prefix or a VERP address, at a bounce domain. */
export function acceptsRecipient(address: string, verp: VerpConfig): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const local = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase().replace(/\.$/, '');
  const prefix = verp.prefix.toLowerCase();
  const ours = local === prefix || (local.startsWith(prefix + verp.separator) && local.length > prefix.length + 1);
  if (!ours) return false;
  // no bounce domains: only allowed on loopback (checked by the config), any domain is ours
  return verp.domains.length === 0 || verp.domains.some((d) => d.toLowerCase() === domain);
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export interface SmtpReceiver {
  readonly server: SMTPServer;
  /** The bound address (port 0 resolved). */
  address(): { host: string; port: number };
  close(): Promise<void>;
}

/** Called after each message is committed, with how long ingestRaw() took (metrics). */
export type OnIngested = (r: IngestResult, ms: number) => void;

export async function startSmtp(ctx: IngestContext, opts: SmtpOptions, log: Logger, onIngested?: OnIngested): Promise<SmtpReceiver> {
  const tls = opts.tlsCert && opts.tlsKey ? { cert: readFileSync(opts.tlsCert), key: readFileSync(opts.tlsKey) } : undefined;
  const server = new SMTPServer({
    name: opts.hostname || undefined,
    banner: 'Rebound bounce receiver',
    size: opts.maxMessageBytes,
    maxClients: opts.maxClients,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ?? {}),
    socketTimeout: opts.socketTimeout ?? 60_000,
    // no reverse DNS per connection: it adds a lookup (or a timeout) to every session and we do not use the name
    disableReverseLookup: true,
    logger: false,
    onConnect(session: SMTPServerSession, cb: (err?: Error | null) => void) {
      log.debug({ remote: session.remoteAddress }, 'smtp: connection');
      cb();
    },
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, cb: (err?: Error | null) => void) {
      if (acceptsRecipient(address.address, ctx.verp)) return cb();
      log.info({ rcpt: address.address }, 'smtp: recipient refused');
      return cb(new SmtpReply(550, '5.7.1 Relaying denied: this server only accepts bounces for its own VERP addresses'));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb: (err?: Error | null, message?: string) => void) {
      readAll(stream).then(
        async (raw) => {
          if (stream.sizeExceeded) {
            cb(new SmtpReply(552, `5.3.4 Message too big: the limit is ${opts.maxMessageBytes} bytes`));
            return;
          }
          const t0 = process.hrtime.bigint();
          try {
            const r = await ingestRaw(ctx, raw, `smtp:${session.remoteAddress}`);
            const ms = Number(process.hrtime.bigint() - t0) / 1e6;
            log.debug({ id: r.messageId, duplicate: r.duplicate, kind: r.kind, events: r.events.length, ms }, 'smtp: ingested');
            onIngested?.(r, ms);
            cb(null, `2.0.0 Stored as message ${r.messageId}${r.duplicate ? ' (already stored)' : ''}`);
          } catch (err) {
            log.error({ err }, 'smtp: store failed, answering 451');
            cb(new SmtpReply(451, '4.3.0 Temporary storage failure, please retry'));
          }
        },
        (err: unknown) => {
          log.warn({ err }, 'smtp: reading DATA failed');
          cb(new SmtpReply(451, '4.3.0 Error reading the message, please retry'));
        },
      );
    },
  });
  server.on('error', (err) => log.warn({ err }, 'smtp: connection error'));
  await new Promise<void>((resolve, reject) => {
    const onErr = (err: Error): void => reject(err);
    server.server.once('error', onErr);
    server.listen(opts.port, opts.host, () => {
      server.server.off('error', onErr);
      resolve();
    });
  });
  return {
    server,
    address() {
      const a = server.server.address();
      return typeof a === 'object' && a ? { host: a.address, port: a.port } : { host: opts.host, port: opts.port };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
