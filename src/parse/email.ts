// A message read for bounce decoding: its headers, its MIME leaves with decoded text, and one flattened
// text that line-oriented decoders scan. Built once per message; bounded by the limits in limits.ts.
import { isAscii } from 'node:buffer';
import { parseContentType } from './content-type.js';
import { decodeCharset, utf8OrLatin } from './charset.js';
import { decodeEncodedWords } from './encoded-word.js';
import { Headers, parseHeaderBlock } from './headers.js';
import { htmlToText } from './html.js';
import {
  MAX_LINE_CHARS, MAX_MESSAGE_BYTES, MAX_MIME_DEPTH, MAX_ORIGINAL_CHARS, MAX_PARTS, MAX_TEXT_CHARS,
} from './limits.js';
import { decodeTransfer, isTransferEncoded } from './transfer-encoding.js';

/** One MIME leaf. */
export interface Part {
  /** Lower-case media type, e.g. "message/delivery-status". */
  readonly type: string;
  readonly headers: Headers;
  /**
   * The body: transfer-decoded, charset-decoded for text/* and report parts, bounded. For message/rfc822,
   * text/rfc822-headers and similar returned-message parts, the embedded message as written (headers first).
   */
  readonly text: string;
  /** Nesting depth (0 = the message body itself). */
  readonly depth: number;
}

export interface Email {
  readonly headers: Headers;
  /** Decoded Subject (encoded words resolved), "" when missing. */
  readonly subject: string;
  /** Decoded From, "" when missing. */
  readonly from: string;
  /** Top-level media type. */
  readonly type: string;
  /** MIME leaves in document order; a single-part message has one. */
  readonly parts: readonly Part[];
  /**
   * The readable body as one text: for a single-part message its decoded body; for a multipart message
   * each leaf as "Content-Type: <type>" + blank line + its text. LF line endings, lines bounded.
   */
  readonly text: string;
  /** Limits hit while reading. */
  readonly limits: string[];
}

/** Media types whose body is an embedded message (the returned original). */
export const MESSAGE_TYPES: ReadonlySet<string> = new Set([
  'message/rfc822', 'message/global', 'text/rfc822-headers', 'message/rfc822-headers', 'message/global-headers',
  'message/partial',
]);

/** Report parts that are header-like fields in blocks. */
export const REPORT_TYPES: ReadonlySet<string> = new Set([
  'message/delivery-status', 'message/global-delivery-status', 'message/feedback-report',
  'message/disposition-notification', 'message/global-disposition-notification', 'text/delivery-status',
  'message/x-delivery-status',
]);

/** Disposition notifications (RFC 8098 read receipts, RFC 5429 Sieve rejects). */
export const MDN_TYPES: ReadonlySet<string> = new Set(['message/disposition-notification', 'message/global-disposition-notification']);

/** The message's disposition-notification part, if it has one. */
export function dispositionPart(email: Email): Part | undefined {
  return email.parts.find((p) => MDN_TYPES.has(p.type));
}

/** Normalise line endings to LF. */
export function toLf(s: string): string {
  if (!s.includes('\r')) return s;
  // CRLF first by plain splitting (quicker than a regular expression), then any lone CR
  const t = s.split('\r\n').join('\n');
  return t.includes('\r') ? t.replace(/\r/g, '\n') : t;
}

/** Cut text to MAX_TEXT_CHARS and every line to MAX_LINE_CHARS. */
export function boundText(text: string, limits: string[], max = MAX_TEXT_CHARS): string {
  let t = text;
  if (t.length > max) {
    t = t.slice(0, max);
    if (!limits.includes('text-size')) limits.push('text-size');
  }
  if (t.length <= MAX_LINE_CHARS) return t;
  // find whether any line is too long (indexOf hops a line at a time)
  let pos = 0;
  let long = false;
  while (pos < t.length) {
    const nl = t.indexOf('\n', pos);
    const end = nl < 0 ? t.length : nl;
    if (end - pos > MAX_LINE_CHARS) {
      long = true;
      break;
    }
    pos = end + 1;
  }
  if (!long) return t;
  if (!limits.includes('line-length')) limits.push('line-length');
  const out: string[] = [];
  pos = 0;
  while (pos < t.length) {
    const nl = t.indexOf('\n', pos);
    const end = nl < 0 ? t.length : nl;
    out.push(end - pos > MAX_LINE_CHARS ? t.slice(pos, pos + MAX_LINE_CHARS) : t.slice(pos, end));
    pos = end + 1;
  }
  return out.join('\n');
}

