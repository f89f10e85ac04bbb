// SendGrid: bounces SendGrid forwards to the sender's return path (Return-Path <apps@sendgrid.net>,
// "Undelivered Mail Returned to Sender", built with MIME-tools). A multipart/report whose text part begins
// "This is an automatically generated message from SendGrid." and names each failure on one line:
//   <local>:<id>:<addr> : <our IP> : <remote host>:[<remote IP>] : <reply> in RCPT TO
// The message/delivery-status part adds X-SendGrid-QueueID / X-SendGrid-Sender, an "Arrival-Date:
// 2012-10-31 04-46-42", and a Diagnostic-Code with no type ("550 5.1.1 <addr>... User Unknown").
import { plainParts } from '../email.js';
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const MARKER = 'This is an automatically generated message from SendGrid.';
const RETURN_PATH = /@sendgrid\.(?:net|com|info)>?\s*$/i;
// " : " separates the fields of a failure line; the last field is the reply and the SMTP phase
const FAILURE_LINE = /^[^\s:]{1,256}:[^\s:]{0,64}:(\S{1,512}) : \S{1,64} : ([^\s:]{1,255}):\[?([0-9a-fA-F.:]{2,45})\]? : (.{1,2000})$/;
const PHASE = /\s+in\s+(?:end of\s+)?(RCPT TO|MAIL FROM|DATA|RCPT|MAIL|EHLO|HELO|CONNECT(?:ION)?)\s*$/i;

interface TextFailure {
  recipient: string;
  remoteMta?: string | undefined;
  diagnostic?: string | undefined;
  command?: SmtpCommand | undefined;
}

function phaseCommand(phase: string): SmtpCommand | undefined {
  const p = phase.toUpperCase();
  if (p.startsWith('RCPT')) return 'RCPT';
  if (p.startsWith('MAIL')) return 'MAIL';
  if (p === 'DATA') return 'DATA';
  if (p === 'EHLO' || p === 'HELO') return p;
  if (p.startsWith('CONNECT')) return 'CONN';
  return undefined;
}

function textFailures(email: Email): TextFailure[] | undefined {
  for (const p of plainParts(email)) {
    const at = p.text.indexOf(MARKER);
    if (at < 0) continue;
    const out: TextFailure[] = [];
    for (const raw of p.text.slice(at + MARKER.length).split('\n', 2000)) {
      const line = raw.trim();
      const m = FAILURE_LINE.exec(line);
      const recipient = m ? findAddress(m[1] ?? '') : undefined;
      if (!m || !recipient) continue;
      let reply = (m[4] ?? '').trim();
      const phase = PHASE.exec(reply);
      if (phase) reply = reply.slice(0, phase.index).trim();
      out.push({
        recipient,
        remoteMta: m[2] || m[3],
        diagnostic: reply || undefined,
        command: phase ? phaseCommand(phase[1] ?? '') : findCommand(reply),
      });
    }
    return out;
  }
  return undefined;
}

function isSendGrid(email: Email): boolean {
  const h = email.headers;
  if (RETURN_PATH.test(h.text('return-path'))) return true;
  return plainParts(email).some((p) => p.text.slice(0, 4000).includes(MARKER));
}

export const sendgrid: Decoder = {
  name: 'sendgrid',
  decode(email: Email): Decoded | null {
    if (!isSendGrid(email)) return null;
    const text = textFailures(email) ?? [];
    const dsn = deliveryStatusPart(email);
    let recipients: RawStatus[] = dsn ? readDeliveryStatus(dsn.text) : [];
    if (recipients.length === 0) {
      recipients = text.map((t) => ({ recipient: t.recipient, action: 'failed', diagnostic: t.diagnostic }));
    }
    if (recipients.length === 0) return null;
    const out = recipients.map((r) => {
      const t = text.find((x) => x.recipient.toLowerCase() === r.recipient.toLowerCase()) ?? (text.length === 1 && recipients.length === 1 ? text[0] : undefined);
      const diagnostic = r.diagnostic ?? t?.diagnostic;
      return {
        ...r,
        action: r.action ?? 'failed',
        diagnostic,
        remoteMta: r.remoteMta ?? t?.remoteMta,
        command: t?.command ?? r.command ?? (diagnostic ? findCommand(diagnostic) : undefined),
      };
    });
    return { mta: 'sendgrid', recipients: uniqueRecipients(out) };
  },
};
