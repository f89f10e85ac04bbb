// The reason decision. It follows the reference parser's procedure so results stay comparable:
//
//   1. A reason the decoder is sure of stands, unless it is one of the "retry" reasons that a
//      closer reading of the text may refine.
//   2. 2.x.x is "delivered".
//   3. A known receiving provider's own codes and texts (provider.ts).
//   4. First pass (SMTP diagnostics only): reasons tried in a fixed order, each qualified by the
//      status code, the SMTP command and its phrases (rules.ts). E.g. "user unknown" after DATA is
//      a content filter ("filtered"), not a bad address.
//   5. Second pass: the reason the status code implies, unless it is vague, in which case a second
//      list of phrases, then the code class (X.6 content, X.7 security), the diagnostic type
//      (X-Unix: the local delivery agent), the reply code (50x: syntax), the action (delayed:
//      expired) and the command (connection, EHLO/HELO: blocked).
//   6. Out of options: "expired" when delayed, "vacation" for an away notice, "onhold" when there
//      was a diagnostic at all, else "undefined".
import { providerReason } from './provider.js';
import { reasonHits, type ReasonHits } from './reason-hits.js';
import type { Reason } from './reasons.js';
import { reasonOfStatus } from './status-code.js';

/** Everything the decision looks at, normalised. */
export interface Facts {
  /** Reason the decoder set, if any. */
  readonly given: Reason | undefined;
  readonly status: string;
  readonly replyCode: string;
  /** Upper-case SMTP command or "". */
  readonly command: string;
  readonly action: string;
  /** Upper-case Diagnostic-Code type; "SMTP" when the decoder gave none. */
  readonly diagnosticType: string;
  /** Lower-case, bounded diagnostic. */
  readonly text: string;
  /** The wordings found in `text` (scanned once, on first use). */
  readonly hits: ReasonHits;
  readonly remoteMta: string;
  readonly recipientDomain: string;
  /** Decoder name, lower case. */
  readonly mta: string;
}

/** Reasons that a decoder may set provisionally and the text may refine. */
export const RETRY_REASONS: ReadonlySet<Reason> = new Set<Reason>([
  'undefined', 'onhold', 'systemerror', 'securityerror', 'expired', 'networkerror', 'hostunknown', 'userunknown',
]);

/** Commands sent before DATA: a rejection there cannot be about the message's content. */
const BEFORE_DATA: ReadonlySet<string> = new Set(['CONN', 'EHLO', 'HELO', 'MAIL', 'RCPT']);

interface Case {
  readonly facts: Facts;
  /** Reason implied by the status code alone ("" when none). */
  readonly byStatus: Reason | '';
  readonly hits: ReasonHits;
}

type Probe = (c: Case) => boolean;

// --- first pass: each reason with the conditions under which its phrases count -------------------

/** Spam wordings count only with a status code and outside the commands sent before DATA. */
function probeSpam(c: Case): boolean {
  if (c.facts.status === '') return false;
  if (c.byStatus === 'spamdetected') return true;
  return !BEFORE_DATA.has(c.facts.command) && c.hits.has('spamdetected');
}

