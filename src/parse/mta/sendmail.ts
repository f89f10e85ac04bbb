// Sendmail 8 (and Sendmail Sentrion / Proofpoint's open-source sendmail) returned-mail notices, written by
// savemail.c. Subjects "Returned mail: <why>", "Warning: could not send message for past N hours",
// "Postmaster notify: …", "Postmaster warning: …". The readable part has fixed section lines:
//
//      ----- The following addresses had permanent fatal errors -----
//   <joe@example.org>
//       (reason: 550 5.1.1 <joe@example.org>... User unknown)
//       (expanded from: <alias@example.com>)
//
//      ----- Transcript of session follows -----
//   ... while talking to mx.example.org.:
//   >>> RCPT To:<joe@example.org>
//   <<< 550 5.1.1 <joe@example.org>... User unknown
//   550 5.1.1 <joe@example.org>... User unknown
//
// ("transient non-fatal errors" in delay warnings), then an RFC 3464 report (8.7 and later) and the
// returned message or its headers ("----- Original message follows -----" in plain-text notices). The
// report's Diagnostic-Code holds only the first line of a multi-line reply (or, for local delivery, an
// exit status such as "X-Unix; 77"); the transcript holds the rest, so the two are read together.
import { collapseWhitespace } from '../../classify/text.js';
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import { returnedPart, type Email, type Part } from '../email.js';
import { MAX_ORIGINAL_CHARS } from '../limits.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Action, Decoded, RawStatus, SmtpCommand } from '../types.js';

// Subject beginnings savemail.c writes (lower case), after an optional forwarding prefix.
const SUBJECTS: readonly string[] = [
  'returned mail:', 'warning: could not send message', 'postmaster notify:', 'postmaster warning:', 'warning: ',
  'return receipt',
];
const FORWARD_PREFIX = /^(?:(?:fwd?|fw|tr|wg|rv|enc)\s{0,2}:\s{0,4})+/i;

const LIST_SECTION = /^The following addresses had (permanent fatal errors|transient non-fatal errors|successful delivery notifications)/i;
const TRANSCRIPT_SECTION = /^Transcript of session (?:follows|is unavailable)/i;
const ORIGINAL_SECTION = /^(?:Original message follows|Message header follows|Message body suppressed|Unsent message follows|Original message headers follow)/i;

const TALKING = /^\.\.\. while talking to ([^\s:]{1,255}?)\.?:\s*$/i;
// "550 5.1.1 <joe@example.org>... User unknown" or "<joe@example.org>... Deferred: …"
const ABOUT_RECIPIENT = /^(?:[245]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3}\s)?\s{0,4})?<([^<>\s]{1,512})>\.\.\.\s?(.*)$/;
const CODE_LINE = /^[245]\d\d[ -]/;
const REASON = /^\s{1,12}\(reason:\s?(.*)\)\s*$/i;
const EXPANDED = /^\s{1,12}\(expanded from:\s?(.*)\)\s*$/i;
const INLINE_REPORT = /^(?:Final-Recipient|Original-Recipient)[ \t]*:/im;
// Sendmail's notes on giving up or retrying ("Message could not be delivered for 5 days").
const GIVE_UP_NOTE = /^(?:Message |Warning: |Will keep trying)/;
// Report fields or a part header after a transcript (plain-text and forwarded notices).
const TRANSCRIPT_END = /^(?:Reporting-MTA|Final-Recipient|Content-Type):/i;
const CONTINUED_REPLY = /^\d{3}-/;
// A section line quoted by a forwarder.
const QUOTED_SECTION = /^>[ >]?\s{0,4}-{3,} ?(?:Transcript of session|The following addresses)/m;

const COMMANDS: readonly SmtpCommand[] = ['HELO', 'EHLO', 'STARTTLS', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'QUIT'];

/** How much of a notice is read. */
const MAX_NOTICE_CHARS = 256 * 1024;
/** Transcript lines kept; real transcripts have a few dozen. Bounds the per-recipient lookups. */
const MAX_EVENTS = 2048;

