// Header blocks: split from the body, unfolded, bounded, looked up case-insensitively.
import { MAX_HEADER_BLOCK, MAX_HEADER_COUNT, MAX_HEADER_LENGTH } from './limits.js';
import { utf8OrLatin } from './charset.js';

export class Headers {
  // first value of each field by lower-case name; later values of repeated fields kept aside
  readonly #first = new Map<string, string>();
  #more: Map<string, string[]> | null = null;
  #names: string[] = [];
  #size = 0;

  add(name: string, value: string): void {
    const key = name.toLowerCase();
    this.#size++;
    this.#names.push(name);
    if (!this.#first.has(key)) {
      this.#first.set(key, value);
      return;
    }
    this.#more ??= new Map();
    const list = this.#more.get(key);
    if (list) list.push(value);
    else this.#more.set(key, [value]);
  }

  /** First value of a field, or undefined. */
  get(name: string): string | undefined {
    return this.#first.get(name);
  }

  /** First value of a field, or "". */
  text(name: string): string {
    return this.#first.get(name) ?? '';
  }

  all(name: string): readonly string[] {
    const first = this.#first.get(name);
    if (first === undefined) return [];
    const more = this.#more?.get(name);
    return more ? [first, ...more] : [first];
  }

  has(name: string): boolean {
    return this.#first.has(name);
  }

  get size(): number {
    return this.#size;
  }

  /** Fields in the order they appeared, names as written (rebuilt on demand; rarely needed). */
  entries(): ReadonlyArray<readonly [string, string]> {
    const seen = new Map<string, number>();
    return this.#names.map((name) => {
      const key = name.toLowerCase();
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      return [name, (n === 0 ? this.#first.get(key) : this.#more?.get(key)?.[n - 1]) ?? ''] as const;
    });
  }
}

export interface HeaderBlock {
  headers: Headers;
  /** Offset of the body within the input (after the blank line), or the input length. */
  bodyStart: number;
  limits: string[];
}

const HIGH_BYTES = /[\x80-\xff]/;

/**
 * Length of the field name at `pos` ("Subject" in "Subject: x") when the line starts a field: printable
 * ASCII except colon (RFC 5322 ftext), at most 128 characters, then optional blanks and a colon. The
 * offset just past the colon is returned through the sign: -1 when the line is not a field.
 */
function fieldColon(text: string, pos: number, nl: number): number {
  const limit = Math.min(nl, pos + 160);
  let i = pos;
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */ || c === 32 || c === 9) break;
    if (c < 33 || c > 126) return -1;
    i++;
  }
  const nameEnd = i;
  if (nameEnd === pos || nameEnd - pos > 128) return -1;
  while (i < limit && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i >= limit || text.charCodeAt(i) !== 58) return -1;
  return nameEnd;
}

/**
 * Read the header block at the start of `text` (LF line endings). Lines that are neither a field nor a
 * continuation end the block only when they look like body text; a leading mbox "From " line is skipped.
 * `ascii`: the caller knows the text holds no byte above 0x7f, so no value needs a charset.
 */
export function parseHeaderBlock(text: string, start = 0, ascii = false): HeaderBlock {
  const headers = new Headers();
  const limits: string[] = [];
  let end = text.indexOf('\n\n', start);
  let bodyStart: number;
  if (start === end) {
    return { headers, bodyStart: start + 1, limits };
  }
  if (end < 0) {
    end = text.length;
    bodyStart = text.length;
  } else {
    bodyStart = end + 2;
  }
  if (end - start > MAX_HEADER_BLOCK) {
    limits.push('header-block');
    end = start + MAX_HEADER_BLOCK;
    const nl = text.lastIndexOf('\n', end);
    if (nl > start) end = nl;
    bodyStart = end + 1;
  }
  let pos = start;
  if (text.startsWith('From ', pos)) {
    const nl = text.indexOf('\n', pos);
    pos = nl < 0 ? end : nl + 1;
  }
  let name = '';
  let value = '';
  let count = 0;
  const flush = (): void => {
    if (!name) return;
    if (count >= MAX_HEADER_COUNT) {
      if (!limits.includes('header-count')) limits.push('header-count');
      name = '';
      return;
    }
    count++;
    let v = value.trim();
    if (v.length > MAX_HEADER_LENGTH) {
      v = v.slice(0, MAX_HEADER_LENGTH);
      if (!limits.includes('header-length')) limits.push('header-length');
    }
    headers.add(name, !ascii && HIGH_BYTES.test(v) ? utf8OrLatin(v) : v);
    name = '';
  };
  while (pos < end) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > end) nl = end;
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 9) {
      // continuation of the previous field: unfold
      if (name && value.length < MAX_HEADER_LENGTH) value += ' ' + text.slice(pos, Math.min(nl, pos + MAX_HEADER_LENGTH)).trim();
    } else {
      const nameEnd = fieldColon(text, pos, nl);
      if (nameEnd > 0) {
        flush();
        name = text.slice(pos, nameEnd);
        const colon = text.indexOf(':', nameEnd);
        value = text.slice(colon + 1, Math.min(nl, colon + 1 + MAX_HEADER_LENGTH + 1));
      } else if (name && value.length < MAX_HEADER_LENGTH) {
        // a line that is not a field: broken MTAs fold without the leading blank ("boundary=..." on its own line)
        value += ' ' + text.slice(pos, Math.min(nl, pos + MAX_HEADER_LENGTH)).trim();
      }
    }
    pos = nl + 1;
  }
  flush();
  return { headers, bodyStart, limits };
}
