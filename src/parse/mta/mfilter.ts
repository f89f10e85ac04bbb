// Digital Arts m-FILTER, a Japanese mail gateway. Its "failure notice" (X-Mailer: m-FILTER) is a
// Japanese paragraph, the failed addresses one per line, then labelled sections:
//
//   以下のメールアドレスへの送信に失敗しました。
//   kijitora@example.jp
//
//   -------server message
//   550 5.1.1 unknown user <kijitora@example.jp>
//
//   -------SMTP command
//   DATA
//
//   -------original message          (or "-------original mail info" with a summary)
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const SERVER = '-------server message';
const COMMAND = '-------SMTP command';
const ENDS = ['-------original message', '-------original mail info'];
const COMMANDS: ReadonlySet<string> = new Set(['CONN', 'HELO', 'EHLO', 'STARTTLS', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'QUIT']);

function looksLikeMFilter(email: Email): boolean {
  if (email.headers.text('x-mailer').trim() === 'm-FILTER') return true;
  // relabelled installations keep the subject and the section markers
  return email.subject === 'failure notice' && email.text.includes(SERVER);
}

export const mfilter: Decoder = {
  name: 'mfilter',
  decode(email: Email): Decoded | null {
    if (!looksLikeMFilter(email)) return null;
    const body = email.parts.length <= 1 ? email.text : (email.parts.find((p) => p.type === 'text/plain')?.text ?? '');
    const recipients: RawStatus[] = [];
    let section: 'addresses' | 'server' | 'command' = 'addresses';
    const server: string[] = [];
    let command: SmtpCommand | undefined;
    let originalAt = -1;
    let offset = 0;
    for (const raw of body.split('\n')) {
      offset += raw.length + 1;
      const line = raw.trim();
      if (ENDS.some((e) => line.startsWith(e))) {
        originalAt = offset;
        break;
      }
      if (line === SERVER) {
        section = 'server';
        continue;
      }
      if (line === COMMAND) {
        section = 'command';
        continue;
      }
      if (line === '') continue;
      if (section === 'addresses') {
        if (!line.includes(' ') && isAddress(line)) recipients.push({ recipient: line, action: 'failed' });
      } else if (section === 'server') {
        if (server.length < 20) server.push(line);
      } else if (!command) {
        const word = line.split(/\s/, 1)[0]?.toUpperCase() ?? '';
        if (COMMANDS.has(word)) command = word as SmtpCommand;
      }
    }
    if (recipients.length === 0) return null;
    const diagnostic = server.join(' ') || undefined;
    for (const r of recipients) {
      r.diagnostic = diagnostic;
      r.command = command;
    }
    // the full message, or m-FILTER's summary of its header fields ("From:", "Subject:", "Message-ID:")
    const original = originalAt >= 0 ? body.slice(originalAt) : undefined;
    return { mta: 'mfilter', recipients, original };
  },
};
