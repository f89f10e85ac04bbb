// Amazon SES (receiving): the bounce an SES receipt rule's Bounce action sends back for mail addressed to a
// domain that receives through SES. A multipart/report from the receiving domain's postmaster, sent out via
// SES (X-SES-Outgoing, Feedback-ID "…:AmazonSES"): the text part says only "This message could not be
// delivered.", the message/delivery-status part comes from Reporting-MTA "inbound-smtp.<region>
// .amazonaws.com" with the SMTP reply the rule was configured with (defaults "550 5.1.1 Mailbox does not
// exist", "552 5.2.2 Mailbox full", "552 5.3.4 Message too large", "500 5.6.1 Message content rejected"),
// and the returned header block follows as text/rfc822-headers.
import { plainParts } from '../email.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded } from '../types.js';
import type { Reason } from '../../classify/reasons.js';
import { isWorkMail, refineSes } from './amazonses.js';

// The receipt rule's default reply texts that name a cause the status code alone does not.
const TEMPLATE_REASONS: ReadonlyArray<readonly [string, Reason]> = [['Message content rejected', 'contenterror']];

const NOTICE = /^This message could not be delivered\.\s*$/m;
const INBOUND = /^Reporting-MTA:\s*dns;\s*inbound-smtp\.[a-z0-9-]+\.amazonaws\.com\b/im;

function sentThroughSes(email: Email): boolean {
  const h = email.headers;
  return h.has('x-ses-outgoing') || /:AmazonSES\s*$/i.test(h.text('feedback-id'));
}

export const receivingses: Decoder = {
  name: 'receivingses',
  decode(email: Email): Decoded | null {
    if (!sentThroughSes(email) || isWorkMail(email)) return null;
    const dsn = deliveryStatusPart(email);
    if (!dsn) return null;
    const notice = plainParts(email).some((p) => NOTICE.test(p.text.slice(0, 2000)));
    if (!notice && !INBOUND.test(dsn.text)) return null;
    const recipients = readDeliveryStatus(dsn.text).map((r) => {
      const out = refineSes(r);
      const d = out.diagnostic ?? '';
      out.reason ??= TEMPLATE_REASONS.find(([phrase]) => d.includes(phrase))?.[1];
      return out;
    });
    if (recipients.length === 0) return null;
    return { mta: 'receivingses', recipients: uniqueRecipients(recipients) };
  },
};
