// Mail.Ru (Exim), from mailer-daemon@corp.mail.ru: a Russian summary, then Exim's own report:
//
//   This message was created automatically by mail delivery software.
//   A message that you sent could not be delivered to one or more of its
//   recipients. This is a permanent error. The following address(es) failed:
//
//     kijitora@example.jp
//       SMTP error from remote mail server after RCPT TO:<kijitora@example.jp>:
//       host mx.example.jp [192.0.2.222]: 550 5.1.1 <kijitora@example.jp>... User Unknown
//
//   ------ This is a copy of the message, including all the headers. ------
//
// Both summaries list each failed address indented two spaces with its reason indented further below it.
import type { Reason } from '../../classify/reasons.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';

const MAILER_DAEMON = /mailer-daemon@/i;
const MAILRU = /@(?:[a-z0-9-]{1,63}\.){0,4}mail\.ru\b/i;
const COPY = /^-{3,} This is a copy of the message/;
const ADDRESS_LINE = /^ {1,3}(\S{3,320})(?:\s.*)?$/;
const DETAIL_LINE = /^(?: {4,}|\t)(\S.*)$/;
const HOST = /\bhost ([A-Za-z0-9][A-Za-z0-9.-]{0,253}) \[[0-9a-fA-F.:]{3,45}\]/;
const STATUS_IN = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/;
const REPLY_AFTER_HOST = /\]:\s*([245]\d\d)(?=[\s-])/;
const REPLY_START = /^([245]\d\d)(?=[\s-])/;

// Exim's fixed wordings for failures it decides itself.
const EXIM_REASONS: ReadonlyArray<readonly [string, Reason]> = [
  ['Unrouteable address', 'hostunknown'],
  ['Unrouteable mail domain', 'hostunknown'],
  ['all relevant MX records point to non-existent hosts', 'hostunknown'],
  ['an MX or SRV record indicated no SMTP service', 'notaccept'],
  ['retry timeout exceeded', 'expired'],
  ['retry time not reached for any host after a long failure period', 'expired'],
  ['mailbox is full', 'mailboxfull'],
];

interface Block {
  recipient: string;
  lines: string[];
}

export const mailru: Decoder = {
  name: 'mailru',
  decode(email: Email): Decoded | null {
    if (!MAILER_DAEMON.test(email.from)) return null;
    if (!MAILRU.test(email.from) && !MAILRU.test(email.headers.text('message-id'))) return null;
    const text = email.parts.find((p) => p.type === 'text/plain')?.text ?? email.text;
    const lines = text.slice(0, 131072).split('\n');
    const delayed = text.includes('has not yet been delivered to one or more of its recipients');
    const found: RawStatus[] = [];
    let cur: Block | null = null;
    const blocks: Block[] = [];
    let original: string | undefined;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (COPY.test(line)) {
        original = lines.slice(i + 1).join('\n').replace(/^\s*\n/, '');
        break;
      }
      if (line.trim() === '') {
        cur = null;
        continue;
      }
      const a = ADDRESS_LINE.exec(line);
      if (a?.[1] && isAddress(a[1].replace(/^<|>:?$/g, ''))) {
        cur = { recipient: a[1].replace(/^<|>:?$/g, ''), lines: [] };
        blocks.push(cur);
        continue;
      }
      const d = DETAIL_LINE.exec(line);
      if (cur && d?.[1]) cur.lines.push(d[1].trim());
      else cur = null;
    }
    for (const b of blocks) {
      const diagnostic = b.lines.join(' ');
      const r: RawStatus = {
        recipient: b.recipient,
        action: delayed ? 'delayed' : 'failed',
        diagnostic: diagnostic || undefined,
        status: STATUS_IN.exec(diagnostic)?.[1],
        replyCode: REPLY_AFTER_HOST.exec(diagnostic)?.[1] ?? REPLY_START.exec(diagnostic)?.[1],
        remoteMta: HOST.exec(diagnostic)?.[1],
        command: diagnostic ? findCommand(diagnostic) : undefined,
      };
      for (const [phrase, reason] of EXIM_REASONS) {
        if (diagnostic.includes(phrase)) {
          r.reason = reason;
          break;
        }
      }
      found.push(r);
    }
    if (found.length === 0) {
      // nothing readable in the body: the failed addresses Exim lists in X-Failed-Recipients
      for (const piece of email.headers.text('x-failed-recipients').split(',')) {
        const a = piece.trim();
        if (isAddress(a)) found.push({ recipient: a, action: 'failed' });
      }
    }
    if (found.length === 0) return null;
    return { mta: 'mailru', recipients: uniqueRecipients(found), original };
  },
};
