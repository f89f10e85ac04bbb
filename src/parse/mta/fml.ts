// fml, the mailing list manager (https://www.fml.org/). When it refuses a post it writes back from the
// list's "-admin" address with an X-MLServer header and a Message-ID ending ".FML...":
//
//   X-MLServer: fml [fml 4.0.3 release (20011202/4.0.3)]
//   Subject: You sironeko@example.org are not member (neko ML)
//
//   You are not a member of this mailing list <neko@example.org>.
//   ...
//   Original mail as follows:
//
// The address in angle brackets is the list the post was refused by.
import type { Reason } from '../../classify/reasons.js';
import { isAddress } from '../address.js';
import type { Decoder } from '../decoder.js';
import type { Email } from '../email.js';
import type { Decoded, RawStatus } from '../types.js';

const COPY_MARKER = 'Original mail as follows:';
const ANGLED = /<([^<>\s]{1,512})>/;

// fml's error sentences, then its Subject lines, and the reason each one states.
const BODY_REASONS: ReadonlyArray<readonly [string, Reason]> = [
  [' header may cause mail loop', 'rejected'],
  ['NOT MEMBER article from ', 'rejected'],
  ['reject mail from ', 'rejected'],
  ['reject spammers:', 'rejected'],
  ['You are not a member of this mailing list', 'rejected'],
  [' has detected a loop condition so that', 'systemerror'],
  ['Duplicated Message-ID', 'systemerror'],
  ['Loop Back Warning:', 'systemerror'],
  ['Security alert:', 'securityerror'],
];
const SUBJECT_REASONS: ReadonlyArray<readonly [string, Reason]> = [
  [' are not member', 'rejected'],
  ['NOT MEMBER article from ', 'rejected'],
  ['reject mail ', 'rejected'],
  ['Spam mail from a spammer is rejected', 'rejected'],
  ['fml system error message', 'systemerror'],
  ['Loop Alert: ', 'systemerror'],
  ['Loop Back Warning: ', 'systemerror'],
  ['WARNING: UNIX FROM Loop', 'systemerror'],
  ['Security Alert', 'securityerror'],
];

function looksLikeFml(email: Email): boolean {
  if (!email.headers.text('x-mlserver').toLowerCase().includes('fml')) return false;
  return email.from.includes('-admin@') || email.headers.text('message-id').includes('.FML');
}

export const fml: Decoder = {
  name: 'fml',
  decode(email: Email): Decoded | null {
    if (!looksLikeFml(email)) return null;
    const body = email.parts.length <= 1 ? email.text : (email.parts.find((p) => p.type === 'text/plain')?.text ?? '');
    const copyAt = body.indexOf(COPY_MARKER);
    const report = copyAt >= 0 ? body.slice(0, copyAt) : body;

    const recipients: RawStatus[] = [];
    let cur: RawStatus | undefined;
    for (const raw of report.split('\n')) {
      const line = raw.trim();
      if (line === '') {
        cur = undefined;
        continue;
      }
      const a = ANGLED.exec(line)?.[1];
      if (a && isAddress(a)) {
        cur = { recipient: a, action: 'failed', diagnostic: line };
        recipients.push(cur);
        continue;
      }
      if (cur && (cur.diagnostic ?? '').length < 2000) cur.diagnostic = `${cur.diagnostic ?? ''} ${line}`;
    }
    if (recipients.length === 0) return null;
    for (const r of recipients) {
      const d = r.diagnostic ?? '';
      r.reason = BODY_REASONS.find(([p]) => d.includes(p))?.[1] ?? SUBJECT_REASONS.find(([p]) => email.subject.includes(p))?.[1];
    }
    let original: string | undefined;
    if (copyAt >= 0) {
      // fml indents the returned message by three spaces
      original = body.slice(copyAt + COPY_MARKER.length).replace(/^\n+/, '').replace(/^ {3}/gm, '');
    }
    return { mta: 'fml', recipients, original };
  },
};
