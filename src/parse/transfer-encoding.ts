// Content-Transfer-Encoding: base64 and quoted-printable decoding of binary strings. Tolerant of junk:
// invalid characters are skipped (base64) or kept literally (quoted-printable); never throws.

export function decodeBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('latin1');
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 65 && c <= 70) return c - 55; // A-F
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}

export function decodeQuotedPrintable(text: string): string {
  if (!text.includes('=')) return text;
  const n = text.length;
  const out = Buffer.allocUnsafe(n);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c !== 61 /* = */) {
      out[o++] = c & 0xff;
      continue;
    }
    // soft line break: "=" then optional trailing blanks then newline
    let j = i + 1;
    while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    if (j < n && text.charCodeAt(j) === 10) {
      i = j;
      continue;
    }
    if (j >= n) {
      i = j; // "=" at the very end: a soft break with no newline after it
      continue;
    }
    const h = i + 1 < n ? hexValue(text.charCodeAt(i + 1)) : -1;
    const l = i + 2 < n ? hexValue(text.charCodeAt(i + 2)) : -1;
    if (h >= 0 && l >= 0) {
      out[o++] = (h << 4) | l;
      i += 2;
    } else {
      out[o++] = 61;
    }
  }
  return out.toString('latin1', 0, o);
}

/** Decode a body by its Content-Transfer-Encoding value; unknown encodings pass through. */
export function decodeTransfer(body: string, encoding: string | undefined): string {
  if (!encoding) return body;
  const e = encoding.trim().toLowerCase();
  if (e === 'base64') return decodeBase64(body);
  if (e === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}
