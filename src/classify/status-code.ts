// Enhanced status codes (RFC 3463, IANA registry): validity, finding one in free text, the reason a
// code implies, and the pseudo codes used when a bounce carries no code at all.
import type { Reason } from './reasons.js';

/** The reason each registered code implies. Codes absent here (x.0.0, 4.3.0, 4.7.0, …) imply none. */
const REASON_OF_CODE: ReadonlyMap<string, Reason> = new Map<string, Reason>([
  ['2.1.5', 'delivered'],
  ['4.1.6', 'hasmoved'], ['4.1.7', 'rejected'], ['4.1.8', 'rejected'], ['4.1.9', 'systemerror'],
  ['4.2.1', 'suspend'], ['4.2.2', 'mailboxfull'], ['4.2.3', 'exceedlimit'], ['4.2.4', 'filtered'],
  ['4.3.1', 'systemfull'], ['4.3.2', 'notaccept'], ['4.3.3', 'systemerror'], ['4.3.5', 'systemerror'],
  ['4.4.1', 'expired'], ['4.4.2', 'networkerror'], ['4.4.3', 'systemerror'], ['4.4.4', 'networkerror'],
  ['4.4.5', 'systemfull'], ['4.4.6', 'networkerror'], ['4.4.7', 'expired'], ['4.4.8', 'networkerror'],
  ['4.5.3', 'systemerror'], ['4.5.5', 'systemerror'],
  ['4.6.0', 'contenterror'], ['4.6.2', 'contenterror'], ['4.6.5', 'contenterror'],
  ['4.7.1', 'blocked'], ['4.7.2', 'blocked'], ['4.7.5', 'securityerror'], ['4.7.6', 'securityerror'],
  ['4.7.7', 'securityerror'], ['4.7.12', 'securityerror'], ['4.7.15', 'securityerror'],
  ['4.7.16', 'mesgtoobig'], ['4.7.24', 'authfailure'], ['4.7.25', 'requireptr'], ['4.7.26', 'authfailure'],
  ['5.1.0', 'userunknown'], ['5.1.1', 'userunknown'], ['5.1.2', 'hostunknown'], ['5.1.3', 'userunknown'],
  ['5.1.4', 'filtered'], ['5.1.6', 'hasmoved'], ['5.1.7', 'rejected'], ['5.1.8', 'rejected'],
  ['5.1.9', 'systemerror'], ['5.1.10', 'notaccept'],
  ['5.2.0', 'filtered'], ['5.2.1', 'filtered'], ['5.2.2', 'mailboxfull'], ['5.2.3', 'exceedlimit'],
  ['5.2.4', 'filtered'],
  ['5.3.0', 'systemerror'], ['5.3.1', 'systemfull'], ['5.3.2', 'notaccept'], ['5.3.3', 'systemerror'],
  ['5.3.4', 'mesgtoobig'], ['5.3.5', 'systemerror'],
  ['5.4.0', 'networkerror'], ['5.4.3', 'systemerror'], ['5.4.4', 'hostunknown'],
  ['5.5.2', 'syntaxerror'], ['5.5.3', 'toomanyconn'], ['5.5.4', 'systemerror'], ['5.5.5', 'systemerror'],
  ['5.5.6', 'syntaxerror'],
  ['5.6.0', 'contenterror'], ['5.6.1', 'contenterror'], ['5.6.2', 'contenterror'], ['5.6.3', 'contenterror'],
  ['5.6.5', 'contenterror'], ['5.6.6', 'contenterror'], ['5.6.7', 'contenterror'], ['5.6.8', 'contenterror'],
  ['5.6.9', 'contenterror'],
  ['5.7.0', 'securityerror'], ['5.7.1', 'securityerror'], ['5.7.2', 'securityerror'], ['5.7.3', 'securityerror'],
  ['5.7.4', 'securityerror'], ['5.7.5', 'securityerror'], ['5.7.6', 'securityerror'], ['5.7.7', 'securityerror'],
  ['5.7.8', 'securityerror'], ['5.7.9', 'securityerror'], ['5.7.10', 'securityerror'],
  ['5.7.11', 'securityerror'], ['5.7.13', 'suspend'], ['5.7.14', 'securityerror'], ['5.7.15', 'securityerror'],
  ['5.7.16', 'mesgtoobig'], ['5.7.17', 'hasmoved'], ['5.7.18', 'hasmoved'], ['5.7.19', 'securityerror'],
  ['5.7.20', 'authfailure'], ['5.7.21', 'authfailure'], ['5.7.22', 'authfailure'], ['5.7.23', 'authfailure'],
  ['5.7.24', 'authfailure'], ['5.7.25', 'requireptr'], ['5.7.26', 'authfailure'], ['5.7.27', 'notaccept'],
]);

