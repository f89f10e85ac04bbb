// Sendmail 5 (and the IDA / early 8.x descendants that kept its savemail.c): a single plain-text part,
// Subject "Returned mail: <why>", no delivery report. The transcript names each failed recipient in
// Sendmail's "addr... why" form and shows the SMTP dialogue it came from:
//
//      ----- Transcript of session follows -----
//   While talking to mail.example.org:
//   >>> RCPT To:<joe@example.org>
//   <<< 550 <joe@example.org>... User unknown
//   550 <joe@example.org>... User unknown
//   421 example.net (smtp)... Deferred: Connection timed out during user open with example.net
//
//      ----- Unsent message follows -----
//
// Lines "NNN host (mailer)... why" are about a destination host rather than a recipient; when no line
// names a recipient, the returned message's To: is the recipient.
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { embeddedHeaders, type Email } from '../email.js';
import { MAX_ORIGINAL_CHARS } from '../limits.js';
import { uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const SUBJECT = 'returned mail:';
const TRANSCRIPT = /^[ \t]{0,8}-{3,}[ \t]{0,4}Transcript of session follows\s{0,4}-{3,}/im;
const ORIGINAL = /^[ \t]{0,8}-{3,}[ \t]{0,4}(?:Unsent message follows|No message was collected|Original message follows|Message header follows)\s{0,4}-{0,}/im;
const TALKING = /^While talking to ([^\s:]{1,255}?)\.?:\s*$/i;
// "550 <joe@example.org>... User unknown"
const ABOUT_RECIPIENT = /^(?:([245]\d\d)\s{1,4})?<([^<>\s]{1,512})>\.\.\.\s?(.*)$/;
// "421 example.net (smtp)... Deferred: …"
const ABOUT_HOST = /^([245]\d\d)\s{1,4}([^\s<>()]{1,255})\s{1,4}\(([a-z0-9_-]{1,32})\)\.\.\.\s?(.*)$/i;

const COMMANDS: readonly SmtpCommand[] = ['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'QUIT'];

function commandOf(line: string): SmtpCommand | undefined {
  const word = (line.trim().split(/[\s:]/, 1)[0] ?? '').toUpperCase();
  return COMMANDS.find((c) => c === word);
}

interface Session {
  host: string | undefined;
  command: SmtpCommand | undefined;
  reply: string | undefined;
}

export const v5sendmail: Decoder = {
  name: 'v5sendmail',
  decode(email: Email): Decoded | null {
    if (!email.subject.toLowerCase().startsWith(SUBJECT)) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' || p.type === '');
    const text = part?.text ?? '';
    const start = TRANSCRIPT.exec(text);
    if (!start) return null;
    const end = ORIGINAL.exec(text);
    const body = text.slice(start.index + start[0].length, end && end.index > start.index ? end.index : undefined);
    const original = end ? text.slice(end.index + end[0].length).replace(/^[^\n]*\n/, '').slice(0, MAX_ORIGINAL_CHARS) : undefined;

    const recipients: RawStatus[] = [];
    const hostLines: string[] = [];
    let hostOfLines: string | undefined;
    let session: Session = { host: undefined, command: undefined, reply: undefined };
    for (const raw of body.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      const talk = TALKING.exec(line);
      if (talk) {
        session = { host: talk[1], command: undefined, reply: undefined };
        continue;
      }
      if (line.startsWith('>>> ')) {
        session.command = commandOf(line.slice(4)) ?? session.command;
        session.reply = undefined;
        continue;
      }
      if (line.startsWith('<<< ')) {
        session.reply = session.reply ? `${session.reply} ${line.slice(4).trim()}` : line.slice(4).trim();
        continue;
      }
      const who = ABOUT_RECIPIENT.exec(line);
      if (who?.[2]) {
        const why = (who[3] ?? '').trim();
        const address = who[2];
        const known = recipients.find((r) => r.recipient.toLowerCase() === address.toLowerCase());
        const diagnostic = session.reply ? `${why}: ${session.reply}` : why || line;
        if (known) {
          known.diagnostic ??= diagnostic;
        } else {
          recipients.push({
            recipient: address,
            diagnostic,
            diagnosticType: 'SMTP',
            replyCode: who[1],
            command: session.reply ? session.command : undefined,
            remoteMta: session.host ?? hostOfLines,
          });
        }
        session.reply = undefined;
        continue;
      }
      const host = ABOUT_HOST.exec(line);
      if (host) {
        // a destination host's trouble: it closes the dialogue with that host; another host's ends it
        hostOfLines = host[2];
        hostLines.push((host[4] ?? '').trim());
        if (!session.host || host[2]?.toLowerCase() !== session.host.toLowerCase()) session = { host: undefined, command: undefined, reply: undefined };
        continue;
      }
      hostLines.push(line);
    }

    if (recipients.length === 0) {
      const to = original ? findAddress(embeddedHeaders(original).text('to')) : undefined;
      if (!to) return null;
      recipients.push({ recipient: to, diagnostic: hostLines.join(' ') || undefined, diagnosticType: 'SMTP', remoteMta: hostOfLines });
    }
    return { mta: 'v5sendmail', recipients: uniqueRecipients(recipients), original: original?.trim() ? original : undefined };
  },
};
