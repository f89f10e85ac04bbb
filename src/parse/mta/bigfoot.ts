// Bigfoot (bigfoot.com mail forwarding, "LiteMail"). A sendmail-style multipart/report: a text part with
// the transcript (">>> RCPT TO:<...>" / "<<< 553 ..."), a message/delivery-status part, and the returned
// message as message/partial.
import { findStatusCode } from '../../classify/status-code.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, SmtpCommand } from '../types.js';

const TRANSCRIPT_MARKER = '----- Transcript of session follows -----';

function looksLikeBigfoot(email: Email): boolean {
  if (email.from.includes('@bigfoot.com>')) return true;
  return email.headers.all('received').some((r) => r.includes('.bigfoot.com '));
}

/** The last command the transcript shows and the reply to it. */
function transcript(email: Email): { command?: SmtpCommand; reply?: string } {
  const part = email.parts.find((p) => p.type === 'text/plain' && p.text.includes(TRANSCRIPT_MARKER));
  if (!part) return {};
  let command: SmtpCommand | undefined;
  let reply: string | undefined;
  const text = part.text.slice(part.text.indexOf(TRANSCRIPT_MARKER));
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('>>> ')) command = findCommand(line) ?? command;
    else if (line.startsWith('<<< ')) reply = line.slice(4);
  }
  return { command, reply };
}

export const bigfoot: Decoder = {
  name: 'bigfoot',
  decode(email: Email): Decoded | null {
    if (!looksLikeBigfoot(email)) return null;
    const dsn = deliveryStatusPart(email);
    if (!dsn) return null;
    const recipients = uniqueRecipients(readDeliveryStatus(dsn.text));
    if (recipients.length === 0) return null;
    const t = transcript(email);
    for (const r of recipients) {
      if (!r.diagnostic && t.reply) r.diagnostic = t.reply;
      r.command ??= t.command;
      // the Status field is often a catch-all; the reply's own code is more precise
      const inText = r.diagnostic ? findStatusCode(r.diagnostic) : undefined;
      if (inText && !inText.endsWith('.0.0')) r.status = inText;
    }
    return { mta: 'bigfoot', recipients };
  },
};