/**
 * Pseudo codes "X.0.9NN": what the reference parser writes as the status when a bounce carried none,
 * one per reason. Reading them back gives the reason they stand for (9NN -> reason), and they are
 * what this classifier writes in the same situation, so results stay comparable.
 */
const PSEUDO_DETAIL: Readonly<Partial<Record<Reason, string>>> = {
  undefined: '900', onhold: '901', syntaxerror: '902', norelaying: '909', filtered: '910',
  userunknown: '911', hostunknown: '912', hasmoved: '916', suspend: '921', mailboxfull: '922',
  exceedlimit: '923', mesgtoobig: '934', mailererror: '939', expired: '947', networkerror: '944',
  toomanyconn: '945', speeding: '946', contenterror: '960', securityerror: '970', blocked: '971',
  authfailure: '972', policyviolation: '972', requireptr: '973', badreputation: '975',
  spamdetected: '980', notaccept: '932', rejected: '918', systemerror: '930', systemfull: '931',
  virusdetected: '971',
};

/** Reasons whose temporary pseudo code is never used: they are written as 5.0.9NN even when the
 *  error was transient (the reference parser has no 4.0.9NN form for them). */
const PERMANENT_ONLY: ReadonlySet<Reason> = new Set<Reason>([
  'exceedlimit', 'hasmoved', 'hostunknown', 'mailererror', 'mesgtoobig', 'norelaying', 'suspend',
  'userunknown', 'syntaxerror', 'policyviolation', 'virusdetected',
]);

const REASON_OF_PSEUDO: ReadonlyMap<string, Reason> = buildPseudoLookup();

function buildPseudoLookup(): Map<string, Reason> {
  const lookup = new Map<string, Reason>();
  // First writer wins where two reasons share a number (971 blocked/virusdetected, 972
  // authfailure/policyviolation): the more common reason is listed first above.
  for (const [reason, detail] of Object.entries(PSEUDO_DETAIL) as [Reason, string][]) {
    if (!lookup.has(detail)) lookup.set(detail, reason);
  }
  return lookup;
}

/** The pseudo status for a reason, transient ("4.0.9NN") or permanent ("5.0.9NN"); "" when none. */
export function pseudoStatus(reason: Reason, transient: boolean): string {
  const detail = PSEUDO_DETAIL[reason];
  if (detail === undefined) return '';
  return `${transient && !PERMANENT_ONLY.has(reason) ? '4' : '5'}.0.${detail}`;
}

/** True for a pseudo status "X.0.9NN". */
export function isPseudoStatus(code: string): boolean {
  return code.length === 7 && code.startsWith('.0.9', 1);
}

/** The reason a status code implies, or undefined. Pseudo codes map back to their reason. */
export function reasonOfStatus(code: string): Reason | undefined {
  if (code === '') return undefined;
  if (isPseudoStatus(code)) return REASON_OF_PSEUDO.get(code.slice(4));
  return REASON_OF_CODE.get(code);
}

const VALID_STATUS = /^[245]\.[0-7]\.\d{1,3}$/;

/** "5.1.1" -> true; class 2, 4 or 5, subject 0-7, detail 0-999. */
export function isValidStatus(code: string): boolean {
  return VALID_STATUS.test(code);
}

/** "X.0.0" (class only) — no information beyond the class. */
export function isGenericStatus(code: string): boolean {
  return code.length === 5 && code.endsWith('.0.0');
}

/** Subject and detail both non-zero, e.g. 5.1.1 or 5.7.606: a code that says what happened. */
export function isPreciseStatus(code: string): boolean {
  if (!isValidStatus(code)) return false;
  const [, subject = '0', detail = '0'] = code.split('.');
  return subject !== '0' && Number(detail) !== 0;
}

