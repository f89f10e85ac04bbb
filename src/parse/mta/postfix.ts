// Postfix (https://www.postfix.org/) bounce(8) notices. A notification written from the bounce templates
// ("This is the mail system at host X." -- before Postfix 2.3 "This is the Postfix program at host X."),
// with one entry per recipient:
//
//   <joe@example.org> (expanded from <alias@example.org>): host mx.example.org[192.0.2.1] said: 550 5.1.1
//       <joe@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)
//
// then (Postfix 2.3 and later) an RFC 3464 report with X-Postfix-Queue-ID / X-Postfix-Sender fields, then
// the returned message. Also read: copies forwarded as plain text (the MIME parts inline), the delay
// warning "Delayed Mail (still being retried)", and the postmaster notice "Postfix SMTP server: errors
// from host[ip]", which carries an In:/Out: transcript of the failed session instead of recipients.
import { collapseWhitespace } from '../../classify/text.js';
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import { embeddedHeaders, returnedPart, type Email, type Part } from '../email.js';
import { MAX_ORIGINAL_CHARS } from '../limits.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Action, Decoded, RawStatus, SmtpCommand } from '../types.js';

// Subjects of the stock templates (bounce_template_file can change them; the body checks cover that).
const FAILURE_SUBJECT = 'undelivered mail returned to sender';
const DELAY_SUBJECT = 'delayed mail (still being retried)';
const OTHER_SUBJECTS: readonly string[] = ['successful mail delivery report', 'mail delivery status report'];
const TRANSCRIPT_SUBJECT = 'smtp server: errors from ';

// First lines of the notification, current and pre-2.3 wording.
const NOTICE_OPENINGS: readonly string[] = ['This is the mail system at host ', 'This is the Postfix program at host '];

// "<addr>:" or "<addr> (expanded from" at the start of a line (a stray space or two tolerated), bounded.
const ENTRY_START = /^ {0,2}<[^<>\s]{1,512}>(?: \(expanded from|:)/;
// A whole unfolded entry: recipient, optional alias, text.
const ENTRY = /^<([^<>\s]{1,512})>(?:\s{0,8}\(expanded from\s{0,8}<([^<>\s]{0,512})>\))?\s{0,8}:\s{0,8}(.*)$/s;
// "host mx.example.org[192.0.2.1] said:" / "refused to talk to me:" -- the remote host.
const REMOTE_HOST = /\bhost ([A-Za-z0-9._-]{1,255})\[[^\]\s]{1,64}\]/;
// Postfix's own wordings for where a session broke off.
const WHILE_DOING = /while (?:performing the (HELO|EHLO) handshake|sending (MAIL FROM|RCPT TO|message body|end of data|DATA command)|receiving the initial server greeting)/i;
// Lines that begin the inline returned message or report when a bounce was forwarded as plain text.
const INLINE_PART = /^Content-(?:Type:\s{0,4}(?:message\/(?:rfc822|delivery-status)|text\/rfc822-headers)|Description:\s{0,4}(?:Undelivered Message|Delivery report))/i;
const INLINE_RETURNED = /^Content-(?:Type:\s{0,4}(?:message\/rfc822|text\/rfc822-headers)|Description:\s{0,4}Undelivered Message)/im;
// Report fields in plain text (forwarded copies).
const INLINE_REPORT = /^(?:Final-Recipient|Original-Recipient)[ \t]*:/im;
// Transcript lines of the "errors from" notice.
const TRANSCRIPT_IN = /^\s{0,4}In:\s+(.*)$/;
const TRANSCRIPT_OUT = /^\s{0,4}Out:\s+([2-5]\d\d)([ -]?)(.*)$/;
const RCPT_ARG = /^RCPT\s{1,4}TO:\s{0,4}<([^<>\s]{1,512})>/i;
// A transcript line folded onto the next, indented further.
const FOLDED = /^\s{5,}\S/;

/** How much of a notification is searched for entries. */
const MAX_NOTICE_CHARS = 256 * 1024;

interface Entry {
  address: string;
  alias: string | undefined;
  text: string;
}

type Notice = 'bounce' | 'transcript';

