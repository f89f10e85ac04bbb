// The sending side: hands mail to the configured relay with nodemailer, one SMTP transaction per recipient,
// each with MAIL FROM set to that recipient's VERP return path (signed when a secret is configured; the
// compact form, through the store, when the address does not fit a readable one). Suppressed recipients
// are skipped. A relay that refuses a recipient at RCPT or DATA (4xx or 5xx) is recorded exactly like a
// bounce that came back later: the refusal is written as an RFC 3464 report and passed to ingestRaw().
import { hostname as machineName } from 'node:os';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { ConfigError, notificationsConfigured, type Config } from '../config.js';
import { ingestRaw, type IngestContext, type IngestResult } from '../ingest/ingest-raw.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { InvalidAddressError, normaliseAddress } from '../suppressions.js';
import { encode, fitsReadable, VerpError } from '../verp/codec.js';
import { rejectionReport } from './rejection-report.js';
import { unsubscribeHeaders } from './unsubscribe.js';

/** Transactions in flight at once (each on its own pooled connection to the relay). */
const CONNECTIONS = 4;
/** Ingest source of SMTP-time rejections. */
export const SEND_SOURCE = 'send';

export class SendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SendError';
  }
}

export interface SendMessage {
  to: readonly string[];
  subject: string;
  text?: string | undefined;
  html?: string | undefined;
  /** Default: send.from (REBOUND_SEND_FROM). */
  from?: string | undefined;
  /** Send or campaign id, carried (and signed) in each return path: [a-z0-9-]{1,24}. */
  sendId?: string | undefined;
  /** More headers for every copy. */
  headers?: Readonly<Record<string, string>> | undefined;
}

export type RecipientOutcome =
  | { address: string; status: 'sent'; returnPath: string; messageId: string; response: string }
  /** On the suppression list: not sent. */
  | { address: string; status: 'skipped'; reason: string }
  | { address: string; status: 'invalid'; error: string }
  /** Refused by the relay at RCPT or DATA; recorded like a bounce. */
  | {
    address: string; status: 'rejected'; returnPath: string; temporary: boolean; replyCode: number; response: string;
    command: 'RCPT TO' | 'DATA'; recorded: Pick<IngestResult, 'messageId' | 'events' | 'changes'>;
  }
  /** Not handed over for another reason (relay unreachable, sender refused): nothing recorded. */
  | { address: string; status: 'failed'; returnPath?: string | undefined; error: string };

export interface SendReport {
  recipients: RecipientOutcome[];
  sent: number;
  skipped: number;
  rejected: number;
  /** Invalid addresses and failures. */
  failed: number;
}

export interface Sender {
  send(m: SendMessage): Promise<SendReport>;
  /** Close the relay connections (and the store, when the sender opened it). */
  close(): Promise<void>;
}

export interface SenderOptions {
  /** The store to check suppressions in and record rejections to; default: opened from the config. */
  store?: Store;
  log?: Logger;
  /** Clock (ms), for tests. */
  now?: () => number;
}

interface SmtpFailure extends Error {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  rejectedErrors?: SmtpFailure[];
}

/** The relay's refusal of the recipient, when the failure is one (4xx/5xx at RCPT or DATA). */
function refusal(err: SmtpFailure): { reply: string; code: number; command: 'RCPT TO' | 'DATA' } | undefined {
  const e = err.rejectedErrors?.[0] ?? err;
  const code = e.responseCode;
  if (!code || code < 400 || code >= 600 || !e.response) return undefined;
  if (e.command === 'RCPT TO' || e.command === 'DATA') return { reply: e.response, code, command: e.command };
  return undefined;
}

function relayHost(smtpUrl: string): string {
  try {
    return new URL(smtpUrl).hostname || 'relay';
  } catch {
    return 'relay';
  }
}

/**
 * A sender for the configured relay. Needs send.smtpUrl and a bounce domain (the return paths are at it);
 * throws ConfigError without them.
 */
