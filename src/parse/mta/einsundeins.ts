// 1&1 / IONOS (kundenserver.de, 1und1.de): "Mail delivery failed: returning message to sender" from
// "Mail Delivery System" <mailer-daemon@…>, single-part text resembling Exim's but with its own layout:
//   This message was created automatically by mail delivery software.
//   …
//   The following address failed:
//
//   joe@example.org
//
//   For the following reason:
//
//   Mail size limit exceeded. For explanation visit
//   http://postmaster.1and1.com/en/error-messages?ip=%1s
//
//   --- The header of the original message is following. ---
// Relayed failures name the remote server instead:
//       joe@example.fr:
//       SMTP error from remote server for TEXT command, host: smtp-in.example.fr (192.0.2.1)
//       reason: 550 5.2.0 Mail rejected
import { collapseWhitespace } from '../../classify/text.js';
import { plainParts } from '../email.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';
import type { Reason } from '../../classify/reasons.js';

const START = 'This message was created automatically by mail delivery software';
const ORIGINAL = /^-{2,}\s*The header of the original message is following\.?\s*-{2,}\s*$/;
const REASON_INTRO = /^For the following reason:\s*$/;
const REMOTE = /\bSMTP error from remote server for (\S{1,16}) command, host: (\S{1,255})(?: \(([0-9a-fA-F.:]{2,45})\))?/i;

// 1&1's own wording for the cause.
const CAUSES: ReadonlyArray<readonly [string, Reason]> = [['Mail size limit exceeded', 'mesgtoobig']];

const SUBJECT = /mail delivery failed: returning message to sender/i;
const SENDER_NAME = /mail delivery system/i;
const SENDER_DOMAIN = /[@.](?:kundenserver\.de|1und1\.de|1and1\.[a-z]{2,6}|ionos\.[a-z]{2,6})\b/i;
const OWN_SECTION = /^For the following reason:\s*$|^-{2,}\s*The header of the original message is following/m;

function is1and1(email: Email): boolean {
  if (!SUBJECT.test(email.subject)) return false;
  if (!SENDER_NAME.test(email.from)) return false;
  const h = email.headers;
  if (h.has('x-ui-out-filterresults') || SENDER_DOMAIN.test(email.from)) return true;
  return plainParts(email).some((p) => OWN_SECTION.test(p.text));
}

function commandWord(w: string): SmtpCommand | undefined {
  const u = w.toUpperCase();
  if (u === 'TEXT' || u === 'DATA') return 'DATA';
  if (u.startsWith('RCPT')) return 'RCPT';
  if (u.startsWith('MAIL')) return 'MAIL';
  return undefined;
}

export const einsundeins: Decoder = {
  name: 'einsundeins',
  decode(email: Email): Decoded | null {
    if (!is1and1(email)) return null;
    const recipients: RawStatus[] = [];
    const reason: string[] = [];
    let original: string | undefined;
    let started = false;
    let inReason = false;
    let current: RawStatus | undefined;
    for (const p of plainParts(email)) {
      const lines = p.text.split('\n', 5000);
      for (let i = 0; i < lines.length; i++) {
        const raw = lines[i] ?? '';
        const line = raw.trim();
        if (!started) {
          started = line.startsWith(START);
          continue;
        }
        if (ORIGINAL.test(line)) {
          original = lines.slice(i + 1, i + 400).join('\n');
          break;
        }
        if (!line) continue;
        if (REASON_INTRO.test(line)) {
          inReason = true;
          current = undefined;
          continue;
        }
        const bare = line.replace(/:$/, '');
        if (!inReason && isAddress(bare) && !/\s/.test(bare)) {
          current = { recipient: bare, action: 'failed' };
          recipients.push(current);
          continue;
        }
        if (inReason) {
          if (reason.length < 20) reason.push(line);
        } else if (current && raw.startsWith(' ') && (current.diagnostic?.length ?? 0) < 2000) {
          current.diagnostic = current.diagnostic ? `${current.diagnostic} ${line}` : line;
        }
      }
    }
    if (recipients.length === 0) return null;
    const shared = collapseWhitespace(reason.join(' '));
    for (const r of recipients) {
      const text = r.diagnostic ?? shared;
      const remote = REMOTE.exec(text);
      if (remote) {
        r.remoteMta = remote[2];
        r.command = commandWord(remote[1] ?? '');
        const said = /\breason:\s*(.+)$/i.exec(text);
        r.diagnostic = said?.[1]?.trim() ?? text;
      } else {
        r.diagnostic = text || undefined;
        r.command = text ? findCommand(text) : undefined;
      }
      r.reason = CAUSES.find(([phrase]) => text.includes(phrase))?.[1];
    }
    return { mta: 'einsundeins', recipients: uniqueRecipients(recipients), original };
  },
};
