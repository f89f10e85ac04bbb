// Receiving-provider tables: which provider a bounce belongs to, and what its own codes say.
import { describe, expect, it } from 'vitest';
import { providerName, providerReason } from '../../src/classify/provider.js';
import type { Reason } from '../../src/classify/reasons.js';

const origin = (remoteMta: string, recipientDomain = 'example.jp', mta = 'postfix') => ({ remoteMta, recipientDomain, mta });

describe('providerName', () => {
  it.each([
    ['gmail-smtp-in.l.google.com', 'example.jp', 'google'],
    ['alt1.aspmx.l.google.com', 'example.jp', 'google'],
    ['example-com.mail.protection.outlook.com', 'example.com', 'microsoft'],
    ['mta7.am0.yahoodns.net', 'yahoo.com', 'yahoo'],
    ['mx01.mail.icloud.com', 'icloud.com', 'apple'],
    ['us-smtp-inbound-1.mimecast.com', 'example.com', 'mimecast'],
    ['mx3.qq.com', 'qq.com', 'tencent'],
    ['cxr.mx.a.cloudfilter.net', 'cox.net', 'cox'],
    ['smtp-in.orange.fr', 'orange.fr', 'france-ptt'],
    ['192.0.2.1', 'wanadoo.fr', 'france-ptt'],
    ['mx.example.jp', 'example.jp', undefined],
    ['notgoogle.com', 'example.jp', undefined],
  ])('%s / %s -> %s', (host, domain, want) => {
    expect(providerName(origin(host, domain))).toBe(want);
  });
  it('uses the decoder when the provider generated the bounce itself', () => {
    expect(providerName(origin('192.0.2.4', 'example.com', 'office365'))).toBe('microsoft');
  });
});

describe('providerReason', () => {
  const facts = (text: string, status = '', replyCode = '', command = '') => ({ text: text.toLowerCase(), status, replyCode, command });
  it.each<[string, string, string, string, Reason | undefined]>([
    ['gmail-smtp-in.l.google.com', '550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.', '5.7.26', '550', undefined],
    ['gmail-smtp-in.l.google.com', '550 5.7.26 The MAIL FROM domain [example.jp] has an SPF record with a hard fail policy (-all)', '5.7.26', '550', 'authfailure'],
    ['aspmx.l.google.com', '550 5.2.1 The email account that you tried to reach is inactive.', '5.2.1', '550', 'suspend'],
    ['aspmx.l.google.com', 'The email account that you tried to reach is inactive.', '', '', undefined],
    ['example.mail.protection.outlook.com', '550 5.7.606 Access denied, banned sending IP [192.0.2.1]', '5.7.606', '550', 'blocked'],
    ['example.mail.protection.outlook.com', '550 5.7.650 Access denied, banned sending IP [192.0.2.1]', '5.7.650', '550', undefined],
    ['cxr.mx.a.cloudfilter.net', '550 5.1.0 <a@example.com> sender rejected. AUP#CXBL', '5.1.0', '550', 'blocked'],
    ['d1.smtp-out.amazonses.com', '550 5.1.0 sender rejected. AUP#In-1310', '5.1.0', '550', undefined],
    ['smtp-in.orange.fr', '550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]', '5.1.1', '550', 'userunknown'],
    ['smtpz4.laposte.net', '550 5.5.0 Le compte du destinataire est bloque. LPN007_426', '5.5.0', '550', 'suspend'],
    ['mx3.qq.com', '550 Ip frequency limited', '5.0.0', '550', 'toomanyconn'],
    ['smtp.secureserver.net', '554 Connection refused. This IP address is listed on the Spamhaus Block List (SBL). IB104', '5.0.0', '554', 'blocked'],
    ['mfsmax.docomo.ne.jp', '550 Unknown user kijitora@docomo.ne.jp', '5.0.0', '550', 'rejected'],
    ['service.mimecast.com', '554 email rejected due to security policies - MCSpamSignature', '5.0.0', '554', 'virusdetected'],
    ['lsean.ezweb.ne.jp', '550 : User unknown', '5.0.0', '550', 'filtered'],
  ])('%s: %s', (host, text, status, reply, want) => {
    const command = host === 'mfsmax.docomo.ne.jp' ? 'DATA' : '';
    const domain = host === 'cxr.mx.a.cloudfilter.net' ? 'cox.net' : 'example.jp';
    expect(providerReason(origin(host, domain), facts(text, status, reply, command))).toBe(want);
  });
  it('Spectrum codes are read when the recipient is theirs', () => {
    expect(providerReason(origin('d1.smtp-out.amazonses.com', 'charter.net'), facts('550 5.1.0 sender rejected. AUP#In-1310', '5.1.0', '550'))).toBe('toomanyconn');
  });
});
