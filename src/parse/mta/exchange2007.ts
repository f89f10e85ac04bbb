// Microsoft Exchange Server 2007 and later (on-premises) non-delivery reports, in any language. The same
// report is written by Exchange Online (office365.ts reuses the reader below):
//
//   Delivery has failed to these recipients or groups:          (localised: "Unzustellbar", "Non remis", …)
//   kijitora@example.com<mailto:kijitora@example.com>
//   <explanation for the user>
//   Diagnostic information for administrators:                  (localised)
//   Generating server: mx.example.com                           (localised)
//   kijitora@example.com                                        one block per recipient:
//   [remote.example.net]                                          the remote host (2016 and later)
//   #550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##           Exchange 2007/2010
//   Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'      2013 and later
//   3/09/2016 8:05:56 PM - Remote Server at host (10.1.1.3) returned '550 4.4.7 QUEUE.Expired; …'  retries
//   Original message headers:                                   (localised), then the returned headers
//
// usually followed by a message/delivery-status part. The block is found by its shape (a line holding
// only an address, then reply lines), so every translation reads the same way.
import type { Reason } from '../../classify/reasons.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Action, Decoded, RawStatus } from '../types.js';

/** One recipient block of the administrators' section. */
export interface NdrEntry {
  recipient: string;
  /** The reply lines as written, continuation lines joined. */
  lines: string[];
  /** A remote host named on its own line, or in "Remote Server at <host> returned". */
  host?: string | undefined;
  /** An empty line followed the address line (HTML converted to text). */
  waited?: boolean;
}

/** What the human-readable part of an Exchange NDR says. */
export interface NdrText {
  entries: NdrEntry[];
  /** Addresses the user section lists ("addr<mailto:addr>", "Recipient Address: addr"). */
  listed: string[];
  /** The explanation written under each listed address, by lower-cased address. */
  explained: Map<string, string>;
  /** "Reported error: 550 5.1.10 …" of the 2017 report design. */
  reported?: string | undefined;
  /** "Delivery is delayed to these recipients or groups" (any language: a delay report). */
  delayed: boolean;
  /** The returned headers written inline after "Original message headers:". */
  original?: string | undefined;
}

