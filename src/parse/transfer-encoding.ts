// Content-Transfer-Encoding: base64 and quoted-printable decoding of binary strings. Tolerant of junk:
// invalid characters are skipped (base64) or kept literally (quoted-printable); never throws.

export function decodeBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('latin1');
}

/** One-character binary strings, by byte value. */
const BYTE_CHARS: readonly string[] = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b));

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 65 && c <= 70) return c - 55; // A-F
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}

export function decodeQuotedPrintable(text: string): string {
  let eq = text.indexOf('=');
  if (eq < 0) return text;
  // Runs between "=" signs are copied as slices (the input is a binary string, one char per byte, and
  // so is the output); only the escapes themselves are looked at character by character.
  const n = text.length;
  const pieces: string[] = [];
  let from = 0;
  while (eq >= 0) {
    if (eq > from) pieces.push(text.slice(from, eq));
    // soft line break: "=" then optional trailing blanks then newline
    let j = eq + 1;
    while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    if (j >= n) {
      from = n; // "=" at the very end: a soft break with no newline after it
      break;
    }
    if (text.charCodeAt(j) === 10) {
      from = j + 1;
    } else {
      const h = eq + 1 < n ? hexValue(text.charCodeAt(eq + 1)) : -1;
      const l = eq + 2 < n ? hexValue(text.charCodeAt(eq + 2)) : -1;
      if (h >= 0 && l >= 0) {
        pieces.push(BYTE_CHARS[(h << 4) | l]!);
        from = eq + 3;
      } else {
        pieces.push('=');
        from = eq + 1;
      }
    }
    eq = text.indexOf('=', from);
  }
  if (from < n) pieces.push(text.slice(from));
  return pieces.join('');
}

/** The encoding a Content-Transfer-Encoding value names, when decoding changes the body. */
function encodingOf(encoding: string | undefined): 'base64' | 'quoted-printable' | null {
  const e = encoding?.trim().toLowerCase();
  return e === 'base64' || e === 'quoted-printable' ? e : null;
}

/** Decode a body by its Content-Transfer-Encoding value; unknown encodings pass through. */
export function decodeTransfer(body: string, encoding: string | undefined): string {
  const e = encodingOf(encoding);
  if (e === 'base64') return decodeBase64(body);
  if (e === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** Whether a Content-Transfer-Encoding value names an encoding that decoding changes (base64, quoted-printable). */
export function isTransferEncoded(encoding: string | undefined): boolean {
  return encodingOf(encoding) !== null;
}
