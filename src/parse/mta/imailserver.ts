// Ipswitch (now Progress) IMail Server. Its SMTP32 mailer sends "Undeliverable Mail" with one line per
// failed address, "<what happened>: <address>", and the original after "Original message follows.":
//
//   X-Mailer: <SMTP32 v8.22>
//   Subject: Undeliverable Mail
//
//   Unknown user: kijitora@example.com
//
//   Original message follows.
//
// When the remote server rejected the message body, its reply follows "Body of message generated
// response:" and the address line reads "undeliverable to <address>".
import type { Reason } from '../../classify/reasons.js';
import { findAddress, isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const COPY_MARKER = /^ *original message follows/im;
const RESPONSE_MARKER = 'Body of message generated response:';

// The address-line texts IMail writes and the reason each one states.
const FIXED_REASONS: ReadonlyArray<readonly [string, Reason]> = [
  ['unknown user', 'userunknown'],
  ['invalid final delivery userid', 'userunknown'],
  ['user mailbox exceeds allowed size', 'mailboxfull'],
  ['unknown host', 'hostunknown'],
  ['requested action not taken: virus detected', 'virusdetected'],
  ['delivery failed ', 'expired'],
];

const ADDRESS_LINE = /^([A-Za-z][^:]{2,120}): +(\S{3,512})/;
// The texts IMail starts an address line with.
const LINE_PREFIXES = ['unknown user', 'user mailbox', 'delivery failed', 'invalid final delivery userid', 'unknown host', 'requested action not taken'];
const REPLY_START = /^([245]\d\d)(?:[ -]|$)/;

function looksLikeIMail(email: Email): boolean {
  if (email.headers.text('x-mailer').trimStart().startsWith('<SMTP32 v')) return true;
  return email.subject.trim() === 'Undeliverable Mail';
}

export const imailserver: Decoder = {
  name: 'imailserver',
  decode(email: Email): Decoded | null {
    if (!looksLikeIMail(email)) return null;
    const body = email.parts.length <= 1 ? email.text : (email.parts.find((p) => p.type === 'text/plain')?.text ?? '');
    const copyAt = body.search(COPY_MARKER);
    const report = copyAt >= 0 ? body.slice(0, copyAt) : body;

    const found: Array<{ recipient: string; line: string }> = [];
    const response: string[] = [];
    let inResponse = false;
    for (const raw of report.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      if (line.startsWith(RESPONSE_MARKER)) {
        inResponse = true;
        const rest = line.slice(RESPONSE_MARKER.length).trim();
        if (rest) response.push(rest);
        continue;
      }
      if (line.startsWith('undeliverable to ')) {
        const a = findAddress(line);
        if (a) found.push({ recipient: a, line });
        inResponse = false;
        continue;
      }
      const m = ADDRESS_LINE.exec(line);
      const a = m?.[2]?.replace(/^<|>$/g, '');
      const label = m?.[1]?.toLowerCase() ?? '';
      if (LINE_PREFIXES.some((p) => label.startsWith(p)) && a && isAddress(a)) {
        found.push({ recipient: a, line });
        inResponse = false;
        continue;
      }
      if (inResponse && response.length < 40) response.push(line);
    }
    if (found.length === 0) return null;

    const reply = response.join(' ');
    const replyCode = response.map((l) => REPLY_START.exec(l)?.[1]).find((c) => c !== undefined);
    const command: SmtpCommand | undefined = response.length > 0 ? 'DATA' : undefined;
    const recipients: RawStatus[] = found.map(({ recipient, line }) => {
      const lower = line.toLowerCase();
      const reason = FIXED_REASONS.find(([phrase]) => lower.includes(phrase))?.[1];
      return {
        recipient,
        action: 'failed',
        replyCode,
        diagnostic: reply ? `${line} ${reply}` : line,
        command,
        reason,
      };
    });
    let original: string | undefined;
    if (copyAt >= 0) {
      const eol = body.indexOf('\n', copyAt);
      if (eol >= 0) original = body.slice(eol + 1).replace(/^\s+/, '');
    }
    return { mta: 'imailserver', recipients, original };
  },
};
