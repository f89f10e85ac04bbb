// Distinct Postfix-style DSNs for the intake benchmarks (one per recipient, to VERP addresses).
export function dsn(i, tag = 'bench', eol = '\n') {
  const rcpt = `user${i}@example.com`;
  const to = `bounces+user${i}=example.com@bounces.example.org`;
  const b = `B${i}.1764410400/mail.example.org`;
  return Buffer.from([
    'Return-Path: <>', `Delivered-To: ${to}`, 'Date: Sun, 29 Nov 2026 10:00:00 +0000',
    'From: MAILER-DAEMON@mail.example.org (Mail Delivery System)', 'Subject: Undelivered Mail Returned to Sender',
    `To: ${to}`, 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`, `Message-Id: <${tag}.${i}@mail.example.org>`, '',
    `--${b}`, 'Content-Type: text/plain; charset=us-ascii', '', 'This is the mail system at host mail.example.org.', '',
    `<${rcpt}>: host mx.example.com[192.0.2.1] said: 550 5.1.1 <${rcpt}>: Recipient address rejected: User unknown (in reply to RCPT TO command)`, '',
    `--${b}`, 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mail.example.org', '',
    `Final-Recipient: rfc822; ${rcpt}`, 'Action: failed', 'Status: 5.1.1', 'Remote-MTA: dns; mx.example.com',
    `Diagnostic-Code: smtp; 550 5.1.1 <${rcpt}>: Recipient address rejected: User unknown`, '',
    `--${b}`, 'Content-Type: text/rfc822-headers', '', `Return-Path: <${to}>`, `To: ${rcpt}`, `Message-Id: <orig.${i}@example.org>`, '',
    `--${b}--`, '',
  ].join(eol));
}
