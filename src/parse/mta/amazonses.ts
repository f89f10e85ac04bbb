// Amazon SES (sending). SES reports what happened to a message in three shapes:
//  1. A multipart/report DSN from MAILER-DAEMON@…amazonses.com carrying X-SES-Outgoing (X-AWS-Outgoing in
//     2011). Its text part begins "An error occurred while trying to deliver the mail to the following
//     recipients:" (2012 on) or "The following message to <addr> was undeliverable." (2011), whose
//     Diagnostic-Code reads "5.1.0 - Unknown address error 550-'5.7.1 … Access denied' (delivery
//     attempts: 0)": SES's own code first, then the remote reply code and, quoted, the remote reply.
//  2. An Amazon SNS notification by email ("AWS Notification Message", x-amz-sns-message-id) whose body is
//     the SNS envelope {"Type":"Notification", …, "Message":"{\"notificationType\":\"Bounce\", …}"}
//     followed by an unsubscribe footer after a "--" line.
//  3. The SES notification (or event-publishing) JSON itself: {"notificationType":"Bounce", …} or
//     {"eventType":"Bounce", …}. Relays fold its single long line at ~990 columns as "!\n ".
// The notification JSON: https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
import { plainParts } from '../email.js';
import { findAddress, isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { diagnosticField, findCommand, mtaField, normaliseAction, statusField } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';
import type { Reason } from '../../classify/reasons.js';

// ---------------------------------------------------------------------------------------------------
// Pieces shared by the SES family (amazonworkmail and receivingses read SES-generated DSNs too).

const GENERIC_STATUS = /^[45]\.[01]\.0$/;
// the remote reply quoted after SES's own text: 550-'5.7.1 <…>… Access denied'
const QUOTED_REPLY = /\b([245]\d\d)-'([245]\.\d{1,3}\.\d{1,3})?/;
// SES's expiry wording with the last remote reply in angle brackets:
// "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>"
const EXPIRED = /\bMessage expired: unable to deliver in\b/i;
const LAST_REPLY = /<([245]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})?[^<>]{0,300}>/;

/**
 * Sharpen a recipient of an SES-written DSN: a generic Status (5.0.0, 5.1.0) gives way to the remote
 * server's code quoted in the diagnostic, the remote reply code is taken from "550-'…'", and SES's expiry
 * text names the last reply the remote server gave.
 */
export function refineSes(r: RawStatus): RawStatus {
  const diag = r.diagnostic ?? '';
  if (!diag) return r;
  const out: RawStatus = { ...r };
  const quoted = QUOTED_REPLY.exec(diag);
  if (quoted) {
    out.replyCode ??= quoted[1];
    if (quoted[2] && (!out.status || GENERIC_STATUS.test(out.status))) out.status = quoted[2];
  }
  if ((!out.status || GENERIC_STATUS.test(out.status)) && !quoted?.[2]) {
    out.status = statusField(diag) ?? out.status;
  }
  if (EXPIRED.test(diag)) {
    out.reason ??= 'expired';
    const last = LAST_REPLY.exec(diag);
    if (last) {
      out.replyCode = last[1];
      if (last[2]) out.status = last[2];
    }
  }
  out.command ??= findCommand(diag);
  return out;
}

const WORKMAIL = /amazon workmail/i;

/** True when the message was written by Amazon WorkMail (which also sends through SES). */
export function isWorkMail(email: Email): boolean {
  const h = email.headers;
  return WORKMAIL.test(h.text('x-mailer')) || WORKMAIL.test(h.text('x-original-mailer'));
}

// ---------------------------------------------------------------------------------------------------
// The JSON notifications.

type Json = Record<string, unknown>;

/** Longest JSON text handed to JSON.parse; a notification is a few KB, its headers a few more. */
const MAX_JSON_CHARS = 512 * 1024;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function tryJson(text: string): Json | undefined {
  if (text.length > MAX_JSON_CHARS) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The balanced JSON object or array that starts at `from` in `text` (string literals respected), or
 * undefined when it is cut off. One pass, bounded by the text.
 */
function balancedAt(text: string, from: number): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return text.slice(from, i + 1);
    }
  }
  return undefined;
}