interface Walk {
  parts: Part[];
  limits: string[];
  /** The whole message is 7-bit ASCII without ESC: only transfer-decoded bodies can need a charset. */
  ascii: boolean;
}

/** Split a multipart body into its part bodies by boundary. Returns null when no delimiter is found. */
export function splitMultipart(body: string, boundary: string): string[] | null {
  const delim = '--' + boundary;
  const chunks: string[] = [];
  let pos = 0;
  let start = -1;
  let found = false;
  while (pos <= body.length) {
    const at = body.indexOf(delim, pos);
    if (at < 0) break;
    // must begin a line
    if (at > 0 && body.charCodeAt(at - 1) !== 10) {
      pos = at + delim.length;
      continue;
    }
    const after = at + delim.length;
    const closing = body.startsWith('--', after);
    let eol = body.indexOf('\n', after);
    if (eol < 0) eol = body.length;
    // the rest of a delimiter line may only be blanks (or the closing "--")
    const rest = body.slice(closing ? after + 2 : after, Math.min(eol, after + 200));
    if (rest.trim() !== '' && !closing) {
      pos = after;
      continue;
    }
    found = true;
    if (start >= 0) chunks.push(body.slice(start, at > 0 ? at - 1 : 0));
    if (closing) {
      start = -1;
      break;
    }
    start = eol + 1;
    pos = start;
    if (chunks.length >= MAX_PARTS) break;
  }
  if (!found) return null;
  if (start >= 0 && start <= body.length) chunks.push(body.slice(start)); // unterminated last part
  return chunks;
}

function addLimit(w: Walk, name: string): void {
  if (!w.limits.includes(name)) w.limits.push(name);
}

/** A MIME leaf whose body is decoded on first use (most decoders never look at most parts). */
class LazyPart implements Part {
  readonly type: string;
  readonly headers: Headers;
  readonly depth: number;
  #body: string | null;
  #charset: string | undefined;
  #limits: string[];
  #ascii: boolean;
  #text: string | null = null;

  constructor(type: string, headers: Headers, body: string, depth: number, charset: string | undefined, limits: string[], ascii: boolean) {
    this.type = type;
    this.headers = headers;
    this.depth = depth;
    this.#body = body;
    this.#charset = charset;
    this.#limits = limits;
    this.#ascii = ascii;
  }

  get text(): string {
    if (this.#text === null) {
      this.#text = decodeLeaf(this.type, this.headers, this.#body ?? '', this.#charset, this.#limits, this.#ascii);
      this.#body = null;
    }
    return this.#text;
  }
}

function decodeLeaf(type: string, headers: Headers, body: string, charset: string | undefined, limits: string[], ascii: boolean): string {
  let text: string;
  const cte = headers.get('content-transfer-encoding');
  // ASCII bytes not transfer-encoded stay ASCII: no charset to apply (decodeCharset would return them as is)
  const plain = ascii && !isTransferEncoded(cte);
  if (MESSAGE_TYPES.has(type)) {
    const cut = body.length > MAX_ORIGINAL_CHARS * 2 ? body.slice(0, MAX_ORIGINAL_CHARS * 2) : body;
    const encoded = decodeTransfer(cut, cte);
    const bounded = encoded.length > MAX_ORIGINAL_CHARS ? encoded.slice(0, MAX_ORIGINAL_CHARS) : encoded;
    text = plain ? bounded : utf8OrLatin(bounded);
  } else if (type.startsWith('text/') || REPORT_TYPES.has(type) || type.startsWith('message/')) {
    const cut = body.length > MAX_TEXT_CHARS * 2 ? body.slice(0, MAX_TEXT_CHARS * 2) : body;
    const encoded = decodeTransfer(cut, cte);
    const bounded = encoded.length > MAX_TEXT_CHARS ? encoded.slice(0, MAX_TEXT_CHARS) : encoded;
    text = plain ? bounded : decodeCharset(bounded, charset);
    if (type === 'text/html') text = htmlToText(text);
  } else {
    text = ''; // images, applications: nothing for a bounce decoder to read
  }
  return boundText(text, limits);
}

