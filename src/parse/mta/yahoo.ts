// Yahoo! Mail (and Yahoo! JAPAN, AOL since its move to Yahoo's servers), "Failure Notice":
//
//   Sorry, we were unable to deliver your message to the following address.
//
//   <kijitora@example.org>:
//   Remote host said: 550 5.1.1 <kijitora@example.org>... User Unknown [RCPT_TO]
//
//   --- Below this line is a copy of the message.
//
// (The earlier "Message from yahoo.co.jp. Unable to deliver message to the following address(es)." notice
// is the reference parser's unidentified MTA #2: x2.ts.)
// The reply may run over several lines ("Remote host said:" / the reply / "[RCPT_TO]"), or be written
// "550: 5.1.1 <…>… User Unknown" (the newer "sonic" servers), or be Yahoo's own sentence. The bracketed
// token names the SMTP command the remote server refused.
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';
import { isAddress } from '../address.js';

const START = 'Sorry, we were unable to deliver your message to the following address';
const COPY = '--- Below this line is a copy of the message.';
const RECIPIENT = /^<([^<>\s]{1,320})>:?$/;
const SAID = /^Remote host said:\s*/i;
const COMMAND_TOKEN = /\[(RCPT_TO|MAIL_FROM|DATA|CONNECT|HELO|EHLO|AUTH|BDAT)\]/;
const STATUS_IN = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/;
const REPLY_START = /^([245]\d\d)(?=[\s:-]|$)/;
const SENDER = /^mailer-daemon@(?:[a-z0-9-]{1,63}\.){0,4}yahoo(?:inc)?\.(?:com|co\.jp|[a-z.]{2,8})\b/i;
const UP_TO_ANGLE = /^.*</;
const GAVE_UP = 'Unable to deliver message after multiple retries';

const TOKEN_COMMANDS: Readonly<Record<string, SmtpCommand>> = {
  RCPT_TO: 'RCPT', MAIL_FROM: 'MAIL', DATA: 'DATA', CONNECT: 'CONN', HELO: 'HELO', EHLO: 'EHLO', AUTH: 'AUTH', BDAT: 'BDAT',
};

interface Block {
  recipient: string;
  lines: string[];
  command?: SmtpCommand | undefined;
}

function isYahoo(email: Email): boolean {
  const h = email.headers;
  if (h.has('x-ymailisg') || h.has('x-yahoo-newman-property')) return true;
  if (!email.from.toLowerCase().includes('yahoo')) return false;
  return SENDER.test(email.from.replace(UP_TO_ANGLE, ''));
}

export const yahoo: Decoder = {
  name: 'yahoo',
  decode(email: Email): Decoded | null {
    if (!isYahoo(email)) return null;
    const text = email.parts.find((p) => p.type === 'text/plain')?.text ?? email.text;
    const at = text.indexOf(START);
    if (at < 0) return null;
    const copyAt = text.indexOf(COPY, at);
    const body = text.slice(at, copyAt < 0 ? Math.min(text.length, at + 65536) : copyAt);
    const recipients: RawStatus[] = [];
    let cur: Block | null = null;
    const blocks: Block[] = [];
    for (const line of body.split('\n').slice(1)) {
      const t = line.trim();
      if (t === '') continue;
      const m = RECIPIENT.exec(t);
      if (m?.[1] && isAddress(m[1])) {
        cur = { recipient: m[1], lines: [] };
        blocks.push(cur);
        continue;
      }
      if (!cur) continue;
      let rest = t.replace(SAID, '');
      const tok = COMMAND_TOKEN.exec(rest);
      if (tok) {
        cur.command = TOKEN_COMMANDS[tok[1] ?? ''];
        rest = (rest.slice(0, tok.index).trimEnd() + ' ' + rest.slice(tok.index + tok[0].length).trimStart()).trim();
      }
      if (rest) cur.lines.push(rest);
    }
    for (const b of blocks) {
      const diagnostic = b.lines.join(' ');
      // the newer servers drop the token; a reply that names the recipient "<addr>" refused its RCPT TO
      b.command ??= REPLY_START.test(diagnostic) && diagnostic.includes('<' + b.recipient + '>') ? 'RCPT' : undefined;
      recipients.push({
        recipient: b.recipient,
        action: 'failed',
        status: STATUS_IN.exec(diagnostic)?.[1],
        replyCode: REPLY_START.exec(diagnostic)?.[1],
        diagnostic,
        command: b.command,
        reason: diagnostic.includes(GAVE_UP) ? 'expired' : undefined,
      });
    }
    if (recipients.length === 0) return null;
    return { mta: 'yahoo', recipients, original: copyAt < 0 ? undefined : text.slice(copyAt + COPY.length).replace(/^\s*\n/, '') };
  },
};