function noticeKind(email: Email): Notice | null {
  const subject = email.subject.toLowerCase();
  if (subject.includes(TRANSCRIPT_SUBJECT)) return 'transcript';
  if (subject.includes(FAILURE_SUBJECT) || subject.includes(DELAY_SUBJECT)) return 'bounce';
  if (OTHER_SUBJECTS.some((s) => subject.includes(s))) return 'bounce';
  // a changed template: recognise the report's Postfix fields or the notification's first line
  const report = deliveryStatusPart(email);
  if (report && /^X-Postfix-(?:Queue-ID|Sender):/im.test(report.text.slice(0, 2048))) return 'bounce';
  const head = noticePart(email)?.text.slice(0, 2048) ?? '';
  if (NOTICE_OPENINGS.some((o) => head.includes(o))) return 'bounce';
  return null;
}

/** The human-readable notification: the first text part (the whole body of a single-part message). */
function noticePart(email: Email): Part | undefined {
  return email.parts.find((p) => p.type === 'text/plain' || p.type === 'text/html' || p.type === '');
}

/** Collapse whitespace so folded and unfolded copies of one text compare equal. (Free for text
 *  that has no runs to collapse, such as an entry already unfolded.) */
const squash = collapseWhitespace;

/** The recipient entries of a notification text, each unfolded. */
function readEntries(text: string): Entry[] {
  const entries: Entry[] = [];
  let cur: string[] | null = null;
  const flush = (): void => {
    if (!cur) return;
    const m = ENTRY.exec(squash(cur.join(' ')).slice(0, 16384));
    cur = null;
    if (!m?.[1] || !m[1].includes('@')) return;
    const address = m[1];
    const alias = m[2] && m[2].toLowerCase() !== address.toLowerCase() ? m[2] : undefined;
    entries.push({ address, alias, text: (m[3] ?? '').trim() });
  };
  for (const line of text.split('\n')) {
    // (the first character rules out most lines before any regex runs: "C"/"c" for a part header,
    // "<" or " " for an entry)
    const first = line.charCodeAt(0);
    if ((first === 67 || first === 99) && INLINE_PART.test(line)) break;
    const starts = (first === 60 || first === 32) && ENTRY_START.test(line);
    // an entry runs to the next blank line; its lines are indented, unless something unfolded them
    if (cur && !starts && line.trim() !== '') {
      if (cur.length < 64) cur.push(line.trim());
      continue;
    }
    flush();
    if (starts) cur = [line.trim()];
  }
  flush();
  return entries;
}

/** The SMTP command (or connection stage) a Postfix text names. */
function commandOf(text: string | undefined): SmtpCommand | undefined {
  if (!text) return undefined;
  const t = text.length > 4096 ? text.slice(0, 4096) : text;
  if (t.includes('refused to talk to me')) return 'CONN';
  if (/in reply to end of data command/i.test(t)) return 'DATA';
  const w = WHILE_DOING.exec(t);
  if (w) {
    if (w[1]) return w[1].toUpperCase() as SmtpCommand;
    const what = (w[2] ?? '').toUpperCase();
    if (what.startsWith('MAIL')) return 'MAIL';
    if (what.startsWith('RCPT')) return 'RCPT';
    if (what) return 'DATA';
    return 'CONN';
  }
  return findCommand(t);
}

/** Report fields written into a plain-text body (a bounce forwarded as text), or "". */
function inlineReport(text: string): { report: string; at: number } {
  const found = INLINE_REPORT.exec(text);
  if (!found) return { report: '', at: -1 };
  const back = text.lastIndexOf('Reporting-MTA:', found.index);
  const start = back >= 0 && found.index - back < 4096 ? back : found.index;
  // the report ends where the next MIME boundary or part header line starts
  const rest = text.slice(start);
  const end = rest.search(/^(?:--\S|Content-Type:)/m);
  return { report: end > 0 ? rest.slice(0, end) : rest, at: start };
}

/** The returned message when it is inline in a text body (forwarded copies), else undefined. */
function inlineOriginal(text: string): string | undefined {
  const m = INLINE_RETURNED.exec(text);
  if (!m) return undefined;
  // skip the part's own header lines up to the blank line that ends them
  const blank = text.indexOf('\n\n', m.index);
  if (blank < 0) return undefined;
  const body = text.slice(blank + 2, blank + 2 + MAX_ORIGINAL_CHARS);
  return body.trim() === '' ? undefined : body;
}