interface Listed {
  address: string;
  reason: string;
  alias: string | undefined;
  action: Action;
}

/** One line of a session transcript. */
type Event =
  | { kind: 'talk'; host: string }
  | { kind: 'send'; command: SmtpCommand | undefined; line: string }
  | { kind: 'reply'; text: string }
  | { kind: 'about'; address: string; text: string; line: string }
  | { kind: 'local'; text: string };

interface Notice {
  listed: Listed[];
  events: Event[];
  /** Text after the returned-message section line, for plain-text notices. */
  original: string | undefined;
}

/** Sendmail's subjects, or its daemon's name when a site changed the subject. */
function headersFit(email: Email): boolean {
  const subject = email.subject.replace(FORWARD_PREFIX, '').toLowerCase();
  return SUBJECTS.some((s) => subject.startsWith(s)) || email.from.includes('Mail Delivery Subsystem');
}

/** The section lines are what make a notice Sendmail's. */
function hasSections(text: string): boolean {
  return text.includes('----- Transcript of session') || text.includes('----- The following addresses had');
}

/** The readable notice: the first text part (the whole body of a single-part message). */
function noticePart(email: Email): Part | undefined {
  return email.parts.find((p) => p.type === 'text/plain' || p.type === '');
}

/** A notice forwarded with its lines quoted ("> "): strip one level of quoting. */
function unquote(text: string): string {
  if (!QUOTED_SECTION.test(text)) return text;
  return text
    .split('\n')
    .map((l) => (l.startsWith('> ') ? l.slice(2) : l.startsWith('>') ? l.slice(1) : l))
    .join('\n');
}

function commandOf(line: string): SmtpCommand | undefined {
  const word = (line.trim().split(/[\s:]/, 1)[0] ?? '').toUpperCase();
  if (word === '.') return 'DATA';
  return COMMANDS.find((c) => c === word);
}

/** "   ----- Transcript of session follows -----" -> "Transcript of session follows"; "" for other lines. */
function sectionTitle(line: string): string {
  if (!line.includes('---')) return ''; // most lines: no copy, no scan beyond this
  const t = line.trim();
  if (!t.startsWith('---') || t.length > 120) return '';
  let start = 0;
  while (start < t.length && t.charCodeAt(start) === 45) start++;
  let end = t.length;
  while (end > start && t.charCodeAt(end - 1) === 45) end--;
  return t.slice(start, end).trim();
}

function readNotice(text: string): Notice {
  const listed: Listed[] = [];
  const events: Event[] = [];
  let section: 'none' | 'list' | 'transcript' = 'none';
  let action: Action = 'failed';
  let original: string | undefined;
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    offset += line.length + 1;
    const title = sectionTitle(line);
    if (title) {
      const list = LIST_SECTION.exec(title);
      if (list) {
        section = 'list';
        const what = (list[1] ?? '').toLowerCase();
        action = what.startsWith('permanent') ? 'failed' : what.startsWith('transient') ? 'delayed' : 'delivered';
        continue;
      }
      if (TRANSCRIPT_SECTION.test(title)) {
        section = 'transcript';
        continue;
      }
      if (ORIGINAL_SECTION.test(title)) {
        const rest = text.slice(offset, offset + MAX_ORIGINAL_CHARS);
        original = rest.trim() === '' ? undefined : rest;
        break;
      }
    }
    if (section === 'list') {
      if (line.startsWith('<')) {
        const address = findAddress(line);
        if (address) listed.push({ address, reason: '', alias: undefined, action });
        continue;
      }
      const last = listed[listed.length - 1];
      const r = REASON.exec(line);
      if (r && last) {
        last.reason = (r[1] ?? '').trim();
        continue;
      }
      const x = EXPANDED.exec(line);
      if (x && last) last.alias = findAddress(x[1] ?? '');
      continue;
    }
    if (section !== 'transcript' || events.length >= MAX_EVENTS) continue;
    // the transcript ends at a blank line, a MIME boundary or inline report fields
    if (line.trim() === '' || line.startsWith('--') || TRANSCRIPT_END.test(line)) {
      section = 'none';
      continue;
    }
    const talk = TALKING.exec(line);
    if (talk) {
      events.push({ kind: 'talk', host: talk[1] ?? '' });
    } else if (line.startsWith('>>> ')) {
      events.push({ kind: 'send', command: commandOf(line.slice(4)), line: line.slice(4).trim() });
    } else if (line.startsWith('<<< ')) {
      events.push({ kind: 'reply', text: line.slice(4).trim() });
    } else {
      const about = ABOUT_RECIPIENT.exec(line.trim());
      if (about?.[1]) events.push({ kind: 'about', address: about[1], text: (about[2] ?? '').trim(), line: line.trim() });
      else events.push({ kind: 'local', text: line.trim() });
    }
  }
  return { listed, events, original };
}

