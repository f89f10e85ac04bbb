// VERP return paths, readable and signed. Pure (node:crypto only, no I/O).
//
//   unsigned   bounces+joe=example.com@bounces.example.org
//   signed     bounces+joe=example.com+<tag>@bounces.example.org
//   compact    bounces+r<id>-<tag>@bounces.example.org      (store-assigned recipient id; used when the
//                                                            readable form would break RFC 5321 limits or
//                                                            the address is not plain ASCII dot-atom)
//
// <tag> is [<send id>.]<day><mac>: the day stamp (days since 1970, 3 base32 digits) and a truncated
// HMAC-SHA256 (50 bits, 10 base32 digits) over the lower-cased recipient (or recipient id), the day and the
// send id. Base32 in lower case survives MTAs that lower-case local parts. Several secrets may be configured:
// the first signs, all verify (rotation).
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface VerpConfig {
  /** Local-part prefix, e.g. "bounces". */
  prefix: string;
  /** Between the prefix and the encoded recipient, and before the tag: "+". */
  separator: string;
  /** Stands for the recipient's "@": "=". */
  equals: string;
  /** Bounce domains; encode() uses the first. */
  domains: readonly string[];
  /** HMAC secrets, newest first. Empty: unsigned. */
  secrets: readonly string[];
  /** Days a signed tag stays valid. */
  validityDays: number;
}

export const VERP_DEFAULTS: VerpConfig = {
  prefix: 'bounces', separator: '+', equals: '=', domains: ['localhost'], secrets: [], validityDays: 60,
};

/** RFC 5321 4.5.3.1: local part ≤ 64 octets, path ≤ 256 octets including the angle brackets. */
export const MAX_LOCAL_PART = 64;
export const MAX_PATH = 254;

