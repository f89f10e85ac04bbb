// Email addresses as bounces write them: "<joe@example.com>", "rfc822; joe@example.com",
// "Joe <joe@example.com>", "\"joe smith\"@example.com", "joe@例え.jp" (SMTPUTF8).

// A bare address token: a local part (no blanks, no angle brackets) then @ then a domain.
// Character classes only, each run bounded: linear time on any input.
const BARE = /[^\s<>()"',;:@\[\]]{1,256}@[^\s<>()"',;:@\[\]]{1,256}/;
const ANGLED = /<([^<>\s]{1,512}@[^<>\s]{1,256})>/;
const QUOTED_LOCAL = /"[^"\n]{1,256}"@[^\s<>()"',;:@\[\]]{1,256}/;

/** Trim the punctuation that surrounds addresses in prose: quotes, dots, brackets, colons. */
function tidy(a: string): string {
  let s = a.trim();
  // strip a mailto: or rfc822; prefix left inside brackets
  if (/^(?:mailto|rfc822|smtp|x-local)[:;]/i.test(s)) s = s.slice(s.search(/[:;]/) + 1).trim();
  let start = 0;
  let end = s.length;
  // a quoted local part ("a..b"@example.org) keeps its opening quote
  const quotedLocal = s.includes('"@');
  while (start < end && "<('[`\"{".includes(s.charAt(start)) && !(quotedLocal && s.charAt(start) === '"')) start++;
  while (end > start && ">)'].,;:`\"}".includes(s.charAt(end - 1))) end--;
  return s.slice(start, end);
}

/** True when s looks like an email address (local@domain, domain has a dot or is a bracketed literal). */
export function isAddress(s: string): boolean {
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1) return false;
  if (s.length > 512) return false;
  const domain = s.slice(at + 1);
  if (/[\s<>]/.test(s)) return s.startsWith('"') && !/[<>]/.test(domain) && !/\s/.test(domain);
  if (/[;,:"()]/.test(domain) && !domain.startsWith('[')) return false; // "joe@example.com;" is prose, not an address
  return domain.includes('.') || domain.startsWith('[') || /^[a-z0-9-]+$/i.test(domain);
}

/**
 * Find the first email address in a piece of text. Prefers an angle-bracketed one. Returns undefined when
 * there is none.
 */
export function findAddress(text: string): string | undefined {
  if (!text.includes('@')) return undefined;
  const t = text.length > 2048 ? text.slice(0, 2048) : text;
  const a = ANGLED.exec(t);
  if (a?.[1]) {
    const v = tidy(a[1]);
    if (isAddress(v)) return v;
  }
  const q = QUOTED_LOCAL.exec(t);
  if (q) {
    const v = tidy(q[0]);
    if (isAddress(v)) return v;
  }
  const b = BARE.exec(t);
  if (b) {
    const v = tidy(b[0]);
    if (isAddress(v)) return v;
  }
  return undefined;
}

/**
 * The address in a DSN address field ("rfc822; joe@example.com", "RFC822; <joe@example.com>",
 * "utf-8; joe@例え.jp", "unknown; joe"), or undefined.
 */
export function fieldAddress(value: string): string | undefined {
  let v = value.trim();
  const semi = v.indexOf(';');
  if (semi >= 0 && semi < 32) v = v.slice(semi + 1).trim();
  if (v.startsWith('<') && v.endsWith('>')) v = v.slice(1, -1);
  if (isAddress(v) && !/\s/.test(v)) return tidy(v);
  return findAddress(v);
}

/** Lower-cased domain part of an address, or "". */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

/** Addresses that are never a failed recipient: daemons, postmasters. */
export function isDaemon(address: string): boolean {
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase();
  return local === 'mailer-daemon' || local === 'postmaster' || local === 'mail-daemon';
}
