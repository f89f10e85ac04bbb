// qmail (https://cr.yp.to/qmail.html) and its descendants: netqmail, notqmail, qmail-ldap, vpopmail's
// vdelivermail, IndiMail. qmail-send writes one plain-text paragraph per failed address:
//
//   Hi. This is the qmail-send program at mx.example.jp.
//   I'm afraid I wasn't able to deliver your message to the following addresses.
//   This is a permanent error; I've given up. Sorry it didn't work out.
//
//   <kijitora@example.jp>:
//   192.0.2.153 does not like recipient.
//   Remote host said: 550 5.1.1 <kijitora@example.jp>... User Unknown
//   Giving up on 192.0.2.153.
//
//   --- Below this line is a copy of the message.
//
// The sentences around the remote server's reply are fixed texts of qmail-remote.c and qmail-local.c
// ("does not like recipient", "but sender was rejected", "Sorry, no mailbox here by that name. (#5.1.1)"),
// so they name the SMTP command and, for qmail's own errors, the reason. qmail's codes are written as
// "(#5.1.1)". IndiMail prefixes "From: <sender> RCPT: <rcpt>" and ends with "--- Enclosed is a copy of the
// message." in a multipart/mixed wrapper.
import type { Reason } from '../../classify/reasons.js';
import { findStatusCode } from '../../classify/status-code.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import { textPrefix, type Email } from '../email.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

// The first sentence of the report. QSBMF (cr.yp.to/proto/qsbmf.txt) has it begin "Hi. This is the";
// the other sentences are qmail derivatives seen in the wild that keep the layout.
const OPENERS = [
  'Hi. This is the ',
  'Hi. The MTA program at',
  'This is the mail delivery agent at',
  'This is the machine generated message from mail service',
  'Unfortunately, your mail was not delivered to the following address',
  'Your mail message to the following address',
  'Your message to the following addresses',
  'We\'re sorry. There\'s a problem',
  'Check your send e-mail address.',
  'Su mensaje no pudo ser entregado',
];

// Where the returned message starts.
const COPY_MARKER = /^(?:--- ?(?:Below this line is (?:a copy of the (?:message|mail header)|the original bounce)|Below the next line is a copy of the message|Enclosed is a copy of the message|Mensaje original adjunto)|Original message follows\.)/m;

const RECIPIENT_LINE = /^<([^<>\s]{1,512})>:\s*$/;

// qmail-remote's sentences and the command each one reports on.
const COMMANDS: ReadonlyArray<readonly [string, SmtpCommand]> = [
  [' but greeting failed', 'CONN'],
  [' but my name was rejected', 'EHLO'],
  [' but sender was rejected', 'MAIL'],
  [' does not like recipient', 'RCPT'],
  [' failed on DATA command', 'DATA'],
  [' failed after I sent the message', 'DATA'],
];

const PROGRESS = /most progress was ([A-Z]{4}) /;
const PROGRESS_COMMANDS: Readonly<Record<string, SmtpCommand>> = {
  HELO: 'HELO', EHLO: 'EHLO', MAIL: 'MAIL', RCPT: 'RCPT', DATA: 'DATA',
};

// qmail's own error texts (qmail-local, qmail-remote, error_str.c, qmail-ldap, vpopmail) and their reasons.
const FIXED_REASONS: ReadonlyArray<readonly [string, Reason]> = [
  ['no mailbox here by that name', 'userunknown'],
  ['sorry, i couldn\'t find any host ', 'hostunknown'],
  ['sorry, i couldn\'t find a mail exchanger or ip address', 'notaccept'],
  ['sorry, i wasn\'t able to establish an smtp connection', 'networkerror'],
  ['sorry. although i\'m listed as a best-preference mx or a for that host', 'networkerror'],
  ['disk quota exceeded', 'mailboxfull'],
  ['user is over quota', 'mailboxfull'],
  ['message size exceeds fixed maximum message size', 'mesgtoobig'],
  ['the message exeeded the maximum size the user accepts', 'exceedlimit'],
  ['mailaddress is administrativ', 'suspend'],
  ['account is locked email bounced', 'suspend'],
  ['automatic homedir creator crashed', 'systemerror'],
  ['illegal value in ldap attribute', 'systemerror'],
  ['ldap attribute is not given but mandatory', 'systemerror'],
  ['timeout while performing search on ldap server', 'systemerror'],
  ['too many results returned but needs to be unique', 'systemerror'],
  ['permanent error while executing qmail-forward', 'systemerror'],
  ['temporary error in automatic homedir creation', 'systemerror'],
  ['temporary error while executing qmail-forward', 'systemerror'],
  ['temporary failure in ldap lookup', 'systemerror'],
  ['unable to contact ldap server', 'systemerror'],
  ['unable to login into ldap server', 'systemerror'],
  ['bad interpreter: no such file or directory', 'systemerror'],
];

const QUEUE_TOO_LONG = 'this message has been in the queue too long';

const REMOTE_SAID = /[Rr]emote host (?:\S{1,255} )?said(?:\[[^\]]{0,40}\])?: ?([245]\d\d)(?:[ -]|$)/;
// Where qmail-remote names the host: the word after these markers, or before these sentences.
const HOST_AFTER = ['Giving up on ', 'Connected to ', 'remote host '];
const HOST_BEFORE = [' does not like recipient', ' failed after I sent the message', ' failed on DATA command'];