/** The value of "key": {…} or "key": […] in possibly truncated JSON text, parsed; undefined if cut off. */
function salvageValue(text: string, key: string): unknown {
  const at = text.indexOf(`"${key}"`);
  if (at < 0) return undefined;
  let i = at + key.length + 2;
  while (i < text.length && (text[i] === ' ' || text[i] === ':')) i++;
  if (text[i] !== '{' && text[i] !== '[') return undefined;
  const piece = balancedAt(text, i);
  if (!piece) return undefined;
  try {
    return JSON.parse(piece) as unknown;
  } catch {
    return undefined;
  }
}

const SECTIONS = ['bounce', 'complaint', 'delivery', 'deliveryDelay', 'mail'] as const;
const LISTS: Readonly<Record<string, string>> = {
  bounce: 'bouncedRecipients', complaint: 'complainedRecipients', delivery: 'recipients', deliveryDelay: 'delayedRecipients',
};

/**
 * Rebuild what can be read from a notification whose text was cut (lines are bounded before decoders see
 * them): the type, and each section or at least its recipient list when that part is complete.
 */
function salvage(text: string): Json | undefined {
  const type = /"(?:notificationType|eventType)"\s*:\s*"([A-Za-z]{1,32})"/.exec(text)?.[1];
  if (!type) return undefined;
  const out: Json = { notificationType: type };
  for (const s of SECTIONS) {
    const v = salvageValue(text, s);
    if (isObject(v)) {
      out[s] = v;
      continue;
    }
    const list = LISTS[s];
    const items = list ? salvageValue(text, list) : undefined;
    if (Array.isArray(items)) out[s] = { [list as string]: items };
  }
  return out;
}

