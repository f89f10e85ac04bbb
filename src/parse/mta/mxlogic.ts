// McAfee SaaS Email Protection, formerly MX Logic (X-MX-Bounce, X-MXL-Hash / X-MXL-NoteHash headers,
// Message-ID "<mxl~...>"). Its MTA derives from Exim and keeps Exim's prose, but puts the reply on the
// address line and returns only the headers:
//
//   A message that you have sent could not be delivered to one or more
//   recipients.  This is a permanent error.  The following address failed:
//
//     <kijitora@example.co.jp>: 550 5.1.1 <kijitora@example.co.jp>: Recipient address rejected: ...
//
//   Included is a copy of the message header:
//   -----------------------------------------
import { findStatusCode } from '../../classify/status-code.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus } from '../types.js';

const HEADERS = ['x-mx-bounce', 'x-mxl-hash', 'x-mxl-notehash'];
const COPY_MARKER = 'Included is a copy of the message header:';
const OPENER = 'This message was created automatically by mail delivery software';
const ANGLED_LINE = /^<([^<>\s]{1,512})>:?\s*(.*)$/;
const HOST = /\bhost (\S{1,255}) \[[^\]\s]{1,64}\]/;
const REPLY_START = /^([245]\d\d)(?:[ -]|$)/;

function looksLikeMXLogic(email: Email): boolean {
  if (HEADERS.some((h) => email.headers.has(h))) return true;
  return email.headers.text('message-id').trim().startsWith('<mxl~');
}

export const mxlogic: Decoder = {
  name: 'mxlogic',
  decode(email: Email): Decoded | null {
    if (!looksLikeMXLogic(email)) return null;
    const body = email.parts.length <= 1 ? email.text : (email.parts.find((p) => p.type === 'text/plain')?.text ?? '');
    const copyAt = body.indexOf(COPY_MARKER);
    const report = copyAt >= 0 ? body.slice(0, copyAt) : body;
    if (!report.includes(OPENER)) return null;
    const warning = email.subject.startsWith('Warning: message ');

    const recipients: RawStatus[] = [];
    let cur: RawStatus | undefined;
    for (const raw of report.split('\n')) {
      const line = raw.trimEnd();
      if (line.trim() === '' || !line.startsWith('  ')) {
        cur = undefined;
        continue;
      }
      const text = line.trim();
      if (!line.startsWith('   ')) {
        // "  <address>: reply" (or Exim's "  address" with the error on the lines below)
        const m = ANGLED_LINE.exec(text);
        const address = m ? m[1] : text.replace(/:$/, '');
        if (address && isAddress(address) && !/\s/.test(address)) {
          cur = { recipient: address, action: warning ? 'delayed' : 'failed', diagnostic: m?.[2] || undefined };
          recipients.push(cur);
          continue;
        }
      }
      if (cur && (cur.diagnostic ?? '').length < 4000) cur.diagnostic = cur.diagnostic ? `${cur.diagnostic} ${text}` : text;
    }
    if (recipients.length === 0) return null;
    for (const r of recipients) {
      const d = r.diagnostic ?? '';
      r.status = findStatusCode(d);
      const afterHost = d.indexOf(']: ');
      r.replyCode = REPLY_START.exec(d)?.[1] ?? (afterHost > 0 ? REPLY_START.exec(d.slice(afterHost + 3))?.[1] : undefined);
      r.remoteMta = HOST.exec(d)?.[1];
      r.command = findCommand(d);
    }
    let original: string | undefined;
    if (copyAt >= 0) {
      const rest = body.slice(copyAt + COPY_MARKER.length).replace(/^\s*-{5,}\s*\n/, '');
      original = rest.replace(/^\n+/, '');
    }
    return { mta: 'mxlogic', recipients, kind: warning ? 'delay' : undefined, original };
  },
};