function looksLikeQmail(email: Email): boolean {
  if (email.subject.trim().toLowerCase() === 'failure notice') return true;
  for (const r of email.headers.all('received')) {
    if (r.includes('(qmail ') || r.includes('invoked for bounce')) return true;
  }
  // QSBMF's greeting near the top of the body (its first "Hi. " within the first 4096 characters:
  // only that much is searched, and only the parts it spans are decoded)
  const text = textPrefix(email, 4096 + 'Hi. The MTA program at'.length);
  const at = text.slice(0, 4096 + 'Hi. '.length - 1).indexOf('Hi. ');
  return at >= 0 && (text.startsWith('Hi. This is the ', at) || text.startsWith('Hi. The MTA program at', at));
}

/** The plain-text part with qmail's prose. */
function reportText(email: Email): string {
  if (email.parts.length <= 1) return email.text;
  const plain = email.parts.find((p) => p.type === 'text/plain' && p.depth <= 1);
  return plain?.text ?? '';
}

interface Paragraph {
  recipient: string;
  lines: string[];
}

function readParagraphs(lines: readonly string[], headless: boolean): Paragraph[] {
  const out: Paragraph[] = [];
  let opened = headless;
  let cur: Paragraph | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (!opened) {
      if (OPENERS.some((o) => line.includes(o))) opened = true;
      continue;
    }
    if (line === '') {
      cur = undefined;
      continue;
    }
    // QSBMF: the break paragraph, a line beginning with "-", ends the recipient paragraphs
    if (line.startsWith('-') && cur === undefined && out.length > 0) break;
    const m = RECIPIENT_LINE.exec(line);
    if (m?.[1]) {
      cur = isAddress(m[1]) ? { recipient: m[1], lines: [] } : undefined;
      if (cur) out.push(cur);
      continue;
    }
    if (cur && cur.lines.length < 40) cur.lines.push(line);
  }
  return out;
}

/** qmail's own words: everything before the remote server's reply. */
function ownText(lines: readonly string[]): string {
  const own: string[] = [];
  for (const line of lines) {
    if (line.startsWith('Remote host said')) break;
    own.push(line);
  }
  return own.join(' ');
}

function reasonOf(lines: readonly string[], command: SmtpCommand | undefined, diagnostic: string): Reason | undefined {
  if (command === 'EHLO') return 'blocked';
  const own = ownText(lines).toLowerCase();
  for (const [phrase, reason] of FIXED_REASONS) if (own.includes(phrase)) return reason;
  // qmail-local's errors ("Unable to open ...", "Unable to chdir to maildir") are failures of the local system
  if (lines.some((l) => l.startsWith('Unable to '))) return 'systemerror';
  const remote = REMOTE_SAID.test(diagnostic) || diagnostic.includes(' said: ');
  if (!remote && own.includes(QUEUE_TOO_LONG)) return 'expired';
  return undefined;
}

function commandOf(diagnostic: string): SmtpCommand | undefined {
  for (const [phrase, command] of COMMANDS) if (diagnostic.includes(phrase)) return command;
  // "Sorry, no SMTP connection got far enough; most progress was RCPT TO response; ..."
  const word = PROGRESS.exec(diagnostic)?.[1];
  if (word) return PROGRESS_COMMANDS[word];
  return findCommand(diagnostic);
}

function remoteOf(diagnostic: string): string | undefined {
  for (const marker of HOST_AFTER) {
    const at = diagnostic.indexOf(marker);
    if (at < 0) continue;
    const word = diagnostic.slice(at + marker.length).split(/\s/, 1)[0]?.replace(/\.$/, '');
    if (word) return word;
  }
  for (const sentence of HOST_BEFORE) {
    const at = diagnostic.indexOf(sentence);
    if (at <= 0) continue;
    const word = diagnostic.slice(diagnostic.lastIndexOf(' ', at - 1) + 1, at);
    if (word) return word;
  }
  return undefined;
}

function toStatus(p: Paragraph): RawStatus {
  const diagnostic = p.lines.join(' ');
  const command = commandOf(diagnostic);
  const reason = reasonOf(p.lines, command, diagnostic);
  return {
    recipient: p.recipient,
    action: 'failed',
    status: findStatusCode(diagnostic),
    replyCode: REMOTE_SAID.exec(diagnostic)?.[1],
    diagnostic: diagnostic || undefined,
    remoteMta: remoteOf(diagnostic),
    command,
    reason,
  };
}

export const qmail: Decoder = {
  name: 'qmail',
  decode(email: Email): Decoded | null {
    if (!looksLikeQmail(email)) return null;
    const body = reportText(email);
    // A report part may have lost its opening paragraph (a part without headers whose first lines were
    // read as a header block); it then begins with the first "<address>:" line.
    const top = body.length > 4096 ? body.slice(0, 4096) : body;
    const headless = !OPENERS.some((o) => top.includes(o));
    if (headless && !RECIPIENT_LINE.test(body.trimStart().split('\n', 1)[0] ?? '')) return null;
    const copyAt = body.search(COPY_MARKER);
    const report = copyAt >= 0 ? body.slice(0, copyAt) : body;
    const paragraphs = readParagraphs(report.split('\n'), headless);
    if (paragraphs.length === 0) return null;
    let original: string | undefined;
    if (copyAt >= 0) {
      const eol = body.indexOf('\n', copyAt);
      if (eol >= 0) original = body.slice(eol + 1).replace(/^\n+/, '');
    }
    return { mta: 'qmail', recipients: paragraphs.map(toStatus), original };
  },
};
