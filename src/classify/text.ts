// Text helpers: cleaning a diagnostic for output and preparing the bounded, lower-cased copy
// that every phrase rule is matched against.

/** Characters of the diagnostic examined by rules. Bounds the work per recipient: diagnostics are
 *  untrusted and can be megabytes long (a looping autoresponder, a pasted message body). */
export const MAX_EXAMINED = 4096;

/** Characters of the diagnostic kept in the output record. Stops one hostile bounce from bloating
 *  every stored result while keeping far more than any real SMTP reply needs. */
export const MAX_DIAGNOSTIC = 16384;

/** A leading Diagnostic-Code type such as "smtp;", "X-Postfix;" or "X-Unix;". Anchored and with
 *  bounded repetition, so it cannot backtrack badly. */
const TYPE_PREFIX = /^\s{0,8}(?:smtp|x-[a-z0-9_-]{1,40})\s{0,8};/i;

/** Drops a leading type prefix, collapses whitespace runs to one space and trims. */
export function cleanDiagnostic(text: string | undefined): string {
  if (text === undefined || text === '') return '';
  const head = text.length > MAX_DIAGNOSTIC ? text.slice(0, MAX_DIAGNOSTIC) : text;
  return collapseWhitespace(head.replace(TYPE_PREFIX, ''));
}

/** Tab, LF, VT, FF, CR, space, NBSP and the other Unicode spaces count as whitespace. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** One linear pass; returns the input itself when it is already clean. */
function collapseWhitespace(text: string): string {
  const parts: string[] = [];
  let start = 0; // start of the pending non-space run
  let i = 0;
  const n = text.length;
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  start = i;
  let dirty = start > 0;
  while (i < n) {
    if (!isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    if (j === n) {
      dirty = true;
      break;
    }
    if (j > i + 1 || text.charCodeAt(i) !== 32) {
      parts.push(text.slice(start, i));
      start = j;
      dirty = true;
    }
    i = j;
  }
  if (!dirty) return text;
  parts.push(text.slice(start, i));
  return parts.join(' ');
}

/** The copy of a cleaned diagnostic that rules look at: first MAX_EXAMINED characters, lower case. */
export function examinedText(clean: string): string {
  return (clean.length > MAX_EXAMINED ? clean.slice(0, MAX_EXAMINED) : clean).toLowerCase();
}

/** True when the pieces occur in `text` in the given order without overlapping. */
export function inOrder(text: string, pieces: readonly string[]): boolean {
  let from = 0;
  for (const piece of pieces) {
    const at = text.indexOf(piece, from);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}

/** True when any of the phrases is a substring of `text`. For short lists only; long lists go
 *  through a PhraseIndex. */
export function includesAny(text: string, phrases: readonly string[]): boolean {
  for (const phrase of phrases) if (text.includes(phrase)) return true;
  return false;
}

/**
 * Joins a multi-line SMTP reply that was flattened into one line, so phrases split across its
 * lines match again: "550-5.2.1 The user is receiving mail at a rate that 550-5.2.1 prevents
 * additional messages … 550 5.2.1 https://…" becomes "550 5.2.1 The user is receiving mail at a
 * rate that prevents additional messages … https://…". `reply`/`status` are the codes leading the
 * lines; nothing changes unless a continuation line ("550-") is present.
 */
export function joinReplyLines(text: string, reply: string, status: string): string {
  if (reply === '' || !hasToken(text, reply + '-')) return text;
  let body = text;
  const tokens = status === ''
    ? [reply + '-', reply + ' ']
    : [`${reply}-${status} `, `${reply} ${status} `, `${reply}-${status}`, `${reply} ${status}`, reply + '-'];
  for (const token of tokens) body = removeToken(body, token);
  const lead = status === '' ? reply : `${reply} ${status}`;
  return `${lead} ${collapseWhitespace(body)}`.trimEnd();
}

/** True when `token` occurs at the start of `text` or right after a space. */
function hasToken(text: string, token: string): boolean {
  for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
    if (at === 0 || text.charCodeAt(at - 1) === 32) return true;
  }
  return false;
}

/** Removes every occurrence of `token` that starts the text or follows a space. */
function removeToken(text: string, token: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + token.length)) {
    if (at === 0 || text.charCodeAt(at - 1) === 32) {
      parts.push(text.slice(from, at));
      from = at + token.length;
    }
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(from));
  return parts.join(' ');
}
