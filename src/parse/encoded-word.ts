// RFC 2047 encoded words in header values ("=?ISO-2022-JP?B?...?=").
import { decodeCharset } from './charset.js';
import { decodeQuotedPrintable } from './transfer-encoding.js';

// One encoded word. Each piece is a bounded run of characters that cannot contain the next delimiter,
// so matching is linear.
const WORD = /=\?([^?\s]{1,64})\?([bBqQ])\?([^?\s]{0,4096})\?=/g;
// Whitespace between two adjacent encoded words is dropped (RFC 2047 section 6.2).
const GAP = /\?=[ \t\r\n]+=\?/g;

export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  const joined = value.replace(GAP, '?==?');
  return joined.replace(WORD, (_m, charset: string, enc: string, data: string) => {
    const cs = charset.split('*')[0] ?? charset; // RFC 2231 language suffix
    const bin = enc === 'b' || enc === 'B'
      ? Buffer.from(data, 'base64').toString('latin1')
      : decodeQuotedPrintable(data.replace(/_/g, ' '));
    return decodeCharset(bin, cs);
  });
}