function isDigitsOnly(s: string): boolean {
  return /^\s*\d+\s*$/.test(s);
}

/** Fill a report recipient from its notification entry: the entry has the whole server reply. */
function combine(r: RawStatus, e: Entry | undefined, action: Action | undefined): RawStatus {
  const out: RawStatus = { ...r };
  if (!out.action && action) out.action = action;
  if (e) {
    if (!out.alias && e.alias && e.alias.toLowerCase() !== out.recipient.toLowerCase()) out.alias = e.alias;
    const dsn = out.diagnostic ?? '';
    if (!dsn || isDigitsOnly(dsn)) {
      out.diagnostic = e.text || dsn || undefined;
    } else if (out.diagnosticType !== 'X-UNIX' && e.text.length > dsn.length && squash(e.text).includes(squash(dsn))) {
      // "host mx[ip] said: <reply> (in reply to RCPT TO command)" holds the reply and the command
      out.diagnostic = e.text;
    }
    if (!out.remoteMta) out.remoteMta = REMOTE_HOST.exec(e.text.slice(0, 1024))?.[1];
  }
  out.command = commandOf(out.diagnostic) ?? commandOf(e?.text);
  if (out.diagnostic && !out.diagnosticType && REMOTE_HOST.test(out.diagnostic.slice(0, 1024))) out.diagnosticType = 'SMTP';
  return out;
}

function fromEntry(e: Entry, action: Action | undefined): RawStatus {
  return combine({ recipient: e.address, alias: e.alias }, e, action);
}

