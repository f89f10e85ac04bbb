// SMTP reply codes (RFC 5321 and its extensions): which three-digit numbers are real replies, and
// finding one in free text.

/** Reply codes that servers actually send (RFC 5321, 1870, 2645, 3207, 4954, 5248, 7504). */
const REPLY_CODES: ReadonlySet<string> = new Set([
  '211', '214', '220', '221', '235', '250', '251', '252', '253', '334', '354',
  '421', '422', '430', '432', '450', '451', '452', '453', '454', '455', '458', '459',
  '500', '501', '502', '503', '504', '521', '523', '524', '525', '530', '533', '534', '535', '538',
  '550', '551', '552', '553', '554', '555', '556',
]);

/** True for a reply code servers send, e.g. "550". */
export function isReplyCode(code: string): boolean {
  return REPLY_CODES.has(code);
}

/** Delivery-agent text ("X-Unix; 255") carries exit statuses, not SMTP replies. */
const NOT_SMTP_MARKER = 'x-unix;';

/**
 * The first plausible SMTP reply code in free text: a known code standing alone (no digit, '.' or
 * '/' directly before or after it, so "5.5.0", "192.0.2.550" and "/550/" do not count). With
 * `klass` ("2", "4" or "5") only codes of that class are considered.
 */
export function findReplyCode(text: string, klass?: string): string | undefined {
  if (text.length < 3) return undefined;
  if (text.slice(0, 400).toLowerCase().includes(NOT_SMTP_MARKER)) return undefined;
  const last = text.length - 3;
  for (let i = 0; i <= last; i++) {
    const c = text.charCodeAt(i);
    if (c < 50 || c > 53) continue; // '2'-'5'
    if (klass !== undefined && klass !== '' && text.charAt(i) !== klass) continue;
    if (!isDigit(text.charCodeAt(i + 1)) || !isDigit(text.charCodeAt(i + 2))) continue;
    if (i > 0 && isGlued(text.charCodeAt(i - 1))) continue;
    if (i + 3 < text.length && isGlued(text.charCodeAt(i + 3))) continue;
    const code = text.slice(i, i + 3);
    if (REPLY_CODES.has(code)) return code;
  }
  return undefined;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Characters that make a neighbouring number part of something else. */
function isGlued(c: number): boolean {
  return isDigit(c) || c === 46 || c === 47;
}
