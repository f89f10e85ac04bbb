// Postfix-style delivery status notifications for tests, built the way Postfix 3.x writes them.

export interface DsnOptions {
  /** Where the bounce is delivered: the VERP return path of the original message. */
  to: string;
  recipient: string;
  status?: string;
  action?: 'failed' | 'delayed' | 'delivered';
  diagnostic?: string;
  remoteMta?: string;
  /** Makes the message unique (queue id, Message-ID). */
  id?: string;
  date?: Date;
}

export function postfixDsn(o: DsnOptions): Buffer {
  const id = o.id ?? Math.random().toString(36).slice(2, 12).toUpperCase();
  const status = o.status ?? '5.1.1';
  const action = o.action ?? 'failed';
  const diag = o.diagnostic ?? `550 5.1.1 <${o.recipient}>: Recipient address rejected: User unknown in local recipient table`;
  const mta = o.remoteMta ?? 'mx.example.net';
  const date = (o.date ?? new Date('2026-11-29T10:00:00Z')).toUTCString().replace('GMT', '+0000');
  const boundary = `${id}.1764410400/mail.example.org`;
  const subject = action === 'delayed' ? 'Delayed Mail (still being retried)' : 'Undelivered Mail Returned to Sender';
  const lines = [
    'Return-Path: <>',
    `Delivered-To: ${o.to}`,
    `Received: by mail.example.org (Postfix) id ${id}; ${date}`,
    `Date: ${date}`,
    'From: MAILER-DAEMON@mail.example.org (Mail Delivery System)',
    `Subject: ${subject}`,
    `To: ${o.to}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${boundary}"`,
    'Content-Transfer-Encoding: 8bit',
    `Message-Id: <20261129100000.${id}@mail.example.org>`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mail.example.org.',
    '',
    "I'm sorry to have to inform you that your message could not",
    'be delivered to one or more recipients. It\'s attached below.',
    '',
    '                   The mail system',
    '',
    `<${o.recipient}>: host ${mta}[192.0.2.10] said: ${diag} (in reply to RCPT TO command)`,
    '',
    `--${boundary}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mail.example.org',
    `X-Postfix-Queue-ID: ${id}`,
    `X-Postfix-Sender: rfc822; ${o.to}`,
    `Arrival-Date: ${date}`,
    '',
    `Final-Recipient: rfc822; ${o.recipient}`,
    `Original-Recipient: rfc822;${o.recipient}`,
    `Action: ${action}`,
    `Status: ${status}`,
    `Remote-MTA: dns; ${mta}`,
    `Diagnostic-Code: smtp; ${diag}`,
    '',
    `--${boundary}`,
    'Content-Description: Undelivered Message Headers',
    'Content-Type: text/rfc822-headers',
    '',
    `Return-Path: <${o.to}>`,
    'From: News <news@example.org>',
    `To: ${o.recipient}`,
    'Subject: Our news',
    `Message-Id: <orig.${id}@example.org>`,
    '',
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}