const FIRST_PASS: ReadonlyArray<readonly [Reason, Probe]> = [
  ['mailboxfull', (c) => c.byStatus === 'mailboxfull' || c.hits.has('mailboxfull')],
  ['mesgtoobig', (c) => {
    if (c.byStatus === 'mesgtoobig') return true;
    if (c.byStatus === 'exceedlimit') return false;
    return c.hits.has('mesgtoobig');
  }],
  ['exceedlimit', (c) => c.byStatus === 'exceedlimit' || c.hits.has('exceedlimit')],
  ['suspend', (c) => c.facts.replyCode === '525' || c.hits.has('suspend')],
  ['hasmoved', (c) => c.hits.has('hasmoved')],
  ['norelaying', (c) => {
    const given = c.facts.given;
    if (given === 'securityerror' || given === 'systemerror' || given === 'undefined') return false;
    const command = c.facts.command;
    if (command === 'CONN' || command === 'EHLO' || command === 'HELO') return false;
    return c.hits.has('norelaying');
  }],
  ['authfailure', (c) => c.byStatus === 'authfailure' || c.hits.has('authfailure')],
  ['userunknown', probeUserUnknown],
  ['filtered', probeFiltered],
  ['requireptr', (c) => c.byStatus === 'requireptr' || c.hits.has('requireptr')],
  ['notcompliantrfc', (c) => c.hits.has('notcompliantrfc')],
  ['badreputation', (c) => c.hits.has('badreputation')],
  ['contenterror', (c) => {
    if (probeSpam(c)) return false;
    return c.byStatus === 'contenterror' || c.hits.has('contenterror');
  }],
  ['rejected', probeRejected],
  ['hostunknown', (c) => c.byStatus === 'hostunknown' ? !c.hits.has('networkerror') : c.hits.has('hostunknown')],
  ['spamdetected', (c) => probeSpam(c)],
  ['speeding', (c) => c.hits.has('speeding')],
  ['toomanyconn', (c) => c.byStatus === 'toomanyconn' || c.hits.has('toomanyconn')],
  ['blocked', (c) => c.byStatus === 'blocked' || c.hits.has('blocked')],
];

/** Wordings that overrule an X.1.1-like code: the address may exist, something else failed. */
const OVERRULE_UNKNOWN_USER: readonly Reason[] = ['norelaying', 'blocked', 'mailboxfull', 'hasmoved', 'rejected', 'notaccept'];

/** "Unknown user" counts only at RCPT, or with an X.1.1-like code not contradicted by other wordings. */
function probeUserUnknown(c: Case): boolean {
  if (c.byStatus === 'suspend') return false;
  if (c.byStatus === 'userunknown') return !OVERRULE_UNKNOWN_USER.some((r) => c.hits.has(r));
  return c.facts.command === 'RCPT' && c.hits.has('userunknown');
}

/** A recipient-side filter: an X.2.0/X.2.1-like code, or "unknown user" wordings after DATA. */
function probeFiltered(c: Case): boolean {
  if (c.byStatus === 'suspend') return false;
  if (c.byStatus === 'filtered') return c.hits.has('userunknown') || c.hits.has('filtered');
  if (BEFORE_DATA.has(c.facts.command)) return false;
  return c.hits.has('filtered') || c.hits.has('userunknown');
}

/** The envelope sender refused: X.1.7/X.1.8, or sender wordings at MAIL, DATA or with a vague code. */
function probeRejected(c: Case): boolean {
  if (c.byStatus === 'rejected') return true;
  const command = c.facts.command;
  if (command === 'MAIL') return c.hits.has('rejected');
  if (command === 'DATA') return c.byStatus !== 'userunknown' && c.hits.has('rejected');
  const vague = c.byStatus === '' || c.byStatus === 'onhold' || c.byStatus === 'undefined'
    || c.byStatus === 'securityerror' || c.byStatus === 'systemerror';
  return vague && c.hits.has('rejected');
}

// --- second pass ---------------------------------------------------------------------------------

/** Reasons recognised by wording alone when the status code does not settle the matter. */
const SECOND_PASS: readonly Reason[] = [
  'mailboxfull', 'spamdetected', 'policyviolation', 'virusdetected', 'norelaying', 'authfailure', 'badreputation',
  'securityerror', 'systemerror', 'networkerror', 'speeding', 'suspend', 'expired', 'contenterror', 'systemfull',
  'notaccept', 'mailererror',
];

