// CommuniGate Pro. Its notices are multipart/report messages (MIME boundary "_===<n>====<host>===_") whose
// text names each failed address, the module that gave up on it, and that module's account of why:
//
//   Failed to deliver to '<joe@example.com>'
//   SMTP module(domain example.com) reports:
//    host mx.example.com says:
//    550 5.1.1 User unknown
//
// The delivery report beside it carries no Diagnostic-Code, and its Final-Recipient may be "system;<>"
// (the Original-Recipient names the address then).
import { findAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus } from '../types.js';

const FAILED = /^Failed to deliver to '([^'\n]{3,330})'\s*$/;
const MODULE = /^[A-Z]{2,12} module\([^)\n]{0,255}\) reports:\s*$/;
const HOST_SAYS = /^host ([A-Za-z0-9.:\[\]-]{1,255}) says:\s*$/;
/** Most lines of a module's account kept for one address. */
const MAX_LINES = 12;

interface Entry {
  recipient: string;
  lines: string[];
  remoteMta?: string;
}

function readEntries(text: string): Entry[] {
  const entries: Entry[] = [];
  let cur: Entry | undefined;
  for (const raw of text.split('\n', 2000)) {
    const line = raw.trim();
    const failed = FAILED.exec(line);
    if (failed) {
      const recipient = findAddress(failed[1] ?? '');
      cur = recipient ? { recipient, lines: [] } : undefined;
      if (cur) entries.push(cur);
      continue;
    }
    if (!cur) continue;
    if (line === '') {
      if (cur.lines.length > 0) cur = undefined;
      continue;
    }
    if (MODULE.test(line)) continue;
    const host = HOST_SAYS.exec(line);
    if (host) {
      cur.remoteMta ??= host[1];
      continue;
    }
    if (cur.lines.length < MAX_LINES) cur.lines.push(line);
  }
  return entries;
}

export const communigate: Decoder = {
  name: 'communigate',
  decode(email: Email): Decoded | null {
    if (!/_===\d{1,20}====[^=\s]{1,255}===_/.test(email.headers.text('content-type'))) return null;
    const part = email.parts.find((p) => p.type === 'text/plain');
    if (!part || !part.text.includes("Failed to deliver to '")) return null;
    const entries = readEntries(part.text);
    if (entries.length === 0) return null;
    const report = deliveryStatusPart(email);
    const listed = report ? readDeliveryStatus(report.text) : [];
    const recipients: RawStatus[] = entries.map((e) => {
      const r = listed.find((x) => x.recipient.toLowerCase() === e.recipient.toLowerCase());
      const diagnostic = e.lines.join(' ');
      return {
        ...r,
        recipient: e.recipient,
        action: r?.action ?? 'failed',
        diagnostic: r?.diagnostic || diagnostic || undefined,
        remoteMta: r?.remoteMta ?? e.remoteMta,
      };
    });
    return { mta: 'communigate', recipients: uniqueRecipients(recipients) };
  },
};
