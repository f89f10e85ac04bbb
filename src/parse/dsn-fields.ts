// The body of an RFC 3464 report part: groups of "Name: value" fields separated by blank lines — the
// per-message group first, then one group per recipient. Also used to read DSN-like field runs that
// broken MTAs write into plain-text bodies.
import { fieldAddress } from './address.js';
import type { Action, RawStatus, SmtpCommand } from './types.js';

export type FieldGroup = Map<string, string>;

/** "Name: value" on one line. Tested without captures (no match array, no substrings): the name ends
 *  at the first colon, so it is cut out with indexOf. */
const FIELD = /^[A-Za-z][A-Za-z0-9-]{0,63}[ \t]*:.*$/;

/** Split report text into field groups. Continuation lines are unfolded; the first of a repeated field wins. */
export function fieldGroups(text: string): FieldGroup[] {
  const groups: FieldGroup[] = [];
  let cur: FieldGroup | null = null;
  let last = '';
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      cur = null;
      last = '';
      continue;
    }
    const c = line.charCodeAt(0);
    if ((c === 32 || c === 9) && cur && last) {
      const prev = cur.get(last);
      if (prev !== undefined && prev.length < 8192) cur.set(last, prev + ' ' + line.trim());
      continue;
    }
    if (!FIELD.test(line)) continue;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trimEnd().toLowerCase();
    if (!cur) {
      cur = new Map();
      groups.push(cur);
    }
    if (!cur.has(name)) {
      cur.set(name, line.slice(colon + 1).trim());
      last = name;
    } else {
      last = '';
    }
  }
  return groups;
}

const ACTIONS: Readonly<Record<string, Action>> = {
  failed: 'failed', failure: 'failed', fail: 'failed', delayed: 'delayed', delay: 'delayed', delivered: 'delivered',
  deliverable: 'delivered', relayed: 'relayed', expanded: 'expanded', expired: 'failed', bounced: 'failed',
};

/** Normalise an Action field value ("failed (bad destination)", "Failure") to an RFC 3464 action. */
export function normaliseAction(value: string | undefined): Action | undefined {
  if (!value) return undefined;
  const word = value.trim().toLowerCase().split(/[\s(;,]/, 1)[0] ?? '';
  return ACTIONS[word];
}

const STATUS = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

/** The enhanced status code in a Status field ("5.1.1 (user unknown)", "5.1.1"), or undefined. */
export function statusField(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = STATUS.exec(value.slice(0, 200));
  return m ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
}

/** Split "smtp; 550 5.1.1 no such user" into its type ("SMTP") and text. */
export function diagnosticField(value: string | undefined): { type?: string; text?: string } {
  if (!value) return {};
  const semi = value.indexOf(';');
  if (semi > 0 && semi < 24 && /^[A-Za-z][A-Za-z0-9-]*$/.test(value.slice(0, semi).trim())) {
    return { type: value.slice(0, semi).trim().toUpperCase(), text: value.slice(semi + 1).trim() };
  }
  return { text: value.trim() };
}

/** "dns; mx.example.com." → "mx.example.com"; "dns; [192.0.2.1]" → "192.0.2.1"; "192.0.2.1 (…)" → "192.0.2.1". */
export function mtaField(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const semi = value.indexOf(';');
  let v = (semi >= 0 && semi < 24 ? value.slice(semi + 1) : value).trim();
  if (v.startsWith('[')) {
    const close = v.indexOf(']');
    v = close > 0 ? v.slice(1, close) : v.slice(1);
  }
  const host = (v.split(/[\s(\[\]]/, 1)[0] ?? '').replace(/\.$/, '');
  return host || undefined;
}

/** Something every command wording below contains (case-insensitive, so no lower-case copy is needed). */
const COMMAND_HINT = /in reply to |after |>>>|greeting/i;
const REPLY_TO_COMMAND = /in reply to (?:the )?(?:end of )?([a-z]{4,8})\b/;
const AFTER_COMMAND = /after (?:the )?(rcpt|mail|data|helo|ehlo|starttls|auth|bdat)\b/;
const SENT_COMMAND = /^>>> ?([a-z]{4,8})\b/m;

const COMMANDS: readonly SmtpCommand[] = ['HELO', 'EHLO', 'STARTTLS', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'QUIT'];

/**
 * The SMTP command a reply answered, from the usual wordings: Postfix "(in reply to RCPT TO command)",
 * Exim "SMTP error from remote mail server after RCPT TO:<…>", Sendmail ">>> DATA", "after end of data".
 */
export function findCommand(text: string): SmtpCommand | undefined {
  const t = text.length > 4096 ? text.slice(0, 4096) : text;
  // Most diagnostics name no command: one native scan says so, before the lower-case copy.
  if (!COMMAND_HINT.test(t)) return undefined;
  const lower = t.toLowerCase();
  let m = REPLY_TO_COMMAND.exec(lower);
  if (m) return commandWord(m[1]);
  m = AFTER_COMMAND.exec(lower);
  if (m) return commandWord(m[1]);
  if (lower.includes('after end of data') || lower.includes('after end of message') || lower.includes('after pipelined data')) return 'DATA';
  m = SENT_COMMAND.exec(lower);
  if (m) return commandWord(m[1]);
  if (lower.includes('after initial connection') || lower.includes('greeting')) return 'CONN';
  return undefined;
}

function commandWord(w: string | undefined): SmtpCommand | undefined {
  if (!w) return undefined;
  const u = w.toUpperCase();
  if (u === 'END') return 'DATA';
  return COMMANDS.find((c) => c === u);
}

/** One per-recipient DSN group as a RawStatus, or undefined when it names no recipient. */
export function statusFromGroup(g: FieldGroup): RawStatus | undefined {
  const original = g.get('original-recipient');
  const alias = original ? fieldAddress(original) : undefined;
  const final = g.get('final-recipient') ?? g.get('x-actual-recipient');
  // an X.400 gateway's Final-Recipient ("x400; /S=joe/OU=…") is no address: the Original-Recipient is
  const recipient = (final ? fieldAddress(final) : undefined) ?? alias;
  if (!recipient) return undefined;
  let diag = diagnosticField(g.get('diagnostic-code'));
  // a Status that holds an SMTP reply instead of a code ("Status: 553 Exceeded maximum inbound message size")
  // is the only account of what happened when there is no Diagnostic-Code
  const statusValue = (g.get('status') ?? '').trim();
  if (!diag.text && statusField(statusValue) === undefined && /^[245]\d\d\s+\S/.test(statusValue)) diag = { text: statusValue.slice(0, 1000) };
  const r: RawStatus = {
    recipient,
    alias: alias && alias.toLowerCase() !== recipient.toLowerCase() ? alias : undefined,
    action: normaliseAction(g.get('action')),
    status: statusField(g.get('status')),
    diagnostic: diag.text,
    diagnosticType: diag.type,
    remoteMta: mtaField(g.get('remote-mta')),
    reportingMta: undefined,
    command: diag.text ? findCommand(diag.text) : undefined,
  };
  return r;
}
