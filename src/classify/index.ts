// The classifier: turns one recipient's raw delivery status, as a decoder read it, into the public
// result — status and reply codes, reason, hard/soft, whose fault. Pure and synchronous; tables are
// data at module load and the phrase matcher is compiled once, on first use.
import type { Action, Kind, RawStatus, RecipientResult } from '../parse/types.js';
import { commandInText } from './command.js';
import { decideReason, reasonOfBareText, type Facts } from './decide.js';
import { faultOf } from './fault.js';
import { isHard } from './hard.js';
import type { Reason } from './reasons.js';
import { findReplyCode, isReplyCode } from './reply-code.js';
import {
  classOf, findStatusCode, isValidStatus, preferStatus, pseudoStatus,
} from './status-code.js';
import { cleanDiagnostic, examinedText, joinReplyLines, MAX_EXAMINED } from './text.js';

export { findReplyCode } from './reply-code.js';
export { findStatusCode } from './status-code.js';
export type { Reason } from './reasons.js';

export interface ClassifyContext {
  /** Decoder name, e.g. "postfix", "exim", "rfc3464". */
  mta: string;
  /** The kind of the whole message, when the decoder knows it. */
  kind?: Kind;
}

const ACTIONS: ReadonlySet<string> = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);
const NOT_BOUNCES: ReadonlySet<Reason> = new Set<Reason>(['delivered', 'feedback', 'vacation']);

/** Classifies one recipient. Never throws. */
export function classify(raw: RawStatus, ctx: ClassifyContext): RecipientResult {
  const diagnostic = tidy(cleanDiagnostic(raw.diagnostic));
  const head = diagnostic.length > MAX_EXAMINED ? diagnostic.slice(0, MAX_EXAMINED) : diagnostic;
  const text = examinedText(diagnostic);

  const codes = chooseCodes(raw, head);
  const givenAction = actionOf(raw.action) || (ctx.kind === 'delay' ? 'delayed' : '');
  const facts: Facts = {
    given: raw.reason,
    status: codes.status,
    replyCode: codes.replyCode,
    command: (raw.command ?? '').toUpperCase() || commandInText(text),
    action: givenAction,
    diagnosticType: (raw.diagnosticType ?? '').trim().toUpperCase() || 'SMTP',
    text,
    remoteMta: hostOf(raw.remoteMta),
    recipientDomain: domainOf(raw.recipient ?? ''),
    mta: (ctx.mta ?? '').toLowerCase(),
  };
  const reason = reasonForKind(ctx.kind) ?? decideReason(facts);

  const status = codes.status !== '' || NOT_BOUNCES.has(reason)
    ? codes.status
    : pseudoStatus(reason, isTransient(codes.replyCode, text));
  const replyCode = NOT_BOUNCES.has(reason) && reason !== 'delivered' ? '' : replyMatching(codes.replyCode, status, head);
  const permanent = status.startsWith('5') || replyCode.startsWith('5');

  const result: RecipientResult = {
    address: raw.recipient,
    action: finalAction(reason, givenAction, status),
    status,
    replyCode,
    reason,
    hard: isHard(reason, status, replyCode),
    fault: faultOf(reason, permanent),
    diagnostic,
    remoteMta: raw.remoteMta ?? '',
    command: raw.command ?? '',
  };
  if (raw.alias !== undefined && raw.alias !== '') result.alias = raw.alias;
  if (raw.feedbackType !== undefined && raw.feedbackType !== '') result.feedbackType = raw.feedbackType;
  return result;
}

/** The first plausible reason for a bare error text (no codes or command known), or undefined. */
export function reasonOfText(text: string): Reason | undefined {
  const clean = tidy(cleanDiagnostic(text));
  const head = clean.length > MAX_EXAMINED ? clean.slice(0, MAX_EXAMINED) : clean;
  const fromLocalAgent = text.slice(0, 64).trimStart().toLowerCase().startsWith('x-unix;');
  return reasonOfBareText(examinedText(clean), findStatusCode(head), fromLocalAgent);
}

