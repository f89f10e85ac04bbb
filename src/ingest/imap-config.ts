// The IMAP mailboxes to read, as configured: in a file an array of tables, in the environment (and as a
// flag) comma-separated URLs. Pure: validation only, no connection.
//
//   imap://USER[:PASSWORD]@HOST[:PORT][/MAILBOX][?tls=starttls|none&action=seen|move|delete&folder=F&name=N]
//   imaps://…                                     TLS from the first byte (port 993)
//
// USER and PASSWORD are percent-encoded ("bounces%40example.org"); a mailbox without a password takes
// imap.password (REBOUND_IMAP_PASSWORD).
import { z } from 'zod';

/** implicit: TLS from the first byte (imaps, 993); starttls: upgrade before logging in, or fail; none: cleartext. */
export type ImapTls = 'implicit' | 'starttls' | 'none';
/** What is done to a message once it is committed: flag it \Seen, move it to `folder`, or delete (expunge) it. */
export type ImapAction = 'seen' | 'move' | 'delete';

export interface ImapMailbox {
  /** Names the checkpoint and the log lines: "user@host:port/MAILBOX" unless set. */
  name: string;
  host: string;
  port: number;
  tls: ImapTls;
  user: string;
  password: string;
  mailbox: string;
  action: ImapAction;
  /** Where `move` puts committed messages (created when missing); "" for the other actions. */
  folder: string;
}

const tls = z.enum(['implicit', 'starttls', 'none']);
const action = z.enum(['seen', 'move', 'delete']);

const table = z.object({
  name: z.string().min(1).optional(),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).optional(),
  tls: tls.optional(),
  user: z.string().min(1),
  password: z.string().optional(),
  mailbox: z.string().min(1).optional(),
  action: action.optional(),
  folder: z.string().min(1).optional(),
}).strict();

type Entry = z.infer<typeof table>;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** An imap:// or imaps:// URL as a table; a message saying what is wrong otherwise. */
export function parseImapUrl(text: string): Entry | string {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return 'not a URL (expected imap://user@host:port/MAILBOX or imaps://…)';
  }
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:') return `unsupported scheme "${u.protocol}" (expected imap: or imaps:)`;
  if (!u.hostname) return 'the URL names no host';
  if (!u.username) return 'the URL names no user (imap://USER@HOST/…, with @ in USER written %40)';
  const q = u.searchParams;
  for (const k of q.keys()) if (!['tls', 'action', 'folder', 'name'].includes(k)) return `unknown URL parameter "${k}" (expected tls, action, folder or name)`;
  const entry: Record<string, unknown> = { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), user: decode(u.username) };
  if (u.password) entry['password'] = decode(u.password);
  if (u.port) entry['port'] = Number(u.port);
  const path = decode(u.pathname.replace(/^\//, ''));
  if (path) entry['mailbox'] = path;
  if (u.protocol === 'imaps:') {
    if (q.has('tls') && q.get('tls') !== 'implicit') return 'imaps:// always uses TLS from the first byte: leave out tls=';
    entry['tls'] = 'implicit';
  } else if (q.has('tls')) {
    entry['tls'] = q.get('tls');
  }
  for (const k of ['action', 'folder', 'name']) if (q.has(k)) entry[k] = q.get(k);
  const parsed = table.safeParse(entry);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || 'url'}: ${i.message}`).join('; ');
  return parsed.data;
}

/** One configured mailbox: a URL string or a table (each problem reported in its own words). */
export const imapMailboxSchema = z.unknown().transform((v, ctx): Entry => {
  let e: Entry | string;
  if (typeof v === 'string') {
    e = parseImapUrl(v);
  } else {
    const t = table.safeParse(v);
    e = t.success ? t.data : t.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ');
  }
  if (typeof e !== 'string' && e.action === 'move' && !e.folder) e = 'action "move" needs a folder';
  else if (typeof e !== 'string' && e.action !== 'move' && e.folder) e = 'folder is only used with action "move"';
  if (typeof e === 'string') {
    ctx.addIssue({ code: 'custom', message: typeof v === 'string' ? e : `expected an imap:// URL or a table with host, user, …: ${e}` });
    return z.NEVER;
  }
  return e;
});

/** Defaults filled in; the shared password for mailboxes without one. Returns the problems found, if any. */
export function resolveImapMailboxes(entries: readonly Entry[], sharedPassword: string): { mailboxes: ImapMailbox[]; problems: string[] } {
  const mailboxes: ImapMailbox[] = [];
  const problems: string[] = [];
  entries.forEach((e, i) => {
    const t: ImapTls = e.tls ?? 'starttls';
    const port = e.port ?? (t === 'implicit' ? 993 : 143);
    const mailbox = e.mailbox ?? 'INBOX';
    const name = e.name ?? `${e.user}@${e.host}:${port}/${mailbox}`;
    const password = e.password ?? sharedPassword;
    if (!password) problems.push(`imap.mailboxes.${i} (${name}): no password; give one in the entry or set REBOUND_IMAP_PASSWORD (imap.password)`);
    if (mailboxes.some((m) => m.name === name)) problems.push(`imap.mailboxes.${i}: "${name}" is configured twice (give each a distinct name)`);
    const act = e.action ?? 'seen';
    if (act === 'move' && e.folder === mailbox) problems.push(`imap.mailboxes.${i} (${name}): the move folder is the mailbox itself`);
    mailboxes.push({ name, host: e.host, port, tls: t, user: e.user, password, mailbox, action: act, folder: e.folder ?? '' });
  });
  return { mailboxes, problems };
}
