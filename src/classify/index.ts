// The classifier: turns one recipient's raw delivery status, as a decoder read it, into the public
// result — status and reply codes, reason, hard/soft, whose fault. Pure and synchronous; tables are
// data at module load and the phrase matcher is compiled once, on first use.
import type { Action, Kind, RawStatus, RecipientResult } from '../parse/types.js';
import { decideReason, reasonOfBareText, type Facts } from './decide.js';
import { faultOf } from './fault.js';
import { isHard } from './hard.js';
import { reasonHits } from './reason-hits.js';
import type { Reason } from './reasons.js';
import { findReplyCode, isReplyCode } from './reply-code.js';
import {
  classOf, findStatusCode, isValidStatus, preferStatus, pseudoStatus,
} from './status-code.js';
import { cleanDiagnostic, joinReplyLines, MAX_EXAMINED } from './text.js';

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
  const reading = readDiagnostic(raw.diagnostic);
  const { diagnostic, text } = reading;

  const codes = chooseCodes(raw, reading);
  const givenAction = actionOf(raw.action) || (ctx.kind === 'delay' ? 'delayed' : '');
  const hits = reasonHits(text);
  const facts: Facts = {
    given: raw.reason,
    status: codes.status,
    replyCode: codes.replyCode,
    command: (raw.command ?? '').toUpperCase() || hits.command(),
    action: givenAction,
    diagnosticType: (raw.diagnosticType ?? '').trim().toUpperCase() || 'SMTP',
    text,
    hits,
    remoteMta: hostOf(raw.remoteMta),
    recipientDomain: domainOf(raw.recipient ?? ''),
    mta: (ctx.mta ?? '').toLowerCase(),
  };
  const reason = reasonForKind(ctx.kind) ?? decideReason(facts);

  const status = codes.status !== '' || NOT_BOUNCES.has(reason)
    ? codes.status
    : pseudoStatus(reason, isTransient(codes.replyCode, text));
  const replyCode = NOT_BOUNCES.has(reason) && reason !== 'delivered' ? '' : replyMatching(codes.replyCode, status, reading);
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
  const reading = readDiagnostic(text);
  const fromLocalAgent = text.slice(0, 64).trimStart().toLowerCase().startsWith('x-unix;');
  return reasonOfBareText(reading.text, reading.status || undefined, fromLocalAgent);
}

// --- the diagnostic and its codes --------------------------------------------------------------

/** A diagnostic prepared once per recipient, with the codes it states: every later question
 *  about the text (codes of a given class, phrases, command) starts from here. */
interface Reading {
  /** Cleaned, a flattened multi-line reply re-joined: the text the result carries. */
  readonly diagnostic: string;
  /** Its first MAX_EXAMINED characters, where codes are looked for. */
  readonly head: string;
  /** `head` in lower case, where phrases are looked for. */
  readonly text: string;
  /** The first status code and the first reply code in `head`, "" when none. */
  readonly status: string;
  readonly reply: string;
}

function readDiagnostic(raw: string | undefined): Reading {
  const clean = cleanDiagnostic(raw);
  let head = headOf(clean);
  let reply = findReplyCode(head) ?? '';
  let status = findStatusCode(head) ?? '';
  let diagnostic = clean;
  if (reply !== '') {
    // Re-joins a flattened multi-line reply ("550-5.7.1 … 550-5.7.1 … 550 5.7.1 …"); the codes are
    // read again from the result only when that changed the text.
    diagnostic = joinReplyLines(clean, reply, status);
    if (diagnostic !== clean) {
      head = headOf(diagnostic);
      reply = findReplyCode(head) ?? '';
      status = findStatusCode(head) ?? '';
    }
  }
  return { diagnostic, head, text: head.toLowerCase(), status, reply };
}

function headOf(text: string): string {
  return text.length > MAX_EXAMINED ? text.slice(0, MAX_EXAMINED) : text;
}

/** The first reply code of class `klass` ("" for any class) in the diagnostic, or "". */
function replyOfClass(reading: Reading, klass: string): string {
  // The first code of the wanted class is the first code of all when that one is of the class (or
  // when there is none at all); only otherwise does the text need another look.
  if (klass === '' || reading.reply === '' || classOf(reading.reply) === klass) return reading.reply;
  return findReplyCode(reading.head, klass) ?? '';
}

interface Codes {
  status: string;
  replyCode: string;
}

/** Status: the decoder's field unless the text is more precise. Reply: the decoder's, else the text's. */
function chooseCodes(raw: RawStatus, reading: Reading): Codes {
  const field = raw.status !== undefined && isValidStatus(raw.status.trim()) ? raw.status.trim() : '';
  const inText = reading.status;
  const givenReply = raw.replyCode !== undefined && isReplyCode(raw.replyCode.trim()) ? raw.replyCode.trim() : '';
  const textReply = givenReply === '' ? replyOfClass(reading, classOf(inText || field)) : '';
  const replyCode = givenReply || textReply;
  return { status: preferStatus(field, inText, replyCode), replyCode };
}

/** A reply code must agree with the status class; otherwise look for one that does, or drop it. */
function replyMatching(replyCode: string, status: string, reading: Reading): string {
  if (status === '' || replyCode === '' || classOf(replyCode) === classOf(status)) return replyCode;
  return replyOfClass(reading, classOf(status));
}

/**
 * Whether a bounce without a status code reads as temporary (for its pseudo status): a code in the
 * text decides; else the words "temporary"/"persistent"; else it is taken as permanent, as the
 * reference parser does (the Action field does not count: MTAs mark retries "delayed" even when
 * the last attempt failed for good). Only asked when neither the decoder nor the text gave a status
 * code, so the reply code is all there is to look for.
 */
function isTransient(replyCode: string, lowerHead: string): boolean {
  const code = replyCode || findReplyCode(lowerHead) || '';
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
  // a success notice keeps its own word for the success (relayed, expanded)
  if (reason === 'delivered') return given === 'relayed' || given === 'expanded' ? given : 'delivered';
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
  if (at < 0) return '';
  const domain = recipient.slice(at + 1).trim().toLowerCase();
  return domain.endsWith('>') ? domain.slice(0, -1) : domain;
}