// --- codes -------------------------------------------------------------------------------------

/** Re-joins a flattened multi-line reply ("550-5.7.1 … 550-5.7.1 … 550 5.7.1 …"). */
function tidy(clean: string): string {
  const head = clean.length > MAX_EXAMINED ? clean.slice(0, MAX_EXAMINED) : clean;
  const reply = findReplyCode(head);
  return reply === undefined ? clean : joinReplyLines(clean, reply, findStatusCode(head) ?? '');
}

interface Codes {
  status: string;
  replyCode: string;
}

/** Status: the decoder's field unless the text is more precise. Reply: the decoder's, else the text's. */
function chooseCodes(raw: RawStatus, head: string): Codes {
  const field = raw.status !== undefined && isValidStatus(raw.status.trim()) ? raw.status.trim() : '';
  const inText = findStatusCode(head) ?? '';
  const givenReply = raw.replyCode !== undefined && isReplyCode(raw.replyCode.trim()) ? raw.replyCode.trim() : '';
  const textReply = givenReply === '' ? findReplyCode(head, classOf(inText || field)) ?? '' : '';
  const replyCode = givenReply || textReply;
  return { status: preferStatus(field, inText, replyCode), replyCode };
}

/** A reply code must agree with the status class; otherwise look for one that does, or drop it. */
function replyMatching(replyCode: string, status: string, head: string): string {
  if (status === '' || replyCode === '' || classOf(replyCode) === classOf(status)) return replyCode;
  return findReplyCode(head, classOf(status)) ?? '';
}

/**
 * Whether a bounce without a status code reads as temporary (for its pseudo status): a code in the
 * text decides; else the words "temporary"/"persistent"; else it is taken as permanent, as the
 * reference parser does (the Action field does not count: MTAs mark retries "delayed" even when
 * the last attempt failed for good).
 */
function isTransient(replyCode: string, lowerHead: string): boolean {
  const code = findStatusCode(lowerHead) ?? (replyCode || findReplyCode(lowerHead)) ?? '';
  if (code !== '') return code.startsWith('4');
  return lowerHead.includes('temporar') || lowerHead.includes('persistent');
}

// --- action, kind, hosts -----------------------------------------------------------------------

function actionOf(action: string | undefined): Action {
  const a = (action ?? '').trim().toLowerCase();
  return ACTIONS.has(a) ? (a as Action) : '';
}

/**
 * The RFC 3464 action as the bounce states it. (The reference parser reports every expired bounce as
 * "delayed"; a message the MTA gave up on has failed, and the suppression policy must count it.)
 */
function finalAction(reason: Reason, given: Action, status: string): Action {
  if (reason === 'delivered') return 'delivered';
  if (given !== '') return given;
  const klass = classOf(status);
  return klass === '4' || klass === '5' ? 'failed' : '';
}

function reasonForKind(kind: Kind | undefined): Reason | undefined {
  if (kind === 'complaint') return 'feedback';
  if (kind === 'auto-reply') return 'vacation';
  return undefined;
}

/** "dns; mx.example.com [192.0.2.1]." -> "mx.example.com", for matching provider host names. */
function hostOf(remoteMta: string | undefined): string {
  if (remoteMta === undefined) return '';
  let host = remoteMta.slice(0, 300).trim().toLowerCase();
  const semicolon = host.indexOf(';');
  if (semicolon >= 0) host = host.slice(semicolon + 1).trim();
  const space = host.indexOf(' ');
  if (space > 0) host = host.slice(0, space);
  host = host.replace(/[[\]()<>]/g, '');
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

function domainOf(recipient: string): string {
  const at = recipient.lastIndexOf('@');
  return at < 0 ? '' : recipient.slice(at + 1).trim().toLowerCase().replace(/>$/, '');
}
