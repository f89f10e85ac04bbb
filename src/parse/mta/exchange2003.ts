// Microsoft Exchange 4.0 to 2003 non-delivery reports ("Undeliverable: …"):
//
//   Your message                                           | Your message did not reach some or all of the
//     To:      shironeko@example.com                       | intended recipients.
//     Subject: Nyaan                                       |       To: … Subject: … Sent: …
//     Sent:    Thu, 29 Apr 2010 00:00:00 -0000             | The following recipient(s) could not be reached:
//   did not reach the following recipient(s):              |
//   kijitora@example.jp on Thu, 29 Apr 2010 00:00:00 -0000 |       kijitora@example.com on 4/29/01 11:34:45 PM
//       The recipient name is not recognized               |             Recipient Not Found
//       MSEXCH:IMS:ORG:SITE:SERVER 0 (000C05A6) Unknown Recipient   |     MSEXCH:IMC:ORG:SITE:SERVER
//
// Exchange 2000/2003 write a remote server's verdict as "<mx.example.com #5.1.1 smtp;550 5.1.1 …>".
// Identified by X-MS-Embedded-Report, "X-Mailer: Internet Mail Service (5.5.…)", "Microsoft Exchange
// Server Internet Mail Connector", "X-MimeOLE: Produced By Microsoft Exchange", or an "Undeliverable:"
// subject (in any of Exchange's languages), and then the recipient list in the text.
import type { Reason } from '../../classify/reasons.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';
import { isAddress } from '../address.js';
import { isNdrSubject } from './exchange2007.js';

const LIST_START = /(?:did not reach the following recipient\(s\)|following recipient\(s\) could not be reached):?\s*$/i;
// the address alone or in an X.400 name ("c=US;a= ;p=ORG;o=Site;dda:SMTP=joe@example.com; on …")
const RECIPIENT = /^\s*(?:\S.{0,200}?SMTP=)?([^\s<>()"';]{3,320});? on\s+\S/;
// "The MTS-ID of the original message is: c=jp;a= ;p=org" and its wrapped remainder (";l=SERVER…")
const MTS_ID = /^\s*(?:The MTS-ID of the original message is:|;)/i;
const MSEXCH_CODE = /\(([0-9A-F]{8})\)/;
const HOST_STATUS = /<([A-Za-z0-9][A-Za-z0-9.-]{0,253}) #([245]\.\d{1,3}\.\d{1,3})(?:\s([^>]{0,2000}))?>/i;
const REPLY_START = /^([245]\d\d)(?=[\s-])/;

// Exchange's internal error numbers, where they name one cause.
const MSEXCH_REASONS: Readonly<Record<string, Reason>> = {
  '000C05A6': 'userunknown', // Unknown Recipient
};

function looksLikeExchange(email: Email): boolean {
  const h = email.headers;
  if (h.has('x-ms-embedded-report')) return true;
  const mailer = h.text('x-mailer').trim();
  if (mailer.startsWith('Internet Mail Service (') || mailer.startsWith('Microsoft Exchange Server Internet Mail Connector')) return true;
  if (h.text('x-mimeole').startsWith('Produced By Microsoft Exchange')) return true;
  return isNdrSubject(email.subject);
}

interface Entry {
  recipient: string;
  lines: string[];
}

function readEntries(text: string): Entry[] {
  const lines = text.slice(0, 65536).split('\n');
  let i = lines.findIndex((l) => LIST_START.test(l.trim()));
  if (i < 0) return [];
  const out: Entry[] = [];
  let cur: Entry | null = null;
  let blank = 0;
  for (i++; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      if (cur && ++blank >= 2) break;
      continue;
    }
    blank = 0;
    const m = RECIPIENT.exec(line);
    if (m?.[1] && isAddress(m[1])) {
      cur = { recipient: m[1], lines: [] };
      out.push(cur);
      continue;
    }
    if (!cur) {
      if (/^\S+:\s/.test(line)) break; // the returned message's headers: no recipient list after all
      continue;
    }
    if (MTS_ID.test(line)) continue;
    cur.lines.push(line.trim());
  }
  return out;
}

export const exchange2003: Decoder = {
  name: 'exchange2003',
  decode(email: Email): Decoded | null {
    if (!looksLikeExchange(email)) return null;
    const text = email.parts.find((p) => p.type === 'text/plain')?.text ?? email.text;
    const entries = readEntries(text);
    const recipients: RawStatus[] = entries.map((e) => {
      const diagnostic = e.lines.join(' ');
      const r: RawStatus = { recipient: e.recipient, action: 'failed', diagnostic };
      const hs = HOST_STATUS.exec(diagnostic);
      if (hs) {
        r.remoteMta = hs[1];
        r.status = hs[2];
        const reply = (hs[3] ?? '').trim().replace(/^smtp;/i, '').trimStart();
        r.replyCode = REPLY_START.exec(reply)?.[1];
        if (reply) r.command = findCommand(reply);
      }
      const code = MSEXCH_CODE.exec(diagnostic)?.[1];
      if (code) r.reason = MSEXCH_REASONS[code];
      return r;
    });
    if (recipients.length === 0) return null;
    return { mta: 'exchange2003', recipients: uniqueRecipients(recipients) };
  },
};
