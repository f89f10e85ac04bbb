// Trend Micro InterScan Messaging Security Suite (the reference parser's "InterScanMSS"). From
// "InterScan MSS" / "InterScan Notification", MIME boundary "------------InterScan_NT_MIME_Boundary".
// The text part quotes the SMTP exchange that failed:
//
//   Sent <<< RCPT TO:<kijitora@example.co.jp>
//   Received >>> 550 5.1.1 <kijitora@example.co.jp>... user unknown
//
// (localised versions keep the arrows: "送信 <<< RCPT TO:<...>", "受信 >>> 550 ..."), or a notification:
//
//   Unable to deliver message to <kijitora@example.jp> (and other recipients in the same domain).
//   Please check if address is correct.
import { findStatusCode } from '../../classify/status-code.js';
import { findAddress, isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const UNABLE = 'Unable to deliver message to <';
const REPLY_START = /^([245]\d\d)(?:[ -]|$)/;
const SENT_COMMAND = /^(HELO|EHLO|MAIL FROM|RCPT TO|DATA|BDAT|STARTTLS|AUTH|QUIT)\b/i;

function looksLikeInterScan(email: Email): boolean {
  if (email.from.includes('InterScan')) return true;
  return email.headers.text('content-type').includes('InterScan');
}

function commandWord(sent: string): SmtpCommand | undefined {
  const w = sent.slice(0, 4).toUpperCase();
  const known: readonly SmtpCommand[] = ['HELO', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'AUTH', 'QUIT'];
  if (sent.toUpperCase().startsWith('STARTTLS')) return 'STARTTLS';
  return known.find((c) => c === w);
}

export const trendmicro: Decoder = {
  name: 'trendmicro',
  decode(email: Email): Decoded | null {
    if (!looksLikeInterScan(email)) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' && p.depth <= 1);
    if (!part) return null;

    const recipients: RawStatus[] = [];
    let cur: RawStatus | undefined;
    let lastCommand: SmtpCommand | undefined;
    for (const raw of part.text.split('\n')) {
      const line = raw.trim();
      if (line === '' || /^\*+$/.test(line)) continue;
      const unable = line.indexOf(UNABLE);
      if (unable >= 0) {
        const a = findAddress(line.slice(unable + UNABLE.length - 1));
        // after the transcript, the notification names the same recipient again: the transcript says more
        const known = a ? recipients.find((r) => r.recipient.toLowerCase() === a.toLowerCase()) : undefined;
        if (known) cur = undefined;
        else if (a) {
          cur = { recipient: a, action: 'failed', diagnostic: line.slice(unable), reason: 'userunknown' };
          recipients.push(cur);
        }
        continue;
      }
      const arrow = Math.max(line.indexOf('<<< '), line.indexOf('>>> '));
      if (arrow < 0) {
        // "Please check if address is correct." continues the notification sentence
        if (cur && cur.reason === 'userunknown' && (cur.diagnostic ?? '').length < 1000) cur.diagnostic = `${cur.diagnostic ?? ''} ${line}`;
        continue;
      }
      const said = line.slice(arrow + 4).trim();
      if (SENT_COMMAND.test(said)) {
        lastCommand = commandWord(said);
        if (lastCommand === 'RCPT') {
          const a = findAddress(said);
          if (a && isAddress(a) && cur?.recipient.toLowerCase() !== a.toLowerCase()) {
            cur = { recipient: a, action: 'failed' };
            recipients.push(cur);
          }
        }
        if (cur) cur.command = lastCommand;
        continue;
      }
      if (REPLY_START.test(said)) {
        if (!cur) {
          // a rejection before any RCPT TO: the reply names the address, if anyone's
          const a = findAddress(said);
          if (!a) continue;
          cur = { recipient: a, action: 'failed', command: lastCommand };
          recipients.push(cur);
        }
        cur.diagnostic = said;
        cur.replyCode = REPLY_START.exec(said)?.[1];
        cur.status = findStatusCode(said);
      }
    }
    if (recipients.length === 0) return null;
    return { mta: 'trendmicro', recipients };
  },
};