/** Class, subject and the first detail digit of a status code (global: findStatusCode() walks it). */
const STATUS_CANDIDATE = /[245]\.[0-7]\.\d/g;

/**
 * The first plausible enhanced status code in free text. Codes that carry no detail (X.0.0) and the
 * catch-all 4.4.7 are used only when nothing more specific appears. Numbers that are parts of IP
 * addresses, versions ("v5.2.1") or longer dotted runs are skipped.
 */
export function findStatusCode(text: string): string | undefined {
  let fallback: string | undefined;
  const end = text.length;
  // The regex finds where class, subject and a first detail digit line up (natively, far faster
  // than a character loop); each candidate is then checked in full.
  STATUS_CANDIDATE.lastIndex = 0;
  for (let m = STATUS_CANDIDATE.exec(text); m !== null; m = STATUS_CANDIDATE.exec(text)) {
    const i = m.index;
    STATUS_CANDIDATE.lastIndex = i + 1; // candidates may overlap: "5.5.5.1"
    if (!standsAlone(text, i)) continue;
    let j = i + 5;
    while (j < end && j < i + 7 && isDigitCode(text.charCodeAt(j))) j++;
    if (j < end && isDigitCode(text.charCodeAt(j))) continue; // more than three detail digits
    if (j + 1 < end && text.charCodeAt(j) === 46 && isDigitCode(text.charCodeAt(j + 1))) continue; // a.b.c.d
    const code = text.slice(i, j);
    if (isGenericStatus(code) || code === '4.4.7') fallback = code;
    else return code;
  }
  return fallback;
}

function standsAlone(text: string, at: number): boolean {
  if (at === 0) return true;
  const before = text.charCodeAt(at - 1);
  // A digit, '.' or '/' before it makes it part of something else (an IP address, a path);
  // 'v'/'V' makes it a version number. '-' is fine: "550-5.1.1" is a multi-line reply.
  return !(isDigitCode(before) || before === 46 || before === 47 || before === 86 || before === 118);
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The class digit of a status or reply code ("5" for 5.1.1 and 550), or "" for none. */
export function classOf(code: string): string {
  return code === '' ? '' : code.charAt(0);
}

/**
 * Chooses between the status a decoder read from a Status: field and the one found in the
 * diagnostic text. The field wins unless it is vague (X.0.0, X.Y.0, a pseudo code, 4.4.7 "expired
 * somewhere", 4.7.0, 5.3.x, X.5.x protocol codes) and the text is more precise; when the two
 * disagree on the class, the one matching the SMTP reply code's class wins.
 */
export function preferStatus(field: string, inText: string, replyCode: string): string {
  if (field === '') return inText;
  if (inText === '' || inText === field) return field;
  const replyClass = classOf(replyCode);
  if (replyClass !== '' && classOf(field) !== classOf(inText)) {
    if (replyClass === classOf(field)) return field;
    if (replyClass === classOf(inText)) return inText;
  }
  const fieldHasZero = field.includes('.0');
  const textHasZero = inText.includes('.0');
  if (isGenericStatus(field)) return isGenericStatus(inText) ? field : inText;
  if (fieldHasZero && !textHasZero) return inText;
  if (isGenericStatus(inText)) return field;
  if (VAGUE_FIELD_CODES.has(field) || field.startsWith('5.3.') || VAGUE_PROTOCOL_SUBJECT.has(field.slice(1, 5))) {
    return inText;
  }
  if (field === '5.1.1') return textHasZero || inText.startsWith('5.5.') ? field : inText;
  if (field === '5.1.3' && inText.startsWith('5.7.')) return inText;
  return field;
}

/** Field codes that say less than whatever the text says. */
const VAGUE_FIELD_CODES: ReadonlySet<string> = new Set(['4.4.7', '4.7.0']);
/** ".5.1" invalid command, ".5.2" syntax, ".5.4" bad arguments, ".5.5" protocol version. */
const VAGUE_PROTOCOL_SUBJECT: ReadonlySet<string> = new Set(['.5.1', '.5.2', '.5.4', '.5.5']);
