// RFC 3464 delivery status notifications read by the standard decoder: the recipient each field group names.
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';

const report = (groupLines: string[]): string => [
  'From: postmaster@gateway.example.ac.uk', 'To: news@lists.example.org', 'Subject: Delivery Report (failure) for reader@example.ac.uk',
  'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"', '',
  '--b1', 'Content-Type: text/plain', '', 'Your message was not delivered.', '',
  '--b1', 'Content-Type: message/delivery-status', '',
  'Reporting-MTA: x400; mta gateway.example.ac.uk', '', ...groupLines, '',
  '--b1--', '',
].join('\n');

describe('rfc3464', () => {
  it('names the Original-Recipient when an X.400 gateway\'s Final-Recipient is no address', () => {
    const r = parse(report([
      'Original-Recipient: rfc822; reader@example.ac.uk', 'Final-Recipient: x400; /S=reader/OU=example/PRMD=AC/ADMD= /C=GB/',
      'Action: failed', 'Diagnostic-Code: Reason 1 (Unable-To-Transfer); Diagnostic 5 (Maximum-Time-Expired)', 'Status: 4.4.7',
    ]));
    expect(r).toMatchObject({ kind: 'bounce', mta: 'rfc3464' });
    expect(r.recipients).toHaveLength(1);
    expect(r.recipients[0]).toMatchObject({ address: 'reader@example.ac.uk', action: 'failed', status: '4.4.7', reason: 'expired' });
    expect(r.recipients[0]?.alias).toBeUndefined();
  });

  it('names the Final-Recipient, with the Original-Recipient as its alias, when both are addresses', () => {
    const r = parse(report([
      'Original-Recipient: rfc822; reader@example.ac.uk', 'Final-Recipient: rfc822; r.smith@mailhost.example.ac.uk',
      'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
    ]));
    expect(r.recipients[0]).toMatchObject({ address: 'r.smith@mailhost.example.ac.uk', alias: 'reader@example.ac.uk', reason: 'userunknown' });
  });

  it('reads a Status that holds an SMTP reply instead of a code as the diagnostic, and "Action: failure" as failed', () => {
    const r = parse(report(['Final-Recipient: rfc822;reader@example.ac.uk', 'Action: failure', 'Status: 553 Exceeded maximum inbound message size']));
    expect(r.recipients[0]).toMatchObject({
      address: 'reader@example.ac.uk', action: 'failed', replyCode: '553', reason: 'mesgtoobig', diagnostic: '553 Exceeded maximum inbound message size',
    });
  });

  it('names nobody when neither field holds an address', () => {
    const r = parse(report(['Final-Recipient: x400; /S=reader/C=GB/', 'Action: failed', 'Status: 5.1.1']));
    expect(r.recipients).toHaveLength(0);
  });
});
