// Symantec Email Security.cloud (MessageLabs): "Mail Delivery Failure" from
// MAILER-DAEMON@messagelabs.com, with X-Msg-Ref "server-N.tower-N.messagelabs.com!…". The text part:
//   This is the mail delivery agent at Symantec Email Security.cloud.   (or "… at messagelabs.com.")
//   I was unable to deliver your message to the following addresses:
//
//   joe@example.com
//
//   Reason: 550-Please turn on SMTP Authentication in your mail client.
//   550-mail0.bemta0.messagelabs.com [192.0.2.21]:22222 is not permitted to
//   550 relay through this server without authentication.
// The message/delivery-status part repeats the reply in Diagnostic-Code, but its continuation lines are
// not indented, so the complete reply is taken from the text part's "Reason:" lines.
import { plainParts } from '../email.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';

const LIST = /^I was unable to deliver your message to the following addresses:\s*$/;
const REASON = /^Reason:\s*(.*)$/;
const AFTER_REASON = /^The message (?:subject|date|identifier|reference) was:/;

const SENDER = /MAILER-DAEMON@[a-z0-9.-]{0,64}messagelabs\.com\b/i;
const MESSAGE_REF = /\.messagelabs\.com!/i;
const SUBJECT = /^Mail Delivery Failure/i;

function fromMessageLabs(email: Email): boolean {
  if (SENDER.test(email.from)) return true;
  return MESSAGE_REF.test(email.headers.text('x-msg-ref')) && SUBJECT.test(email.subject);
}

interface Text {
  recipients: string[];
  reason?: string | undefined;
}

function readText(email: Email): Text {
  const out: Text = { recipients: [] };
  for (const p of plainParts(email)) {
    let section: 'none' | 'list' | 'reason' = 'none';
    const reason: string[] = [];
    for (const raw of p.text.split('\n', 2000)) {
      const line = raw.trim();
      if (LIST.test(line)) {
        section = 'list';
        continue;
      }
      const r = REASON.exec(line);
      if (r) {
        section = 'reason';
        if (r[1]) reason.push(r[1]);
        continue;
      }
      if (section === 'list' && line && isAddress(line) && !/\s/.test(line)) out.recipients.push(line);
      else if (section === 'reason') {
        if (!line || AFTER_REASON.test(line)) break;
        if (reason.length < 20) reason.push(line);
      }
    }
    if (reason.length) out.reason = reason.join(' ');
    if (out.recipients.length) break;
  }
  return out;
}

export const messagelabs: Decoder = {
  name: 'messagelabs',
  decode(email: Email): Decoded | null {
    if (!fromMessageLabs(email)) return null;
    const text = readText(email);
    const dsn = deliveryStatusPart(email);
    let recipients: RawStatus[] = dsn ? readDeliveryStatus(dsn.text) : [];
    if (recipients.length === 0) recipients = text.recipients.map((recipient) => ({ recipient, action: 'failed' }));
    if (recipients.length === 0) return null;
    const single = recipients.length === 1 || text.recipients.length === 1;
    const out = recipients.map((r): RawStatus => {
      // the text's reason is the complete reply; the DSN's may stop at its first line
      const full = text.reason && (single || (r.diagnostic && text.reason.startsWith(r.diagnostic.slice(0, 20))));
      const diagnostic = full ? text.reason : r.diagnostic ?? text.reason;
      const out: RawStatus = {
        ...r,
        action: r.action ?? 'failed',
        diagnostic,
        command: r.command ?? (diagnostic ? findCommand(diagnostic) : undefined),
      };
      // MessageLabs' own refusal to relay for an unauthenticated client
      if (diagnostic?.includes('Please turn on SMTP Authentication in your mail client')) out.reason = 'securityerror';
      // the remote server's refusal of the mailbox, relayed per address
      else if (diagnostic && /\b(?:no such user|user unknown|unknown user)\b/i.test(diagnostic)) out.reason = 'userunknown';
      return out;
    });
    return { mta: 'messagelabs', recipients: uniqueRecipients(out) };
  },
};