function leaf(w: Walk, type: string, headers: Headers, body: string, depth: number, charset: string | undefined): void {
  if (w.parts.length >= MAX_PARTS) {
    addLimit(w, 'part-count');
    return;
  }
  w.parts.push(new LazyPart(type, headers, body, depth, charset, w.limits, w.ascii));
}

function walk(w: Walk, headers: Headers, body: string, depth: number): void {
  const ct = parseContentType(headers.get('content-type'));
  if (ct.type.startsWith('multipart/')) {
    const boundary = ct.params['boundary'];
    if (depth >= MAX_MIME_DEPTH) {
      addLimit(w, 'mime-depth');
      leaf(w, 'text/plain', headers, body, depth, undefined);
      return;
    }
    const chunks = boundary ? splitMultipart(body, boundary) : null;
    if (!chunks) {
      // boundary missing or never used: read the body as text so nothing is lost
      leaf(w, 'text/plain', headers, body, depth, ct.params['charset']);
      return;
    }
    if (ct.type === 'multipart/alternative') {
      // prefer the plain-text alternative
      const children = chunks.map((c) => ({ c, h: parseHeaderBlock(c, 0, w.ascii) }));
      const plain = children.find((x) => parseContentType(x.h.headers.get('content-type')).type === 'text/plain');
      for (const x of plain ? [plain] : children) {
        for (const l of x.h.limits) addLimit(w, l);
        walk(w, x.h.headers, x.c.slice(x.h.bodyStart), depth + 1);
      }
      return;
    }
    for (const c of chunks) {
      if (w.parts.length >= MAX_PARTS) {
        addLimit(w, 'part-count');
        break;
      }
      if (c.trim() === '') continue;
      if (c.charCodeAt(0) === 10) {
        // no part headers at all (a blank line right after the boundary): plain text by default
        walk(w, new Headers(), c.slice(1), depth + 1);
        continue;
      }
      const h = parseHeaderBlock(c, 0, w.ascii);
      for (const l of h.limits) addLimit(w, l);
      walk(w, h.headers, c.slice(h.bodyStart), depth + 1);
    }
    return;
  }
  leaf(w, ct.type, headers, body, depth, ct.params['charset']);
}

/** The message as decoders see it; the flattened text is built on first use. */
class ReadEmail implements Email {
  readonly headers: Headers;
  readonly type: string;
  readonly parts: readonly Part[];
  readonly limits: string[];
  #subject: string | null = null;
  #from: string | null = null;
  #text: string | null = null;

  constructor(headers: Headers, type: string, parts: readonly Part[], limits: string[]) {
    this.headers = headers;
    this.type = type;
    this.parts = parts;
    this.limits = limits;
  }