export async function createSender(config: Config, options: SenderOptions = {}): Promise<Sender> {
  if (!config.send.smtpUrl) throw new ConfigError('sending needs send.smtpUrl (REBOUND_SEND_SMTP_URL): the relay to hand mail to');
  if (config.verpConfig.domains.length === 0) {
    throw new ConfigError('sending needs bounceDomains (REBOUND_BOUNCE_DOMAINS): the return paths are addresses at the first one');
  }
  const store = options.store ?? (await openStore(config.database.url, { notifications: notificationsConfigured(config) }));
  const owned = !options.store;
  const now = options.now ?? Date.now;
  const ingest: IngestContext = { store, verp: config.verpConfig, policy: config.policyConfig, now };
  const reportingMta = config.smtp.hostname || machineName();
  const remoteMta = relayHost(config.send.smtpUrl);
  const transport: Transporter = nodemailer.createTransport({ url: config.send.smtpUrl, pool: true, maxConnections: CONNECTIONS });

  async function returnPathOf(address: string, sendId: string | undefined): Promise<string> {
    const id = sendId ? { sendId } : {};
    if (fitsReadable(address, config.verpConfig, sendId?.toLowerCase())) return encode(address, config.verpConfig, { ...id, now: now() });
    const recipientId = await store.unit((tx) => tx.recipientId(address));
    return encode(address, config.verpConfig, { ...id, recipientId, now: now() });
  }

  async function one(address: string, m: SendMessage, from: string): Promise<RecipientOutcome> {
    let returnPath: string;
    try {
      returnPath = await returnPathOf(address, m.sendId);
    } catch (err) {
      if (err instanceof VerpError) return { address, status: 'failed', error: err.message };
      throw err;
    }
    const headers = {
      ...unsubscribeHeaders({ url: config.send.unsubscribeUrl, mailto: config.send.unsubscribeMailto }, address, m.sendId),
      ...m.headers,
    };
    try {
      const info = await transport.sendMail({
        envelope: { from: returnPath, to: [address] },
        from, to: address, subject: m.subject, text: m.text, html: m.html, headers,
      }) as { messageId: string; response: string };
      options.log?.debug({ address, returnPath, response: info.response }, 'sent');
      return { address, status: 'sent', returnPath, messageId: info.messageId, response: info.response };
    } catch (e) {
      const err = e as SmtpFailure;
      const r = refusal(err);
      if (!r) {
        options.log?.warn({ address, code: err.code, command: err.command, error: err.message }, 'not sent');
        return { address, status: 'failed', returnPath, error: err.message };
      }
      const raw = rejectionReport({
        recipient: address, returnPath, reply: r.reply, command: r.command, remoteMta, reportingMta, at: new Date(now()),
        original: { from, subject: m.subject },
      });
      let recorded: IngestResult;
      try {
        recorded = await ingestRaw(ingest, raw, SEND_SOURCE);
      } catch (ingestErr) {
        options.log?.error({ address, reply: r.reply, err: ingestErr }, 'refused by the relay, and the refusal could not be recorded');
        return { address, status: 'failed', returnPath, error: `refused (${r.reply}) but not recorded: ${(ingestErr as Error).message}` };
      }
      options.log?.info({ address, reply: r.reply, command: r.command, events: recorded.events.length }, 'refused by the relay, recorded');
      return {
        address, status: 'rejected', returnPath, temporary: r.code < 500, replyCode: r.code, response: r.reply, command: r.command,
        recorded: { messageId: recorded.messageId, events: recorded.events, changes: recorded.changes },
      };
    }
  }

  return {
    async send(m) {
      const from = m.from ?? config.send.from;
      if (!from) throw new SendError('no From: pass one or set send.from (REBOUND_SEND_FROM)');
      if (m.text === undefined && m.html === undefined) throw new SendError('the message needs a text or an HTML body');
      if (m.to.length === 0) throw new SendError('no recipients');
      if (m.sendId !== undefined) {
        if (!/^[a-z0-9-]{1,24}$/i.test(m.sendId)) throw new SendError(`a send id is 1 to 24 of a-z, 0-9 and "-": ${m.sendId}`);
        if (config.verpConfig.secrets.length === 0) throw new SendError('a send id is carried in the signature: set verp.secret (REBOUND_VERP_SECRET)');
      }
      const outcomes: Array<RecipientOutcome | undefined> = [];
      const todo: Array<{ i: number; address: string }> = [];
      const seen = new Set<string>();
      m.to.forEach((given, i) => {
        try {
          const address = normaliseAddress(given);
          if (seen.has(address)) return;
          seen.add(address);
          todo.push({ i, address });
        } catch (err) {
          if (!(err instanceof InvalidAddressError)) throw err;
          outcomes[i] = { address: given, status: 'invalid', error: err.message };
        }
      });
      const suppressed = new Map((await store.checkMany(todo.map((t) => t.address), now())).map((s) => [s.address, s]));
      const queue: typeof todo = [];
      for (const t of todo) {
        const s = suppressed.get(t.address);
        if (s) outcomes[t.i] = { address: t.address, status: 'skipped', reason: s.reason };
        else queue.push(t);
      }
      // a few transactions at once, each on its own pooled connection
      const worker = async (): Promise<void> => {
        for (let t = queue.shift(); t; t = queue.shift()) outcomes[t.i] = await one(t.address, m, from);
      };
      await Promise.all(Array.from({ length: Math.min(CONNECTIONS, queue.length) }, worker));
      const recipients = outcomes.filter((o): o is RecipientOutcome => o !== undefined);
      const count = (...s: RecipientOutcome['status'][]): number => recipients.filter((o) => s.includes(o.status)).length;
      return { recipients, sent: count('sent'), skipped: count('skipped'), rejected: count('rejected'), failed: count('invalid', 'failed') };
    },
    async close() {
      transport.close();
      if (owned) await store.close();
    },
  };
}
