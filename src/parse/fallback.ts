// Last resort for bounces in no known format, tried after every MTA decoder and the standard formats. It
// reads only messages that plainly are failure notices — sent by a mail daemon (null Return-Path, or From
// MAILER-DAEMON / postmaster / "Mail Delivery System") AND titled like one ("Undeliverable", "Returned
// mail", "failure notice", "Mail delivery failed", localized forms) — and takes from their text the
// addresses that the notice names as failed, each with the error text beside it. It never takes the
// sender's addresses, daemons, or anything from the returned original message (which it stops at).
import { collapseWhitespace } from '../classify/text.js';
import { findAddress, isAddress, isDaemon } from './address.js';
import type { Decoder } from './decoder.js';
import { fieldGroups, findCommand, statusFromGroup } from './dsn-fields.js';
import { dispositionPart, embeddedHeaders, MESSAGE_TYPES, readableParts, returnedPart, type Email, type Part } from './email.js';
import type { Action, Decoded, RawStatus, SmtpCommand } from './types.js';

// ---------------------------------------------------------------------------------------------------
// Is this a failure notice at all?

// Subjects of failure notices, lower-cased, matched as substrings.
const FAILURE_SUBJECTS: readonly string[] = [
  'undeliverable', 'undelivered mail', 'undelivered message', 'returned mail', 'returning message to sender',
  'delivery status notification (failure)', 'delivery failure', 'delivery failed', 'delivery has failed',
  'failure notice', 'mail delivery failed', 'mail delivery failure', 'message not delivered', 'could not be delivered',
  'not delivered', 'nondeliverable', 'non-deliverable', 'non delivery', 'non-delivery', 'nondelivery',
  'delivery problem', 'delivery notification', 'mail system error', 'returned to sender', 'delivery error',
  'mail could not be delivered', 'message delivery failure', 'failed delivery', 'rejected:',
  'see transcript', 'postmaster notify', 'mail delivery status', 'delivery status notification', 'delivery report',
  'mail failure', 'cannot send message', 'error sending', 'failure delivery', 'delivery status',
  'mail failed', 'failed mail', 'returning to sender', 'user unknown', 'unknown user',
  // de, fr, es, pt, it, nl, sv, pl, ru
  'unzustellbar', 'nicht zustellbar', 'zustellung fehlgeschlagen', 'fehlgeschlagen', 'non remis', 'non délivré',
  'échec de la remise', 'echec de la remise', 'non distribuable', 'no se puede entregar', 'no entregado',
  'imposible entregar', 'não é possível entregar', 'não entregue', 'nao entregue', 'non recapitabile',
  'mancato recapito', 'impossibile recapitare', 'onbestelbaar', 'niet bezorgd', 'kan inte levereras',
  'olevererbart', 'niedostarczalne', 'nie można dostarczyć', 'не доставлено', 'недоставленное',
  // ja, zh, ko
  '配信できません', '配信不能', '配信エラー', '配送エラー', '送信エラー', 'メールエラー', '送信できませんでした', '未達', '不達',
  '退信', '无法投递', '投递失败', '传输失败', '发送失败', '未送达', '無法傳遞', '전달되지 않음', '반송',
];

// Subjects that announce a delay rather than a failure.
const DELAY_SUBJECTS: readonly string[] = [
  'delivery status notification (delay)', 'delayed mail', 'delivery delayed', 'could not send message for past',
  'warning: could not send', 'still being retried', 'delivery delay', 'message delayed', 'delay notification',
  'delayed',
];

// Notices about a successful delivery or a read receipt: not for this decoder.
const NOT_FAILURE_SUBJECT = /\((?:success|relay(?:ed)?|delivered|expanded)\)|delivery status report|\bsuccessful(?:ly)?\b|\b(?:delivery|read|return) receipt\b|^read:/i;

const DAEMON_NAMES = /\b(?:mailer-daemon|mail-daemon|mdaemon|postmaster|mail delivery (?:system|subsystem|service)|(?:mail|system) administrator|mail system|maildelivery)\b/i;

