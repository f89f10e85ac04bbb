// Header blocks: split from the body, unfolded, bounded, looked up case-insensitively.
import { MAX_HEADER_BLOCK, MAX_HEADER_COUNT, MAX_HEADER_LENGTH } from './limits.js';
import { utf8OrLatin } from './charset.js';

export class Headers {
  readonly #fields = new Map<string, string[]>();
  readonly #order: Array<[string, string]> = [];

  add(name: string, value: string): void {
    const key = name.toLowerCase();
    const list = this.#fields.get(key);
    if (list) list.push(value);
    else this.#fields.set(key, [value]);
    this.#order.push([name, value]);
  }

  /** First value of a field, or undefined. */
  get(name: string): string | undefined {
    return this.#fields.get(name)?.[0];
  }

  /** First value of a field, or "". */
  text(name: string): string {
    return this.#fields.get(name)?.[0] ?? '';
  }

  all(name: string): readonly string[] {
    return this.#fields.get(name) ?? [];
  }

  has(name: string): boolean {
    return this.#fields.has(name);
  }

  get size(): number {
    return this.#order.length;
  }

  /** Fields in the order they appeared, names as written. */
  entries(): ReadonlyArray<readonly [string, string]> {
    return this.#order;
  }
}

export interface HeaderBlock {
  headers: Headers;
  /** Offset of the body within the input (after the blank line), or the input length. */
  bodyStart: number;
  limits: string[];
}

const HIGH_BYTES = /[\x80-\xff]/;

// A header field name: printable ASCII except colon (RFC 5322 ftext), bounded.
const FIELD = /^([!-9;-~]{1,128})[ \t]*:/;

/**
 * Read the header block at the start of `text` (LF line endings). Lines that are neither a field nor a
 * continuation end the block only when they look like body text; a leading mbox "From " line is skipped.
 */
export function parseHeaderBlock(text: string, start = 0): HeaderBlock {
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
    headers.add(name, HIGH_BYTES.test(v) ? utf8OrLatin(v) : v);
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
      const m = FIELD.exec(text.slice(pos, Math.min(nl, pos + 160)));
      if (m) {
        flush();
        name = m[1] ?? '';
        value = text.slice(pos + m[0].length, Math.min(nl, pos + m[0].length + MAX_HEADER_LENGTH + 1));
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
