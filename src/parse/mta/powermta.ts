// PowerMTA (Port25, now Bird/SparkPost) delivery reports: Subject "Delivery report", a text part "Hello,
// this is the mail server on host." listing "<joe@example.org> delivery failed; will not continue
// trying", and an RFC 3464 report with PowerMTA's own fields: X-PowerMTA-VirtualMTA per message and
// X-PowerMTA-BounceCategory per recipient -- PowerMTA's classification of the failure, read as the reason.
import type { Reason } from '../../classify/reasons.js';
import type { Decoder } from '../decoder.js';
import { fieldGroups } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded } from '../types.js';

// PowerMTA bounce categories (its bounce-category-patterns) that name one reason.
const CATEGORIES: Readonly<Record<string, Reason>> = {
  'bad-domain': 'hostunknown',
  'bad-mailbox': 'userunknown',
  'inactive-mailbox': 'suspend',
  'message-expired': 'expired',
  'no-answer-from-host': 'networkerror',
  'policy-related': 'policyviolation',
  'quota-issues': 'mailboxfull',
  'routing-errors': 'systemerror',
  'spam-related': 'spamdetected',
  'virus-related': 'virusdetected',
  'content-related': 'contenterror',
  'relaying-issues': 'norelaying',
};

const POWERMTA_FIELD = /^X-PowerMTA-/im;

export const powermta: Decoder = {
  name: 'powermta',
  decode(email: Email): Decoded | null {
    const report = deliveryStatusPart(email);
    // the per-message X-PowerMTA-VirtualMTA field comes first in the report
    if (!report || !POWERMTA_FIELD.test(report.text.slice(0, 4096))) return null;
    const recipients = readDeliveryStatus(report.text);
    if (recipients.length === 0) return null;
    // the categories, in recipient order
    const categories: string[] = [];
    for (const g of fieldGroups(report.text)) {
      if (!g.has('final-recipient') && !g.has('original-recipient')) continue;
      categories.push((g.get('x-powermta-bouncecategory') ?? '').trim().toLowerCase());
    }
    recipients.forEach((r, i) => {
      const reason = CATEGORIES[categories[i] ?? ''];
      if (reason) r.reason = reason;
    });
    return { mta: 'powermta', recipients: uniqueRecipients(recipients) };
  },
};
