// An SMTP-time rejection written as the RFC 3464 delivery status notification an MTA would have sent, so
// it enters Rebound through ingestRaw() like any bounce: the raw record, its events, the policy's
// decision and the outbox notices all follow the one path. (Pure.)
import { randomUUID } from 'node:crypto';

export interface Rejection {
  /** The recipient the relay refused. */
  recipient: string;
  /** The VERP return path the message was sent with (the report is addressed to it, as a DSN would be). */
  returnPath: string;
  /** The relay's reply, e.g. "550 5.1.1 <joe@example.com>: Recipient address rejected: User unknown". */
  reply: string;
  /** The command it answered. */
  command: 'RCPT TO' | 'DATA';
  /** The relay's host name. */
  remoteMta: string;
  /** Our own host name. */
  reportingMta: string;
  at: Date;
  /** Headers of the refused message, for the returned-headers part. */
  original: { from: string; subject: string; messageId?: string | undefined };
}

/** The enhanced status code in a reply ("550 5.1.1 …" → 5.1.1), else the class's generic one. */
export function statusOf(reply: string): string {
  const m = /^([245])\d\d[ -]+([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply);
  if (m?.[2] && m[2][0] === m[1]) return m[2];
  return `${reply[0] === '4' ? '4' : '5'}.0.0`;
}

const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ').replace(/\s+/g, ' ').trim();
/** RFC 5322 date in UTC. */
const rfcDate = (d: Date): string => d.toUTCString().replace('GMT', '+0000');

export function rejectionReport(r: Rejection): Buffer {
  const id = randomUUID();
  const boundary = `rebound-${id}`;
  const reply = oneLine(r.reply);
  const diagnostic = `${reply} (in reply to ${r.command} command)`;
  const date = rfcDate(r.at);
  // a 4xx at send time is not retried by the sender: this attempt failed, for a temporary reason
  const lines = [
    `From: Mail Delivery System <MAILER-DAEMON@${r.reportingMta}>`,
    `To: <${r.returnPath}>`,
    `Date: ${date}`,
    'Subject: Message refused by the relay at sending',
    `Message-ID: <${id}@${r.reportingMta}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Description: Notification',
    '',
    `While Rebound was sending it, the relay ${r.remoteMta} refused the message for <${r.recipient}>.`,
    `It answered the ${r.command} command with:`,
    '',
    `    ${reply}`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    'Content-Description: Delivery report',
    '',
    `Reporting-MTA: dns; ${r.reportingMta}`,
    `Arrival-Date: ${date}`,
    '',
    `Final-Recipient: rfc822; ${r.recipient}`,
    'Action: failed',
    `Status: ${statusOf(reply)}`,
    `Remote-MTA: dns; ${r.remoteMta}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
    `Last-Attempt-Date: ${date}`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    'Content-Description: Undelivered Message Headers',
    '',
    `Return-Path: <${r.returnPath}>`,
    `From: ${oneLine(r.original.from)}`,
    `To: <${r.recipient}>`,
    `Subject: ${oneLine(r.original.subject)}`,
    ...(r.original.messageId ? [`Message-ID: ${r.original.messageId}`] : []),
    '',
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
