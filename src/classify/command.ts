// The SMTP command a rejection answered, read from the wording MTAs use to report it, for decoders
// that could not tell. Postfix: "(in reply to RCPT TO command)"; Exim: "after RCPT TO:<…>";
// DragonFly: "did not like our RCPT TO:". Connection-time rejections are left unnamed.
// The wordings are matched in the same pass as the reason phrases (reason-hits.ts).
import type { SmtpCommand } from '../parse/types.js';

/** In order of precedence: when a text names several commands, the first listed wins. */
export const REPORTED_COMMANDS: ReadonlyArray<readonly [SmtpCommand, readonly string[]]> = [
  ['RCPT', ['in reply to rcpt to command', 'after rcpt to:', 'did not like our rcpt to']],
  ['MAIL', ['in reply to mail from command', 'after mail from:', 'did not like our mail from']],
  ['DATA', [
    'in reply to end of data command', 'in reply to data command', 'after end of data',
    'did not like our final data', 'did not like our data',
  ]],
  ['EHLO', ['in reply to ehlo command', 'after ehlo ']],
  ['HELO', ['in reply to helo command', 'after helo ']],
];

/** The command named in a lower-case diagnostic, or "" when it names none. (The classifier gets the
 *  same answer from its phrase scan; this is the plain form, for tests and one-off use.) */
export function commandInText(text: string): SmtpCommand | '' {
  for (const [command, phrases] of REPORTED_COMMANDS) {
    for (const phrase of phrases) if (text.includes(phrase)) return command;
  }
  return '';
}
