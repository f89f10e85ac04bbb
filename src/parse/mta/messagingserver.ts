// Sun Java System / Oracle Communications Messaging Server (formerly iPlanet, Sun ONE): Subject
// "Delivery Notification: Delivery has failed" (or "… has been delayed"), MIME boundaries
// "Boundary_(ID_…)". The text part lists each recipient as indented fields:
//
//   Your message cannot be delivered to the following recipients:
//
//     Recipient address: joe@example.org
//     Original address: joe@example.com
//     Reason: Remote SMTP server has rejected address
//     Diagnostic code: smtp;550 5.1.1 <joe@example.org>... User unknown
//     Remote system: dns;mx.example.org (TCP|192.0.2.9|47323|192.0.2.1|25) (mx.example.org ESMTP)
//
// and the delivery report repeats them, with the reason as a comment in Status ("5.4.4 (Illegal
// host/domain name found)"). Recipient addresses can be source routes ("@relay:joe@host"); the original
// address is the one the sender used.
import type { Reason } from '../../classify/reasons.js';
import { fieldAddress, isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { diagnosticField, fieldGroups, mtaField, normaliseAction, statusField } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, uniqueRecipients } from '../rfc3464.js';
import type { Action, Decoded, RawStatus } from '../types.js';

const FIELD = /^\s{2,8}(Recipient address|Original address|Reason|Diagnostic code|Remote system):\s?(.*)$/i;
// Messaging Server's own reason texts that name one reason.
const OWN_REASONS: ReadonlyArray<readonly [string, Reason]> = [['illegal host/domain name found', 'hostunknown']];

interface TextEntry {
  recipient?: string;
  original?: string;
  reason?: string;
  /** Free lines under the address fields (PMDF's reason). */
  text?: string;
  diagnostic?: string;
  diagnosticType?: string;
  remote?: string;
}

/** "@relay.example.net:joe@host" (a source route) is not the address the sender wrote, nor is
 *  "joe@ims-ms-daemon" (the server's own message-store channel, a domain with no dot). */
function plainAddress(a: string | undefined): string | undefined {
  if (!a) return undefined;
  const v = a.trim();
  if (v.startsWith('@') || v.includes(':')) return undefined;
  const domain = v.slice(v.lastIndexOf('@') + 1);
  if (!domain.includes('.') && !domain.startsWith('[')) return undefined;
  return isAddress(v) ? v : undefined;
}

/** The original address when it is a different address from the recipient's. */
function aliasOf(recipient: string, original: string | undefined): string | undefined {
  const o = plainAddress(original);
  return o && o.toLowerCase() !== recipient.toLowerCase() ? o : undefined;
}

function readText(text: string): TextEntry[] {
  const entries: TextEntry[] = [];
  let cur: TextEntry | undefined;
  // PMDF, the server's predecessor, writes its reason as free lines under the fields, up to a blank line:
  //   Original address: joe@example.com
  //   %MAIL-E-OPENOUT, error opening !AS as output
  //   -SYSTEM-F-EXDISKQUOTA, disk quota exceeded
  let free = false;
  for (const line of text.split('\n')) {
    const m = FIELD.exec(line);
    if (!m) {
      if (line.trim() === '') free = false;
      else if (free && cur && !cur.reason && !cur.diagnostic) cur.text = cur.text ? `${cur.text} ${line.trim()}` : line.trim();
      continue;
    }
    const name = (m[1] ?? '').toLowerCase();
    const value = (m[2] ?? '').trim();
    if (name === 'recipient address') {
      cur = { recipient: value };
      entries.push(cur);
      free = true;
      continue;
    }
    if (!cur) continue;
    free = name === 'original address';
    if (name === 'original address') cur.original = value;
    else if (name === 'reason') cur.reason = value;
    else if (name === 'diagnostic code') {
      const d = diagnosticField(value);
      cur.diagnostic = d.text;
      cur.diagnosticType = d.type;
    } else if (name === 'remote system') cur.remote = mtaField(value);
  }
  return entries;
}

/** The report's recipients, reading Status comments and source-routed addresses this server writes. */
function readReport(text: string): RawStatus[] {
  const out: RawStatus[] = [];
  for (const g of fieldGroups(text)) {
    const finalValue = g.get('final-recipient');
    const originalValue = g.get('original-recipient');
    if (!finalValue && !originalValue) continue;
    const finalAddress = finalValue ? fieldAddress(finalValue) : undefined;
    const originalAddress = originalValue ? fieldAddress(originalValue) : undefined;
    const recipient = plainAddress(finalValue ? finalValue.replace(/^[^;]{0,32};/, '') : undefined) ?? plainAddress(originalAddress) ?? finalAddress;
    if (!recipient) continue;
    const alias = aliasOf(recipient, originalAddress);
    const status = g.get('status') ?? '';
    const comment = /\(([^()]{1,200})\)\s*$/.exec(status)?.[1];
    const diag = diagnosticField(g.get('diagnostic-code'));
    out.push({
      recipient,
      alias,
      action: normaliseAction(g.get('action')),
      status: statusField(status),
      diagnostic: diag.text || comment,
      diagnosticType: diag.type,
      remoteMta: mtaField(g.get('remote-mta')),
    });
  }
  return out;
}

export const messagingserver: Decoder = {
  name: 'messagingserver',
  decode(email: Email): Decoded | null {
    const boundary = email.headers.text('content-type').includes('Boundary_(ID_');
    if (!boundary && !email.subject.startsWith('Delivery Notification: ')) return null;
    const part = email.parts.find((p) => p.type === 'text/plain' || p.type === '');
    const text = part?.text ?? '';
    if (!text.includes('This report relates to a message you sent') && !text.includes('Recipient address:')) return null;
    const entries = readText(text);
    const report = deliveryStatusPart(email);
    let recipients = report ? readReport(report.text) : [];
    const action: Action | undefined = /has been delayed/i.test(email.subject) ? 'delayed' : undefined;
    if (recipients.length === 0) {
      recipients = entries.flatMap((e) => {
        const recipient = plainAddress(e.recipient) ?? plainAddress(e.original) ?? (e.recipient && isAddress(e.recipient) ? e.recipient : undefined);
        return recipient
          ? [{ recipient, alias: aliasOf(recipient, e.original), action, diagnostic: e.diagnostic ?? e.reason ?? e.text, diagnosticType: e.diagnosticType, remoteMta: e.remote }]
          : [];
      });
    } else {
      for (const r of recipients) {
        const e = entries.find((x) => [x.recipient, x.original].some((a) => a?.toLowerCase() === r.recipient.toLowerCase()));
        if (!e) continue;
        if (!r.diagnostic || (e.diagnostic && e.diagnostic.length > r.diagnostic.length)) r.diagnostic = e.diagnostic ?? e.reason ?? e.text ?? r.diagnostic;
        r.diagnosticType ??= e.diagnosticType;
        r.remoteMta ??= e.remote;
      }
    }
    if (recipients.length === 0) return null;
    for (const r of recipients) {
      if (!r.action && action) r.action = action;
      const lower = r.diagnostic?.toLowerCase() ?? '';
      const own = OWN_REASONS.find(([phrase]) => lower.startsWith(phrase));
      if (own) r.reason = own[1];
    }
    return { mta: 'messagingserver', recipients: uniqueRecipients(recipients) };
  },
};
