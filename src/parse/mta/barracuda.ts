// Barracuda Spam (& Virus) Firewall: "**Message you sent blocked by our bulk email filter**" from
// MAILER-DAEMON, a multipart/report whose (often base64) text part reads
//   Your message to: joe@example.org
//   was blocked by our Spam Firewall. The email you sent with the following subject has NOT BEEN DELIVERED:
//   Subject: …
// and whose message/delivery-status part carries the verdict in Diagnostic-Code, e.g.
// "smtp; 550 5.7.1 Message content rejected, UBE, id=00000-22-225" (UBE: unsolicited bulk email).
import { collapseWhitespace } from '../../classify/text.js';
import { plainParts } from '../email.js';
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';

const SUBJECT = /\bblocked by our bulk email filter\b/i;
const TEXT = /\bwas blocked by our Spam (?:& Virus )?Firewall\b/i;
const YOUR_MESSAGE_TO = /^Your message to:\s*(.+)$/m;

export const barracuda: Decoder = {
  name: 'barracuda',
  decode(email: Email): Decoded | null {
    const parts = plainParts(email);
    if (!SUBJECT.test(email.subject) && !parts.some((p) => TEXT.test(p.text.slice(0, 2000)))) return null;
    const dsn = deliveryStatusPart(email);
    let recipients: RawStatus[] = dsn ? readDeliveryStatus(dsn.text) : [];
    if (recipients.length === 0) {
      for (const p of parts) {
        const m = YOUR_MESSAGE_TO.exec(p.text);
        const recipient = m?.[1] ? findAddress(m[1]) : undefined;
        if (recipient) recipients.push({ recipient, action: 'failed', diagnostic: collapseWhitespace(p.text.slice(m?.index ?? 0, (m?.index ?? 0) + 300)) });
      }
    }
    if (recipients.length === 0) return null;
    const out = recipients.map((r): RawStatus => ({
      ...r,
      action: r.action ?? 'failed',
      remoteMta: r.remoteMta ?? r.reportingMta,
      command: r.command ?? (r.diagnostic ? findCommand(r.diagnostic) : undefined),
      // Barracuda's own verdict token
      reason: r.diagnostic && /,\s*UBE\s*,/.test(r.diagnostic) ? 'spamdetected' : undefined,
    }));
    return { mta: 'barracuda', recipients: uniqueRecipients(out) };
  },
};
