// DragonFly Mail Agent (dma, https://github.com/corecode/dma), the small MTA of DragonFly BSD and others:
// Subject "Mail delivery failed", a Received line "by host (DragonFly Mail Agent vX)", and one plain
// text part (mail.c):
//
//   This is the DragonFly Mail Agent v0.13 at host.example.org.
//
//   There was an error delivering your mail to <joe@example.org>.
//
//   mx.example.org [192.0.2.1] did not like our RCPT TO:
//   550 5.1.1 <joe@example.org>: Recipient address rejected: User unknown
//
//   Original message follows.            (or "Message headers follow.")
import { collapseWhitespace } from '../../classify/text.js';
import type { Reason } from '../../classify/reasons.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import { MAX_ORIGINAL_CHARS } from '../limits.js';
import { uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const OPENING = 'This is the DragonFly Mail Agent';
const RECIPIENT = /^There was an error delivering your mail to <([^<>\s]{1,512})>/;
const END = /^(?:Original message follows\.|Message headers follow\.)[ \t]*$/m;
// net.c: "%s [%s] did not like our %s:" -- host, address, what was sent.
const DID_NOT_LIKE = /^(\S{1,255}) \[[^\]\s]{1,64}\] did not like our ([A-Za-z ]{2,16}):/;

// dma's own errors (dma.c, net.c), each a fixed wording for one reason.
const OWN_ERRORS: ReadonlyArray<readonly [string, Reason]> = [
  ['Could not deliver for the last ', 'expired'],
  ['DNS lookup failure: host ', 'hostunknown'],
];

function commandOf(sent: string): SmtpCommand | undefined {
  const s = sent.trim().toUpperCase();
  if (s.endsWith('DATA')) return 'DATA';
  if (s.startsWith('RCPT')) return 'RCPT';
  if (s.startsWith('MAIL')) return 'MAIL';
  if (s.startsWith('EHLO')) return 'EHLO';
  if (s.startsWith('HELO')) return 'HELO';
  if (s.startsWith('STARTTLS')) return 'STARTTLS';
  if (s.startsWith('AUTH')) return 'AUTH';
  return undefined;
}

function isDragonfly(email: Email): boolean {
  if (!email.subject.includes('Mail delivery failed')) return false;
  return email.headers.all('received').some((r) => r.includes('(DragonFly Mail Agent')) || email.text.slice(0, 512).includes(OPENING);
}

export const dragonfly: Decoder = {
  name: 'dragonfly',
  decode(email: Email): Decoded | null {
    if (!isDragonfly(email)) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' || p.type === '');
    const text = part?.text ?? '';
    const end = END.exec(text);
    const body = end ? text.slice(0, end.index) : text;
    const recipients: RawStatus[] = [];
    let cur: { r: RawStatus; lines: string[] } | undefined;
    const flush = (): void => {
      if (!cur) return;
      const diagnostic = collapseWhitespace(cur.lines.join(' '));
      cur.r.diagnostic = diagnostic || undefined;
      const own = OWN_ERRORS.find(([phrase]) => diagnostic.startsWith(phrase));
      if (own) cur.r.reason = own[1];
      recipients.push(cur.r);
      cur = undefined;
    };
    for (const line of body.split('\n')) {
      const r = RECIPIENT.exec(line);
      if (r?.[1]) {
        flush();
        cur = { r: { recipient: r[1], action: 'failed', diagnosticType: 'SMTP' }, lines: [] };
        continue;
      }
      if (!cur || line.trim() === '') continue;
      const d = DID_NOT_LIKE.exec(line);
      if (d && cur.lines.length === 0) {
        cur.r.remoteMta = d[1];
        cur.r.command = commandOf(d[2] ?? '');
      }
      cur.lines.push(line.trim());
    }
    flush();
    if (recipients.length === 0) return null;
    let original: string | undefined;
    if (end) {
      const rest = text.slice(end.index + end[0].length, end.index + end[0].length + MAX_ORIGINAL_CHARS);
      original = rest.trim() ? rest : undefined;
    }
    return { mta: 'dragonfly', recipients: uniqueRecipients(recipients), original };
  },
};
