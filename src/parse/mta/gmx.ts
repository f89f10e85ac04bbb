// GMX and mail.com (1&1's international mail service), from MAILER-DAEMON@…gmx… (X-GMX-Antispam header):
//
//   This message was created automatically by mail delivery software.
//   A message that you sent could not be delivered to one or more of
//   its recipients. This is a permanent error. The following address
//   failed:
//
//   "shironeko@example.jp":
//   SMTP error from remote server after RCPT command:
//   host: mx.example.jp
//   5.1.1 <shironeko@example.jp>... User Unknown
//
//   (or "<kijitora@example.jp>" / "Reason:" / "delivery retry timeout exceeded"; newer servers write the
//   session on one line: "SMTP error from remote server for RCPT TO command, host: mx.example.jp
//   (192.0.2.1) reason: 550 5.1.1 <shironeko@example.jp>... User Unknown")
//
//   --- The header of the original message is following. ---
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const START = 'This message was created automatically by mail delivery software';
const ORIGINAL = '--- The header of the original message is following. ---';
const RECIPIENT = /^["<]([^"<>\s]{3,320})[">]:?$/;
const SMTP_ERROR = /^SMTP error from remote server/i;
const HOST = /^host:\s*(\S{1,255})/i;
const INLINE_HOST = /\bhost:\s*([A-Za-z0-9][A-Za-z0-9.-]{0,253})/i;
const INLINE_REASON = /\breason:\s*(.+)$/i;
const SESSION_COMMAND = /\b(?:after|for) (RCPT|MAIL|DATA|HELO|EHLO|AUTH|STARTTLS)\b/i;
const STATUS_IN = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/;
const REPLY_START = /^([245]\d\d)(?=[\s-]|$)/;
const TIMEOUT = 'delivery retry timeout exceeded';

interface Block {
  recipient: string;
  lines: string[];
  session?: string;
  host?: string;
}

function sessionCommand(session: string): SmtpCommand | undefined {
  const m = SESSION_COMMAND.exec(session);
  return (m?.[1]?.toUpperCase() as SmtpCommand | undefined) ?? findCommand(session);
}

const SENDER = /mailer-daemon@(?:[a-z0-9-]{1,63}\.){0,3}(?:gmx\.[a-z.]{2,8}|mail\.com)\b/i;

export const gmx: Decoder = {
  name: 'gmx',
  decode(email: Email): Decoded | null {
    const h = email.headers;
    if (!h.has('x-gmx-antispam') && !SENDER.test(email.from)) {
      return null;
    }
    const text = email.parts.find((p) => p.type === 'text/plain')?.text ?? email.text;
    const at = text.indexOf(START);
    if (at < 0) return null;
    const end = text.indexOf(ORIGINAL, at);
    const blocks: Block[] = [];
    let cur: Block | null = null;
    for (const line of text.slice(at, end < 0 ? Math.min(text.length, at + 65536) : end).split('\n')) {
      const t = line.trim();
      if (t === '') continue;
      const m = RECIPIENT.exec(t);
      if (m?.[1] && isAddress(m[1])) {
        cur = { recipient: m[1], lines: [] };
        blocks.push(cur);
        continue;
      }
      if (!cur) continue;
      const host = HOST.exec(t);
      if (SMTP_ERROR.test(t)) {
        cur.session = t;
        const reason = INLINE_REASON.exec(t);
        if (reason?.[1]) cur.lines.push(reason[1].trim());
        cur.host ??= INLINE_HOST.exec(t)?.[1];
      } else if (host?.[1]) cur.host = host[1];
      else if (t !== 'Reason:') cur.lines.push(t);
    }
    const recipients: RawStatus[] = blocks.map((b) => {
      const diagnostic = b.lines.join(' ');
      return {
        recipient: b.recipient,
        action: 'failed',
        status: STATUS_IN.exec(diagnostic)?.[1],
        replyCode: REPLY_START.exec(diagnostic)?.[1],
        diagnostic,
        remoteMta: b.host,
        command: b.session ? sessionCommand(b.session) : undefined,
        reason: diagnostic.includes(TIMEOUT) ? 'expired' : undefined,
      };
    });
    if (recipients.length === 0) return null;
    return { mta: 'gmx', recipients, original: end < 0 ? undefined : text.slice(end + ORIGINAL.length).replace(/^\s*\n/, '') };
  },
};
