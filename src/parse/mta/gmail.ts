// Gmail and Google Workspace bounces, from "Mail Delivery Subsystem <mailer-daemon@googlemail.com>".
//
// Before 2016, plain text:
//   Delivery to the following recipient failed permanently:      ("… has been delayed:" for a delay)
//        kijitora@example.jp
//   Technical details of permanent failure:                       ("temporary failure")
//   Google tried to deliver your message, but it was rejected by the server for the recipient domain
//   example.jp by mx.example.jp. [192.0.2.153].
//   The error that the other server returned was:
//   550 5.1.1 <kijitora@example.jp>... User Unknown               (or "550 550 5.1.1 … (state 14).")
//   ----- Original message -----
//
// Since then, a multipart/report: a text part ("** Address not found **", "Your message wasn't delivered
// to X because …", "The response from the remote server was:" and the reply), a message/delivery-status
// part (often without Diagnostic-Code) and the message.
import type { Reason } from '../../classify/reasons.js';
import { collapseWhitespace } from '../../classify/text.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import { findCommand } from '../dsn-fields.js';
import type { Email } from '../email.js';
import { deliveryStatusPart, readDeliveryStatus, uniqueRecipients } from '../rfc3464.js';
import type { Decoded, RawStatus, SmtpCommand } from '../types.js';

const FROM_GOOGLE = /mailer-daemon@(?:googlemail|google|gmail)\.com/i;
const DELIVERY = /^Delivery to the following recipients? (failed permanently|has been delayed|have been delayed|failed)/i;
const DETAILS = /^Technical details of (?:permanent|temporary) failure:\s*(.*)$/i;
const RETURNED = /The error that the other server returned was:\s*(.*)$/i;
const RETRIED = /^Message will be retried/i;
const RESPONSE_INTRO = /^The response(?: from the remote server)? was:/i;
const ORIGINAL = /^-{3,} ?(?:Original message|Message header follows) ?-{3,}/i;
const REMOTE_HOST = / by ([A-Za-z0-9][A-Za-z0-9.-]{0,253}[A-Za-z0-9])\.? \[[0-9a-fA-F.:]{3,45}\]/;
const STATE = /\(state (\d{1,2})\)\.?\s*$/;
const DOUBLED_CODE = /^([245]\d\d) (?=\1[\s-])/;
const STATUS_IN = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/;
const REPLY_START = /^([245]\d\d)(?=[\s-]|$)/;
const PARAGRAPH_BREAK = /\n[ \t]*\n/;
// Gmail's own words for repeated connection failures: it gave up (or is still retrying) reaching the host.
const NO_CONNECTION = 'The recipient server did not accept our requests to connect';

// The SMTP state Gmail's client was in when the remote server refused ("(state 14)").
const STATE_COMMANDS: Readonly<Record<string, SmtpCommand>> = {
  '6': 'MAIL', '8': 'AUTH', '9': 'AUTH', '12': 'AUTH', '13': 'EHLO', '14': 'RCPT', '15': 'DATA', '17': 'DATA', '18': 'DATA',
};

interface OldReport {
  recipients: string[];
  delayed: boolean;
  sentence: string;
  /** "Technical details of permanent failure:" (or "temporary"), Gmail's verdict on the failure. */
  heading?: string | undefined;
  details: string;
  reply?: string | undefined;
  original?: string | undefined;
}

function readOldReport(text: string): OldReport | null {
  const lines = text.split('\n');
  let i = 0;
  let m: RegExpExecArray | null = null;
  for (; i < lines.length; i++) {
    m = DELIVERY.exec((lines[i] ?? '').trim());
    if (m) break;
  }
  if (!m) return null;
  const report: OldReport = {
    recipients: [], delayed: /delayed/i.test(m[1] ?? ''), sentence: (lines[i] ?? '').trim(), details: '',
  };
  const details: string[] = [];
  const reply: string[] = [];
  let inDetails = false;
  let inReply = false;
  for (i++; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const t = line.trim();
    if (ORIGINAL.test(t)) {
      report.original = lines.slice(i + 1).join('\n');
      break;
    }
    if (!inDetails) {
      const d = DETAILS.exec(t);
      if (d) {
        inDetails = true;
        report.heading = t.slice(0, t.length - (d[1] ?? '').length).trim();
        if (d[1]) details.push(d[1]);
        continue;
      }
      if (RETRIED.test(t)) report.sentence += ' ' + t;
      else if (t && isAddress(t) && !/\s/.test(t)) report.recipients.push(t);
      continue;
    }
    if (t === '') {
      inReply = false;
      continue;
    }
    details.push(t);
    const r = RETURNED.exec(t);
    if (r) {
      inReply = true;
      if (r[1]) reply.push(r[1]);
    } else if (inReply) {
      reply.push(t);
    }
  }
  report.details = details.join(' ');
  if (reply.length > 0) report.reply = reply.join(' ');
  return report;
}

