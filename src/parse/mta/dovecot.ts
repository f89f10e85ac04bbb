// Dovecot's own rejections, sent by its delivery agents (dovecot-lda, LMTP) after the message was accepted:
// a mailbox over quota (with quota_full_tempfail off) comes back as a delivery report, a Pigeonhole Sieve
// "reject" as a disposition notification (RFC 5429: "automatic-action/MDN-sent-automatically; deleted").
// Both carry the same text, Dovecot's rejection_reason setting ("Your message to <%t> was automatically
// rejected:%n%r"), with the reason on the lines after the colon:
//
//   Your message to <joe@example.com> was automatically rejected:
//   Quota exceeded (mailbox for user is full)
//
// The report names the recipient (Final-Recipient); a delivery report gives the status (5.2.2), a
// disposition notification none. The rejection text is the diagnostic. Another Sieve implementation's reject MDN is read the same way.
import { reasonOfText } from '../../classify/index.js';
import { collapseWhitespace } from '../../classify/text.js';
import { fieldAddress, findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { fieldGroups } from '../dsn-fields.js';
import { dispositionPart, type Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';

const REJECTED = ' was automatically rejected:';
/** Longest reason kept (Sieve scripts can write anything). */
const MAX_REASON = 1000;

/** The rejection text: who it was for and why, from Dovecot's "Your message to <…> was automatically rejected:". */
function readRejection(email: Email): { recipient?: string; reason: string } | undefined {
  const part = email.parts.find((p) => p.type === 'text/plain');
  if (!part) return undefined;
  const head = part.text.slice(0, 4096);
  const at = head.indexOf(REJECTED);
  if (at < 0) return undefined;
  const lineStart = head.lastIndexOf('\n', at) + 1;
  const recipient = findAddress(head.slice(lineStart, at));
  const reason = collapseWhitespace(part.text.slice(at + REJECTED.length, at + REJECTED.length + MAX_REASON));
  return { recipient, reason };
}

/** A disposition notification that says the message was deleted unread by an automatic action (a Sieve reject). */
function rejectionMdn(email: Email): RawStatus[] {
  const part = dispositionPart(email);
  if (!part) return [];
  const out: RawStatus[] = [];
  for (const g of fieldGroups(part.text)) {
    const disposition = (g.get('disposition') ?? '').toLowerCase();
    if (!disposition.startsWith('automatic-action') || !/;\s*deleted\b/.test(disposition)) continue;
    const recipient = fieldAddress(g.get('final-recipient') ?? g.get('original-recipient') ?? '');
    if (recipient) out.push({ recipient, action: 'failed' });
  }
  return out;
}

export const dovecot: Decoder = {
  name: 'dovecot',
  decode(email: Email): Decoded | null {
    const rejection = readRejection(email);
    const mdn = rejectionMdn(email);
    if (!rejection && mdn.length === 0) return null;
    let recipients: RawStatus[];
    if (mdn.length > 0) {
      recipients = mdn;
    } else {
      const report = deliveryStatusPart(email);
      if (!report) return null;
      recipients = readDeliveryStatus(report.text);
      if (recipients.length === 0 && rejection?.recipient) recipients = [{ recipient: rejection.recipient, action: 'failed' }];
    }
    if (recipients.length === 0) return null;
    const because = rejection?.reason ?? '';
    for (const r of recipients) {
      // the agent's own words on why it refused the message; a remote server's Diagnostic-Code, should a
      // relayed report carry one too, is not about this refusal
      if (because) {
        r.diagnostic = because;
        r.diagnosticType = undefined;
        r.replyCode = undefined;
      }
      // a Sieve reject states no code; what its words do not name, the recipient's own filter refused
      if (mdn.length > 0 && !r.status) r.reason ??= reasonOfText(because) ?? 'filtered';
    }
    return { mta: 'dovecot', recipients: uniqueRecipients(recipients) };
  },
};