  get subject(): string {
    return (this.#subject ??= decodeEncodedWords(utf8OrLatin(this.headers.text('subject'))));
  }

  get from(): string {
    return (this.#from ??= decodeEncodedWords(utf8OrLatin(this.headers.text('from'))));
  }

  get text(): string {
    if (this.#text === null) {
      const first = this.parts[0];
      if (this.parts.length === 1 && first && first.depth === 0) {
        this.#text = first.text;
      } else {
        const pieces: string[] = [];
        for (const p of this.parts) pieces.push('Content-Type: ' + p.type + '\n\n' + p.text + '\n');
        this.#text = boundText(pieces.join('\n'), this.limits);
      }
    }
    return this.#text;
  }
}

/** Read a message. `raw` may be a Buffer (bytes) or a string (taken as already decoded text). Never throws. */
export function readEmail(raw: Buffer | string): Email {
  const limits: string[] = [];
  let bin: string;
  let ascii = false;
  if (typeof raw === 'string') {
    bin = raw.length > MAX_MESSAGE_BYTES ? raw.slice(0, MAX_MESSAGE_BYTES) : raw;
    if (raw.length > MAX_MESSAGE_BYTES) limits.push('message-size');
    // a JS string may hold characters above 0xff: encode them as UTF-8 bytes so everything is a byte string
    if (/[^\x00-\xff]/.test(bin)) bin = Buffer.from(bin, 'utf8').toString('latin1');
  } else {
    if (raw.length > MAX_MESSAGE_BYTES) limits.push('message-size');
    bin = raw.toString('latin1', 0, Math.min(raw.length, MAX_MESSAGE_BYTES));
    // one native pass: most bounces are 7-bit, and then no header or unencoded body needs a charset
    ascii = isAscii(raw) && raw.indexOf(0x1b) < 0;
  }
  bin = toLf(bin);
  // tolerate leading blank lines before the header block
  let start = 0;
  while (start < bin.length && bin.charCodeAt(start) === 10 && start < 64) start++;
  const head = parseHeaderBlock(bin, start, ascii);
  limits.push(...head.limits);
  const headers = head.headers;
  const w: Walk = { parts: [], limits, ascii };
  walk(w, headers, bin.slice(head.bodyStart), 0);
  return new ReadEmail(headers, parseContentType(headers.get('content-type')).type, w.parts, limits);
}

/** The first returned-message part (message/rfc822, text/rfc822-headers, …), if any. */
export function returnedPart(email: Email): Part | undefined {
  return email.parts.find((p) => MESSAGE_TYPES.has(p.type));
}

/**
 * The first `n` characters of `email.text`, decoding only the parts they come from: for signature checks
 * that look near the top, without flattening (and decoding) a whole message that is not theirs.
 */
export function textPrefix(email: Email, n: number): string {
  const first = email.parts[0];
  if (email.parts.length === 1 && first && first.depth === 0) return first.text.slice(0, n);
  let out = '';
  for (const p of email.parts) {
    if (out.length >= n) break;
    out += (out === '' ? '' : '\n') + 'Content-Type: ' + p.type + '\n\n' + p.text + '\n';
  }
  return out.slice(0, n);
}

/** The text/plain leaves of a message (its body when it is single-part text). */
export function plainParts(email: Email): Part[] {
  return email.parts.filter((p) => p.type === 'text/plain');
}

/** The human-readable leaves: text/plain, or the text of text/html when there is no plain text. */
export function readableParts(email: Email): Part[] {
  const plain = plainParts(email);
  return plain.length > 0 ? plain : email.parts.filter((p) => p.type === 'text/html');
}

/**
 * Selected fields from the header block of an embedded message, without reading the rest of it: the
 * first value of each wanted field (lower-case names), unfolded. Cheaper than embeddedHeaders().
 */
export function embeddedFields(text: string, names: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const limit = Math.min(text.length, MAX_ORIGINAL_CHARS);
  let pos = 0;
  while (pos < limit && pos < 64 && (text.charCodeAt(pos) === 10 || text.charCodeAt(pos) === 13 || text.charCodeAt(pos) === 32)) pos++;
  let current: string | null = null;
  while (pos < limit && found.size < names.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = limit;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    if (end === pos) break; // the blank line that ends the header block
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 9) {
      if (current !== null) found.set(current, `${found.get(current) ?? ''} ${text.slice(pos, end).trim()}`);
    } else {
      current = null;
      const colon = text.indexOf(':', pos);
      if (colon > pos && colon < end && colon - pos <= 64) {
        const name = text.slice(pos, colon).trim().toLowerCase();
        if (names.includes(name) && !found.has(name)) {
          current = name;
          found.set(name, text.slice(colon + 1, end).trim());
        }
      }
    }
    pos = nl + 1;
  }
  return found;
}

/** Read just the header block of an embedded message text. */
export function embeddedHeaders(text: string): Headers {
  let start = 0;
  while (start < text.length && start < 64) {
    const c = text.charCodeAt(start);
    if (c !== 10 && c !== 13 && c !== 32) break;
    start++;
  }
  // only the header block matters: cut at the first blank line before normalising line endings
  let end = text.indexOf('\n\n', start);
  const crlf = text.indexOf('\r\n\r\n', start);
  if (crlf >= 0 && (end < 0 || crlf < end)) end = crlf;
  const block = end < 0 ? text.slice(start) : text.slice(start, end + 1);
  return parseHeaderBlock(toLf(block), 0).headers;
}