function secondPass(c: Case): Reason | undefined {
  const { facts, byStatus } = c;
  if (facts.given !== undefined && facts.given !== 'undefined') return facts.given;
  const settled = byStatus !== '' && !RETRY_REASONS.has(byStatus) && facts.diagnosticType === 'SMTP';
  if (settled) return byStatus;
  for (const reason of SECOND_PASS) if (c.hits.has(reason)) return reason;
  if (byStatus !== '') return byStatus;
  // The first pass reads SMTP replies only; the MTA's own wording of a local or DNS failure ("X-Postfix;
  // unknown user", "Name or service not known") still says what happened when the code is vague.
  if (facts.diagnosticType !== 'SMTP') for (const reason of BARE_TEXT_ORDER) if (c.hits.has(reason)) return reason;

  const subject = facts.status.slice(0, 3);
  if (subject === '5.6' || subject === '4.6') return 'contenterror';
  if (subject === '5.7' || subject === '4.7') return 'securityerror';
  if (facts.diagnosticType.startsWith('X-UNIX')) return 'mailererror';
  if (isSyntaxReply(facts.replyCode)) return 'syntaxerror';
  if (facts.action === 'delayed' || facts.action === 'expired') return 'expired';
  // Refused at connection time or at the greeting: the client itself is not welcome.
  if (facts.command === 'EHLO' || facts.command === 'HELO' || facts.command === 'CONN') return 'blocked';
  return undefined;
}

/** 401-407 and 501-507: the server did not understand what it was sent. */
function isSyntaxReply(reply: string): boolean {
  if (reply.length !== 3 || reply.charAt(1) !== '0') return false;
  const klass = reply.charAt(0);
  const last = reply.charAt(2);
  return (klass === '4' || klass === '5') && last >= '1' && last <= '7';
}

// --- the procedure -------------------------------------------------------------------------------

/** Decides the reason for one recipient. */
export function decideReason(facts: Facts): Reason {
  const given = facts.given;
  if (given !== undefined && !RETRY_REASONS.has(given)) return given;
  if (facts.status.startsWith('2.') || (facts.status === '' && facts.action === 'delivered')) return 'delivered';

  const byStatus = reasonOfStatus(facts.status) ?? '';
  // A pseudo code the reference parser wrote stands for a reason already decided.
  if (byStatus !== '' && isSettledPseudo(facts.status, byStatus)) return byStatus;

  const byProvider = providerReason(facts, {
    text: facts.text, status: facts.status, replyCode: facts.replyCode, command: facts.command,
  });
  if (byProvider !== undefined) return byProvider;

  const c: Case = { facts, byStatus, hits: facts.hits };
  if (facts.diagnosticType === 'SMTP') {
    for (const [reason, probe] of FIRST_PASS) if (given === reason || probe(c)) return reason;
  }

  const found = secondPass(c);
  if (found !== undefined && found !== 'undefined') return found;
  if (facts.action === 'delayed') return 'expired';
  if (c.hits.has('vacation')) return 'vacation';
  return facts.text !== '' ? 'onhold' : 'undefined';
}

function isSettledPseudo(status: string, reason: Reason): boolean {
  return status.length === 7 && status.startsWith('.0.9', 1) && !RETRY_REASONS.has(reason);
}

/**
 * The best reason for a bare error text, for decoders that only have prose (no command, maybe a
 * code in the text): the first reason whose wording appears, in a fixed order; else a local
 * delivery agent's text ("X-Unix; …") is a mailer error; else what the code in the text implies.
 */
export function reasonOfBareText(lowerText: string, status: string | undefined, fromLocalAgent: boolean): Reason | undefined {
  const hits = reasonHits(lowerText);
  for (const reason of BARE_TEXT_ORDER) if (hits.has(reason)) return reason;
  if (fromLocalAgent || lowerText.includes('x-unix; ')) return 'mailererror';
  return status === undefined ? undefined : reasonOfStatus(status);
}

const BARE_TEXT_ORDER: readonly Reason[] = [
  'mailboxfull', 'mesgtoobig', 'exceedlimit', 'suspend', 'userunknown', 'filtered', 'rejected', 'hostunknown',
  'spamdetected', 'speeding', 'toomanyconn', 'blocked', 'authfailure', 'securityerror', 'systemerror',
  'networkerror', 'expired', 'contenterror', 'hasmoved', 'systemfull', 'notaccept', 'mailererror', 'norelaying',
];
