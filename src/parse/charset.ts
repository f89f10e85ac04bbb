// Byte strings to text. Messages are read as "binary strings" (one char per byte, latin1), which keeps
// header and boundary scanning cheap; only text that carries bytes above 0x7f (or ISO-2022 escapes) is
// decoded with its declared charset through the WHATWG TextDecoder built into Node.

import { TextDecoder } from 'node:util';

const decoders = new Map<string, TextDecoder | null>();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const fallback = new TextDecoder('windows-1252');

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

/** Bytes → UTF-8 if they are valid UTF-8, else windows-1252 (every byte maps to something). */
export function utf8OrLatin(bin: string): string {
  if (!NEEDS_DECODING.test(bin)) return bin;
  const bytes = Buffer.from(bin, 'latin1');
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return fallback.decode(bytes);
  }
}

/**
 * Decode a binary string in the given charset. ASCII stays as it is; an unknown or missing charset is read
 * as UTF-8 when valid, else windows-1252. Never throws.
 */
export function decodeCharset(bin: string, charset: string | undefined): string {
  if (!NEEDS_DECODING.test(bin)) return bin;
  if (!charset) return utf8OrLatin(bin);
  const key = charset.toLowerCase();
  if (key === 'utf-8' || key === 'utf8' || key === 'us-ascii' || key === 'ascii') return utf8OrLatin(bin);
  const d = decoderFor(key);
  if (!d) return utf8OrLatin(bin);
  try {
    return d.decode(Buffer.from(bin, 'latin1'));
  } catch {
    return utf8OrLatin(bin);
  }
}