const DAY_MS = 86_400_000;
const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
const DAY_DIGITS = 3; // 32^3 days ≈ 89 years, then it wraps (validity is compared modulo the wrap)
const MAC_DIGITS = 10; // 50 bits
const SEND_ID = /^[a-z0-9-]{1,24}$/;
// a dot-atom local part in plain ASCII: what can sit inside a VERP local part without quoting
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+\/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+\/=?^_`{|}~-]+)*$/;
const ASCII_DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export class VerpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerpError';
  }
}

function base32(n: bigint, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) {
    s = B32[Number(n & 31n)] + s;
    n >>= 5n;
  }
  return s;
}

function unbase32(s: string): number | undefined {
  let n = 0;
  for (const c of s) {
    const v = B32.indexOf(c);
    if (v < 0) return undefined;
    n = n * 32 + v;
  }
  return n;
}

function dayOf(now: number): number {
  return Math.floor(now / DAY_MS) % 32 ** DAY_DIGITS;
}

function mac(secret: string, subject: string, day: number, sendId: string): string {
  const h = createHmac('sha256', secret).update(`rebound-verp-v1\n${subject}\n${day}\n${sendId}`).digest();
  return base32(h.readBigUInt64BE(0) >> BigInt(64 - MAC_DIGITS * 5), MAC_DIGITS);
}

function tagFor(secret: string, subject: string, now: number, sendId: string | undefined): string {
  const day = dayOf(now);
  const body = base32(BigInt(day), DAY_DIGITS) + mac(secret, subject, day, sendId ?? '');
  return sendId ? `${sendId}.${body}` : body;
}

export interface EncodeOptions {
  /** Send or campaign id carried (and signed) in the tag: [a-z0-9-]{1,24}, case-insensitive. */
  sendId?: string;
  /** Store-assigned recipient id, needed when the address does not fit the readable form. */
  recipientId?: number;
  /** Clock, for tests. */
  now?: number;
}

/** True when the recipient can be written in the readable form (plain ASCII dot-atom local part, ASCII domain). */
export function fitsReadable(recipient: string, cfg: VerpConfig, sendId?: string): boolean {
  const at = recipient.lastIndexOf('@');
  if (at <= 0) return false;
  const local = recipient.slice(0, at);
  const domain = recipient.slice(at + 1);
  if (!DOT_ATOM.test(local) || !ASCII_DOMAIN.test(domain)) return false;
  const signedExtra = cfg.secrets.length > 0
    ? cfg.separator.length + (sendId ? sendId.length + 1 : 0) + DAY_DIGITS + MAC_DIGITS
    : 0;
  const localLen = cfg.prefix.length + cfg.separator.length + local.length + cfg.equals.length + domain.length + signedExtra;
  const bounceDomain = cfg.domains[0] ?? '';
  return localLen <= MAX_LOCAL_PART && localLen + 1 + bounceDomain.length + 2 <= MAX_PATH;
}

/** Build the return path for one recipient. Throws VerpError when it cannot (no id for a long address). */
export function encode(recipient: string, cfg: VerpConfig, opts: EncodeOptions = {}): string {
  const bounceDomain = cfg.domains[0];
  if (!bounceDomain) throw new VerpError('no bounce domain configured');
  const at = recipient.lastIndexOf('@');
  if (at <= 0 || at === recipient.length - 1) throw new VerpError(`not an address: ${recipient}`);
  const sendId = opts.sendId?.toLowerCase();
  if (sendId !== undefined && !SEND_ID.test(sendId)) throw new VerpError(`send id must be [a-z0-9-]{1,24}: ${opts.sendId}`);
  const now = opts.now ?? Date.now();
  const secret = cfg.secrets[0];
  const head = cfg.prefix + cfg.separator;
  let local: string;
  if (fitsReadable(recipient, cfg, sendId)) {
    local = head + recipient.slice(0, at) + cfg.equals + recipient.slice(at + 1);
    if (secret) local += cfg.separator + tagFor(secret, recipient.toLowerCase(), now, sendId);
    else if (sendId) throw new VerpError('a send id needs a signing secret');
  } else {
    if (opts.recipientId === undefined) {
      throw new VerpError(`address does not fit a readable return path, a recipient id is needed: ${recipient}`);
    }
    const rid = `r${opts.recipientId.toString(36)}`;
    local = head + rid + (secret ? '-' + tagFor(secret, rid, now, sendId) : '');
  }
  const path = `${local}@${bounceDomain}`;
  if (local.length > MAX_LOCAL_PART || path.length > MAX_PATH) {
    throw new VerpError(`return path too long for RFC 5321 (${local.length} octet local part): ${path}`);
  }
  return path;
}

export type VerpStatus = 'ok' | 'unsigned' | 'bad-signature' | 'expired' | 'not-verp';

export interface Decoded {
  status: VerpStatus;
  /** The recipient named by a readable return path. */
  recipient?: string;
  /** The recipient id named by a compact return path (resolve it through the store). */
  recipientId?: number;
  sendId?: string;
  /** Day the tag was made (days since 1970), when signed. */
  day?: number;
}

function verifyTag(tag: string, subject: string, cfg: VerpConfig, now: number): { status: VerpStatus; sendId?: string; day?: number } {
  const t = tag.toLowerCase();
  const dot = t.lastIndexOf('.');
  const sendId = dot > 0 ? t.slice(0, dot) : undefined;
  const body = dot > 0 ? t.slice(dot + 1) : t;
  if (body.length !== DAY_DIGITS + MAC_DIGITS || (sendId !== undefined && !SEND_ID.test(sendId))) return { status: 'bad-signature' };
  const day = unbase32(body.slice(0, DAY_DIGITS));
  if (day === undefined) return { status: 'bad-signature' };
  const given = Buffer.from(body.slice(DAY_DIGITS));
  const ok = cfg.secrets.some((s) => {
    const want = Buffer.from(mac(s, subject, day, sendId ?? ''));
    return want.length === given.length && timingSafeEqual(want, given);
  });
  if (!ok) return { status: 'bad-signature' };
  const wrap = 32 ** DAY_DIGITS;
  const age = (dayOf(now) - day + wrap) % wrap;
  if (age > cfg.validityDays) return { status: 'expired', sendId, day };
  return { status: 'ok', sendId, day };
}

/** True when the address is at one of the bounce domains (case-insensitive), or when none are configured. */
export function atBounceDomain(address: string, cfg: VerpConfig): boolean {
  if (cfg.domains.length === 0) return true;
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase().replace(/\.$/, '');
  return cfg.domains.some((d) => d.toLowerCase() === domain);
}

/**
 * Read a return path. `status` says whether it is one of ours and whether its tag verifies:
 * ok (signed and valid, or any VERP address when no secret is configured), unsigned (no tag, but
 * secrets are configured), bad-signature, expired, not-verp.
 */
export function decode(address: string, cfg: VerpConfig, now = Date.now()): Decoded {
  let a = address.trim();
  if (a.startsWith('<') && a.endsWith('>')) a = a.slice(1, -1);
  const at = a.lastIndexOf('@');
  if (at <= 0) return { status: 'not-verp' };
  const local = a.slice(0, at);
  const head = cfg.prefix + cfg.separator;
  if (local.length <= head.length || local.slice(0, head.length).toLowerCase() !== head.toLowerCase()) return { status: 'not-verp' };
  const rest = local.slice(head.length);
  const signing = cfg.secrets.length > 0;
  const eq = rest.lastIndexOf(cfg.equals);
  if (eq < 0) {
    // compact form: r<id>[-<tag>]
    const m = /^r([0-9a-z]{1,12})(?:-(.+))?$/i.exec(rest);
    if (!m?.[1]) return { status: 'not-verp' };
    const recipientId = parseInt(m[1].toLowerCase(), 36);
    if (!m[2]) return { status: signing ? 'unsigned' : 'ok', recipientId };
    if (!signing) return { status: 'ok', recipientId };
    return { ...verifyTag(m[2], `r${m[1].toLowerCase()}`, cfg, now), recipientId };
  }
  const recipientLocal = rest.slice(0, eq);
  let domain = rest.slice(eq + cfg.equals.length);
  let tag: string | undefined;
  const sep = domain.indexOf(cfg.separator);
  if (sep >= 0) {
    tag = domain.slice(sep + cfg.separator.length);
    domain = domain.slice(0, sep);
  }
  if (!recipientLocal || !domain || !ASCII_DOMAIN.test(domain)) return { status: 'not-verp' };
  const recipient = `${recipientLocal}@${domain}`;
  if (!signing) return { status: 'ok', recipient };
  if (tag === undefined) return { status: 'unsigned', recipient };
  return { ...verifyTag(tag, recipient.toLowerCase(), cfg, now), recipient };
}
