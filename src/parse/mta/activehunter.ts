// QUALITIA Active!hunter, a Japanese mail gateway (X-AHMAILID header). A sendmail-like text part:
//
//     ----- The following addresses had permanent fatal errors -----
//
//   >>> kijitora@example.org <kijitora@example.org>
//
//     ----- Transcript of session follows -----
//   550 sorry, no mailbox here by that name (#5.1.1 - chkusr)
//
// followed by the returned message as message/rfc822 (no delivery-status part).
import { findStatusCode } from '../../classify/status-code.js';
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const LIST_MARKER = '----- The following addresses had permanent fatal errors -----';
const TRANSCRIPT_MARKER = '----- Transcript of session follows -----';
const REPLY_START = /^([245]\d\d)(?:[ -]|$)/;

export const activehunter: Decoder = {
  name: 'activehunter',
  decode(email: Email): Decoded | null {
    if (!email.headers.has('x-ahmailid')) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' && p.text.includes(LIST_MARKER));
    if (!part) return null;

    const recipients: RawStatus[] = [];
    let section: 'none' | 'list' | 'transcript' = 'none';
    const transcript: string[] = [];
    let command: SmtpCommand | undefined;
    for (const raw of part.text.split('\n')) {
      const line = raw.trim();
      if (line === LIST_MARKER) {
        section = 'list';
        continue;
      }
      if (line === TRANSCRIPT_MARKER) {
        section = 'transcript';
        continue;
      }
      if (line === '') continue;
      if (section === 'list' && line.startsWith('>>> ')) {
        const a = findAddress(line.slice(4));
        if (a) recipients.push({ recipient: a, action: 'failed' });
      } else if (section === 'transcript' && transcript.length < 20) {
        // a full transcript writes ">>> RCPT TO:<...>" and "<<< 550 ..."
        if (line.startsWith('>>> ')) command = findCommand(line) ?? command;
        else transcript.push(line.startsWith('<<< ') ? line.slice(4) : line);
      }
    }
    if (recipients.length === 0) return null;
    const diagnostic = transcript.join(' ') || undefined;
    const replyCode = transcript.map((l) => REPLY_START.exec(l)?.[1]).find((c) => c !== undefined);
    for (const r of recipients) {
      r.diagnostic = diagnostic;
      r.replyCode = replyCode;
      r.status = diagnostic ? findStatusCode(diagnostic) : undefined;
      r.command = command;
    }
    return { mta: 'activehunter', recipients };
  },
};
