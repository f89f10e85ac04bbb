// "X6": an MTA nobody has identified (the reference parser's Lhost::X6). Subject "There was an error
// sending your mail", a text part
//
//   We had trouble delivering your message. Full details follow:
//
//   Subject: 'Hello'
//   Date: 'Thu, 29 Apr 2012 23:34:45 +0000'
//
//   1 error(s):
//
//   SMTP Server <mx.example.org> rejected recipient <joe@example.org> (Error following RCPT command). It
//   responded as follows: [550 5.1.1 User unknown]
//   The following recipients returned permanent errors: joe@example.org. Reason: SMTP Server <192.0.2.1>
//   refused to accept your message (DATA), with the following error message: [554 5.4.6 Hop count exceeded]
//
// and the original headers as an attachment ("The attachment contains the original mail headers").
import { findAddress, isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import { uniqueRecipients } from '../rfc3464.js';
import type { Action, Decoded, RawStatus, SmtpCommand } from '../types.js';

const OPENING = 'We had trouble delivering your message. Full details follow:';
const REJECTED = /^SMTP Server <([^<>\s]{1,255})> rejected recipient <([^<>\s]{1,512})>/;
const RETURNED = /^The following recipients returned (permanent|temporary) errors: (.{3,4096}?)\. Reason: /;
const SERVER = /SMTP Server <([^<>\s]{1,255})>/;
const COMMAND = /\((?:Error following )?(HELO|EHLO|MAIL|RCPT|DATA)\b/i;
const END = 'The attachment contains the original mail headers';
// The notice's own lines between the opening and the errors.
const PREAMBLE = /^(?:(?:Subject|Date): '|\d{1,6} error\(s\):$)/;

export const x6: Decoder = {
  name: 'x6',
  decode(email: Email): Decoded | null {
    if (!email.subject.startsWith('There was an error sending your mail')) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' || p.type === '');
    const text = part?.text ?? '';
    const at = text.indexOf(OPENING);
    if (at < 0) return null;
    const stop = text.indexOf(END, at);
    const body = text.slice(at + OPENING.length, stop > at ? stop : undefined);
    // error blocks: a line starting one of the two wordings, with its continuation lines
    const blocks: string[] = [];
    for (const line of body.split('\n')) {
      const t = line.trim();
      if (t === '') continue;
      if (t.startsWith('SMTP Server <') || t.startsWith('The following recipients returned ')) blocks.push(t);
      else if (blocks.length > 0 && !PREAMBLE.test(t)) blocks[blocks.length - 1] += ' ' + t;
    }
    const recipients: RawStatus[] = [];
    for (const b of blocks) {
      const command = COMMAND.exec(b)?.[1]?.toUpperCase() as SmtpCommand | undefined;
      const remoteMta = SERVER.exec(b)?.[1];
      const rejected = REJECTED.exec(b);
      if (rejected?.[2]) {
        recipients.push({ recipient: rejected[2], action: 'failed', diagnostic: b, diagnosticType: 'SMTP', command, remoteMta });
        continue;
      }
      const returned = RETURNED.exec(b);
      if (!returned) continue;
      const action: Action = returned[1] === 'temporary' ? 'delayed' : 'failed';
      for (const piece of (returned[2] ?? '').split(/[,;]\s*/)) {
        const a = findAddress(piece);
        if (a && isAddress(a)) recipients.push({ recipient: a, action, diagnostic: b, diagnosticType: 'SMTP', command, remoteMta });
      }
    }
    if (recipients.length === 0) return null;
    // the original headers come as a text attachment after the notice
    const attached = email.parts.find((p) => p !== part && p.type === 'text/plain' && /^[A-Za-z-]{1,40}:/.test(p.text));
    return { mta: 'x6', recipients: uniqueRecipients(recipients), original: attached?.text };
  },
};
