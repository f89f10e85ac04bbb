// Facebook's mail servers (…@facebook.com addresses), "Sorry, your message could not be delivered" from
// "Facebook <mailer-daemon@mx.facebook.com>": "This message was created automatically by Facebook." and a
// message/delivery-status part whose Diagnostic-Code carries one of Facebook's response codes:
//   Diagnostic-Code: SMTP; 550 5.1.1 RCP-P1 http://postmaster.facebook.com/response_codes?ip=…#rcp Recipient address does not exist
import type { Reason } from '../../classify/reasons.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded } from '../types.js';

const FROM = /mailer-daemon@(?:[a-z0-9-]{1,63}\.){0,3}facebook\.com\b/i;
const CODE = /\b([A-Z]{3})-([PT])(\d{1,2})\b/;
const REPLY_START = /^([245]\d\d)(?=[\s-])/;

// Facebook's published response codes (postmaster.facebook.com/response_codes).
const CODES: Readonly<Record<string, Reason>> = {
  'RCP-P1': 'userunknown', 'INT-P1': 'userunknown', 'INT-P3': 'userunknown', 'INT-P4': 'userunknown',
  'RCP-P2': 'filtered', 'RCP-P3': 'filtered',
  'MSG-P1': 'mesgtoobig', 'INT-P2': 'mesgtoobig',
  'MSG-P2': 'contenterror', 'MSG-P3': 'contenterror', 'POL-P6': 'contenterror',
  'POL-P1': 'blocked', 'POL-P2': 'blocked', 'POL-P5': 'virusdetected',
  'POL-P3': 'notaccept', 'POL-P4': 'notaccept', 'POL-T1': 'notaccept', 'POL-T2': 'notaccept', 'POL-T3': 'notaccept',
  'DNS-P1': 'rejected', 'DNS-P2': 'rejected', 'DNS-T1': 'rejected', 'DNS-P3': 'requireptr', 'DNS-T2': 'requireptr',
  'CON-T1': 'systemerror', 'CON-T2': 'toomanyconn', 'CON-T3': 'toomanyconn', 'CON-T4': 'toomanyconn',
  'RCP-T4': 'suspend',
};

export const facebook: Decoder = {
  name: 'facebook',
  decode(email: Email): Decoded | null {
    if (!FROM.test(email.from)) return null;
    const part = deliveryStatusPart(email);
    if (!part) return null;
    const recipients = readDeliveryStatus(part.text);
    for (const r of recipients) {
      r.action ??= 'failed';
      const d = r.diagnostic ?? '';
      const m = CODE.exec(d);
      if (m) {
        const code = `${m[1]}-${m[2]}${m[3]}`;
        r.reason = CODES[code] ?? (m[1] === 'INT' && m[2] === 'T' ? 'systemerror' : undefined);
      }
      r.replyCode ??= REPLY_START.exec(d)?.[1];
    }
    return recipients.length > 0 ? { mta: 'facebook', recipients: uniqueRecipients(recipients) } : null;
  },
};
