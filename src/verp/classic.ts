// The classic VERP form: bounces+joe=example.com@bounces.example.org names joe@example.com.
// Pure: no I/O. Signing (tags) is layered on top of this form.

export interface VerpFormat {
  /** Local-part prefix before the separator, e.g. "bounces". */
  prefix: string;
  /** Between prefix and encoded recipient, e.g. "+". */
  separator: string;
  /** Replaces the recipient's "@", e.g. "=". */
  equals: string;
}

export const DEFAULT_VERP_FORMAT: VerpFormat = { prefix: 'bounces', separator: '+', equals: '=' };

/** Build the return path for a recipient: prefix + separator + local + equals + domain @ bounceDomain. */
export function encodeClassic(recipient: string, bounceDomain: string, format: VerpFormat = DEFAULT_VERP_FORMAT): string {
  const at = recipient.lastIndexOf('@');
  if (at <= 0) throw new Error(`not an address: ${recipient}`);
  return `${format.prefix}${format.separator}${recipient.slice(0, at)}${format.equals}${recipient.slice(at + 1)}@${bounceDomain}`;
}

/**
 * Read a return path in the classic form; returns the recipient it names, or undefined when the address
 * is not a VERP address of this format. The prefix is matched case-insensitively (MTAs lowercase local parts).
 */
export function decodeClassic(address: string, format: VerpFormat = DEFAULT_VERP_FORMAT): string | undefined {
  let a = address.trim();
  if (a.startsWith('<') && a.endsWith('>')) a = a.slice(1, -1);
  const at = a.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = a.slice(0, at);
  const head = format.prefix + format.separator;
  if (local.length <= head.length || local.slice(0, head.length).toLowerCase() !== head.toLowerCase()) return undefined;
  const encoded = local.slice(head.length);
  // the recipient's domain cannot contain the equals sign, so the last one splits local part and domain
  const eq = encoded.lastIndexOf(format.equals);
  if (eq <= 0 || eq === encoded.length - format.equals.length) return undefined;
  const domain = encoded.slice(eq + format.equals.length);
  if (!/^[^\s@<>]+$/.test(domain) || !domain.includes('.')) return undefined;
  return `${encoded.slice(0, eq)}@${domain}`;
}
