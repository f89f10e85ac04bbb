// parse(): one returned message in, one classified result out. Pure (no I/O); never throws.
import { classify } from '../classify/index.js';
import { decode as decodeVerp, VERP_DEFAULTS, type VerpConfig } from '../verp/codec.js';
import { findAddress } from './address.js';
import { dispositionPart, embeddedFields, readEmail, returnedPart, type Email } from './email.js';
import { noticeAction } from './fallback.js';
import { MAX_RECIPIENTS } from './limits.js';
import { DECODERS } from './registry.js';
import type { Decoded, Kind, ParseResult, RecipientResult, VerpFound } from './types.js';

export type { ParseResult, RecipientResult, Kind } from './types.js';

/** Version of the parser's rules; stored with every result so history can be re-parsed when it changes. */
export const PARSER_VERSION = '0.1.0';

export interface ParseOptions {
  /** How VERP return paths are written (prefix and delimiters; default bounces+local=domain@…). */
  verp?: Pick<VerpConfig, 'prefix' | 'separator' | 'equals'>;
}

// Headers of the bounce that carry the address it was delivered to (the VERP return path).
// Fields read from the returned original message.
const ORIGINAL_FIELDS = ['message-id', 'return-path'];

const ENVELOPE_HEADERS = ['x-original-to', 'delivered-to', 'envelope-to', 'x-envelope-to', 'x-rcpt-to', 'x-delivered-to', 'to'];

interface ReadVerp {
  cfg: VerpConfig;
  /** The lower-case "prefix+" every VERP return path starts with. */
  marker: string;
}

/** How to read VERP return paths, per ParseOptions.verp object (built once, not once per message: the
 *  object is taken as fixed once it has been used). */
const readVerpConfigs = new WeakMap<object, ReadVerp>();

function readVerpConfig(verp: ParseOptions['verp']): ReadVerp {
  const key = verp ?? VERP_DEFAULTS;
  let r = readVerpConfigs.get(key);
  if (r === undefined) {
    // parsing only reads the form: with no secrets, a tag is accepted as written
    const cfg: VerpConfig = { ...VERP_DEFAULTS, ...verp, domains: [], secrets: [] };
    r = { cfg, marker: (cfg.prefix + cfg.separator).toLowerCase() };
    readVerpConfigs.set(key, r);
  }
  return r;
}

/**
 * The VERP address the bounce came back to, and the recipient it names. Tags are not verified here (that
 * needs the secrets, see ingest); a compact token names a recipient id that only the store can resolve.
 */
function verpOf(email: Email, original: Map<string, string> | undefined, opts: ParseOptions): VerpFound | null {
  const { cfg, marker } = readVerpConfig(opts.verp);
  const candidates: string[] = [];
  for (const name of ENVELOPE_HEADERS) {
    if (email.headers.has(name)) for (const v of email.headers.all(name)) candidates.push(v);
  }
  const returnPath = original?.get('return-path');
  if (returnPath) candidates.push(returnPath);
  for (const c of candidates) {
    if (!c.toLowerCase().includes(marker)) continue; // cheap: no VERP prefix, nothing to decode
    for (const piece of c.split(',')) {
      const a = findAddress(piece);
      if (!a) continue;
      const d = decodeVerp(a, cfg);
      if (d.status === 'not-verp') continue;
      return { returnPath: a, recipient: d.recipient ?? null, recipientId: d.recipientId };
    }
  }
  return null;
}

function kindOf(decoded: Decoded, recipients: readonly RecipientResult[]): Kind {
  if (decoded.kind) return decoded.kind;
  if (recipients.length === 0) return 'not-bounce';
  if (recipients.every((r) => r.action === 'delivered' || r.action === 'relayed' || r.action === 'expanded' || r.reason === 'delivered')) {
    return 'delivered';
  }
  if (recipients.every((r) => r.action === 'delayed')) return 'delay';
  return 'bounce';
}

function messageIdOf(v: string | undefined): string | null {
  if (!v) return null;
  const m = /<([^<>\s]{1,512})>/.exec(v);
  return m?.[1] ?? (v.trim().slice(0, 512) || null);
}

/**
 * A failure notice that no decoder could read (truncated, or in no known format) still names the recipient it
 * is about when it came back to a readable VERP return path: that address failed (or is delayed), for a
 * reason the notice does not tell. Only for messages that plainly are notices (a mail daemon's, titled so).
 */
