// BIGLOBE (biglobe.ne.jp) and the cable ISPs on its platform (inacatv, tmtv, ttv): "Returned mail: …" from
// postmaster@<isp>.ne.jp, multipart/mixed with an ISO-2022-JP text part
//      ----- The following addresses had delivery problems -----
//   joe@mxr.biglobe.ne.jp
//
//      ----- Non-delivered information -----
//   The number of messages in recipient's mailbox exceeded the local limit.
// and the original as message/rfc822. The failed address may itself be a postmaster mailbox.
import { collapseWhitespace } from '../../classify/text.js';
import { plainParts } from '../email.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';
import type { Reason } from '../../classify/reasons.js';

const SENDER = /\bpostmaster@(?:biglobe|inacatv|tmtv|ttv)\.ne\.jp\b/i;
const ADDRESSES = /^-{3,}\s*The following addresses had delivery problems\s*-{3,}$/;
const INFORMATION = /^-{3,}\s*Non-delivered information\s*-{3,}$/;

// BIGLOBE's own wording for the cause.
const CAUSES: ReadonlyArray<readonly [string, Reason]> = [
  ["The number of messages in recipient's mailbox exceeded the local limit", 'mailboxfull'],
];

export const biglobe: Decoder = {
  name: 'biglobe',
  decode(email: Email): Decoded | null {
    if (!SENDER.test(email.from) || !email.subject.startsWith('Returned mail:')) return null;
    const addresses: string[] = [];
    const info: string[] = [];
    let section: 'none' | 'addresses' | 'info' = 'none';
    for (const p of plainParts(email)) {
      for (const raw of p.text.split('\n', 2000)) {
        const line = raw.trim();
        if (ADDRESSES.test(line)) section = 'addresses';
        else if (INFORMATION.test(line)) section = 'info';
        else if (!line || /^-{2,}\S/.test(line)) continue; // blank, or a MIME boundary left in the text
        else if (section === 'addresses' && isAddress(line) && !/\s/.test(line)) addresses.push(line);
        else if (section === 'info' && info.length < 20) info.push(line);
      }
    }
    if (addresses.length === 0) return null;
    const diagnostic = collapseWhitespace(info.join(' ')) || undefined;
    const reason = diagnostic ? CAUSES.find(([phrase]) => diagnostic.includes(phrase))?.[1] : undefined;
    const recipients: RawStatus[] = addresses.map((recipient) => ({
      recipient,
      action: 'failed',
      diagnostic,
      reason,
      command: diagnostic ? findCommand(diagnostic) : undefined,
    }));
    return { mta: 'biglobe', recipients: uniqueRecipients(recipients) };
  },
};