/** Collapse whitespace so folded and unfolded copies of one text compare equal. (Free for text
 *  that has no runs to collapse.) */
const squash = collapseWhitespace;

/** A diagnostic worth keeping: it says something in words (not "77", not empty). */
function meaningful(s: string | undefined): s is string {
  return !!s && /[A-Za-z]/.test(s);
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

interface Reply {
  reply: string;
  command: SmtpCommand;
  host: string | undefined;
}

/**
 * Every server reply of the transcript, keyed by its first line (whitespace collapsed), joined with
 * its continuation lines ("550-…" "<<< " lines up to "550 …"), with the command it answered and the host.
 * A report's Diagnostic-Code holds only that first line.
 */
function indexReplies(events: readonly Event[]): Map<string, Reply> {
  const replies = new Map<string, Reply>();
  let host: string | undefined;
  let command: SmtpCommand | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!e) continue;
    if (e.kind === 'talk') {
      host = e.host;
      command = undefined;
    } else if (e.kind === 'send') {
      command = e.command;
    } else if (e.kind === 'reply') {
      const key = squash(e.text);
      const lines = [e.text];
      let j = i + 1;
      for (; j < events.length && CONTINUED_REPLY.test(lines[lines.length - 1] ?? ''); j++) {
        const next = events[j];
        if (next?.kind !== 'reply') break;
        lines.push(next.text);
      }
      if (!replies.has(key)) replies.set(key, { reply: lines.join(' '), command: command ?? 'CONN', host });
      i = j - 1;
    }
  }
  return replies;
}

interface About {
  lines: string[];
  host?: string;
  command?: SmtpCommand;
}

/**
 * Transcript facts per recipient (lower-cased address): Sendmail's own lines naming it ("550 5.1.1
 * <joe@…>... User unknown"), preceded by what a local delivery program printed just before (e.g.
 * "mail.local: unknown user: joe", which the sysexits line after it only summarises), and the session
 * it was in. One pass over the transcript.
 */
function aboutRecipients(events: readonly Event[]): Map<string, About> {
  const about = new Map<string, About>();
  const entry = (address: string): About => {
    const key = address.toLowerCase();
    let a = about.get(key);
    if (!a) {
      a = { lines: [] };
      about.set(key, a);
    }
    return a;
  };
  let host: string | undefined;
  let command: SmtpCommand | undefined;
  let output: string[] = [];
  let previous: Event['kind'] | undefined;
  for (const e of events) {
    const after = previous;
    previous = e.kind;
    if (e.kind === 'talk') {
      host = e.host;
      output = [];
    } else if (e.kind === 'send') {
      command = e.command;
      output = [];
      const a = e.command === 'RCPT' ? findAddress(e.line) : undefined;
      if (a && host) entry(a).host ??= host;
    } else if (e.kind === 'local') {
      if (!CODE_LINE.test(e.text) && !GIVE_UP_NOTE.test(e.text) && output.length < 8) output.push(e.text);
    } else if (e.kind === 'about') {
      const a = entry(e.address);
      if (a.lines.length < 16) a.lines.push(...output, CODE_LINE.test(e.line) ? e.line : e.text);
      // Sendmail's line right after a server reply restates that reply: the session is the recipient's
      if (after === 'reply') {
        a.host ??= host;
        a.command ??= command;
      }
      output = [];
    }
  }
  return about;
}

