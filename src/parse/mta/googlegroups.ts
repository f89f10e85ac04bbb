// Google Groups: a post to a group that does not exist or does not accept the sender's posts. Sent from
// "Mail Delivery Subsystem <mailer-daemon@googlemail.com>" with X-Failed-Recipients: <group>@googlegroups.com,
// in the sender's language:
//
//   Hello kijitora@example.jp,
//   We're writing to let you know that the group you tried to contact (libsisimai) may not exist, or you
//   may not have permission to post messages to the group. …
//   Google Groups
//
//   ----- Original message -----
import { collapseWhitespace } from '../../classify/text.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus } from '../types.js';

const FROM_GOOGLE = /mailer-daemon@(?:googlemail|google)\.com/i;
const GROUP = /@googlegroups\.com$/i;
const ORIGINAL = /^-{3,} ?Original message ?-{3,}\s*$/im;
const FOR_GROUP = /\bfor <([^<>\s]{1,320}@googlegroups\.com)>/i;

export const googlegroups: Decoder = {
  name: 'googlegroups',
  decode(email: Email): Decoded | null {
    if (!FROM_GOOGLE.test(email.from)) return null;
    const text = email.parts.find((p) => p.type === 'text/plain')?.text ?? email.text;
    const marker = ORIGINAL.exec(text);
    const body = marker ? text.slice(0, marker.index) : text.slice(0, 16384);
    const original = marker ? text.slice(marker.index + marker[0].length).replace(/^\s*\n/, '') : undefined;
    const groups: string[] = [];
    for (const piece of email.headers.text('x-failed-recipients').split(',')) {
      const a = piece.trim();
      if (isAddress(a) && GROUP.test(a)) groups.push(a);
    }
    if (groups.length === 0) {
      // no header: the group address the returned message was delivered for, if Google Groups signed the text
      if (!/^Google Groups\s*$/m.test(body) || !original) return null;
      const m = FOR_GROUP.exec(original.slice(0, 16384));
      if (m?.[1]) groups.push(m[1]);
    }
    if (groups.length === 0) return null;
    const diagnostic = collapseWhitespace(body);
    const recipients: RawStatus[] = groups.map((recipient) => ({
      recipient,
      action: 'failed',
      diagnostic,
      // the only thing this report says: the group refused the post (missing, or the sender may not post)
      reason: 'rejected',
    }));
    return { mta: 'googlegroups', recipients, original };
  },
};