/** An address compared without case or the quotes of a quoted local part (which report readers may drop). */
function addressKey(a: string): string {
  return a.replace(/"/g, '').toLowerCase();
}

function sameAddress(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && addressKey(a) === addressKey(b);
}

function readBounce(email: Email): Decoded | null {
  const subject = email.subject.toLowerCase();
  const action: Action | undefined = subject.includes(DELAY_SUBJECT) ? 'delayed' : undefined;
  const part = noticePart(email);
  let notice = part?.text ?? '';
  if (notice.length > MAX_NOTICE_CHARS) notice = notice.slice(0, MAX_NOTICE_CHARS);
  let report = deliveryStatusPart(email)?.text ?? '';
  let original: string | undefined;
  if (!report && notice) {
    const inline = inlineReport(notice);
    if (inline.at >= 0) {
      report = inline.report;
      original = returnedPart(email) ? undefined : inlineOriginal(notice.slice(inline.at));
      notice = notice.slice(0, inline.at);
    }
  }
  let entries = readEntries(notice);
  const reported = report ? readDeliveryStatus(report) : [];
  // some notices repeat the entries in the report part only
  if (entries.length === 0 && reported.length === 0 && report) entries = readEntries(report);

  let recipients: RawStatus[];
  if (reported.length > 0) {
    const byAddress = new Map<string, Entry>();
    for (const e of entries) {
      for (const a of [e.address, e.alias]) if (a && !byAddress.has(addressKey(a))) byAddress.set(addressKey(a), e);
    }
    recipients = reported.map((r) => {
      let e = byAddress.get(addressKey(r.recipient)) ?? (r.alias ? byAddress.get(addressKey(r.alias)) : undefined);
      if (!e && reported.length === 1 && entries.length === 1) e = entries[0];
      // the notification writes a quoted local part whole
      if (e && e.address.includes('"') && sameAddress(e.address, r.recipient)) r = { ...r, recipient: e.address };
      return combine(r, e, action);
    });
  } else if (entries.length > 0) {
    recipients = entries.map((e) => fromEntry(e, action));
  } else if (/delivery report unavailable/i.test(notice)) {
    // bounce_notify_util.c: the log was lost; the returned message's To: is all there is
    const returned = returnedPart(email)?.text;
    const to = returned ? findAddress(embeddedHeaders(returned).text('to')) : undefined;
    recipients = to ? [{ recipient: to, action }] : [];
  } else {
    recipients = [];
  }
  if (recipients.length === 0) return null;
  return { mta: 'postfix', recipients: uniqueRecipients(recipients), original };
}

interface Attempt {
  recipient: string;
  diagnostic?: string;
  command?: SmtpCommand;
}

function transcriptCommand(line: string): SmtpCommand | undefined {
  const word = (line.trim().split(/[\s:]/, 1)[0] ?? '').toUpperCase();
  const known: readonly SmtpCommand[] = ['HELO', 'EHLO', 'STARTTLS', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'QUIT'];
  if (word === '.') return 'DATA';
  return known.find((c) => c === word);
}

/** "Postfix SMTP server: errors from host[ip]": the In:/Out: transcript of a session it rejected. */
function readTranscript(email: Email): Decoded | null {
  const text = (noticePart(email)?.text ?? email.text).slice(0, MAX_NOTICE_CHARS);
  if (!/transcript of session follows/i.test(text.slice(0, 4096))) return null;
  const rcpts = collectRcpts(text);
  return rcpts.length > 0 ? readTranscriptWith(text, rcpts) : null;
}

/** Every RCPT TO address of a transcript, in order. */
function collectRcpts(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  const take = (): void => {
    const m = RCPT_ARG.exec(pending);
    if (m?.[1] && m[1].includes('@')) out.push(m[1]);
    pending = '';
  };
  for (const line of text.split('\n')) {
    const i = TRANSCRIPT_IN.exec(line);
    if (i) {
      take();
      pending = (i[1] ?? '').trim();
      continue;
    }
    if (pending && FOLDED.test(line)) {
      pending += ' ' + line.trim();
      continue;
    }
    take();
  }
  take();
  return out;
}

/** Walk the transcript again, now knowing the RCPT addresses in order, and attribute the errors. */
function readTranscriptWith(text: string, rcpts: readonly string[]): Decoded | null {
  const attempts: Attempt[] = [];
  let command: SmtpCommand | undefined;
  let rcptIndex = 0;
  let reply: string[] = [];
  let replyCode = '';
  const settle = (): void => {
    if (reply.length === 0) return;
    const diagnostic = reply.join(' ');
    reply = [];
    if (replyCode < '400' || command === 'QUIT') return;
    if (command === 'RCPT') {
      const target = attempts[attempts.length - 1];
      if (target && !target.diagnostic) {
        target.diagnostic = diagnostic;
        target.command = 'RCPT';
      }
      return;
    }
    for (const a of attempts) {
      if (a.diagnostic) continue;
      a.diagnostic = diagnostic;
      a.command = command;
    }
  };
  let lastOut = false;
  for (const line of text.split('\n')) {
    const o = TRANSCRIPT_OUT.exec(line);
    if (o) {
      if (!lastOut || o[1] !== replyCode) settle();
      replyCode = o[1] ?? '';
      reply.push(`${o[1]}${o[2] === '-' ? '-' : ' '}${(o[3] ?? '').trim()}`);
      lastOut = true;
      continue;
    }
    if (lastOut && FOLDED.test(line) && reply.length > 0) {
      // a long reply folded onto the next line
      reply[reply.length - 1] += ' ' + line.trim();
      continue;
    }
    const i = TRANSCRIPT_IN.exec(line);
    if (!i) {
      lastOut = false;
      continue;
    }
    settle();
    lastOut = false;
    command = transcriptCommand(i[1] ?? '') ?? command;
    if (command === 'RCPT' && rcptIndex < rcpts.length) {
      const recipient = rcpts[rcptIndex++];
      if (recipient) attempts.push({ recipient });
    }
  }
  settle();
  const recipients: RawStatus[] = attempts
    .filter((a) => a.diagnostic)
    .map((a) => ({ recipient: a.recipient, action: 'failed', diagnostic: a.diagnostic, diagnosticType: 'SMTP', command: a.command }));
  if (recipients.length === 0) return null;
  return { mta: 'postfix', recipients: uniqueRecipients(recipients) };
}

export const postfix: Decoder = {
  name: 'postfix',
  decode(email: Email): Decoded | null {
    const kind = noticeKind(email);
    if (kind === 'transcript') return readTranscript(email);
    if (kind === 'bounce') return readBounce(email);
    return null;
  },
};
