// Configuration: defaults → file (--config rebound.toml or .json) → environment (REBOUND_*) → flags, validated
// once with clear errors and passed in explicitly. Every setting has a file key, an environment variable and
// a flag, all listed in SETTINGS (which the README's table is written from).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { REASONS } from './classify/reasons.js';
import { imapMailboxSchema, resolveImapMailboxes, type ImapMailbox } from './ingest/imap-config.js';
import { hookStatementProblem } from './notify/sql-params.js';
import { isAddress } from './parse/address.js';
import { POLICY_DEFAULTS, type PolicyConfig } from './policy/index.js';
import { DEFAULT_DATABASE_URL } from './store/index.js';
import type { VerpConfig } from './verp/codec.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Kind = 'string' | 'int' | 'list' | 'json' | 'bool';

export interface Setting {
  /** Dotted key in the config file, e.g. "smtp.listen". */
  key: string;
  env: string;
  kind: Kind;
  default: unknown;
  help: string;
  secret?: boolean;
}

export const SETTINGS: readonly Setting[] = [
  { key: 'database.url', env: 'REBOUND_DATABASE_URL', kind: 'string', default: DEFAULT_DATABASE_URL, help: 'SQLite path (or sqlite:PATH) or postgres:// URL' },
  { key: 'smtp.listen', env: 'REBOUND_SMTP_LISTEN', kind: 'string', default: '127.0.0.1:2525', help: 'host:port of the SMTP receiver ("off" disables it)' },
  { key: 'smtp.maxMessageBytes', env: 'REBOUND_SMTP_MAX_MESSAGE_BYTES', kind: 'int', default: 10 * 1024 * 1024, help: 'largest message accepted (bigger: 552)' },
  { key: 'smtp.maxClients', env: 'REBOUND_SMTP_MAX_CLIENTS', kind: 'int', default: 100, help: 'most simultaneous SMTP connections' },
  { key: 'smtp.tlsCert', env: 'REBOUND_SMTP_TLS_CERT', kind: 'string', default: '', help: 'PEM certificate file: enables STARTTLS' },
  { key: 'smtp.tlsKey', env: 'REBOUND_SMTP_TLS_KEY', kind: 'string', default: '', help: 'PEM private key file for STARTTLS' },
  { key: 'smtp.hostname', env: 'REBOUND_SMTP_HOSTNAME', kind: 'string', default: '', help: 'name in the SMTP greeting (default: the machine name)' },
  { key: 'bounceDomains', env: 'REBOUND_BOUNCE_DOMAINS', kind: 'list', default: [], help: 'domains of the VERP return paths (comma-separated); required when listening beyond loopback' },
  { key: 'verp.prefix', env: 'REBOUND_VERP_PREFIX', kind: 'string', default: 'bounces', help: 'local-part prefix of VERP addresses' },
  { key: 'verp.separator', env: 'REBOUND_VERP_SEPARATOR', kind: 'string', default: '+', help: 'between prefix and recipient (and before the tag)' },
  { key: 'verp.equals', env: 'REBOUND_VERP_EQUALS', kind: 'string', default: '=', help: "stands for the recipient's @" },
  { key: 'verp.secret', env: 'REBOUND_VERP_SECRET', kind: 'list', default: [], help: 'HMAC secrets, newest first (comma-separated); when set, unsigned or badly signed bounces change nothing', secret: true },
  { key: 'verp.validityDays', env: 'REBOUND_VERP_VALIDITY_DAYS', kind: 'int', default: 60, help: 'days a signed return path stays valid' },
  { key: 'policy.softCount', env: 'REBOUND_POLICY_SOFT_COUNT', kind: 'int', default: POLICY_DEFAULTS.soft.count, help: 'soft bounces before suppressing' },
  { key: 'policy.softSpreadDays', env: 'REBOUND_POLICY_SOFT_SPREAD_DAYS', kind: 'int', default: POLICY_DEFAULTS.soft.spreadDays, help: 'they must span at least this many days' },
  { key: 'policy.softWindowDays', env: 'REBOUND_POLICY_SOFT_WINDOW_DAYS', kind: 'int', default: POLICY_DEFAULTS.soft.windowDays, help: 'only soft bounces this recent count' },
  { key: 'policy.softStaleDays', env: 'REBOUND_POLICY_SOFT_STALE_DAYS', kind: 'int', default: POLICY_DEFAULTS.soft.staleDays, help: 'a quiet gap this long starts the count again' },
  { key: 'policy.softExpiryDays', env: 'REBOUND_POLICY_SOFT_EXPIRY_DAYS', kind: 'int', default: POLICY_DEFAULTS.soft.expiryDays, help: 'soft suppressions lapse after this many days' },
  { key: 'policy.complaintExpiryDays', env: 'REBOUND_POLICY_COMPLAINT_EXPIRY_DAYS', kind: 'int', default: 0, help: 'complaint suppressions lapse after this many days (0: never)' },
  { key: 'policy.rules', env: 'REBOUND_POLICY_RULES', kind: 'json', default: [], help: 'override rules, JSON list (see Policy)' },
  { key: 'http.listen', env: 'REBOUND_HTTP_LISTEN', kind: 'string', default: '127.0.0.1:8025', help: 'host:port of the HTTP API and dashboard ("off" disables them)' },
  { key: 'http.token', env: 'REBOUND_API_TOKEN', kind: 'string', default: '', help: 'bearer token of the admin scope (≥ 16 characters); required when listening beyond loopback', secret: true },
  { key: 'http.readToken', env: 'REBOUND_API_READ_TOKEN', kind: 'string', default: '', help: 'bearer token of the read-only scope (≥ 16 characters)', secret: true },
  { key: 'http.sessionHours', env: 'REBOUND_HTTP_SESSION_HOURS', kind: 'int', default: 12, help: 'hours a dashboard login lasts' },
  { key: 'send.smtpUrl', env: 'REBOUND_SEND_SMTP_URL', kind: 'string', default: '', help: 'relay rebound send hands mail to: smtp://[user:pass@]host:port or smtps://… (nodemailer URL options as query)', secret: true },
  { key: 'send.from', env: 'REBOUND_SEND_FROM', kind: 'string', default: '', help: 'default From of rebound send ("Name <addr>" or addr)' },
  { key: 'send.unsubscribeUrl', env: 'REBOUND_SEND_UNSUBSCRIBE_URL', kind: 'string', default: '', help: 'List-Unsubscribe URL, {address} and {id} filled in; https adds List-Unsubscribe-Post (RFC 8058 one-click)' },
  { key: 'send.unsubscribeMailto', env: 'REBOUND_SEND_UNSUBSCRIBE_MAILTO', kind: 'string', default: '', help: 'List-Unsubscribe mailto: address' },
  { key: 'webhooks.urls', env: 'REBOUND_WEBHOOK_URLS', kind: 'list', default: [], help: 'URLs the events are POSTed to (comma-separated, http or https)' },
  { key: 'webhooks.secret', env: 'REBOUND_WEBHOOK_SECRET', kind: 'list', default: [], help: 'HMAC-SHA256 signing secrets, newest first (comma-separated, ≥ 16 characters each); required with webhooks.urls', secret: true },
  { key: 'webhooks.timeoutSeconds', env: 'REBOUND_WEBHOOK_TIMEOUT_SECONDS', kind: 'int', default: 10, help: 'a POST not answered within this long failed' },
  { key: 'hook.databaseUrl', env: 'REBOUND_HOOK_DATABASE_URL', kind: 'string', default: '', help: "the app's own database for the users-table hook: postgres:// URL, or SQLite file (sqlite:PATH or a path)", secret: true },
  { key: 'hook.suppressSql', env: 'REBOUND_HOOK_SUPPRESS_SQL', kind: 'string', default: '', help: 'statement run when an address is suppressed: $1 = address, $2 = reason (bound parameters)' },
  { key: 'hook.unsuppressSql', env: 'REBOUND_HOOK_UNSUPPRESS_SQL', kind: 'string', default: '', help: 'statement run when an address is no longer suppressed: $1 = address, $2 = former reason' },
  { key: 'outbox.maxAttempts', env: 'REBOUND_OUTBOX_MAX_ATTEMPTS', kind: 'int', default: 12, help: 'attempts per webhook or hook delivery before it is marked failed' },
  { key: 'outbox.retrySeconds', env: 'REBOUND_OUTBOX_RETRY_SECONDS', kind: 'int', default: 30, help: 'delay before the first retry; doubles with each attempt (with jitter)' },
  { key: 'outbox.retryMaxSeconds', env: 'REBOUND_OUTBOX_RETRY_MAX_SECONDS', kind: 'int', default: 3600, help: 'longest delay between retries' },
  { key: 'imap.mailboxes', env: 'REBOUND_IMAP_URLS', kind: 'list', default: [], help: 'IMAP mailboxes to read: imap://user@host:port/MAILBOX?action=seen|move|delete&folder=F (imaps:// for TLS), comma-separated; in a file an array of tables' },
  { key: 'imap.password', env: 'REBOUND_IMAP_PASSWORD', kind: 'string', default: '', help: 'password of the IMAP mailboxes that do not give their own', secret: true },
  { key: 'imap.pollSeconds', env: 'REBOUND_IMAP_POLL_SECONDS', kind: 'int', default: 60, help: 'how often each mailbox is checked besides IDLE (and without it)' },
  { key: 'imap.idle', env: 'REBOUND_IMAP_IDLE', kind: 'bool', default: true, help: 'wait for new messages with IDLE where the server offers it (false: poll only)' },
  { key: 'maildir.dirs', env: 'REBOUND_MAILDIRS', kind: 'list', default: [], help: 'Maildirs whose new/ is watched and ingested (comma-separated)' },
  { key: 'maildir.processed', env: 'REBOUND_MAILDIR_PROCESSED', kind: 'string', default: '', help: "Maildir folder committed messages are moved to (relative: inside each Maildir, e.g. .Processed); empty: the Maildir's own cur/" },
  { key: 'maildir.pollSeconds', env: 'REBOUND_MAILDIR_POLL_SECONDS', kind: 'int', default: 30, help: 'how often new/ is rescanned besides file-system notifications' },
  { key: 'log.level', env: 'REBOUND_LOG_LEVEL', kind: 'string', default: 'info', help: 'fatal, error, warn, info, debug, trace or silent' },
];

