// Mimecast: "[Postmaster] Email Delivery Failure" (Message-ID …@<region>-mta-NN.<region>.mimecast.lan,
// X-MC-System / X-Mimecast-* headers), a multipart/report whose text part marks every value with "-- ":
//   This is a delivery failure notification message indicating that
//   an email you addressed to email address :
//   -- joe@example.net
//   could not be delivered. The problem appears to be :
//   -- Recipient email address is possibly incorrect
//   Additional information follows :
//   -- 5.7.54 SMTP; Unable to relay recipient in non-accepted domain
// and whose message/delivery-status part writes its fields as "Name : value" (Status often 5.0.0, the
// real code in "Diagnostic-Code : smtp;550 5.7.54 …", addresses typed "rfc/822;").
import { plainParts } from '../email.js';
import { findAddress, isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand, statusField } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';

const GENERIC_STATUS = /^[45]\.0\.0$/;

const MESSAGE_ID = /\.mimecast\.lan>\s*$/i;
const SUBJECT = /delivery failure|delivery delay/i;
const POSTMASTER_SUBJECT = /^\[Postmaster\] Email Delivery Failure/i;

function isMimecast(email: Email): boolean {
  const h = email.headers;
  if (MESSAGE_ID.test(h.text('message-id'))) return true;
  if (h.has('x-mc-system') || h.has('x-mimecast-originator')) return SUBJECT.test(email.subject);
  return POSTMASTER_SUBJECT.test(email.subject);
}

interface TextReport {
  recipients: string[];
  problem?: string | undefined;
  detail?: string | undefined;
}

/** The "-- " values of the text part: addresses, then the problem, then the additional information. */
function readText(email: Email): TextReport {
  const out: TextReport = { recipients: [] };
  for (const p of plainParts(email)) {
    let section: 'address' | 'problem' | 'detail' = 'address';
    for (const raw of p.text.split('\n', 2000)) {
      const line = raw.trim();
      if (/\bproblem appears to be\s*:?\s*$/i.test(line)) section = 'problem';
      else if (/\bAdditional information follows\s*:?\s*$/i.test(line)) section = 'detail';
      if (!line.startsWith('-- ')) continue;
      const value = line.slice(3).trim();
      if (section === 'address' && isAddress(value) && !/\s/.test(value)) out.recipients.push(value);
      else if (section === 'problem') out.problem ??= value;
      else if (section === 'detail') out.detail ??= value;
    }
  }
  return out;
}

export const mimecast: Decoder = {
  name: 'mimecast',
  decode(email: Email): Decoded | null {
    if (!isMimecast(email)) return null;
    const text = readText(email);
    const dsn = deliveryStatusPart(email);
    let recipients: RawStatus[] = dsn ? readDeliveryStatus(dsn.text) : [];
    if (recipients.length === 0) {
      recipients = text.recipients.map((r) => ({ recipient: findAddress(r) ?? r, action: 'failed' }));
    }
    if (recipients.length === 0) return null;
    const out = recipients.map((r): RawStatus => {
      const diagnostic = r.diagnostic ?? text.detail ?? text.problem;
      let status = r.status;
      if (!status || GENERIC_STATUS.test(status)) status = statusField(diagnostic) ?? status;
      return {
        ...r,
        action: r.action ?? 'failed',
        status,
        diagnostic,
        command: r.command ?? (diagnostic ? findCommand(diagnostic) : undefined),
      };
    });
    return { mta: 'mimecast', recipients: uniqueRecipients(out) };
  },
};
