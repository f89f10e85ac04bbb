// Byte strings to text. Messages are read as "binary strings" (one char per byte, latin1), which keeps
// header and boundary scanning cheap; only text that carries bytes above 0x7f (or ISO-2022 escapes) is
// decoded with its declared charset through the WHATWG TextDecoder built into Node.

import { TextDecoder } from 'node:util';

const decoders = new Map<string, TextDecoder | null>();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

// Bytes that need a charset: anything above 0x7f, and ESC, which starts an ISO-2022 shift sequence.
const NEEDS_DECODING = /[\x1b\x80-\xff]/;

function decoderFor(charset: string): TextDecoder | null {
  const key = charset.trim().toLowerCase();
  let d = decoders.get(key);
  if (d === undefined) {
    try {
      d = new TextDecoder(ALIASES[key] ?? key);
    } catch {
      d = null; // unknown label: the caller falls back
    }
    if (decoders.size < 256) decoders.set(key, d);
  }
  return d;
}

// Labels seen in real mail that the WHATWG list does not know.
const ALIASES: Readonly<Record<string, string>> = {
  'x-sjis': 'shift_jis', 'sjis': 'shift_jis', 'shift-jis': 'shift_jis', 'cp932': 'shift_jis', 'windows-31j': 'shift_jis',
  'x-euc-jp': 'euc-jp', 'eucjp': 'euc-jp', 'iso-2022-jp-2': 'iso-2022-jp', 'iso-2022-jp-3': 'iso-2022-jp',
  'ks_c_5601-1987': 'euc-kr', 'cp949': 'euc-kr', 'x-gbk': 'gbk', 'cp936': 'gbk', 'utf8': 'utf-8', 'ascii': 'windows-1252',
  'us-ascii': 'windows-1252', 'ansi_x3.4-1968': 'windows-1252', 'unknown-8bit': 'utf-8', 'x-unknown': 'utf-8',
};

/**
 * Bytes → text: UTF-8 where they are UTF-8, windows-1252 for each byte that is not part of a well-formed
 * UTF-8 sequence (every byte maps to something). Mixed text is common in bounces: Postfix, for one, quotes an
 * 8-bit local part byte by byte ("nos\\<C3>\\<BC>ch") in one field of a report whose other fields are UTF-8.
 */
export function utf8OrLatin(bin: string): string {
  if (!NEEDS_DECODING.test(bin)) return bin;
  const bytes = Buffer.from(bin, 'latin1');
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return mixedUtf8(bytes);
  }
}

// windows-1252 where it differs from latin1 (0x80-0x9f; the five unassigned bytes stay C1 controls, as in
// the WHATWG table). Node 20's TextDecoder reads every windows-1252 label as plain latin1.
const CP1252_HIGH = Uint16Array.of(
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
);
const HAS_C1 = /[\x80-\x9f]/;
const utf16 = new TextDecoder('utf-16le');

/** A binary string (one char per byte) read as windows-1252. */
function windows1252(bin: string): string {
  if (!HAS_C1.test(bin)) return bin;
  const codes = new Uint16Array(bin.length);
  for (let i = 0; i < bin.length; i++) {
    const c = bin.charCodeAt(i);
    codes[i] = c >= 0x80 && c <= 0x9f ? (CP1252_HIGH[c - 0x80] as number) : c;
  }
  return utf16.decode(codes);
}

/**
 * Well-formed UTF-8 sequences decoded, every other byte read as windows-1252: one pass into one UTF-16 buffer
 * (never longer than the input: a 4-byte sequence gives two units), decoded once.
 */
function mixedUtf8(bytes: Buffer): string {
  const units = new Uint16Array(bytes.length);
  let k = 0;
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i] as number;
    if (c < 0x80) {
      units[k++] = c;
      i += 1;
      continue;
    }
    const n = sequenceLength(bytes, i, c);
    if (n === 0) {
      units[k++] = c <= 0x9f ? (CP1252_HIGH[c - 0x80] as number) : c;
      i += 1;
    } else if (n === 2) {
      units[k++] = ((c & 0x1f) << 6) | ((bytes[i + 1] as number) & 0x3f);
      i += 2;
    } else if (n === 3) {
      units[k++] = ((c & 0x0f) << 12) | (((bytes[i + 1] as number) & 0x3f) << 6) | ((bytes[i + 2] as number) & 0x3f);
      i += 3;
    } else {
      const cp = (((c & 0x07) << 18) | (((bytes[i + 1] as number) & 0x3f) << 12) | (((bytes[i + 2] as number) & 0x3f) << 6)
        | ((bytes[i + 3] as number) & 0x3f)) - 0x10000;
      units[k++] = 0xd800 + (cp >> 10);
      units[k++] = 0xdc00 + (cp & 0x3ff);
      i += 4;
    }
  }
  return utf16.decode(units.subarray(0, k));
}

/** Whether byte `j` is a continuation byte within [lo, hi]. */
function isCont(b: Buffer, j: number, lo: number, hi: number): boolean {
  const x = b[j];
  return x !== undefined && x >= lo && x <= hi;
}

/** Length of the well-formed UTF-8 sequence starting at `i` with lead byte `c` ≥ 0x80 (Unicode table 3-7), or 0. */
function sequenceLength(b: Buffer, i: number, c: number): number {
  if (c >= 0xc2 && c <= 0xdf) return isCont(b, i + 1, 0x80, 0xbf) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return isCont(b, i + 1, lo, hi) && isCont(b, i + 2, 0x80, 0xbf) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return isCont(b, i + 1, lo, hi) && isCont(b, i + 2, 0x80, 0xbf) && isCont(b, i + 3, 0x80, 0xbf) ? 4 : 0;
  }
  return 0;
}

/**
 * Decode a binary string in the given charset. ASCII stays as it is; an unknown or missing charset is read
 * as UTF-8 where valid, else windows-1252 (utf8OrLatin). Never throws.
 */
export function decodeCharset(bin: string, charset: string | undefined): string {
  if (!NEEDS_DECODING.test(bin)) return bin;
  if (!charset) return utf8OrLatin(bin);
  const key = charset.toLowerCase();
  if (key === 'utf-8' || key === 'utf8' || key === 'us-ascii' || key === 'ascii') return utf8OrLatin(bin);
  const d = decoderFor(key);
  if (!d) return utf8OrLatin(bin);
  if (d.encoding === 'windows-1252') return windows1252(bin); // latin1, us-ascii, windows-1252 and their aliases
  try {
    return d.decode(Buffer.from(bin, 'latin1'));
  } catch {
    return utf8OrLatin(bin);
  }
}