/** "smtp.maxMessageBytes" → "--smtp-max-message-bytes". */
export function flagOf(key: string): string {
  return '--' + key.replace(/\./g, '-').replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

const listen = z.string().refine((v) => v === 'off' || parseListen(v) !== undefined, 'expected host:port (or "off")');

const ruleSchema = z.object({
  reason: z.enum(REASONS).optional(),
  fault: z.enum(['recipient', 'sender', 'transient', 'none']).optional(),
  kind: z.enum(['bounce', 'delay', 'delivered', 'complaint', 'auto-reply', 'not-bounce']).optional(),
  action: z.enum(['suppress', 'count', 'ignore']),
  count: z.number().int().positive().optional(),
  spreadDays: z.number().min(0).optional(),
  windowDays: z.number().positive().optional(),
  expiryDays: z.number().positive().nullable().optional(),
}).strict();

const domain = z.string().regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i, 'expected a domain name');

const apiToken = z.string().refine((v) => v === '' || (v.length >= 16 && !/\s/.test(v)), 'tokens must be at least 16 characters, without blanks');

const httpUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'expected an http:// or https:// URL');
const smtpUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
  } catch {
    return false;
  }
}, 'expected smtp://[user:pass@]host[:port] or smtps://…');
const mailbox = z.string().refine((v) => isAddress(/<([^<>]+)>\s*$/.exec(v)?.[1] ?? v.trim()), 'expected an email address (or "Name <address>")');
const emptyOr = <T extends z.ZodType<string>>(t: T) => z.union([z.literal(''), t]);
const hookSql = (what: string) => z.string().superRefine((v, ctx) => {
  const problem = hookStatementProblem(v, what);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const schema = z.object({
  database: z.object({ url: z.string().min(1) }),
  smtp: z.object({
    listen,
    maxMessageBytes: z.number().int().min(1024),
    maxClients: z.number().int().min(1),
    tlsCert: z.string(),
    tlsKey: z.string(),
    hostname: z.string(),
  }),
  bounceDomains: z.array(domain),
  verp: z.object({
    prefix: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,30}$/i, 'expected letters, digits, dot, dash or underscore'),
    separator: z.string().regex(/^[+\-_.]$/, 'expected one of + - _ .'),
    equals: z.string().regex(/^[=%#]$/, 'expected one of = % #'),
    secret: z.array(z.string().min(16, 'secrets must be at least 16 characters')),
    validityDays: z.number().int().min(1),
  }),
  policy: z.object({
    softCount: z.number().int().min(1),
    softSpreadDays: z.number().min(0),
    softWindowDays: z.number().min(1),
    softStaleDays: z.number().min(1),
    softExpiryDays: z.number().min(1),
    complaintExpiryDays: z.number().min(0),
    rules: z.array(ruleSchema),
  }),
  http: z.object({
    listen,
    token: apiToken,
    readToken: apiToken,
    sessionHours: z.number().int().min(1).max(24 * 366),
  }),
  send: z.object({
    smtpUrl: emptyOr(smtpUrl),
    from: emptyOr(mailbox),
    unsubscribeUrl: emptyOr(httpUrl),
    unsubscribeMailto: emptyOr(mailbox),
  }),
  webhooks: z.object({
    urls: z.array(httpUrl),
    secret: z.array(z.string().min(16, 'secrets must be at least 16 characters')),
    timeoutSeconds: z.number().int().min(1).max(300),
  }),
  hook: z.object({
    databaseUrl: z.string(),
    suppressSql: hookSql('the suppress statement'),
    unsuppressSql: hookSql('the unsuppress statement'),
  }),
  outbox: z.object({
    maxAttempts: z.number().int().min(1).max(100),
    retrySeconds: z.number().int().min(1),
    retryMaxSeconds: z.number().int().min(1),
  }),
  imap: z.object({
    mailboxes: z.array(imapMailboxSchema),
    password: z.string(),
    pollSeconds: z.number().int().min(1).max(3600),
    idle: z.boolean(),
  }),
  maildir: z.object({
    dirs: z.array(z.string().min(1)),
    processed: z.string(),
    pollSeconds: z.number().int().min(1).max(3600),
  }),
  log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) }),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config extends RawConfig {
  /** Derived views the modules take. */
  verpConfig: VerpConfig;
  /** imap.mailboxes with defaults and passwords filled in. */
  imapMailboxes: ImapMailbox[];
  policyConfig: PolicyConfig;
  /** Where each setting came from, for error messages and `rebound config`. */
  origin: Record<string, string>;
}

export function parseListen(v: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-f:.]+)\]|([^:\s]+)):(\d{1,5})$/i.exec(v.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 0 || port > 65535) return undefined;
  return { host: m[1] ?? m[2] ?? '', port };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function setPath(obj: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let o = obj;
  for (const p of parts.slice(0, -1)) {
    if (typeof o[p] !== 'object' || o[p] === null) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts[parts.length - 1] as string] = value;
}