// Status code standing alone (not part of an IP address or a version number).
const STATUS_IN = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/;
// A reply line: "#550 5.1.1 …", "550 5.1.1 …", "550-5.1.1 …", "#< #5.0.0 smtp;550 …>".
const REPLY_LINE = /^#?<?\s?#?[245]\d\d[\s-]/;
const REPLY_CODE = /(?:^|[#'\s;])([245]\d\d)(?=[\s-])/;
const MAILTO = /<mailto:([^<>\s]{1,320})>/i;
const RECIPIENT_ADDRESS = /^Recipient Address:\s+(\S{1,320})$/i;
const REPORTED = /^Reported error:\s+(.{1,4000})$/i;
const HOST_TOKEN = /^\[?[A-Za-z0-9][A-Za-z0-9.-]{0,253}\.[A-Za-z0-9-]{1,63}\]?$/;
const REMOTE_AT = /Server at ([A-Za-z0-9][A-Za-z0-9.-]{0,253})[\s(]/;
// Returned-header fields that start the inline copy of the original message.
const ORIGINAL_FIELD = /^(?:Received|Return-Path|DKIM-Signature|ARC-Seal|Authentication-Results|Message-ID|X-[A-Za-z0-9-]{1,60}): /i;
const DELAYED = /^(?:Delivery is delayed to these recipients|This is a delivery delay notification|Delivery to the following recipients has been delayed)/i;

function isBareAddress(t: string): boolean {
  return t.length <= 320 && !/[\s<>()"',;]/.test(t) && isAddress(t);
}

// A reply code and status quoted anywhere in a line: "… returned '550 5.1.1 …'", also in translations.
const QUOTED_REPLY = /[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}(?![\d.])/;

/** Is this line an SMTP reply or an Exchange error line? */
function isReplyLine(t: string): boolean {
  return REPLY_LINE.test(t) || t.includes(" returned '") || QUOTED_REPLY.test(t);
}

/** Read the readable text parts of an Exchange NDR. Linear in the text. */
export function readNdrText(email: Email): NdrText {
  const out: NdrText = { entries: [], listed: [], explained: new Map(), delayed: false };
  for (const part of email.parts) {
    if (part.type !== 'text/plain' && part.type !== 'text/html') continue;
    readOnePart(part.text, out);
    if (out.entries.length > 0 || out.reported) break;
  }
  return out;
}

function readOnePart(text: string, out: NdrText): void {
  const lines = text.split('\n');
  let cur: NdrEntry | null = null;
  let explaining: string | null = null;
  let seenError = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const t = line.trim();
    if (t === '') {
      // A block is its address line and the lines right below it. An NDR that was HTML (converted to
      // text) may leave one empty line after the address: keep waiting for the reply once.
      if (cur && cur.lines.length === 0 && !cur.host && !cur.waited) cur.waited = true;
      else cur = null;
      explaining = null;
      continue;
    }
    if (seenError && ORIGINAL_FIELD.test(line)) {
      out.original = lines.slice(i).join('\n');
      return;
    }
    if (!out.delayed && DELAYED.test(t)) out.delayed = true;
    if (isBareAddress(t)) {
      cur = { recipient: t, lines: [] };
      out.entries.push(cur);
      continue;
    }
    const mailto = MAILTO.exec(t);
    if (mailto?.[1] && isAddress(mailto[1])) {
      out.listed.push(mailto[1]);
      explaining = mailto[1].toLowerCase();
      cur = null;
      continue;
    }
    if (explaining) {
      const prev = out.explained.get(explaining);
      if (!prev) out.explained.set(explaining, t);
      else if (prev.length < 2000) out.explained.set(explaining, prev + ' ' + t);
      continue;
    }
    const ra = RECIPIENT_ADDRESS.exec(t);
    if (ra?.[1] && isAddress(ra[1])) {
      out.listed.push(ra[1]);
      continue;
    }
    const rep = REPORTED.exec(t);
    if (rep?.[1]) {
      out.reported = rep[1].trim();
      seenError = true;
      continue;
    }
    if (!cur) continue;
    const last = cur.lines.length - 1;
    if (isReplyLine(t)) {
      if (last >= 0 && (cur.lines[last] ?? '').endsWith('=') && !REPLY_LINE.test(t)) {
        cur.lines[last] = (cur.lines[last] ?? '').slice(0, -1) + t; // a quoted-printable soft break left undecoded
      } else {
        cur.lines.push(t);
      }
      seenError = true;
    } else if (last < 0) {
      if (!cur.host && HOST_TOKEN.test(t)) cur.host = t.replace(/^\[|\]$/g, '');
      else cur = null; // an address line that did not start a recipient block
    } else {
      const prev = cur.lines[last] ?? '';
      // a reply wrapped over several lines (or a soft line break left in an undecoded body)
      cur.lines[last] = prev.endsWith('=') ? prev.slice(0, -1) + t : prev + ' ' + t;
    }
  }
}

/** The first specific status code in the lines; a vague one (x.y.0, 4.4.7) only when there is nothing else. */
export function statusOfLines(lines: readonly string[]): { status?: string; replyCode?: string } {
  let fallback: { status?: string; replyCode?: string } | undefined;
  for (const l of lines) {
    const s = STATUS_IN.exec(l)?.[1];
    if (!s) continue;
    const found = { status: s, replyCode: REPLY_CODE.exec(l)?.[1] };
    if (isVague(s)) fallback ??= found;
    else return found;
  }
  return fallback ?? {};
}

/** "Other" codes (x.y.0) and "delivery time expired" (x.4.7) say less than the error that led to them. */
function isVague(status: string): boolean {
  return status.endsWith('.0') || status === '4.4.7' || status === '5.4.7';
}

// Exchange's own error tokens (the transport component that failed, and why).
const TOKEN = /\b((?:RESOLVER|QUEUE|SMTPSEND|STOREDRV|ROUTING)\.[A-Za-z]{1,20}(?:\.[A-Za-z]{1,30})?)\b/;
const TOKEN_REASONS: ReadonlyMap<string, Reason> = new Map<string, Reason>([
  ['RESOLVER.ADR.RecipNotFound', 'userunknown'],
  ['RESOLVER.ADR.RecipientNotFound', 'userunknown'],
  ['RESOLVER.ADR.ExRecipNotFound', 'userunknown'],
  ['RESOLVER.ADR.BadPrimary', 'systemerror'],
  ['RESOLVER.RST.RecipSizeLimit', 'mesgtoobig'],
  ['RESOLVER.RST.SendSizeLimit', 'mesgtoobig'],
  ['RESOLVER.RST.AuthRequired', 'securityerror'],
  ['RESOLVER.RST.NotAuthorized', 'rejected'],
  ['QUEUE.Expired', 'expired'],
  ['SMTPSEND.DNS.NonExistentDomain', 'hostunknown'],
  ['SMTPSEND.DNS.MxLoopback', 'networkerror'],
]);

/** The reason an Exchange error token names, if the text carries one. */
export function tokenReason(text: string): Reason | undefined {
  const m = TOKEN.exec(text.length > 4096 ? text.slice(0, 4096) : text);
  return m?.[1] ? TOKEN_REASONS.get(m[1]) : undefined;
}

const DSN_VAGUE = (s: string | undefined): boolean => !s || isVague(s);

/**
 * The recipients of an Exchange NDR: the delivery-status part when there is one, completed from the
 * administrators' section (the reply lines, the remote host, a more specific status than "4.4.7"); the
 * administrators' section alone otherwise.
 */
export function ndrRecipients(email: Email, ndr: NdrText): RawStatus[] {
  const part = deliveryStatusPart(email);
  const dsn = part ? readDeliveryStatus(part.text) : [];
  const byAddr = new Map<string, NdrEntry>();
  for (const e of ndr.entries) if (e.lines.length > 0 && !byAddr.has(e.recipient.toLowerCase())) byAddr.set(e.recipient.toLowerCase(), e);
  const fallbackAction: Action = ndr.delayed ? 'delayed' : 'failed';
  const out: RawStatus[] = [];
  if (dsn.length > 0) {
    for (const r of dsn) {
      const entry = byAddr.get(r.recipient.toLowerCase()) ?? (dsn.length === 1 && byAddr.size === 1 ? [...byAddr.values()][0] : undefined);
      const s: RawStatus = { ...r, action: r.action ?? fallbackAction };
      if (entry) {
        const found = statusOfLines(entry.lines);
        s.diagnostic = entry.lines.join(' ');
        s.diagnosticType = s.diagnosticType ?? 'SMTP';
        if (found.status && DSN_VAGUE(s.status) && !isVague(found.status)) s.status = found.status;
        s.status ??= found.status;
        s.replyCode ??= replyFor(entry.lines, s.status);
        s.remoteMta ??= entry.host ?? remoteOf(entry.lines);
      } else if (!s.diagnostic) {
        s.diagnostic = ndr.reported ?? ndr.explained.get(r.recipient.toLowerCase());
      }
      finish(s);
      out.push(s);
    }
    return uniqueRecipients(out);
  }
  for (const entry of byAddr.values()) {
    const found = statusOfLines(entry.lines);
    const s: RawStatus = {
      recipient: entry.recipient,
      action: fallbackAction,
      status: found.status,
      replyCode: found.replyCode,
      diagnostic: entry.lines.join(' '),
      remoteMta: entry.host ?? remoteOf(entry.lines),
    };
    finish(s);
    out.push(s);
  }
  if (out.length === 0) {
    // no administrators' section: the 2017 design's "Reported error", or the user section's explanation
    for (const a of ndr.listed) {
      const diagnostic = ndr.reported ?? ndr.explained.get(a.toLowerCase());
      if (!diagnostic) continue;
      const s: RawStatus = {
        recipient: a, action: fallbackAction, diagnostic,
        status: STATUS_IN.exec(diagnostic)?.[1], replyCode: REPLY_CODE.exec(diagnostic)?.[1],
      };
      finish(s);
      out.push(s);
    }
  }
  return uniqueRecipients(out);
}

/** The reply code on the first line that carries the given status. */
function replyFor(lines: readonly string[], status: string | undefined): string | undefined {
  if (!status) return undefined;
  for (const l of lines) if (l.includes(status)) return REPLY_CODE.exec(l)?.[1];
  return undefined;
}

function remoteOf(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = REMOTE_AT.exec(lines[i] ?? '');
    if (m?.[1]) return m[1].replace(/\.$/, '');
  }
  return undefined;
}

function finish(s: RawStatus): void {
  const text = s.diagnostic ?? '';
  s.reason ??= tokenReason(text);
  // Exchange rewrites a remote "unknown user" reply at RCPT TO as 5.1.351 "… -> 550 <the remote text>"
  if (!s.command && text) s.command = findCommand(text) ?? (/unknown recipient or mailbox unavailable ->/i.test(text) ? 'RCPT' : undefined);
}

// Subject prefixes Exchange writes on NDRs, by language.
const NDR_SUBJECT = new RegExp(
  '^(?:Undeliverable|Undelivered|Delivery delayed|Unzustellbar|Übermittlung verzögert|Non remis|Non distribuable|' +
    'Remise différée|Non recapitabile|Recapito ritardato|Onbestelbaar|Bezorging vertraagd|No se puede entregar|' +
    'Entrega retrasada|N[ãa]o[ _]entregue|Entrega atrasada|Olevererbart|Kan inte levereras|Ikke leveret|Kan ikke leveres|' +
    'Ei voida toimittaa|Niedostarczalne|Nie można dostarczyć|Nedoručitelné|Kézbesíthetetlen|Teslim Edilemiyor|' +
    'Недоставляемое|Не доставлено|配信不能|配信不可|无法投递|無法傳遞|배달되지 않음)\\s?:',
  'i',
);

/** Does the subject carry one of Exchange's NDR prefixes? */
export function isNdrSubject(subject: string): boolean {
  const colon = subject.indexOf(':');
  if (colon < 0 || colon > 48) return false; // every prefix is a few words and a colon
  return NDR_SUBJECT.test(subject.trimStart());
}

/** Headers Exchange (2007 and later) puts on the NDRs it writes. */
function looksLikeExchange(email: Email): boolean {
  const h = email.headers;
  if (h.has('x-ms-exchange-message-is-ndr') || isNdrSubject(email.subject)) return true;
  return h.has('content-language') && (h.has('thread-index') || h.has('x-ms-has-attach') || h.has('x-ms-tnef-correlator'));
}

export const exchange2007: Decoder = {
  name: 'exchange2007',
  decode(email: Email): Decoded | null {
    if (!looksLikeExchange(email)) return null;
    const ndr = readNdrText(email);
    const hasBlock = ndr.entries.some((e) => e.lines.length > 0) || ndr.reported !== undefined || ndr.explained.size > 0;
    if (!hasBlock) return null;
    const recipients = ndrRecipients(email, ndr);
    if (recipients.length === 0) return null;
    return { mta: 'exchange2007', recipients, original: ndr.original };
  },
};
