// Outlook.com / Hotmail / MSN (the Windows Live mail system, before its move to Exchange Online):
//
//   This is an automatically generated Delivery Status Notification.
//   [THIS IS A WARNING MESSAGE ONLY. …]
//   Delivery to the following recipients failed.              ("… has been delayed." for a delay)
//          kijitora@example.jp
//
// then a message/delivery-status part (Reporting-MTA dns;BLU004-OMC3S13.hotmail.com) and the message.
// Sent from postmaster@…hotmail.com / outlook.com / live.com / msn.com, through *.hotmail.com relays, with
// X-Message-Delivery and X-Message-Info headers. Newer Outlook.com bounces are Exchange Online NDRs
// (office365.ts).
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Action, Decoded, RawStatus } from '../types.js';

const MARKER = 'This is an automatically generated Delivery Status Notification';
const UNREACHABLE_DOMAIN = 'could not be delivered to the recipient because the domain is not reachable';
const NO_MAILBOX = 'Requested action not taken: mailbox unavailable';
const LIVE_DOMAIN = /@(?:[a-z0-9-]{1,63}\.){0,4}(?:hotmail|outlook|live|msn)\.[a-z.]{2,12}\b/i;
const LIVE_HOST = /\.hotmail\.com\b/i;
const POSTMASTER = /^postmaster@/i;
const UP_TO_ANGLE = /^.*</;
const DELAYED = /\b(?:has|have) been delayed\b/i;

function isLiveMail(email: Email): boolean {
  if (!email.subject.includes('Delivery Status Notification')) return false;
  const h = email.headers;
  let hints = 0;
  if (h.has('x-message-delivery') || h.has('x-message-info')) hints++;
  if (POSTMASTER.test(email.from.replace(UP_TO_ANGLE, '')) && LIVE_DOMAIN.test(email.from)) hints++;
  if (h.all('received').some((r) => LIVE_HOST.test(r.slice(0, 300)))) hints++;
  if (LIVE_HOST.test(h.text('message-id'))) hints++;
  return hints > 0;
}

interface Summary {
  action: Action;
  /** The sentence that introduces the recipient list, used when the DSN has no Diagnostic-Code. */
  sentence: string;
  listed: string[];
}

function readSummary(text: string): Summary | null {
  const at = text.indexOf(MARKER);
  if (at < 0) return null;
  const sentence: string[] = [];
  const listed: string[] = [];
  let warning = false;
  for (const line of text.slice(at + MARKER.length, at + 16384).split('\n')) {
    const t = line.trim();
    if (t === '' || t === '.') continue;
    if (/^\s/.test(line) && isAddress(t) && !/\s/.test(t)) {
      listed.push(t);
      continue;
    }
    if (listed.length > 0) break;
    // "THIS IS A WARNING MESSAGE ONLY." / "YOU DO NOT NEED TO RESEND YOUR MESSAGE."
    if (t === t.toUpperCase() && /[A-Z]{4}/.test(t)) {
      if (t.includes('WARNING')) warning = true;
      continue;
    }
    if (sentence.length < 4) sentence.push(t);
  }
  const said = sentence.join(' ');
  return { action: warning || DELAYED.test(said) ? 'delayed' : 'failed', sentence: said, listed };
}

export const outlook: Decoder = {
  name: 'outlook',
  decode(email: Email): Decoded | null {
    if (!isLiveMail(email)) return null;
    const textPart = email.parts.find((p) => p.type === 'text/plain');
    const summary = readSummary(textPart?.text ?? email.text);
    if (!summary) return null;
    const part = deliveryStatusPart(email);
    let recipients: RawStatus[] = part ? readDeliveryStatus(part.text) : [];
    if (recipients.length === 0) {
      recipients = summary.listed.map((a) => ({ recipient: a }));
    }
    for (const r of recipients) {
      r.action ??= summary.action;
      if (!r.diagnostic && summary.sentence) r.diagnostic = summary.sentence;
      // Hotmail's own wording when the recipient's domain has no reachable mail server
      if (r.diagnostic?.includes(UNREACHABLE_DOMAIN)) r.reason ??= 'hostunknown';
      // Hotmail's reply for an address that has no mailbox
      else if (r.diagnostic?.includes(NO_MAILBOX) && LIVE_HOST.test(r.reportingMta ?? '')) r.reason ??= 'userunknown';
    }
    if (recipients.length === 0) return null;
    return { mta: 'outlook', recipients: uniqueRecipients(recipients) };
  },
};
