// Courier MTA (https://www.courier-mta.org/) delivery status notifications (courier/module.dsn): Subject
// "NOTICE: mail delivery status." or "WARNING: delayed mail.", Message-ID "<courier.…>", a text part
//
//                             UNDELIVERABLE MAIL          (or DELAYS IN DELIVERING YOUR MESSAGE)
//
//   Your message to the following recipients cannot be delivered:
//
//   <joe@example.org>:
//       mx.example.org [192.0.2.1]:
//   >>> RCPT TO:<joe@example.org>
//   <<< 550 5.1.1 <joe@example.org>... User unknown
//
// and an RFC 3464 report. The report has the status and the reply; the text adds the command and host.
import type { Reason } from '../../classify/reasons.js';
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Action, Decoded, RawStatus, SmtpCommand } from '../types.js';

const BANNERS: ReadonlyArray<readonly [string, Action]> = [
  ['UNDELIVERABLE MAIL', 'failed'],
  ['DELAYS IN DELIVERING YOUR MESSAGE', 'delayed'],
];
const RECIPIENT = /^<([^<>\s]{1,512})>:\s*$/;
const HOST = /^\s{2,}([A-Za-z0-9._-]{1,255})\s{1,4}\[[^\]\s]{1,64}\]:\s*$/;
const COMMANDS: readonly SmtpCommand[] = ['HELO', 'EHLO', 'STARTTLS', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'QUIT'];

// Courier's own errors (module.esmtp/esmtpclient.c), each a fixed wording for one reason.
const OWN_ERRORS: ReadonlyArray<readonly [string, Reason]> = [
  ['No such domain.', 'hostunknown'],
  ["This domain's DNS violates RFC 1035.", 'systemerror'],
  ['DNS lookup failed.', 'networkerror'],
];

interface Block {
  address: string;
  host: string | undefined;
  command: SmtpCommand | undefined;
  lines: string[];
}

function isCourier(email: Email): boolean {
  const subject = email.subject;
  if (subject.startsWith('NOTICE: mail delivery status.') || subject.startsWith('WARNING: delayed mail.')) return true;
  if (email.headers.text('message-id').trimStart().startsWith('<courier.')) return true;
  return email.from.includes('Courier mail server at ');
}

function readBlocks(text: string): { blocks: Block[]; action: Action | undefined } {
  let action: Action | undefined;
  const blocks: Block[] = [];
  let cur: Block | undefined;
  let started = false;
  for (const line of text.split('\n')) {
    if (!started) {
      const banner = BANNERS.find(([b]) => line.includes(b));
      if (banner) {
        started = true;
        action = banner[1];
      }
      continue;
    }
    if (line.startsWith('--------------------') && blocks.length > 0) break;
    const r = RECIPIENT.exec(line);
    if (r?.[1]) {
      cur = { address: r[1], host: undefined, command: undefined, lines: [] };
      blocks.push(cur);
      continue;
    }
    if (!cur || line.trim() === '') continue;
    const h = HOST.exec(line);
    if (h) {
      cur.host = h[1];
    } else if (line.startsWith('>>> ')) {
      const word = (line.slice(4).trim().split(/[\s:]/, 1)[0] ?? '').toUpperCase();
      cur.command = COMMANDS.find((c) => c === word) ?? cur.command;
    } else if (line.startsWith('<<< ')) {
      cur.lines.push(line.slice(4).trim());
    } else {
      cur.lines.push(line.trim());
    }
  }
  return { blocks, action };
}

export const courier: Decoder = {
  name: 'courier',
  decode(email: Email): Decoded | null {
    if (!isCourier(email)) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' || p.type === '');
    const { blocks, action } = readBlocks(part?.text ?? '');
    const report = deliveryStatusPart(email);
    let recipients: RawStatus[] = report ? readDeliveryStatus(report.text) : [];
    if (recipients.length === 0) {
      recipients = blocks.map((b) => ({ recipient: b.address, action, diagnostic: b.lines.join(' ') || undefined }));
    }
    if (recipients.length === 0) return null;
    const out = recipients.map((r) => {
      const b = blocks.find((x) => x.address.toLowerCase() === r.recipient.toLowerCase()) ?? (blocks.length === 1 && recipients.length === 1 ? blocks[0] : undefined);
      const s: RawStatus = { ...r };
      if (!s.action && action) s.action = action;
      if (b) {
        if (!s.diagnostic && b.lines.length > 0) s.diagnostic = b.lines.join(' ');
        s.command ??= b.command;
        s.remoteMta ??= b.host;
      }
      const own = s.diagnostic ? OWN_ERRORS.find(([phrase]) => s.diagnostic?.startsWith(phrase)) : undefined;
      if (own) s.reason = own[1];
      if (!findAddress(s.recipient)) return undefined;
      return s;
    });
    const list = out.filter((s): s is RawStatus => s !== undefined);
    return list.length > 0 ? { mta: 'courier', recipients: uniqueRecipients(list) } : null;
  },
};
