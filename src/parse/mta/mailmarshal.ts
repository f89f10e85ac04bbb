// MailMarshal SMTP (Marshal, later Trustwave Secure Email Gateway). Subject 'Undeliverable Mail: "<the
// original subject>"', a plain-text notice:
//
//   Your message:
//      From:    sender@example.com
//      Subject: Nyaan
//
//   Could not be delivered because of
//
//   550 5.1.1 User unknown
//
//   The following recipients were affected:
//       kijitora@example.jp
//
//   Additional Information
//   ======================
//   Original Sender:    <sender@example.com>
//   Sender-MTA:         <192.0.2.1>
//   Remote-MTA:         <192.0.2.2>
//   Reporting-MTA:      <relay.example.com>
//
// The returned message follows a line of "+" signs (or is a MIME part).
import { findStatusCode } from '../../classify/status-code.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus } from '../types.js';

const OPENER = 'Your message:';
const ERROR_MARKER = 'Could not be delivered because of';
const RCPTS_MARKER = 'The following recipients were affected:';
const INFO_MARKER = 'Additional Information';
const COPY_MARKER = /^'?\+{20,}\s*$/m;
const ANGLED_VALUE = /<([^<>]{1,255})>/;
const REPLY_START = /^([245]\d\d)(?:[ -]|$)/;

export const mailmarshal: Decoder = {
  name: 'mailmarshal',
  decode(email: Email): Decoded | null {
    if (!email.subject.startsWith('Undeliverable Mail: "')) return null;
    const body = email.parts.length <= 1 ? email.text : (email.parts.find((p) => p.type === 'text/plain')?.text ?? '');
    if (!body.includes(ERROR_MARKER) || !body.includes(RCPTS_MARKER)) return null;
    const copy = COPY_MARKER.exec(body);
    const report = copy ? body.slice(0, copy.index) : body;

    let section: 'none' | 'message' | 'error' | 'recipients' | 'info' = 'none';
    const error: string[] = [];
    const addresses: string[] = [];
    let remoteMta: string | undefined;
    let reportingMta: string | undefined;
    for (const raw of report.split('\n')) {
      const line = raw.trim();
      if (line.startsWith(OPENER)) section = 'message';
      else if (line.startsWith(ERROR_MARKER)) section = 'error';
      else if (line.startsWith(RCPTS_MARKER)) section = 'recipients';
      else if (line.startsWith(INFO_MARKER)) section = 'info';
      else if (line === '') {
        if (section === 'recipients' && addresses.length > 0) section = 'none';
      } else if (section === 'error') {
        if (error.length < 40) error.push(line);
      } else if (section === 'recipients') {
        const a = line.replace(/^<|>$/g, '');
        if (isAddress(a) && !/\s/.test(a)) addresses.push(a);
      } else if (section === 'info') {
        if (line.startsWith('Remote-MTA:')) remoteMta = ANGLED_VALUE.exec(line)?.[1];
        else if (line.startsWith('Reporting-MTA:')) reportingMta = ANGLED_VALUE.exec(line)?.[1];
      }
    }
    if (addresses.length === 0) return null;
    const diagnostic = error.join(' ') || undefined;
    const recipients: RawStatus[] = addresses.map((recipient) => ({
      recipient,
      action: 'failed',
      status: diagnostic ? findStatusCode(diagnostic) : undefined,
      replyCode: error.map((l) => REPLY_START.exec(l)?.[1]).find((c) => c !== undefined),
      diagnostic,
      remoteMta,
      reportingMta,
    }));
    let original: string | undefined;
    if (copy) original = body.slice(copy.index + copy[0].length).replace(/^\s+/, '');
    return { mta: 'mailmarshal', recipients, original };
  },
};