/** Lines of the transcript that are about the delivery as a whole (local errors, give-up notes). */
function generalLines(events: readonly Event[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (e.kind !== 'local') continue;
    if (CODE_LINE.test(e.text) || GIVE_UP_NOTE.test(e.text)) out.push(e.text);
  }
  return out;
}

interface Facts {
  listed: Map<string, Listed>;
  about: Map<string, About>;
  replies: Map<string, Reply>;
  general: string[];
}

function factsOf(notice: Notice): Facts {
  const listed = new Map<string, Listed>();
  for (const l of notice.listed) if (!listed.has(l.address.toLowerCase())) listed.set(l.address.toLowerCase(), l);
  return { listed, about: aboutRecipients(notice.events), replies: indexReplies(notice.events), general: generalLines(notice.events) };
}

/** Complete one recipient from the notice's list and transcript. */
function complete(r: RawStatus, facts: Facts, single: boolean): RawStatus {
  const out: RawStatus = { ...r };
  const listed = facts.listed.get(r.recipient.toLowerCase()) ?? (r.alias ? facts.listed.get(r.alias.toLowerCase()) : undefined);
  if (!out.alias && listed?.alias && !sameAddress(listed.alias, out.recipient)) out.alias = listed.alias;
  if (!out.action && listed) out.action = listed.action;
  const about: About = facts.about.get(r.recipient.toLowerCase()) ?? { lines: [] };
  let diagnostic = meaningful(out.diagnostic) ? out.diagnostic : undefined;
  if (!diagnostic) {
    const general = facts.general;
    const pieces = about.lines.length > 0 ? [...about.lines, ...general.filter((g) => !CODE_LINE.test(g))] : general;
    if (pieces.length > 0 && (about.lines.length > 0 || single)) diagnostic = pieces.join(' ');
    else if (meaningful(listed?.reason)) diagnostic = listed.reason;
  }
  out.diagnostic = diagnostic ?? (out.diagnostic || undefined);
  if (out.diagnostic) {
    const reply = facts.replies.get(squash(out.diagnostic));
    if (reply) {
      if (reply.reply.length > out.diagnostic.length) out.diagnostic = reply.reply;
      out.command = reply.command;
      if (!out.remoteMta && reply.host) out.remoteMta = reply.host;
    }
  }
  out.command ??= about.command ?? (out.diagnostic ? findCommand(out.diagnostic) : undefined);
  if (!out.remoteMta && about.host) out.remoteMta = about.host;
  return out;
}

/** Report fields written into a plain-text body (old or forwarded notices), from the first field on. */
function inlineReport(text: string): string {
  const found = INLINE_REPORT.exec(text);
  if (!found) return '';
  const back = text.lastIndexOf('Reporting-MTA:', found.index);
  const start = back >= 0 && found.index - back < 4096 ? back : found.index;
  return text.slice(start, start + 64 * 1024);
}

export const sendmail: Decoder = {
  name: 'sendmail',
  decode(email: Email): Decoded | null {
    if (!headersFit(email)) return null;
    const part = noticePart(email);
    let text = part?.text ?? '';
    if (text.length > MAX_NOTICE_CHARS) text = text.slice(0, MAX_NOTICE_CHARS);
    if (!hasSections(text)) return null; // (quoted "> ----- Transcript" lines contain the same words)
    text = unquote(text);
    const notice = readNotice(text);
    const report = deliveryStatusPart(email)?.text ?? inlineReport(text);
    let recipients: RawStatus[] = report ? readDeliveryStatus(report) : [];
    if (recipients.length === 0) {
      // Sendmail without DSN support: the address list is all there is
      recipients = notice.listed.map((l) => ({ recipient: l.address, alias: l.alias, action: l.action }));
    }
    if (recipients.length === 0) return null;
    const single = recipients.length === 1;
    const facts = factsOf(notice);
    const out = recipients.map((r) => complete(r, facts, single));
    const original = returnedPart(email) ? undefined : notice.original;
    return { mta: 'sendmail', recipients: uniqueRecipients(out), original };
  },
};