/** The notification object in a JSON body: the SES JSON itself or the one inside an SNS envelope. */
export function sesNotification(body: string): Json | undefined {
  let t = body.trimStart();
  if (!t.startsWith('{')) return undefined;
  const footer = t.indexOf('\n--\n'); // SNS appends "--\nIf you wish to stop receiving notifications…"
  if (footer > 0) t = t.slice(0, footer);
  if (t.includes('!\n ')) t = t.replace(/!\n /g, ''); // undo the relays' long-line folding
  t = t.trim();
  const outer = tryJson(t);
  if (outer) {
    const inner = str(outer['Message']);
    if (inner !== undefined) return tryJson(inner) ?? salvage(inner);
    return outer['notificationType'] || outer['eventType'] ? outer : undefined;
  }
  // cut off: an SNS envelope holds the notification as an escaped string
  const m = t.indexOf('"Message"');
  if (m >= 0 && t.includes('\\"', m)) {
    const raw = t.slice(m + 9).replace(/\\\\/g, '\u0000').replace(/\\"/g, '"').replace(/\u0000/g, '\\');
    return salvage(raw);
  }
  return salvage(t);
}

// Bounce sub-types that name the cause themselves (others leave it to the diagnostic).
const SUBTYPE_REASONS: Readonly<Record<string, Reason>> = {
  MailboxFull: 'mailboxfull',
  MessageTooLarge: 'mesgtoobig',
};

// Delivery-delay types that name the cause themselves.
const DELAY_REASONS: Readonly<Record<string, Reason>> = {
  MailboxFull: 'mailboxfull',
  SpamDetected: 'spamdetected',
};

function addressOf(v: unknown): string | undefined {
  const s = str(typeof v === 'object' && v !== null ? (v as Json)['emailAddress'] : v);
  if (!s) return undefined;
  const t = s.trim();
  return isAddress(t) && !/[\s<>]/.test(t) ? t : findAddress(t);
}

function listOf(section: Json | undefined, key: string): unknown[] {
  const v = section?.[key];
  return Array.isArray(v) ? v : [];
}

/** One bounced or delayed recipient entry: {"emailAddress", "action", "status", "diagnosticCode"}. */
function failedRecipient(e: unknown, section: Json, reason: Reason | undefined, dflt: 'failed' | 'delayed'): RawStatus | undefined {
  const recipient = addressOf(e);
  if (!recipient) return undefined;
  const o = isObject(e) ? e : {};
  const diag = diagnosticField(str(o['diagnosticCode']));
  const r: RawStatus = {
    recipient,
    action: normaliseAction(str(o['action'])) ?? dflt,
    status: statusField(str(o['status'])),
    diagnostic: diag.text,
    diagnosticType: diag.type,
    remoteMta: str(section['remoteMtaIp']) ?? mtaField(str(section['remoteMta'])),
    reportingMta: mtaField(str(section['reportingMTA'])),
    command: diag.text ? findCommand(diag.text) : undefined,
    reason,
  };
  return r;
}

/** "Name: value" lines from the notification's copy of the original headers, for Decoded.original. */
function originalHeaders(mail: Json | undefined): string | undefined {
  if (!mail) return undefined;
  const lines: string[] = [];
  let hasId = false;
  for (const h of listOf(mail, 'headers')) {
    if (!isObject(h)) continue;
    const name = str(h['name']);
    const value = typeof h['value'] === 'string' ? h['value'] : '';
    if (!name || !/^[!-9;-~]{1,128}$/.test(name)) continue;
    if (name.toLowerCase() === 'message-id') hasId = true;
    lines.push(`${name}: ${value.replace(/[\r\n]+/g, ' ')}`);
    if (lines.length >= 200) break;
  }
  const common = isObject(mail['commonHeaders']) ? mail['commonHeaders'] : undefined;
  const id = str(common?.['messageId']);
  if (!hasId && id) lines.push(`Message-ID: ${id.startsWith('<') ? id : `<${id}>`}`);
  return lines.length > 0 ? lines.join('\n') + '\n' : undefined;
}

/** Decode an SES notification object (bounce, complaint, delivery, delivery delay). */
export function decodeSesJson(n: Json, mta: string): Decoded | null {
  const type = (str(n['notificationType']) ?? str(n['eventType']) ?? '').toLowerCase();
  const mail = isObject(n['mail']) ? n['mail'] : undefined;
  const original = originalHeaders(mail);
  const recipients: RawStatus[] = [];
  if (type === 'bounce') {
    const b = isObject(n['bounce']) ? n['bounce'] : {};
    const reason = SUBTYPE_REASONS[str(b['bounceSubType']) ?? ''];
    for (const e of listOf(b, 'bouncedRecipients')) {
      const r = failedRecipient(e, b, reason, 'failed');
      if (r) recipients.push(r);
    }
    return recipients.length ? { mta, recipients: uniqueRecipients(recipients), original } : null;
  }
  if (type === 'deliverydelay') {
    const d = isObject(n['deliveryDelay']) ? n['deliveryDelay'] : {};
    const reason = DELAY_REASONS[str(d['delayType']) ?? ''];
    for (const e of listOf(d, 'delayedRecipients')) {
      const r = failedRecipient(e, d, reason, 'delayed');
      if (r) recipients.push({ ...r, action: 'delayed' });
    }
    return recipients.length ? { mta, kind: 'delay', recipients: uniqueRecipients(recipients), original } : null;
  }
  if (type === 'complaint') {
    const c = isObject(n['complaint']) ? n['complaint'] : {};
    const feedbackType = (str(c['complaintFeedbackType']) ?? 'abuse').toLowerCase();
    for (const e of listOf(c, 'complainedRecipients')) {
      const recipient = addressOf(e);
      if (recipient) recipients.push({ recipient, action: '', reason: 'feedback', feedbackType });
    }
    return recipients.length ? { mta, kind: 'complaint', recipients: uniqueRecipients(recipients), original } : null;
  }
  if (type === 'delivery') {
    const d = isObject(n['delivery']) ? n['delivery'] : {};
    const response = str(d['smtpResponse']);
    for (const e of listOf(d, 'recipients')) {
      const recipient = addressOf(e);
      if (!recipient) continue;
      recipients.push({
        recipient,
        action: 'delivered',
        status: statusField(response),
        diagnostic: response,
        remoteMta: str(d['remoteMtaIp']),
        reportingMta: mtaField(str(d['reportingMTA'])),
        reason: 'delivered',
      });
    }
    return recipients.length ? { mta, kind: 'delivered', recipients: uniqueRecipients(recipients), original } : null;
  }
  return null; // Send, Reject, Open, Click, …: not about a delivery to a recipient
}

// ---------------------------------------------------------------------------------------------------
// The DSN by email.

const MARKER_LIST = 'An error occurred while trying to deliver the mail to the following recipients:';
const MARKER_ONE = /^The following message to <([^<>\s]{1,512})> was undeliverable\./;

const SES_SENDER = /[@.]amazonses\.com\b/i;
const SES_RELAY = /\.smtp-out\.[a-z0-9.-]{0,64}amazonses\.com\b/i;

function sentBySes(email: Email): boolean {
  const h = email.headers;
  if (h.has('x-ses-outgoing') || h.has('x-aws-outgoing') || h.has('x-amz-sns-message-id')) return true;
  if (SES_SENDER.test(email.from)) return true;
  return SES_RELAY.test(h.text('received'));
}

interface TextReport {
  recipients: string[];
  /** "The reason for the problem:" text of the 2011 format. */
  reason?: string | undefined;
}

/** The human-readable part: the recipients it lists and, in the 2011 format, the reason text. */
function readText(email: Email): TextReport | undefined {
  for (const p of plainParts(email)) {
    const lines = p.text.split('\n', 5000);
    for (let i = 0; i < lines.length; i++) {
      const line = (lines[i] ?? '').trim();
      if (line.startsWith(MARKER_LIST)) {
        const recipients: string[] = [];
        for (let j = i + 1; j < lines.length && j < i + 1000; j++) {
          const a = (lines[j] ?? '').trim();
          if (!a || !isAddress(a) || /\s/.test(a)) break;
          recipients.push(a);
        }
        return { recipients };
      }
      const one = MARKER_ONE.exec(line);
      if (one?.[1]) {
        const reason: string[] = [];
        let j = i + 1;
        if (/^The reason for the problem:/i.test((lines[j] ?? '').trim())) j++;
        for (; j < lines.length && j < i + 40; j++) {
          const t = (lines[j] ?? '').trim();
          if (!t) break;
          reason.push(t);
        }
        return { recipients: [one[1]], reason: reason.join(' ') || undefined };
      }
    }
  }
  return undefined;
}

function decodeDsn(email: Email): Decoded | null {
  const text = readText(email);
  const dsn = deliveryStatusPart(email);
  // without SES's wording, only a DSN from SES's own MAILER-DAEMON (receiving-side bounces sent through SES
  // are receivingses')
  if (!text && !(dsn && /mailer-daemon@[a-z0-9.-]{0,64}amazonses\.com\b/i.test(email.from))) return null;
  let recipients = dsn ? readDeliveryStatus(dsn.text) : [];
  if (recipients.length === 0 && text) {
    recipients = text.recipients.map((recipient) => ({ recipient, action: 'failed', diagnostic: text.reason }));
  }
  if (recipients.length === 0) return null;
  const out = recipients.map((r) => refineSes({ ...r, diagnostic: r.diagnostic ?? text?.reason }));
  return { mta: 'amazonses', recipients: uniqueRecipients(out) };
}

export const amazonses: Decoder = {
  name: 'amazonses',
  decode(email: Email): Decoded | null {
    if (!sentBySes(email) || isWorkMail(email)) return null;
    const body = plainParts(email)[0]?.text ?? '';
    if (body.trimStart().startsWith('{')) {
      const n = sesNotification(body);
      return n ? decodeSesJson(n, 'amazonses') : null;
    }
    return decodeDsn(email);
  },
};
