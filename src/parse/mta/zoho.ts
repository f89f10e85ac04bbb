// Zoho Mail, from mailer-daemon@mail.zoho.com (X-ZohoMail header):
//
//   This message was created automatically by mail delivery software.
//   A message that you sent could not be delivered to one or more of its recipients. This is a permanent error.
//
//   kijitora@example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <kijitora@example.co.jp>... User Unknown
//
// and for a delay ("THIS IS A WARNING MESSAGE ONLY", "Message will be retried"):
//   [Status: Error, Address: <kijitora@example.co.jp>, ResponseCode 421, , Host not reachable.]
//
// The returned message's headers follow inline ("Received:from mail.zoho.com by mx.zohomail.com").
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import type { Action, Decoded, RawStatus } from '../types.js';

const START = 'This message was created automatically by mail delivery';
const ERROR_LINE = /^(\S{3,320})\s+(.*ERROR_CODE\s?:.*)$/;
const STATUS_LINE = /^\[Status:\s*[^,]*,\s*Address:\s*<([^<>\s]{3,320})>,\s*(.*)\]?$/i;
const RESPONSE_CODE = /(?:ERROR_CODE\s?:|ResponseCode)\s?([245]\d\d)\b/;
const STATUS_IN = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/;
const ORIGINAL = /^Received:\s?from /i;
// Zoho's own words when it could not connect to the recipient's server
const UNREACHABLE = 'Host not reachable';

const SENDER = /mailer-daemon@(?:[a-z0-9-]{1,63}\.){0,3}zoho(?:mail)?\.[a-z.]{2,8}/i;

export const zoho: Decoder = {
  name: 'zoho',
  decode(email: Email): Decoded | null {
    const h = email.headers;
    if (!h.has('x-zohomail') && !SENDER.test(email.from)) return null;
    const text = email.parts.find((p) => p.type === 'text/plain')?.text ?? email.text;
    const at = text.indexOf(START);
    if (at < 0) return null;
    const lines = text.slice(at, at + 65536).split('\n');
    const delayed = /WARNING MESSAGE ONLY|will be retried/i.test(text.slice(at, at + 4096));
    const action: Action = delayed ? 'delayed' : 'failed';
    const recipients: RawStatus[] = [];
    let cur: RawStatus | null = null;
    let original: string | undefined;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const t = line.trim();
      if (ORIGINAL.test(t)) {
        original = lines.slice(i).join('\n');
        break;
      }
      if (t === '') {
        cur = null;
        continue;
      }
      const e = ERROR_LINE.exec(t);
      const s = e ? null : STATUS_LINE.exec(t);
      const address = e?.[1] ?? s?.[1];
      if (address && isAddress(address)) {
        cur = { recipient: address, action, diagnostic: e ? (e[2] ?? '') : t };
        recipients.push(cur);
        continue;
      }
      // a quoted-printable soft break left in the text, or a wrapped reply
      if (cur?.diagnostic !== undefined) {
        cur.diagnostic = cur.diagnostic.endsWith('=') ? cur.diagnostic.slice(0, -1) + t : cur.diagnostic + ' ' + t;
      }
    }
    for (const r of recipients) {
      const d = r.diagnostic ?? '';
      r.replyCode = RESPONSE_CODE.exec(d)?.[1];
      r.status = STATUS_IN.exec(d)?.[1];
      if (d.includes(UNREACHABLE)) r.reason = 'expired';
    }
    if (recipients.length === 0) return null;
    return { mta: 'zoho', recipients, original };
  },
};
