// McAfee Email Gateway / Email and Web Security appliance: "Delivery Status" with
// "X-NAI-Header: Modified by McAfee …", multipart/mixed with
//   text/plain; name="deliveryproblems.txt":
//       --- The following addresses had delivery problems ---
//   <joe@example.jp>   (5.1.1 <joe@example.jp>... User unknown)
//   message/delivery-status; name="deliverystatus.txt" (not quite RFC 3464):
//   Original-Recipient: <joe@example.jp>
//   Action: failed
//   Diagnostic-Code: smtp; 550 5.1.1 <joe@example.jp>... User unknown
//   Remote-MTA: 192.0.2.248
// and the original as message/rfc822.
import { plainParts } from '../email.js';
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';

const START = /---\s*The following addresses had delivery problems\s*---/;
// The remote server's refusal of the recipient's mailbox, as the appliance quotes it per address.
const NO_SUCH_USER = /\b(?:unknown user|user unknown|user not exist|no such user|user \([^()\s]{1,300}\) unknown)\b/i;
const PROBLEM = /^<([^<>\s]{1,512}@[^<>\s]{1,255})>\s+\((.{1,2000})\)\s*$/;

function problems(email: Email): RawStatus[] {
  const out: RawStatus[] = [];
  for (const p of plainParts(email)) {
    const at = p.text.search(START);
    if (at < 0) continue;
    for (const raw of p.text.slice(at).split('\n', 2000)) {
      const m = PROBLEM.exec(raw.trim());
      const recipient = m?.[1] ? findAddress(m[1]) : undefined;
      if (m && recipient) out.push({ recipient, action: 'failed', diagnostic: m[2]?.trim() });
    }
  }
  return out;
}

const NAI_HEADER = /Modified by McAfee/i;

export const mcafee: Decoder = {
  name: 'mcafee',
  decode(email: Email): Decoded | null {
    if (!NAI_HEADER.test(email.headers.text('x-nai-header'))) return null;
    const listed = problems(email);
    const dsn = deliveryStatusPart(email);
    let recipients = dsn ? readDeliveryStatus(dsn.text) : [];
    if (recipients.length === 0) recipients = listed;
    if (recipients.length === 0) return null;
    const out = recipients.map((r): RawStatus => {
      const l = listed.find((x) => x.recipient.toLowerCase() === r.recipient.toLowerCase());
      const diagnostic = r.diagnostic ?? l?.diagnostic;
      return {
        ...r,
        // Original-Recipient is the only address field this report writes
        alias: undefined,
        action: r.action ?? 'failed',
        diagnostic,
        command: r.command ?? (diagnostic ? findCommand(diagnostic) : undefined),
        reason: diagnostic && NO_SUCH_USER.test(diagnostic) ? 'userunknown' : undefined,
      };
    });
    return { mta: 'mcafee', recipients: uniqueRecipients(out) };
  },
};