function senderIsDaemon(email: Email): boolean {
  const h = email.headers;
  // list mail is never a delivery notice, whoever it claims to come from (Precedence: bulk or junk says
  // nothing: MDaemon and others mark their own notices so, to keep auto-responders quiet)
  if (h.has('list-unsubscribe') || h.has('list-id')) return false;
  const rp = h.text('return-path').trim();
  if (h.has('return-path') && (rp === '' || rp === '<>' || /mailer-daemon/i.test(rp))) return true;
  const from = findAddress(email.from);
  // a notice with an ordinary return path must at least come from MAILER-DAEMON itself
  const rpAddress = findAddress(rp);
  if (rpAddress && !isDaemon(rpAddress)) return /mailer-daemon|mail delivery (?:system|subsystem)/i.test(email.from);
  if (DAEMON_NAMES.test(email.from)) return true;
  return from !== undefined && isDaemon(from);
}

/**
 * Whether the message plainly is a failure (or delay) notice by its sender and subject alone, whatever its
 * body holds: a mail daemon's message titled like one.
 */
export function noticeAction(email: Email): 'failed' | 'delayed' | undefined {
  const kind = subjectKind(email.subject);
  return kind && senderIsDaemon(email) ? kind : undefined;
}

/** Whether a subject is a failure (or delay) notice's, by its wording alone: "Undeliverable: …", "Returned mail". */
export function subjectKind(subject: string): 'failed' | 'delayed' | undefined {
  const s = subject.toLowerCase().slice(0, 300);
  if (NOT_FAILURE_SUBJECT.test(s) || /^(?:re|aw|sv|antw|r|ref)\s?:/.test(s)) return undefined; // a person's reply
  if (DELAY_SUBJECTS.some((m) => s.includes(m))) return 'delayed';
  if (FAILURE_SUBJECTS.some((m) => s.includes(m))) return 'failed';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Reading the text.

/** Most lines of a notice read before the returned message; real notices say what failed early on. */
const MAX_NOTICE_LINES = 2000;
/** Most recipients taken from one notice. */
const MAX_FOUND = 500;
/** Most lines of error text kept for one recipient. */
const MAX_DIAG_LINES = 8;

// Lines that announce the returned original message (lower case, after trimming dashes and blanks). The
// first list may be followed by more words on the line, the second must be the whole line.
const ORIGINAL_PREFIXES: readonly string[] = [
  'below this line is a copy of', 'this is a copy of the message', 'this is a copy of your message',
  'a copy of the original message', 'copy of the original message', 'a copy of your message', 'original message follows',
  'the header of the original message', 'message headers follow', 'headers of the original message', 'unsent message follows', 'unsent message below',
  'text of the original message', 'message text follows', 'included is your message', 'content-type: message/rfc822',
  'content-type: text/rfc822-headers',
];
const ORIGINAL_LINES: ReadonlySet<string> = new Set([
  'original message', 'returned message', 'undelivered message', 'forwarded message', 'original message headers',
  'the original message was', 'the original message', 'header of original message', 'original mail info',
  'your message reads', 'the message you sent',
]);

const HEADER_LINE = /^([A-Za-z][A-Za-z0-9-]{0,40}):(?:[ \t]|$)/;
const ORIGINAL_FIELDS: ReadonlySet<string> = new Set([
  'received', 'return-path', 'message-id', 'date', 'from', 'to', 'subject', 'mime-version', 'dkim-signature',
  'x-mailer', 'content-type', 'reply-to', 'cc', 'user-agent', 'in-reply-to', 'references', 'sender',
]);

function isMarker(line: string): boolean {
  const t = line.trim().replace(/^[-=_*#|\s]+|[-=_*#|:.\s]+$/g, '').toLowerCase();
  if (t.length < 8 || t.length > 90) return false;
  return ORIGINAL_LINES.has(t) || ORIGINAL_PREFIXES.some((m) => t.startsWith(m));
}

/** A run of at least three header fields (continuations allowed) with two typical of a message header. */
function startsHeaderBlock(lines: readonly string[], i: number): boolean {
  let fields = 0;
  let typical = 0;
  for (let j = i; j < lines.length && j < i + 12; j++) {
    const l = lines[j] ?? '';
    if (l === '') break;
    if (j > i && (l.charCodeAt(0) === 32 || l.charCodeAt(0) === 9)) continue;
    const m = HEADER_LINE.exec(l);
    if (!m) return false;
    fields++;
    if (ORIGINAL_FIELDS.has((m[1] ?? '').toLowerCase())) typical++;
  }
  return fields >= 3 && typical >= 2;
}

// Words that make a line or paragraph about a failure.
const FAILURE_WORDS = /\b(?:unknown|not found|no such|does not exist|doesn't exist|not exist|invalid|rejected|refused|denied|disabled|inactive|unavailable|full|quota|exceeded|too large|too big|failed|failure|undeliverable|could not be delivered|couldn't be delivered|cannot be delivered|not be delivered|unable to deliver|not delivered|bounced|blocked|blacklisted|spam|timed out|timeout|expired|not accepted|unrouteable|unroutable|no mailbox|mailbox|relay|suspended|over quota|not permitted|not allowed|not known|error)\b/i;
// The same for text in Japanese, Chinese, Korean (no word boundaries there).
const CJK_FAILURE = /(?:できません|できなかった|失敗|エラー|存在しません|見つかりません|届け|宛先不明|拒否|无法|失败|错误|不存在|退回|실패|오류|존재하지)/;
const SMTP_REPLY = /(?:^|[\s(:'"])[245]\d\d[ -]/;
// A success reply in a delivery report: "250 2.0.0 Ok: queued as …", "250 ok"
const SUCCESS = /(?:^|\s)25[012][ -](?:2\.\d{1,3}\.\d{1,3}\b|ok\b)/i;
// Where a quoted reply begins: its code at the start, or after "said:", "failure:", "<<<" or similar.
const REPLY_START = /(^|\bsaid:\s*|\bfailure:\s*|\berror:\s*|<<<\s*|>>>\s*|:\s+)[245]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3}\s|[A-Za-z<])/;
const ENHANCED = /\b[245]\.\d{1,3}\.\d{1,3}\b/;

// Lines or labels that name the sender, not a recipient.
const SENDER_CUE = /\b(?:mail from|from|sender|sent by|envelope-from|return-path|reply-to|originator|absender|expéditeur|remitente)\s*[:=]?\s*<?[^\s<>]*$/i;
const RECIPIENT_LABEL = /^(?:(?:failed|final|original|intended|invalid|unknown|bad)[ -])?(?:recipient(?:\(s\)|s)?(?: address(?:es)?)?|rcpt to|to|address(?:es)?|e-?mail(?: address)?|destinataire|destinatario|empfänger|empfaenger|adresse|mailbox|user|account|宛先|受信者|收件人)\s*[:=]?$/i;
const INTRO = /\b(?:following (?:address(?:es)?|recipients?|destinations?)|did not receive (?:your|the|this) (?:message|mail)|following e-?mail address|following user|could not be delivered to|couldn't be delivered to|cannot be delivered to|not be delivered to|delivery to the following|delivery has failed to|failed to deliver to|undeliverable to|did not reach|were not delivered|was not delivered|had (?:permanent|delivery|transient|temporary)|addresses failed|address failed|not reached|unable to deliver|recipients? (?:failed|rejected|unknown)|nicht zugestellt|folgende|n'a pas pu être|no se pudo entregar|não foi possível|宛先|以下)\b/i;
const REASON_INTRO = /(?:\b(?:reason|error|problem|diagnostic(?: code)?|details?|remote (?:host|server) said|the error that the other server returned was|technical (?:details|report|information)|grund|raison|motivo|causa|fehler)\b[^:]{0,60}:|said:)\s*(.*)$/i;
const LINK = /(?:https?:\/\/|www\.)\S*$/i;
// Text before an address that makes it a header value, an alias or a message id rather than a recipient.
const NOT_RECIPIENT = /(?:\bexpanded from|\b(?:message-id|in-reply-to|references|content-id|x-[a-z0-9-]{1,40})\s*:|\bmailto:?)\s*$/i;
// Sendmail's line under an alias's expansion: "(expanded from: <joe@example.com>)"
const EXPANDED_FROM = /^\(?expanded from:?\s*<?([^\s<>()]{1,256}@[^\s<>()]{1,256}?)>?\)?$/i;
// Sendmail's own per-recipient line: "550 5.1.1 <joe@example.com>... User unknown"
const STATUS_LINE = /^[45]\d\d(?:[ -][245]\.\d{1,3}\.\d{1,3})?$/;
// The remote server's reply echoed with the address right after its codes: "<<< 550 5.1.1 <joe@…>… ",
// "host x said: 550 <joe@…>: Recipient address rejected", "550 Invalid recipient: <joe@…>"
const REPLY_BEFORE = /^(?:<<<\s*|.{0,120}\bsaid:\s*)?[245]\d\d[ -](?:\s*[245]\.\d{1,3}\.\d{1,3})?(?:\s*[A-Za-z]{1,12}){0,3}\s*:?$/;

interface Found {
  recipient: string;
  /** The address it was expanded from (Sendmail: "(expanded from: <joe@…>)" under it). */
  alias?: string;
  /** Error text written with the address (same line or the lines right after). */
  diag: string[];
}

/** The address-free rest of a line, without brackets and separating punctuation. */
function restOf(line: string, address: string): { before: string; after: string } {
  const at = line.indexOf(address);
  let before = line.slice(0, at);
  let after = line.slice(at + address.length);
  // "Recipient: [SMTP:joe@…]", "<mailto:joe@…>": the address type is part of the bracket, not the label
  before = before.replace(/[<("'\[\s]+$/, '').replace(/(?:smtp|mailto|rfc822)\s?[:;]$/i, '').replace(/[<("'\[\s]+$/, '').trim();
  after = after.replace(/^[>)"'\]\s]+/, '').replace(/^[:;,.\-]+\s*/, '').trim();
  return { before, after };
}

function tidyDiag(text: string): string {
  let t = text.trim();
  // "(reason: 550 …)", "(Unknown user joe@x)": the parenthesised error text
  if (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1).trim();
  t = t.replace(/^(?:reason|error|diagnostic(?:-code)?|details?)\s*:\s*/i, '');
  return t;
}

interface Notice {
  found: Found[];
  /** Error text found away from any address (a "Reason:" paragraph, an SMTP reply line). */
  general: string[];
  remoteMta?: string | undefined;
  /** The returned message's text, when it follows inline. */
  original?: string | undefined;
  /** Per lower-case address: the error reply to its RCPT TO in a session transcript the notice quotes. */
  replies: Map<string, string>;
}

// A session transcript: the RCPT TO sent for an address, then the server's reply on a line of its own
const RCPT_SENT = /^(?:<<<\s*|>>>\s*)?RCPT TO:\s*<([^<>\s]{1,320})>/i;
const REPLY_LINE = /^(?:<<<\s*|>>>\s*)?([245])\d\d[ -]/;

const REMOTE_HOST = [
  /\bwhile talking to ([a-z0-9][a-z0-9.-]{1,253}[a-z0-9])\.?:/i,
  /\bhost ([a-z0-9][a-z0-9.-]{1,253}\.[a-z]{2,63})\.?\s*\[/i,
  /\bremote-mta:\s*(?:dns;\s*)?\[?([a-z0-9][a-z0-9.:-]{1,253})/i,
  /\bhost:\s*([a-z0-9][a-z0-9.-]{1,253}\.[a-z]{2,63})/i,
];

type Role = 'status' | 'listed' | 'labelled' | 'reply' | 'prose';

/**
 * How a line presents an address: Sendmail's own status line ("550 <joe@…>... User unknown"), listed on
 * its own or after a "Recipient:" label, after a failure label ("Unknown user: joe@…"), inside an echoed
 * remote reply ("<<< 550 5.1.1 <joe@…>…"), or in a sentence about the failed delivery ("Your message to
 * joe@… could not be delivered"). Undefined for every other mention (senders, links, message ids).
 */
function roleOf(line: string, before: string, next: string): Role | undefined {
  if (SENDER_CUE.test(before) || LINK.test(before) || NOT_RECIPIENT.test(before)) return undefined;
  if (STATUS_LINE.test(before) && line.includes('>...')) return 'status';
  const label = before.replace(/^[-*•>\s]+/, '');
  if (label === '' || RECIPIENT_LABEL.test(label)) return 'listed';
  if (/[:\-]$/.test(label) && label.length <= 60 && (isFailureText(label) || INTRO.test(label))) return 'labelled';
  if (REPLY_BEFORE.test(before)) return 'reply';
  // the sentence may go on in the next line: "Your message to <joe@…>\ncould not be delivered."
  const sentence = FAILURE_WORDS.test(line) || (!/[.!?]\s*$/.test(line) && FAILURE_WORDS.test(next));
  if (/\b(?:to|for|recipient|address|delivery to|deliver to)\s*$/i.test(before) && sentence) {
    return 'prose';
  }
  return undefined;
}

function readNotice(parts: readonly Part[], excluded: ReadonlySet<string>): Notice {
  const notice: Notice = { found: [], general: [], replies: new Map() };
  let awaiting: string | undefined; // the address of the last RCPT TO in a transcript, until its reply
  const byKey = new Map<string, Found>();
  let current: Found | undefined;
  for (const part of parts) {
    const lines = part.text.split('\n', MAX_NOTICE_LINES);
    let introAt = -100;
    let reasonOpen = false;
    current = undefined;
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i] ?? '';
      const line = raw.trim();
      if (line === '') {
        if (current && current.diag.length > 0) current = undefined;
        if (reasonOpen && notice.general.length > 0) reasonOpen = false;
        continue;
      }
      if (isMarker(line) || (HEADER_LINE.test(raw) && startsHeaderBlock(lines, i))) {
        notice.original ??= lines.slice(isMarker(line) ? i + 1 : i, i + 400).join('\n');
        break;
      }
      notice.remoteMta ??= remoteHostIn(line);
      const sent = RCPT_SENT.exec(line);
      if (sent?.[1]) awaiting = sent[1].toLowerCase();
      else if (awaiting) {
        const reply = REPLY_LINE.exec(line);
        if (reply) {
          if (reply[1] !== '2' && !notice.replies.has(awaiting)) notice.replies.set(awaiting, line.replace(/^(?:<<<|>>>)\s*/, ''));
          awaiting = undefined;
        }
      }
      if (INTRO.test(line)) introAt = i;
      const prev = lines[i - 1] ?? '';
      const expanded = current ? EXPANDED_FROM.exec(line) : null;
      if (current && expanded?.[1] && isAddress(expanded[1])) {
        current.alias ??= expanded[1];
        continue;
      }
      let took = false;
      for (const a of line.includes('@') ? addressesIn(line) : []) {
        const key = a.toLowerCase();
        if (excluded.has(key) || isDaemon(a)) continue;
        const { before, after } = restOf(line, a);
        if (before === '' && (NOT_RECIPIENT.test(prev.trim()) || prev.endsWith('='))) continue; // folded alias, QP debris
        const role = roleOf(line, before, lines[i + 1] ?? '');
        if (!role) continue;
        // a lone address needs the text around it to be about failed recipients
        if (role === 'listed' && !after && i - introAt > 12 && notice.found.length === 0 && !nearFailure(lines, i)) continue;
        // an address that starts a line of running prose ("…, e.g., if\njoe@example.edu fails, try …") is an example
        if (role === 'listed' && before === '' && after && wrapsSentence(prev)) continue;
        const known = byKey.get(key);
        // an address inside an echoed reply starts a recipient only when the notice named none before it
        if (!known && role === 'reply' && notice.found.length > 0) continue;
        took = true;
        let f = known;
        if (!f) {
          if (notice.found.length >= MAX_FOUND) break;
          f = { recipient: a, diag: [] };
          byKey.set(key, f);
          notice.found.push(f);
        }
        current = f;
        if (role === 'status') {
          if (!known || f.diag.length === 0) f.diag.push(line);
          current = undefined; // Sendmail's status line is complete in itself
        } else if (role === 'reply' || role === 'labelled' || role === 'prose') {
          if (f.diag.length === 0) f.diag.push(line);
        } else if (after && !/^\(?expanded from\b/i.test(after) && f.diag.length === 0) {
          f.diag.push(tidyDiag(after));
        }
      }
      if (took) continue;
      const errorLine = SMTP_REPLY.test(' ' + line) || ENHANCED.test(line);
      if (current && current.diag.length < MAX_DIAG_LINES && (errorLine || isFailureText(line) || current.diag.length > 0)) {
        if (!/^\(?expanded from\b/i.test(line)) current.diag.push(tidyDiag(line));
        continue;
      }
      const reason = REASON_INTRO.exec(line);
      if (reason) {
        const rest = (reason[1] ?? '').trim();
        if (rest && notice.general.length < MAX_DIAG_LINES) notice.general.push(rest);
        reasonOpen = true;
        continue;
      }
      if ((reasonOpen || errorLine) && notice.general.length < MAX_DIAG_LINES) notice.general.push(line);
    }
  }
  return notice;
}

/** A line of running text that goes on in the next one: long, no address, ending mid-sentence ("e.g., if"). */
function wrapsSentence(prev: string): boolean {
  const t = prev.trim();
  return t.length >= 40 && !t.includes('@') && /[a-z,]$/.test(t) && !HEADER_LINE.test(t);
}

function remoteHostIn(line: string): string | undefined {
  for (const re of REMOTE_HOST) {
    const m = re.exec(line);
    if (m?.[1] && !m[1].includes('@')) return m[1].replace(/\.$/, '');
  }
  return undefined;
}

/** The command a transcript shows being sent: "<<< RCPT TO:<…>", "Sent: MAIL FROM:<…>". */
function sentCommand(text: string): SmtpCommand | undefined {
  const m = /(?:<<<|>>>|\bsent:?)\s*(RCPT TO|MAIL FROM|DATA)\b/i.exec(text.slice(0, 4096));
  if (!m?.[1]) return undefined;
  const w = m[1].toUpperCase();
  return w.startsWith('RCPT') ? 'RCPT' : w.startsWith('MAIL') ? 'MAIL' : 'DATA';
}

function isFailureText(text: string): boolean {
  return FAILURE_WORDS.test(text) || CJK_FAILURE.test(text);
}

function nearFailure(lines: readonly string[], i: number): boolean {
  for (let j = Math.max(0, i - 4); j < lines.length && j <= i + 4; j++) {
    const l = lines[j] ?? '';
    if (j !== i && (isFailureText(l) || SMTP_REPLY.test(' ' + l))) return true;
  }
  return false;
}

const ANGLED_ALL = /<([^<>\s@]{1,256}@[^<>\s@]{1,256})>/g;
const QUOTED_ALL = /"[^"\n]{1,256}"@[a-zA-Z0-9.-]{1,253}/g;
const BARE_ALL = /[^\s<>()"',;:@\[\]]{1,256}@[^\s<>()"',;:@\[\]]{1,256}/g;

/** Every address in a line, angle-bracketed ones first, each once. */
function addressesIn(line: string): string[] {
  const out: string[] = [];
  const t = line.length > 2048 ? line.slice(0, 2048) : line;
  if (t.includes('"@')) {
    for (const m of t.matchAll(QUOTED_ALL)) if (isAddress(m[0]) && !out.includes(m[0])) out.push(m[0]);
  }
  for (const m of t.matchAll(ANGLED_ALL)) {
    const a = trimAddress(m[1] ?? '');
    if (a && !out.includes(a)) out.push(a);
    if (out.length >= 8) return out;
  }
  for (const m of t.matchAll(BARE_ALL)) {
    const a = trimAddress(m[0]);
    if (a && !out.some((o) => o.toLowerCase() === a.toLowerCase())) out.push(a);
    if (out.length >= 8) break;
  }
  return out;
}

function trimAddress(s: string): string | undefined {
  if (s.startsWith('"') && s.includes('"@')) return isAddress(s) ? s : undefined;
  const t = s.replace(/^(?:mailto|rfc822|smtp)[:;]/i, '').replace(/^[<('"\[`{]+|[>)'"\].,;:`}]+$/g, '');
  if (!isAddress(t) || /\s/.test(t)) return undefined;
  const at = t.lastIndexOf('@');
  const domain = t.slice(at + 1);
  if (!domain.includes('.') && !domain.startsWith('[')) return undefined; // "user@localhost", "id@host" message ids
  // an ASCII domain run straight into other text ("joe@example.jp様"): keep the domain
  const ascii = /^[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}(?=[^A-Za-z0-9.-])/.exec(domain);
  return ascii ? t.slice(0, at + 1) + ascii[0] : t;
}

/** Addresses that are never the failed recipient: where the notice was delivered, who sent the original. */
function senderAddresses(email: Email, original: string | undefined): Set<string> {
  const out = new Set<string>();
  const h = email.headers;
  const add = (v: string): void => {
    for (const piece of v.split(',')) {
      const a = findAddress(piece);
      if (a) out.add(a.toLowerCase());
    }
  };
  for (const name of ['to', 'cc', 'from', 'reply-to', 'sender', 'return-path', 'delivered-to', 'envelope-to']) {
    for (const v of h.all(name)) add(v);
  }
  const part = returnedPart(email);
  const oh = part ? embeddedHeaders(part.text) : original ? embeddedHeaders(original) : undefined;
  if (oh) for (const name of ['from', 'return-path', 'sender', 'reply-to']) for (const v of oh.all(name)) add(v);
  return out;
}

const DELAY_BODY = /\b(?:this is a warning message only|will (?:keep|continue) (?:trying|to try)|still (?:trying|being retried)|will be retried|not yet been delivered|delivery attempts will continue)\b/i;

export const fallback: Decoder = {
  name: 'fallback',
  decode(email: Email): Decoded | null {
    const kind = subjectKind(email.subject);
    if (!kind || !senderIsDaemon(email)) return null;
    if (dispositionPart(email) || email.parts.some((p) => p.type === 'message/feedback-report')) return null;
    const parts = readableParts(email).filter((p) => !MESSAGE_TYPES.has(p.type));
    if (parts.length === 0) return null;
    const preliminary = senderAddresses(email, undefined);
    const notice = readNotice(parts, preliminary);
    if (notice.found.length === 0) return null;
    // the inline original may name the sender only now: drop any address that turns out to be theirs
    const excluded = notice.original ? senderAddresses(email, notice.original) : preliminary;
    const general = collapseWhitespace(notice.general.join(' '));
    const delayed = kind === 'delayed' || parts.some((p) => DELAY_BODY.test(p.text.slice(0, 20000)));
    const action: Action = delayed ? 'delayed' : 'failed';
    const recipients: RawStatus[] = [];
    for (const f of notice.found) {
      if (excluded.has(f.recipient.toLowerCase())) continue;
      // a transcript's reply to this address's RCPT TO says more than the notice's lines around the address,
      // unless those hold an error reply already
      const transcript = notice.replies.get(f.recipient.toLowerCase());
      const fromTranscript = transcript !== undefined && !f.diag.some((l) => /^[45]\d\d[ -]/.test(l));
      const ownLines = fromTranscript ? [transcript] : f.diag;
      const own = collapseWhitespace(ownLines.join(' '));
      if (SUCCESS.test(f.diag[0] ?? '')) continue; // "250 2.1.5 Ok": a delivery report line, not a failure
      const chosen = own && (SMTP_REPLY.test(' ' + own) || ENHANCED.test(own) || isFailureText(own) || !general) ? own : general || own;
      // keep the remote server's reply from its code on when the notice wraps it in prose
      const reply = REPLY_START.exec(chosen);
      const diagnostic = reply && reply.index > 0 ? chosen.slice(reply.index + (reply[1]?.length ?? 0)) : chosen;
      recipients.push({
        recipient: f.recipient,
        alias: f.alias && f.alias.toLowerCase() !== f.recipient.toLowerCase() ? f.alias : undefined,
        action,
        diagnostic: diagnostic || undefined,
        remoteMta: notice.remoteMta,
        command: fromTranscript && chosen === own ? 'RCPT' : chosen ? findCommand(chosen) ?? sentCommand(chosen) : undefined,
      });
    }
    if (recipients.length === 0) return null;
    return { mta: 'fallback', recipients, original: notice.original };
  },
};
