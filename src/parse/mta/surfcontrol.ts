// Websense SurfControl E-mail Filter (X-Mailer: SurfControl E-mail Filter, X-SEF-* headers). A
// multipart/report whose text part is a delivery transcript:
//
//   Your message could not be sent.
//   A transcript of the attempts to send the message follows.
//   The number of attempts made: 1
//   Addressed To: kijitora@example.com
//
//   Thu 29 Apr 2010 23:34:45 +0900
//   Failed to send to identified host,
//   kijitora@example.com: [192.0.2.5], 550 kijitora@example.com... No such user
//   --- Message non-deliverable.
//
// followed by a minimal message/delivery-status part (Status 5.0.0) and the returned message.
import { findStatusCode } from '../../classify/status-code.js';
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';

const OPENER = 'Your message could not be sent.';
const ATTEMPT = /^(\S{3,512}): \[([^\]\s]{1,255})\], (.{1,4000})$/;
const REPLY_START = /^([245]\d\d)(?:[ -]|$)/;

function looksLikeSurfControl(email: Email): boolean {
  return email.headers.has('x-sef-processed') && email.headers.text('x-mailer').includes('SurfControl');
}

interface Attempt {
  recipient: string;
  host?: string;
  reply?: string;
}

function readAttempts(text: string): Attempt[] {
  const out: Attempt[] = [];
  let opened = false;
  let cur: Attempt | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!opened) {
      opened = line.startsWith(OPENER);
      continue;
    }
    if (line.startsWith('Addressed To:')) {
      const a = findAddress(line.slice(13));
      cur = a ? { recipient: a } : undefined;
      if (cur) out.push(cur);
      continue;
    }
    const m = ATTEMPT.exec(line);
    if (m && cur) {
      cur.host = m[2];
      cur.reply = m[3]?.trim();
    }
  }
  return out;
}

export const surfcontrol: Decoder = {
  name: 'surfcontrol',
  decode(email: Email): Decoded | null {
    if (!looksLikeSurfControl(email)) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' && p.text.includes(OPENER));
    const attempts = part ? readAttempts(part.text) : [];
    const dsnPart = deliveryStatusPart(email);
    const dsn = dsnPart ? uniqueRecipients(readDeliveryStatus(dsnPart.text)) : [];

    let recipients: RawStatus[];
    if (dsn.length > 0) {
      recipients = dsn.map((d) => {
        const a = attempts.find((x) => x.recipient.toLowerCase() === d.recipient.toLowerCase());
        return { ...d, diagnostic: d.diagnostic ?? a?.reply, remoteMta: d.remoteMta ?? a?.host };
      });
    } else {
      recipients = attempts.map((a) => ({ recipient: a.recipient, action: 'failed', diagnostic: a.reply, remoteMta: a.host }));
    }
    if (recipients.length === 0) return null;
    for (const r of recipients) {
      const d = r.diagnostic ?? '';
      r.replyCode ??= REPLY_START.exec(d)?.[1];
      const inText = findStatusCode(d);
      if (inText && (r.status === undefined || r.status.endsWith('.0.0'))) r.status = inText;
    }
    return { mta: 'surfcontrol', recipients };
  },
};
