// Yandex.Mail (Postfix), from mailer-daemon@yandex.ru with X-Yandex-* headers: a Russian and an English
// summary, Postfix's per-recipient paragraphs, then a message/delivery-status part:
//
//   <kijitora@example.jp>: host mx.example.jp[192.0.2.153] said: 550
//       5.1.1 <kijitora@example.jp>... User Unknown (in reply to RCPT TO
//       command)
//
// The delivery-status part gives the recipients and the reply; the paragraphs add the SMTP command, and
// stand in for the part when it is missing.
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const MAILER_DAEMON = /mailer-daemon@/i;
const YANDEX = /@(?:[a-z0-9-]{1,63}\.){0,4}yandex\.(?:ru|com|net|ua|by|kz|com\.tr)\b/i;
const PARAGRAPH_START = /^<([^<>\s]{3,320})>(?: \(expanded from <[^<>]{0,320}>\))?:\s*(.*)$/;
const SAID = /^host ([A-Za-z0-9][A-Za-z0-9.-]{0,253})\[[^\]]{0,64}\] said:\s*/;
const IN_REPLY = /\(in reply to [^)]{1,40}\)\s*$/i;
const REPLY_TO_COMMAND = /\(in reply to (?:end of )?(RCPT|MAIL|DATA|HELO|EHLO|STARTTLS|AUTH|BDAT)\b/i;
const STATUS_IN = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/;
const REPLY_START = /^([245]\d\d)(?=[\s-])/;

interface Paragraph {
  recipient: string;
  text: string;
}

function readParagraphs(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: Paragraph | null = null;
  for (const line of text.slice(0, 65536).split('\n')) {
    const m = PARAGRAPH_START.exec(line);
    if (m?.[1] && isAddress(m[1])) {
      cur = { recipient: m[1], text: (m[2] ?? '').trim() };
      out.push(cur);
    } else if (cur && /^\s+\S/.test(line)) {
      cur.text += ' ' + line.trim();
    } else {
      cur = null;
    }
  }
  return out;
}

export const yandex: Decoder = {
  name: 'yandex',
  decode(email: Email): Decoded | null {
    if (!MAILER_DAEMON.test(email.from)) return null;
    const h = email.headers;
    if (!YANDEX.test(email.from) && !h.has('x-yandex-front') && !h.has('x-yandex-uniq')) return null;
    const textPart = email.parts.find((p) => p.type === 'text/plain');
    const paragraphs = readParagraphs(textPart?.text ?? email.text);
    const part = deliveryStatusPart(email);
    const recipients: RawStatus[] = part ? readDeliveryStatus(part.text) : [];
    if (recipients.length === 0) {
      for (const p of paragraphs) recipients.push({ recipient: p.recipient, action: 'failed' });
    }
    for (const r of recipients) {
      const p = paragraphs.find((x) => x.recipient.toLowerCase() === r.recipient.toLowerCase());
      r.action ??= 'failed';
      if (!p) continue;
      const said = SAID.exec(p.text);
      const reply = (said ? p.text.slice(said[0].length) : p.text).replace(IN_REPLY, '').trimEnd();
      r.command ??= (REPLY_TO_COMMAND.exec(p.text)?.[1]?.toUpperCase() as SmtpCommand | undefined) ?? findCommand(p.text);
      r.remoteMta ??= said?.[1];
      if (!r.diagnostic) r.diagnostic = reply;
      r.status ??= STATUS_IN.exec(reply)?.[1];
      r.replyCode ??= REPLY_START.exec(r.diagnostic)?.[1];
    }
    if (recipients.length === 0) return null;
    return { mta: 'yandex', recipients: uniqueRecipients(recipients) };
  },
};