function oldRecipients(report: OldReport): RawStatus[] {
  // the remote server's reply; else Gmail's own account of the failure, with its permanent/temporary verdict
  let diagnostic = report.reply ?? (report.details ? `${report.heading ?? ''} ${report.details}`.trim() : report.sentence);
  let command: SmtpCommand | undefined;
  const st = STATE.exec(diagnostic);
  if (st) {
    command = STATE_COMMANDS[st[1] ?? ''];
    diagnostic = diagnostic.slice(0, st.index).trimEnd();
  }
  // Gmail writes its own reply code before the remote server's reply: "550 550 5.1.1 …"
  diagnostic = diagnostic.replace(DOUBLED_CODE, '');
  const status = report.reply ? STATUS_IN.exec(report.reply)?.[1] : undefined;
  const replyCode = REPLY_START.exec(diagnostic)?.[1];
  let reason: Reason | undefined;
  if (report.details.includes(NO_CONNECTION)) reason = 'expired';
  else if (report.details.includes('DNS Error: Domain name not found')) reason = 'hostunknown';
  return report.recipients.map((recipient) => ({
    recipient,
    action: report.delayed ? 'delayed' : 'failed',
    status,
    replyCode,
    diagnostic,
    remoteMta: REMOTE_HOST.exec(report.details)?.[1],
    command: command ?? findCommand(diagnostic),
    reason,
  }));
}

/** The readable part of a report-style bounce: its "** Title **", the explanation and the remote reply. */
interface NewText {
  summary: string;
  response?: string | undefined;
  addressNotFound: boolean;
}

function readNewText(text: string): NewText {
  const paragraphs = text.split(PARAGRAPH_BREAK).map(collapseWhitespace).filter((p) => p !== '');
  const summary: string[] = [];
  let response: string | undefined;
  for (let i = 0; i < paragraphs.length && i < 40; i++) {
    const p = paragraphs[i] ?? '';
    const said = RESPONSE_INTRO.exec(p);
    if (said) {
      // the reply follows on the next lines or paragraphs; it is the last section of the text
      const rest = [p.slice(said[0].length).trim(), ...paragraphs.slice(i + 1, i + 5)].filter((x) => x !== '');
      response = rest.join(' ') || undefined;
      break;
    }
    if (/^(?:Learn more|\(Warning:)/i.test(p)) continue;
    if (summary.length < 2) summary.push(p);
  }
  return {
    summary: summary.join(' '),
    response,
    addressNotFound: summary.some((p) => p.includes("because the address couldn't be found")),
  };
}

/** Reasons Gmail's own wordings state. */
function textReason(r: RawStatus, text: NewText, count: number): Reason | undefined {
  const d = r.diagnostic ?? '';
  if (d.includes(NO_CONNECTION)) return 'expired';
  if (d.includes('returned Null MX')) return 'notaccept'; // RFC 7505: the domain accepts no mail
  // Gmail's DNS lookup failures, reported with a 4.x.x status: it treats them as transient
  if (d.startsWith('DNS Error:') && r.status?.startsWith('4')) return 'networkerror';
  if (text.addressNotFound && count === 1) return 'userunknown';
  return undefined;
}

function reportRecipients(email: Email, dsnText: string): RawStatus[] {
  const list = readDeliveryStatus(dsnText);
  const textPart = email.parts.find((p) => p.type === 'text/plain' || p.type === 'text/html');
  const text = readNewText(textPart?.text.slice(0, 65536) ?? '');
  for (const r of list) {
    // one readable section serves all recipients only when there is a single recipient
    const response = list.length === 1 ? text.response : undefined;
    if (!r.diagnostic) r.diagnostic = response ?? (text.summary || undefined);
    // the DSN often says only "5.0.0"/"4.0.0"; the remote reply in the text may be precise
    const precise = response ? STATUS_IN.exec(response)?.[1] : undefined;
    if (precise && !precise.endsWith('.0.0') && (!r.status || r.status.endsWith('.0.0'))) {
      r.status = precise;
      r.diagnostic = response;
    }
    r.action ??= 'failed';
    if (r.diagnostic) {
      r.replyCode ??= REPLY_START.exec(r.diagnostic)?.[1];
      r.command ??= findCommand(r.diagnostic);
    }
    r.reason ??= textReason(r, text, list.length);
  }
  return list;
}

export const gmail: Decoder = {
  name: 'gmail',
  decode(email: Email): Decoded | null {
    if (!FROM_GOOGLE.test(email.from)) return null;
    const dsn = deliveryStatusPart(email);
    if (dsn) {
      const recipients = reportRecipients(email, dsn.text);
      return recipients.length > 0 ? { mta: 'gmail', recipients: uniqueRecipients(recipients) } : null;
    }
    // Google Groups writes its own plain-text bounce from the same address (googlegroups.ts)
    const failed = email.headers.text('x-failed-recipients');
    if (failed && /@googlegroups\.com\b/i.test(failed)) return null;
    for (const part of email.parts) {
      if (part.type !== 'text/plain' && part.type !== 'text/html') continue;
      const report = readOldReport(part.text);
      if (!report) continue;
      const recipients = oldRecipients(report);
      if (recipients.length === 0) return null;
      return { mta: 'gmail', recipients: uniqueRecipients(recipients), original: report.original };
    }
    return null;
  },
};
