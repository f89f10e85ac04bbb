// Unidentified MTA #2 of the reference parser: a qmail-like notice from "MAILER-DAEMON@<domain>" with the
// Subject "Delivery failure" (also "failure delivery", "failed delivery"):
//
//   Message from example.com.
//   Unable to deliver message to the following address(es).
//
//   <kijitora@example.com>:
//   This user doesn't have a example.com account (kijitora@example.com) [0]
//
//   --- Original message follows.
//
// A later version of the same service writes "NOTICE: Delivery Failure." with one "Delivery failed:
// <address>" block per recipient, qmail-remote's sentences, the reply after "Remote host said[Response
// Message]:" and the step that failed ("STEP: DATA SEND").
import { findStatusCode } from '../../classify/status-code.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const SUBJECTS = ['Delivery failure', 'failure delivery', 'failed delivery'];
const OPENERS = ['Unable to deliver message to the following address', 'Your delivery to the following address has been failed'];
const COPY_MARKER = '--- Original message follows.';
const RECIPIENT_LINE = /^<([^<>\s]{1,512})>:$/;
const FAILED_LINE = /^Delivery failed: <?([^<>\s]{1,512}?)>?$/;
const REPLY = /said(?:\[[^\]]{0,40}\])?: ?([245]\d\d)(?:[ -]|$)/;
const REMOTE = /^(\S{1,255}) (?:does not like recipient|failed after I sent the message|failed on DATA command)/;
const STEPS: Readonly<Record<string, SmtpCommand>> = {
  CONNECT: 'CONN', HELO: 'HELO', EHLO: 'EHLO', MAIL: 'MAIL', RCPT: 'RCPT', DATA: 'DATA',
};

function looksLikeX2(email: Email): boolean {
  if (SUBJECTS.some((s) => email.subject.startsWith(s))) return true;
  return email.from.includes('MAILER-DAEMON@');
}

interface Block {
  recipient: string;
  lines: string[];
  command?: SmtpCommand;
}

export const x2: Decoder = {
  name: 'x2',
  decode(email: Email): Decoded | null {
    if (!looksLikeX2(email)) return null;
    const body = email.parts.length <= 1 ? email.text : (email.parts.find((p) => p.type === 'text/plain')?.text ?? '');
    if (!OPENERS.some((o) => body.includes(o))) return null;
    const copyAt = body.indexOf(COPY_MARKER);
    const report = copyAt >= 0 ? body.slice(0, copyAt) : body;

    const blocks: Block[] = [];
    let opened = false;
    let cur: Block | undefined;
    for (const raw of report.split('\n')) {
      const line = raw.trim();
      if (!opened) {
        opened = OPENERS.some((o) => line.includes(o));
        continue;
      }
      if (line === '') {
        cur = undefined;
        continue;
      }
      const m = RECIPIENT_LINE.exec(line) ?? FAILED_LINE.exec(line);
      if (m?.[1]) {
        cur = isAddress(m[1]) ? { recipient: m[1], lines: [] } : undefined;
        if (cur) blocks.push(cur);
        continue;
      }
      if (!cur) continue;
      if (line.startsWith('STEP: ')) {
        cur.command = STEPS[line.slice(6).split(' ', 1)[0]?.toUpperCase() ?? ''];
        continue;
      }
      if (cur.lines.length < 40) cur.lines.push(line);
    }
    if (blocks.length === 0) return null;

    const recipients: RawStatus[] = blocks.map((b) => {
      const diagnostic = b.lines.join(' ');
      return {
        recipient: b.recipient,
        action: 'failed',
        status: findStatusCode(diagnostic),
        replyCode: REPLY.exec(diagnostic)?.[1],
        diagnostic: diagnostic || undefined,
        remoteMta: REMOTE.exec(diagnostic)?.[1],
        command: b.command ?? commandOf(diagnostic),
      };
    });
    let original: string | undefined;
    if (copyAt >= 0) original = body.slice(copyAt + COPY_MARKER.length).replace(/^\s+/, '');
    return { mta: 'x2', recipients, original };
  },
};

function commandOf(diagnostic: string): SmtpCommand | undefined {
  if (diagnostic.includes(' does not like recipient')) return 'RCPT';
  if (diagnostic.includes(' failed after I sent the message') || diagnostic.includes(' failed on DATA command')) return 'DATA';
  return findCommand(diagnostic);
}
