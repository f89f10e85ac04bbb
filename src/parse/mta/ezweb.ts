// au (KDDI) mobile mail, ezweb.ne.jp / au.com: "Mail System Error - Returned Mail" from
// Postmaster@ezweb.ne.jp (or Postmaster@au.com), relayed by "(EZweb Mail)" hosts. A Japanese explanation,
// then English in one of these shapes:
//   <joe@ezweb.ne.jp>
//   Each of the following recipients was rejected by a remote mail server.      (X-SPASIGN: NG = filtered)
// or
//   The user(s) account is disabled.
//   <joe@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)
// or
//   Each of the following recipients was rejected by a remote
//   mail server.
//       Recipient: <joe@example.com>
//       >>> RCPT TO:<joe@example.com>
//       <<< 550 <joe@example.com>: User unknown
// or
//   Your message was not delivered within 0 days and 1 hours.
//   Remote host is not responding.
//   The following recipients did not receive this message:
//   <joe@ezweb.ne.jp>
// Single-part ones carry the returned message inline after a line of dashes; multipart ones attach it.
import { collapseWhitespace } from '../../classify/text.js';
import { plainParts } from '../email.js';
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand, statusField } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';
import type { Reason } from '../../classify/reasons.js';

// au's own explanations, each naming the cause (English lines of the notice).
const NOTICES: ReadonlyArray<readonly [string, Reason]> = [
  ['The user(s) account is disabled', 'suspend'],
  ['The user(s) account is temporarily limited', 'suspend'],
  ['The user(s) account is temporarily over quota', 'mailboxfull'],
  ['Your message was not delivered within', 'expired'],
];

const AU_SENDER = /postmaster@(?:ezweb\.ne\.jp|au\.com)\b/i;
const AU_MESSAGE_ID = /\.(?:ezweb\.ne\.jp|au\.com)>\s*$/i;
const AU_RELAY = /\(EZweb Mail\)|\bezweb\.ne\.jp \(|\.au\.com \(/;

/** Two of: au's postmaster in From, au's subject, an au Message-ID, an au relay in Received. */
function fromAu(email: Email): boolean {
  const h = email.headers;
  let score = 0;
  if (AU_SENDER.test(email.from)) score++;
  if (email.subject.trim() === 'Mail System Error - Returned Mail') score++;
  if (AU_MESSAGE_ID.test(h.text('message-id'))) score++;
  if (score === 0) return false;
  if (score === 1 && h.all('received').some((r) => AU_RELAY.test(r))) score++;
  return score >= 2;
}

// The dashes line before an inline original, and the start of a returned part in the flattened text.
const SEPARATOR = /^-{20,}\s*$/;
const RECIPIENT_LINE = /^(?:Recipient:\s*)?<([^<>\s]{1,512}@[^<>\s]{1,255})>/;

interface Read {
  recipients: RawStatus[];
  /** Lines that apply to every recipient (au's explanation). */
  notice: string[];
  reason?: Reason | undefined;
  original?: string | undefined;
}

function readText(text: string): Read {
  const out: Read = { recipients: [], notice: [] };
  const lines = text.split('\n', 5000);
  let current: RawStatus | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (SEPARATOR.test(line)) {
      out.original = lines.slice(i + 1, i + 400).join('\n');
      break;
    }
    // the Japanese explanation (decoded, or ISO-2022-JP left as "$B…(B" when undeclared) repeats the English
    if (!line || /[^\x00-\x7f]|\$B|\x1b/.test(line)) continue;
    for (const [phrase, reason] of NOTICES) if (line.includes(phrase)) out.reason ??= reason;
    const m = RECIPIENT_LINE.exec(line);
    if (m?.[1]) {
      const recipient = findAddress(m[1]);
      if (!recipient) continue;
      current = { recipient, action: 'failed' };
      out.recipients.push(current);
      const rest = line.slice(m[0].length).replace(/^[:\s]+/, '');
      if (rest) current.diagnostic = rest;
      continue;
    }
    if (line.startsWith('>>>') || line.startsWith('<<<')) {
      if (current) {
        if (line.startsWith('>>>')) current.command = findCommand(line);
        else current.diagnostic = [current.diagnostic, line.slice(3).trim()].filter(Boolean).join(' ');
      }
      continue;
    }
    out.notice.push(line);
  }
  return out;
}

export const ezweb: Decoder = {
  name: 'ezweb',
  decode(email: Email): Decoded | null {
    if (!fromAu(email)) return null;
    const parts = plainParts(email);
    const read = readText(parts.map((p) => p.text).join('\n'));
    const dsn = deliveryStatusPart(email);
    const fields = dsn ? readDeliveryStatus(dsn.text) : [];
    if (read.recipients.length === 0) read.recipients.push(...fields.map((f) => ({ ...f })));
    if (read.recipients.length === 0) return null;
    // "X-SPASIGN: NG": the recipient's own spam/domain filter refused the message
    const filtered = email.headers.text('x-spasign').trim().toUpperCase() === 'NG';
    const notice = collapseWhitespace(read.notice.join(' '));
    const recipients = read.recipients.map((r) => {
      const f = fields.find((x) => x.recipient.toLowerCase() === r.recipient.toLowerCase());
      const diagnostic = r.diagnostic ?? f?.diagnostic ?? (notice || undefined);
      const out: RawStatus = {
        ...f,
        ...r,
        status: f?.status ?? r.status ?? statusField(r.diagnostic),
        diagnostic,
        command: r.command ?? f?.command ?? (diagnostic ? findCommand(diagnostic) : undefined),
        reason: filtered ? 'filtered' : read.reason,
      };
      return out;
    });
    return { mta: 'ezweb', recipients: uniqueRecipients(recipients), original: read.original };
  },
};
