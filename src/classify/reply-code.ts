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

/** Delivery-agent text ("X-Unix; 255") carries exit statuses, not SMTP replies: a text with this
 *  marker in its first NOT_SMTP_WINDOW characters has no reply code. Case-insensitive without
 *  copying the text. */
const NOT_SMTP_MARKER = /x-unix;/i;
const NOT_SMTP_WINDOW = 400;

/** Three digits, the first 2-5, standing alone: not inside a number, version, path, word, host name or
 *  address (no letter, digit, '_', '.', '/' or '@' on either side, and no '-' or '+' before, as in
 *  "<gone-x551@…>" or "mx551.example"; "550-5.1.1" stays a code). Global: findReplyCode() walks it. */
const REPLY_CANDIDATE = /(?<![\w./@+-])[2-5]\d\d(?![\w./@])/g;

/**
 * The first plausible SMTP reply code in free text: a known code standing alone (see REPLY_CANDIDATE:
 * "5.5.0", "192.0.2.550", "/550/" and "<gone-551@…>" do not count). With
 * `klass` ("2", "4" or "5") only codes of that class are considered.
 */
export function findReplyCode(text: string, klass?: string): string | undefined {
  // The regex finds three digits standing alone (natively, far faster than a character loop); the
  // known codes among them are picked here.
  REPLY_CANDIDATE.lastIndex = 0;
  for (let m = REPLY_CANDIDATE.exec(text); m !== null; m = REPLY_CANDIDATE.exec(text)) {
    const code = m[0];
    if (klass !== undefined && klass !== '' && code.charAt(0) !== klass) continue;
    if (REPLY_CODES.has(code)) return isSmtpText(text) ? code : undefined;
  }
  return undefined;
}

function isSmtpText(text: string): boolean {
  return !NOT_SMTP_MARKER.test(text.length > NOT_SMTP_WINDOW ? text.slice(0, NOT_SMTP_WINDOW) : text);
}
