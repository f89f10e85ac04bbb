// Complaints: RFC 5965 feedback reports and Microsoft's JMRP reports, which are not ARF ("complaint about
// message from <ip>", the message attached with X-HmXmrOriginalRecipient). The messages are written here.
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const jmrp = (from: string, attachedHeader: string): string => [
  `From: ${from}`, 'To: fbl@sender.example', 'Subject: complaint about message from 198.51.100.7', 'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="J1"', '', '--J1', 'Content-Type: message/rfc822', 'Content-Disposition: inline', '',
  attachedHeader, 'X-Reporter-IP: 203.0.113.9', 'From: News <news@sender.example>', 'To: "reader@outlook.example" <reader@outlook.example>',
  'Subject: Our news', 'Message-ID: <n-42@sender.example>', '', 'Hello', '--J1--', '',
].join('\n');

describe('complaints', () => {
  it('reads an RFC 5965 report with its feedback type and original recipient', () => {
    const r = parse([
      'From: abuse@isp.example', 'To: fbl@sender.example', 'Subject: FW: Our news', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="A1"', '', '--A1', 'Content-Type: text/plain', '',
      'This is an email abuse report.', '--A1', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse',
      'User-Agent: Reporter/1.0', 'Version: 1', 'Original-Rcpt-To: <reader@isp.example>', '', '--A1', 'Content-Type: message/rfc822', '',
      'From: news@sender.example', 'To: reader@isp.example', 'Subject: Our news', '', 'Hello', '--A1--', '',
    ].join('\n'));
    expect(r.kind).toBe('complaint');
    expect(r.recipients).toEqual([expect.objectContaining({ address: 'reader@isp.example', reason: 'feedback', feedbackType: 'abuse', hard: null })]);
  });

  it('reads a Microsoft JMRP report, also when a relay rewrote its sender', () => {
    for (const from of ['staff@hotmail.com', 'fbl-forwarder@relay.example']) {
      const r = parse(jmrp(from, 'X-HmXmrOriginalRecipient: reader@outlook.example'));
      expect(r.kind, from).toBe('complaint');
      expect(r.recipients, from).toEqual([expect.objectContaining({ address: 'reader@outlook.example', reason: 'feedback' })]);
    }
  });

  it('reads the older JMRP form: the message itself, forwarded flat by staff@hotmail.com with the complainant in its header', () => {
    const flat = (returnPath: string): string => [
      `Return-Path: ${returnPath}`, 'X-HmXmrOriginalRecipient: reader@hotmail.example', 'Date: Fri, 19 Feb 2010 22:58:37 -0500',
      'To: reader@hotmail.example', 'From: news@lists.example.org', 'Subject: Your monthly report', 'Message-ID: <news-49@lists.example.org>',
      'Precedence: bulk', '', 'Hello reader,', '',
    ].join('\n');
    const r = parse(flat('staff@hotmail.com'));
    expect(r).toMatchObject({ kind: 'complaint', mta: 'arf', messageId: 'news-49@lists.example.org' });
    expect(r.recipients).toEqual([expect.objectContaining({ address: 'reader@hotmail.example', reason: 'feedback', feedbackType: 'abuse' })]);
    // the header alone, on mail from anyone else, is not a complaint
    expect(parse(flat('news@lists.example.org')).kind).toBe('not-bounce');
  });

  it('does not take a message titled "complaint about message" for a report without Microsoft\'s header', () => {
    const r = parse(jmrp('someone@relay.example', 'X-Other: 1'));
    expect(r.kind).not.toBe('complaint');
  });
});
