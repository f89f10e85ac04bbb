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

/** Whitespace other than a plain space. `\s` (tab, LF, VT, FF, CR, space, NBSP, the other Unicode
 *  spaces, LS, PS, BOM) is exactly the set String.prototype.trim() removes. */
const OTHER_SPACE = /[^\S ]/;
const SPACE_RUN = /\s+/g;

/**
 * Collapses whitespace runs to one space and trims. Returns the input itself when it is already
 * clean, as most diagnostics are: no whitespace but single spaces between words. Checked with one
 * character-class regex and a substring search, both native, before anything is copied.
 */
export function collapseWhitespace(text: string): string {
  const untidy = OTHER_SPACE.test(text) || text.includes('  ')
    || text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32;
  return untidy ? text.trim().replace(SPACE_RUN, ' ') : text;
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
 * lines match again: "host mx said: 550-5.2.1 The user is receiving mail at a rate that 550-5.2.1
 * prevents additional messages … 550 5.2.1 https://…" becomes "host mx said: 550 5.2.1 The user is
 * receiving mail at a rate that prevents additional messages … https://…". What precedes the first
 * line of the reply stays in front of it. `reply`/`status` are the codes leading the lines; nothing
 * changes unless a continuation line ("550-") is present.
 */
export function joinReplyLines(text: string, reply: string, status: string): string {
  if (reply === '') return text;
  const at = tokenAt(text, reply + '-');
  if (at < 0) return text;
  let body = text.slice(at);
  const tokens = status === ''
    ? [reply + '-', reply + ' ']
    : [`${reply}-${status} `, `${reply} ${status} `, `${reply}-${status}`, `${reply} ${status}`, reply + '-'];
  for (const token of tokens) body = removeToken(body, token);
  const lead = status === '' ? reply : `${reply} ${status}`;
  return `${text.slice(0, at)}${lead} ${collapseWhitespace(body)}`.trimEnd();
}

/** Where `token` first occurs at the start of `text` or right after a space, or -1. */
function tokenAt(text: string, token: string): number {
  for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
    if (at === 0 || text.charCodeAt(at - 1) === 32) return at;
  }
  return -1;
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
