// MailFoundry, a mail filtering appliance (Received: "... (MAILFOUNDRY) id ..."). Subject "Message
// delivery has failed", a text part per failed address:
//
//   Unable to deliver message to: <kijitora@example.org>
//   Delivery failed for the following reason:
//   Server mx22.example.org[192.0.2.222] failed with: 550 <kijitora@example.org> No such user here
//
//   This has been a permanent failure.  No further delivery attempts will be made.
//
// and the returned message as message/rfc822.
import { findStatusCode } from '../../classify/status-code.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus } from '../types.js';

const RECIPIENT = /^Unable to deliver message to: <([^<>\s]{1,512})>/;
const REASON_MARKER = 'Delivery failed for the following reason:';
const HOST = /^(?:Server )?([A-Za-z0-9.:-]{1,255})\[[^\]\s]{1,64}\] (?:failed with|responded with failure):/;
const REPLY = /(?:failed with|responded with failure): ([245]\d\d)(?:[ -]|$)/;

function looksLikeMailFoundry(email: Email): boolean {
  if (email.subject !== 'Message delivery has failed') return false;
  return email.headers.all('received').some((r) => r.includes('(MAILFOUNDRY) id'));
}

export const mailfoundry: Decoder = {
  name: 'mailfoundry',
  decode(email: Email): Decoded | null {
    if (!looksLikeMailFoundry(email)) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' && p.text.includes('Unable to deliver message to: <'));
    if (!part) return null;
    const recipients: RawStatus[] = [];
    let cur: RawStatus | undefined;
    let reading = false;
    for (const raw of part.text.split('\n')) {
      const line = raw.trim();
      const m = RECIPIENT.exec(line);
      if (m?.[1] && isAddress(m[1])) {
        cur = { recipient: m[1], action: 'failed' };
        recipients.push(cur);
        reading = false;
        continue;
      }
      if (!cur) continue;
      if (line === REASON_MARKER) {
        reading = true;
        continue;
      }
      if (line === '') {
        reading = false;
        continue;
      }
      if (reading && (cur.diagnostic ?? '').length < 4000) {
        cur.diagnostic = cur.diagnostic ? `${cur.diagnostic} ${line}` : line;
      }
    }
    if (recipients.length === 0) return null;
    for (const r of recipients) {
      const d = r.diagnostic ?? '';
      r.remoteMta = HOST.exec(d)?.[1];
      r.replyCode = REPLY.exec(d)?.[1];
      r.status = findStatusCode(d);
    }
    return { mta: 'mailfoundry', recipients };
  },
};
