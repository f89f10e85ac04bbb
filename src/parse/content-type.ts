// Content-Type (and other structured MIME header) values: "type/subtype; name=value; name2=\"quoted\"".

export interface ContentType {
  /** Lower-case "type/subtype"; "text/plain" when missing or unreadable. */
  type: string;
  params: Record<string, string>;
}

const isBlank = (c: number): boolean => c === 32 || c === 9;
const isSeparator = (c: number): boolean => c === 32 || c === 9 || c === 59; /* ; */

/** Parse a structured header value into its first token and its parameters. Linear scan, never throws. */
export function parseContentType(value: string | undefined, dflt = 'text/plain'): ContentType {
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!value) return { type: dflt, params };
  const n = Math.min(value.length, 4096);
  let i = value.indexOf(';');
  if (i < 0 || i > n) i = n;
  let type = value.slice(0, i).trim().toLowerCase();
  // some MTAs write "text/plain charset=..." with no semicolon
  const sp = type.search(/[\s,]/);
  if (sp > 0) type = type.slice(0, sp);
  if (!type.includes('/')) type = type === '' ? dflt : type;
  i++;
  while (i < n) {
    while (i < n && isSeparator(value.charCodeAt(i))) i++;
    const eq = value.indexOf('=', i);
    if (eq < 0 || eq >= n) break;
    const name = value.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (i < n && isBlank(value.charCodeAt(i))) i++;
    let v = '';
    if (value.charCodeAt(i) === 34 /* " */) {
      i++;
      // up to the closing quote; a backslash quotes the next character (rare: then piece by piece)
      let close = value.indexOf('"', i);
      if (close < 0 || close > n) close = n;
      const backslash = value.indexOf('\\', i);
      if (backslash < 0 || backslash >= close) {
        v = value.slice(i, close);
        i = close;
      } else {
        while (i < n && value[i] !== '"') {
          if (value[i] === '\\' && i + 1 < n) i++;
          v += value[i];
          i++;
        }
      }
      i++;
    } else {
      const semi = value.indexOf(';', i);
      const stop = semi < 0 || semi > n ? n : semi;
      v = value.slice(i, stop).trim();
      i = stop;
    }
    // RFC 2231 continuations and charset'lang' prefixes: keep it simple, join name*0, name*1, ...
    const star = name.indexOf('*');
    if (star > 0) {
      const base = name.slice(0, star);
      let val = v;
      if (name.endsWith('*')) {
        const q = val.indexOf("''");
        if (q >= 0) val = val.slice(q + 2);
        try {
          val = decodeURIComponent(val);
        } catch {
          /* keep as written */
        }
      }
      params[base] = (params[base] ?? '') + val;
    } else if (name && !(name in params)) {
      params[name] = v;
    }
  }
  return { type, params };
}