function getPath(obj: Record<string, unknown>, key: string): unknown {
  let o: unknown = obj;
  for (const p of key.split('.')) {
    if (typeof o !== 'object' || o === null) return undefined;
    o = (o as Record<string, unknown>)[p];
  }
  return o;
}

function fromText(s: Setting, text: string, where: string): unknown {
  switch (s.kind) {
    case 'int': {
      const t = text.trim();
      if (!/^-?\d+$/.test(t)) throw new ConfigError(`${where}: expected a whole number, got "${text}"`);
      return Number(t);
    }
    case 'list':
      return text.split(',').map((x) => x.trim()).filter(Boolean);
    case 'bool':
      return /^(1|true|yes|on)$/i.test(text.trim());
    case 'json':
      try {
        return JSON.parse(text);
      } catch (err) {
        throw new ConfigError(`${where}: not valid JSON: ${(err as Error).message}`);
      }
    default:
      return text;
  }
}

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return (path.endsWith('.json') ? JSON.parse(text) : parseToml(text)) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'TOML'}: ${(err as Error).message}`);
  }
}

export interface LoadOptions {
  /** Config file path (--config). */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Flag values by setting key, e.g. { 'smtp.listen': '0.0.0.0:25' }. */
  flags?: Record<string, string>;
}

/** Build and validate the configuration. Throws ConfigError with every problem listed. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const merged: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const s of SETTINGS) {
    setPath(merged, s.key, s.default);
    origin[s.key] = 'default';
  }
  const file = opts.file ?? env['REBOUND_CONFIG'];
  if (file) {
    const data = readFile(file);
    const known = new Set(SETTINGS.map((s) => s.key));
    const walk = (o: Record<string, unknown>, prefix: string): void => {
      for (const [k, v] of Object.entries(o)) {
        const key = prefix ? `${prefix}.${k}` : k;
        if (known.has(key)) {
          const s = SETTINGS.find((x) => x.key === key) as Setting;
          setPath(merged, key, s.kind === 'list' && typeof v === 'string' ? fromText(s, v, key) : v);
          origin[key] = `file ${file}`;
        } else if (v && typeof v === 'object' && !Array.isArray(v)) {
          walk(v as Record<string, unknown>, key);
        } else {
          throw new ConfigError(`config file ${file}: unknown setting "${key}"`);
        }
      }
    };
    walk(data, '');
  }
  for (const s of SETTINGS) {
    const v = env[s.env];
    if (v !== undefined && v !== '') {
      setPath(merged, s.key, fromText(s, v, s.env));
      origin[s.key] = `env ${s.env}`;
    }
  }
  for (const [key, v] of Object.entries(opts.flags ?? {})) {
    const s = SETTINGS.find((x) => x.key === key);
    if (!s) throw new ConfigError(`unknown setting ${key}`);
    setPath(merged, key, fromText(s, v, flagOf(key)));
    origin[key] = `flag ${flagOf(key)}`;
  }
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = i.path.join('.');
      const top = SETTINGS.find((s) => key === s.key || key.startsWith(s.key + '.'));
      return `  ${key}: ${i.message}${top ? ` (from ${origin[top.key]})` : ''}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const smtp = c.smtp.listen === 'off' ? undefined : parseListen(c.smtp.listen);
  if (smtp && !isLoopback(smtp.host) && c.bounceDomains.length === 0) {
    throw new ConfigError(
      `the SMTP receiver listens on ${c.smtp.listen}, beyond loopback: set REBOUND_BOUNCE_DOMAINS (bounceDomains) so it accepts only bounces for your domains`,
    );
  }
  const http = c.http.listen === 'off' ? undefined : parseListen(c.http.listen);
  if (http && !isLoopback(http.host) && c.http.token === '' && c.http.readToken === '') {
    throw new ConfigError(
      `the HTTP API listens on ${c.http.listen}, beyond loopback: set REBOUND_API_TOKEN (http.token) so it answers only to bearers of a token`,
    );
  }
  if (c.http.token !== '' && c.http.token === c.http.readToken) {
    throw new ConfigError('http.token (REBOUND_API_TOKEN) and http.readToken (REBOUND_API_READ_TOKEN) must differ');
  }
  if (c.webhooks.urls.length > 0 && c.webhooks.secret.length === 0) {
    throw new ConfigError('webhooks.urls (REBOUND_WEBHOOK_URLS) needs webhooks.secret (REBOUND_WEBHOOK_SECRET) to sign the events');
  }
  if ((c.hook.databaseUrl === '') !== (c.hook.suppressSql.trim() === '')) {
    throw new ConfigError('the users-table hook needs both hook.databaseUrl (REBOUND_HOOK_DATABASE_URL) and hook.suppressSql (REBOUND_HOOK_SUPPRESS_SQL)');
  }
  if (c.hook.unsuppressSql.trim() !== '' && c.hook.databaseUrl === '') {
    throw new ConfigError('hook.unsuppressSql (REBOUND_HOOK_UNSUPPRESS_SQL) needs hook.databaseUrl (REBOUND_HOOK_DATABASE_URL)');
  }
  if (c.outbox.retryMaxSeconds < c.outbox.retrySeconds) {
    throw new ConfigError('outbox.retryMaxSeconds (REBOUND_OUTBOX_RETRY_MAX_SECONDS) must not be below outbox.retrySeconds (REBOUND_OUTBOX_RETRY_SECONDS)');
  }
  if ((c.smtp.tlsCert === '') !== (c.smtp.tlsKey === '')) {
    throw new ConfigError('STARTTLS needs both smtp.tlsCert (REBOUND_SMTP_TLS_CERT) and smtp.tlsKey (REBOUND_SMTP_TLS_KEY)');
  }
  const imap = resolveImapMailboxes(c.imap.mailboxes, c.imap.password);
  if (imap.problems.length > 0) throw new ConfigError(`invalid configuration:\n${imap.problems.map((p) => `  ${p} (from ${origin['imap.mailboxes']})`).join('\n')}`);
  return {
    ...c,
    verpConfig: {
      prefix: c.verp.prefix, separator: c.verp.separator, equals: c.verp.equals, domains: c.bounceDomains,
      secrets: c.verp.secret, validityDays: c.verp.validityDays,
    },
    policyConfig: {
      soft: {
        count: c.policy.softCount, spreadDays: c.policy.softSpreadDays, windowDays: c.policy.softWindowDays,
        staleDays: c.policy.softStaleDays, expiryDays: c.policy.softExpiryDays,
      },
      complaintExpiryDays: c.policy.complaintExpiryDays === 0 ? null : c.policy.complaintExpiryDays,
      hardExpiryDays: null,
      rules: c.policy.rules,
    },
    imapMailboxes: imap.mailboxes,
    origin,
  };
}

/** Whether anything consumes outbox notifications (webhooks or the users-table hook): see StoreOptions. */
export function notificationsConfigured(c: Config): boolean {
  return c.webhooks.urls.length > 0 || c.hook.databaseUrl !== '';
}

/** The effective settings with secrets masked, for `rebound config`. */
export function describeConfig(c: Config): Array<{ key: string; value: string; origin: string; env: string }> {
  return SETTINGS.map((s) => {
    const v = getPath(c as unknown as Record<string, unknown>, s.key);
    // passwords inside structured values (IMAP mailboxes) are masked too
    const shown = s.secret && (Array.isArray(v) ? v.length > 0 : Boolean(v)) ? '***' : JSON.stringify(v, (k, x: unknown) => (k === 'password' && x ? '***' : x));
    return { key: s.key, value: shown, origin: c.origin[s.key] ?? 'default', env: s.env };
  });
}
