// A mailbox's worth of what is not a bounce, or not well-formed: newsletters, spam, auto-replies, broken
// MIME, binary garbage — each with what it must be classified as once stored.
import type { Kind } from '../../src/parse/types.js';

export interface Junk {
  label: string;
  raw: Buffer;
  /** What it must be stored as. */
  kind: Kind;
}

const crlf = (lines: readonly string[]): Buffer => Buffer.from(lines.join('\r\n'), 'utf8');

function nested(depth: number): string {
  let body = 'Content-Type: text/plain\r\n\r\ninnermost\r\n';
  for (let i = 0; i < depth; i++) body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`;
  return body;
}

export function junkMessages(tag: string): Junk[] {
  const to = 'To: bounces@bounces.example.org';
  return [
    { label: 'newsletter', kind: 'not-bounce', raw: crlf(['From: "Shop" <news@shop.example>', to, `Subject: ${tag} Spring sale: 20% off`, `Message-ID: <news.${tag}@shop.example>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'Everything is cheaper this week.', '']) },
    {
      label: 'spam', kind: 'not-bounce', raw: crlf([
        'From: "Prince" <prince@lottery.example>', to, `Subject: =?UTF-8?B?${Buffer.from(`${tag} You have WON €1,000,000`).toString('base64')}?=`, 'X-Spam-Flag: YES', 'X-Spam-Status: Yes, score=25.3',
        'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64', '',
        Buffer.from('<html><body><h1>Claim your prize</h1><p>Send your bank details to claim the undelivered payment.</p></body></html>').toString('base64'), '',
      ]),
    },
    { label: 'vacation', kind: 'auto-reply', raw: crlf(['From: joe@example.com', to, `Subject: Out of office: ${tag}`, 'Auto-Submitted: auto-replied', 'Precedence: auto_reply', `Message-ID: <ooo.${tag}@example.com>`, '', 'I am on holiday until Monday and will read your mail when I am back.', '']) },
    {
      label: 'unterminated multipart', kind: 'not-bounce', raw: crlf([
        'From: someone@example.net', to, `Subject: ${tag} broken multipart`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="never-closed"', '',
        '--never-closed', 'Content-Type: text/plain', '', 'first part', '--never-closed', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', '', 'this is !!! not base64 ***', '',
      ]),
    },
    { label: 'bad charset and encoding', kind: 'not-bounce', raw: crlf(['From: x@example.net', to, `Subject: ${tag} =?x-unknown-charset?Q?=FF=FE?= =?utf-8?B?####?=`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset="x-no-such-charset"', 'Content-Transfer-Encoding: quoted-printable', '', 'Bad =ZZ escapes =\r\nand a soft break =E9=', '']) },
    { label: 'headers only', kind: 'not-bounce', raw: crlf(['From: y@example.net', to, `Subject: ${tag} no body at all`, 'Content-Type: multipart/alternative']) },
    { label: '8-bit headers', kind: 'not-bounce', raw: Buffer.concat([Buffer.from(`From: Jos\xe9 <jose@example.net>\r\n${to}\r\nSubject: ${tag} r\xe9sum\xe9 \xff\xfe\r\n\r\nLatin-1 bytes in headers.\r\n`, 'latin1')]) },
    { label: 'deep nesting', kind: 'not-bounce', raw: Buffer.from(`From: z@example.net\r\n${to}\r\nSubject: ${tag} nested 200 deep\r\nMIME-Version: 1.0\r\n${nested(200)}`) },
    {
      label: 'truncated bounce', kind: 'not-bounce', raw: crlf([
        'From: MAILER-DAEMON@mail.example.org', to, `Subject: ${tag} Undelivered Mail Returned to Sender`, 'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="cut"', '', '--cut', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mail.example.org', '', 'Final-Recip',
      ]),
    },
    { label: 'binary garbage', kind: 'not-bounce', raw: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + tag.length * 31) % 251 || 1)) },
  ];
}
