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
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f'
  + '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const C1 = /[\x80-\x9f]/g;

/** A binary string (one char per byte) read as windows-1252. */
function windows1252(bin: string): string {
  return bin.replace(C1, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] as string);
}

/** Well-formed UTF-8 sequences decoded, every other byte read as windows-1252. */
function mixedUtf8(bytes: Buffer): string {
  let out = '';
  let run = 0; // start of the current run of well-formed UTF-8
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > run) out += utf8Strict.decode(bytes.subarray(run, i));
    out += windows1252(String.fromCharCode(bytes[i] as number));
    i += 1;
    run = i;
  }
  if (i > run) out += utf8Strict.decode(bytes.subarray(run, i));
  return out;
}

/** Length of the well-formed UTF-8 sequence starting at `i` (Unicode table 3-7), or 0. */
function sequenceLength(b: Buffer, i: number): number {
  const c = b[i] as number;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const x = b[i + k];
    return x !== undefined && x >= lo && x <= hi;
  };
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
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
