// au one net / KDDI (dion.ne.jp, auone-net.jp): error notices from no-reply@<host>.dion.ne.jp with
// Reply-To no-reply@app.auone-net.jp, multipart/mixed with the original attached. After an optional
// Japanese explanation the server's English report reads
//   Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900
//        Could not be delivered to: <joe@example.dion.ne.jp>
//        As their mailbox is full.
// ("Your mail attempted to be delivered on:" in other versions; the last line says why: "As their mailbox
// is full.", "As the remote domain doesnt exist.", "Due to the following SMTP relay error: …").
import { plainParts } from '../email.js';
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';
import type { Reason } from '../../classify/reasons.js';

const START = /^(?:Your mail sent on:|Your mail attempted to be delivered on:)/;
const RECIPIENT = /Could not be delivered to:\s*<?([^<>\s]{1,512}@[^<>\s]{1,255})>?/;

// KDDI's own wording for the cause.
const CAUSES: ReadonlyArray<readonly [RegExp, Reason]> = [
  [/\bAs their mailbox is full\b/i, 'mailboxfull'],
  [/\bAs the remote domain doesn'?t exist\b/i, 'hostunknown'],
];

const KDDI_SENDER = /no-reply@[a-z0-9.-]{0,64}dion\.ne\.jp\b/i;
const KDDI_REPLY_TO = /no-reply@app\.auone-net\.jp\b/i;
const KDDI_MESSAGE_ID = /[@.]auone-net\.jp>?\s*$/i;
// relayed by au's servers ("from nmomta.auone-net.jp (…", "from ezweb.ne.jp (…")
const KDDI_RELAY = /auone-net\.jp \(|ezweb\.ne\.jp \(|\.au\.com \(/;

function fromKddi(email: Email): boolean {
  const h = email.headers;
  if (KDDI_SENDER.test(email.from)) return true;
  if (KDDI_REPLY_TO.test(h.text('reply-to'))) return true;
  if (KDDI_MESSAGE_ID.test(h.text('message-id'))) return true;
  return h.all('received').some((r) => KDDI_RELAY.test(r));
}

export const kddi: Decoder = {
  name: 'kddi',
  decode(email: Email): Decoded | null {
    if (!fromKddi(email)) return null;
    const recipients: RawStatus[] = [];
    let current: RawStatus | undefined;
    let started = false;
    for (const p of plainParts(email)) {
      for (const raw of p.text.split('\n', 2000)) {
        const line = raw.trim();
        if (!started) {
          started = START.test(line);
          continue;
        }
        if (!line) continue;
        if (START.test(line)) {
          current = undefined;
          continue;
        }
        const m = RECIPIENT.exec(line);
        const recipient = m?.[1] ? findAddress(m[1]) : undefined;
        if (recipient) {
          current = { recipient, action: 'failed' };
          recipients.push(current);
          continue;
        }
        if (current && raw.startsWith(' ') && (current.diagnostic?.length ?? 0) < 2000) {
          current.diagnostic = current.diagnostic ? `${current.diagnostic} ${line}` : line;
        }
      }
    }
    if (recipients.length === 0) return null;
    for (const r of recipients) {
      const d = r.diagnostic ?? '';
      r.reason = CAUSES.find(([re]) => re.test(d))?.[1];
      r.command = findCommand(d);
      if (email.headers.text('x-spasign').trim().toUpperCase() === 'NG') r.reason = 'filtered';
    }
    return { mta: 'kddi', recipients: uniqueRecipients(recipients) };
  },
};