function verpOnly(email: Email, verp: VerpFound | null): Decoded | null {
  if (!verp?.recipient) return null;
  // a disposition notification that is not a rejection (the dovecot decoder reads those) is a read receipt
  if (dispositionPart(email)) return null;
  const action = noticeAction(email);
  if (!action) return null;
  return { mta: 'fallback', recipients: [{ recipient: verp.recipient, action }] };
}

/** Received headers in a returned message beyond which it has been going round in a loop (Sendmail gives up
 *  at 25 hops, Exim at 30, Postfix at 50). */
const LOOP_HOPS = 25;

/**
 * A notice that says nothing of why (Exim, for one, leaves "Too many Received headers" out of its bounce) but
 * returns a message that crossed LOOP_HOPS relays or more failed in a mail loop: a network error, as "too many
 * hops" is when an MTA says so.
 */
function withLoopReason(decoded: Decoded, originalText: string): Decoded {
  const silent = (r: Decoded['recipients'][number]): boolean => !r.diagnostic && !r.reason && r.action !== 'delivered' && r.action !== 'relayed';
  if (!decoded.recipients.some(silent) || hopCount(originalText) < LOOP_HOPS) return decoded;
  return { ...decoded, recipients: decoded.recipients.map((r) => (silent(r) ? { ...r, reason: 'networkerror' } : r)) };
}

/** Received fields in the header block at the start of `text` (bounded). */
function hopCount(text: string): number {
  let hops = 0;
  let at = 0;
  for (let lines = 0; lines < 2000 && at < text.length; lines++) {
    const eol = text.indexOf('\n', at);
    const end = eol < 0 ? text.length : eol;
    if (end === at || (end === at + 1 && text.charCodeAt(at) === 13)) break; // the blank line ends the header
    if (end - at >= 9 && text.slice(at, at + 9).toLowerCase() === 'received:') hops++;
    at = end + 1;
  }
  return hops;
}

function runDecoders(email: Email): Decoded | null {
  for (const d of DECODERS) {
    let out: Decoded | null = null;
    try {
      out = d.decode(email);
    } catch {
      out = null; // a decoder bug must not lose the message: try the next one
    }
    if (out && (out.recipients.length > 0 || out.kind === 'complaint')) return out;
  }
  return null;
}

/** Parse one message (bytes, or a string already decoded). */
export function parse(raw: Buffer | string, opts: ParseOptions = {}): ParseResult {
  let email: Email;
  try {
    email = readEmail(raw);
  } catch (err) {
    return emptyResult(`unreadable message: ${(err as Error).message}`);
  }
  try {
    let decoded = runDecoders(email);
    // a decoder that found the returned message knows better than the first attached message
    const originalText = decoded?.original ?? returnedPart(email)?.text;
    const original = originalText ? embeddedFields(originalText, ORIGINAL_FIELDS) : undefined;
    const verp = verpOf(email, original, opts);
    decoded ??= verpOnly(email, verp);
    if (decoded && originalText !== undefined) decoded = withLoopReason(decoded, originalText);
    const limits = [...email.limits];
    let recipients: RecipientResult[] = [];
    if (decoded) {
      let list = decoded.recipients;
      if (list.length > MAX_RECIPIENTS) {
        list = list.slice(0, MAX_RECIPIENTS);
        limits.push('recipient-count');
      }
      recipients = list.map((r) => classify(r, { mta: decoded.mta, kind: decoded.kind }));
    }
    const result: ParseResult = {
      kind: decoded ? kindOf(decoded, recipients) : 'not-bounce',
      recipients,
      verp,
      mta: decoded?.mta ?? null,
      messageId: messageIdOf(original?.get('message-id')) ?? messageIdOf(email.headers.get('message-id')),
      subject: email.subject,
      limits,
    };
    if (email.headers.size === 0 && email.text.trim() === '') result.error = 'empty message';
    return result;
  } catch (err) {
    const r = emptyResult(`parser error: ${(err as Error).message}`);
    r.limits = [...email.limits];
    return r;
  }
}

function emptyResult(error: string): ParseResult {
  return { kind: 'not-bounce', recipients: [], verp: null, mta: null, messageId: null, subject: '', limits: [], error };
}

export { readEmail } from './email.js';
export { findAddress } from './address.js';
