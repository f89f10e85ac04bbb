// The parser against bounces that real MTAs write today: a real Postfix and a real Exim 4.96 (test/realmail)
// relay mail to a remote MX that refuses it in the usual ways, give up on a host that is down, fill a local
// mailbox, and send their own DSNs (failures, delay warnings, success notices) to a capture server. Every
// DSN is parsed as it arrived and compared with what happened; nothing here is a stored sample.
import { promises as dns } from 'node:dns';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import type { ParseResult, RecipientResult } from '../../src/parse/types.js';
import {
  REALMAIL, forgetEximRetries, startCapture, startFakeMx, startGreetingRefuser, startRealMail, type Capture, type FakeMx,
} from '../support/realmail.js';
import { until } from '../support/webhook-receiver.js';

type Mta = 'postfix' | 'exim';
const run = `${process.pid}${Date.now().toString(36)}`;

interface Expected {
  kind: ParseResult['kind'];
  recipients: Array<Partial<Record<keyof RecipientResult, unknown>>>;
}

interface Scenario {
  title: string;
  to: string[];
  /** Ask for a success notice too (DSN NOTIFY=SUCCESS,FAILURE). */
  notifySuccess?: boolean;
  /** Body lines (a message over the 1 KB quota of Exim's small@exim.test). */
  lines?: number;
  /** The MTA's notices for this message, in the order they arrive. */
  expect: Expected[];
  /** Needs the machine's resolver to answer "no such domain" for the reserved .test and .invalid names. */
  nxdomain?: true;
  /** The decoder that reads the notices, when not the MTA's own (Dovecot's delivery agent writes its own). */
  decoder?: string;
}

/** Whether the resolver says at once that a reserved name does not exist (getaddrinfo, as Postfix asks it,
 *  and an MX query, as Exim asks it); with no resolver at all, the MTAs would defer such mail instead. */
async function resolverDeniesReservedNames(): Promise<boolean> {
  const notFound = (p: Promise<unknown>): Promise<boolean> =>
    p.then(() => false, (err: NodeJS.ErrnoException) => err.code === 'ENOTFOUND');
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000).unref());
  const answers = Promise.all([notFound(dns.lookup('nosuch.invalid')), notFound(dns.resolveMx('nxdomain.test'))]);
  return Promise.race([answers.then(([a, b]) => a && b), timeout]);
}
const nxdomainAnswered = await resolverDeniesReservedNames();

const remoteHost = expect.stringContaining('127.0.0.1');

function scenarios(mta: Mta): Scenario[] {
  const at = (word: string, domain = 'reject.test'): string => `${word}-${run}-${mta}@${domain}`;
  // Dovecot's users at @lda.test, with an address extension Postfix strips before handing the mail over
  const lda = (user: string): string => `${user}+${run}@lda.test`;
  const unknown = (address: string) => ({
    address, action: 'failed', status: '5.1.1', replyCode: '550', reason: 'userunknown', hard: true, fault: 'recipient',
    command: 'RCPT', remoteMta: remoteHost,
  });
  const list: Scenario[] = [
    { title: 'an unknown user at the remote MX (550 5.1.1 at RCPT)', to: [at('nosuch')], expect: [{ kind: 'bounce', recipients: [unknown(at('nosuch'))] }] },
    {
      title: 'a multi-line reply as Gmail writes it (550-5.1.1 … 550 5.1.1)', to: [at('gone')],
      expect: [{
        kind: 'bounce',
        recipients: [{
          ...unknown(at('gone')),
          diagnostic: expect.stringMatching(/550 5\.1\.1 The email account that you tried to reach does not exist\. Please try double-checking the recipient's email address for typos or unnecessary spaces\. For more information, go to https:\/\/support\.google\.com\/mail\/\?p=NoSuchUser \S+ - gsmtp/),
        }],
      }],
    },
    {
      // Postfix returns a message/global-delivery-status; Exim writes the address with octal escapes in its text
      title: 'a UTF-8 address sent with SMTPUTF8', to: [at('nosuch-ü')],
      expect: [{ kind: 'bounce', recipients: [{ ...unknown(at('nosuch-ü')), diagnostic: expect.stringContaining(`<${at('nosuch-ü')}>`) }] }],
    },
    {
      title: 'two recipients refused for different reasons, in one DSN', to: [at('nosuch2'), at('blocked')],
      expect: [{
        kind: 'bounce',
        recipients: [unknown(at('nosuch2')), {
          address: at('blocked'), action: 'failed', status: '5.7.1', replyCode: '554', reason: 'blocked', hard: false, fault: 'sender', command: 'RCPT',
        }],
      }],
    },
    {
      title: 'the sender refused at MAIL FROM (550 5.7.1)', to: [at('badsender')],
      expect: [{ kind: 'bounce', recipients: [{ address: at('badsender'), status: '5.7.1', replyCode: '550', reason: 'rejected', hard: false, fault: 'sender', command: 'MAIL' }] }],
    },
    {
      title: 'relaying denied (554 5.7.1 at RCPT)', to: [at('relay')],
      expect: [{ kind: 'bounce', recipients: [{ address: at('relay'), status: '5.7.1', replyCode: '554', reason: 'norelaying', hard: false, fault: 'sender', command: 'RCPT' }] }],
    },
    {
      title: 'a disabled mailbox (550 5.2.1 at RCPT)', to: [at('disabled')],
      expect: [{ kind: 'bounce', recipients: [{ address: at('disabled'), status: '5.2.1', replyCode: '550', reason: 'suspend', hard: false, command: 'RCPT' }] }],
    },
    {
      title: 'spam refused after DATA (550 5.7.1)', to: [at('spam')],
      expect: [{ kind: 'bounce', recipients: [{ address: at('spam'), status: '5.7.1', replyCode: '550', reason: 'spamdetected', hard: false, fault: 'sender', command: 'DATA' }] }],
    },
    {
      title: 'a message too big for the remote MX (552 5.3.4 after DATA)', to: [at('big')],
      expect: [{ kind: 'bounce', recipients: [{ address: at('big'), status: '5.3.4', replyCode: '552', reason: 'mesgtoobig', hard: false, command: 'DATA' }] }],
    },
    {
      title: 'a remote mailbox over quota (552 5.2.2 at RCPT)', to: [at('over')],
      expect: [{ kind: 'bounce', recipients: [{ address: at('over'), status: '5.2.2', replyCode: '552', reason: 'mailboxfull', hard: false, fault: 'transient' }] }],
    },
    {
      title: 'a full mailbox answered 452 4.2.2 until the MTA gives up: a delay warning, then the failure', to: [at('full')],
      expect: [
        { kind: 'delay', recipients: [{ address: at('full'), action: 'delayed', status: '4.2.2', replyCode: '452', reason: 'mailboxfull', hard: false, fault: 'transient', remoteMta: remoteHost }] },
        { kind: 'bounce', recipients: [{ address: at('full'), action: 'failed', replyCode: '452', reason: 'mailboxfull', hard: false, fault: 'transient' }] },
      ],
    },
    {
      title: 'a host that is down until the MTA gives up: a delay warning, then an expiry', to: [at('down', 'down.test')],
      expect: [
        { kind: 'delay', recipients: [{ address: at('down', 'down.test'), action: 'delayed', reason: 'expired', hard: false, fault: 'transient' }] },
        { kind: 'bounce', recipients: [{ address: at('down', 'down.test'), action: 'failed', reason: 'expired', hard: false, fault: 'transient' }] },
      ],
    },
    {
      // Postfix takes a 5xx greeting for a temporary failure (smtp_skip_5xx_greeting) and retries until the
      // message expires; Exim fails the address at once
      title: 'an MX that refuses the connection in its greeting (554 5.7.1, blocklisted)', to: [at('greet', 'greet.test')],
      expect: (mta === 'postfix' ? ['delay', 'bounce'] as const : ['bounce'] as const).map((kind) => ({
        kind,
        recipients: [{
          address: at('greet', 'greet.test'), action: kind === 'delay' ? 'delayed' : 'failed', status: '5.7.1', replyCode: '554',
          reason: 'blocked', hard: false, fault: 'sender', command: 'CONN', remoteMta: remoteHost,
        }],
      })),
    },
    {
      // Postfix: "unable to look up host nosuch.invalid: Name or service not known" under 5.4.4; Exim: its DNS
      // router finds no such domain and nothing else routes it ("Unrouteable address")
      title: 'a domain whose mail host does not exist in the DNS', to: [at('nx', 'nxdomain.test')], nxdomain: true,
      expect: [{
        kind: 'bounce',
        recipients: [{
          address: at('nx', 'nxdomain.test'), action: 'failed', reason: 'hostunknown', hard: true, fault: 'recipient',
          ...(mta === 'postfix' ? { status: '5.4.4', diagnostic: expect.stringContaining('nosuch.invalid') } : { diagnostic: 'Unrouteable address' }),
        }],
      }],
    },
    {
      title: 'a success notice the sender asked for (NOTIFY=SUCCESS)', to: [at('ok')], notifySuccess: true,
      expect: [{
        kind: 'delivered',
        recipients: [{ address: at('ok'), action: mta === 'postfix' ? 'relayed' : 'delivered', status: '2.0.0', reason: 'delivered', hard: null, fault: 'none' }],
      }],
    },
  ];
  if (mta === 'postfix') {
    list.push({
      // Postfix hands @lda.test to dovecot-lda, which refuses it and sends its own notice through Postfix
      title: 'a mailbox over its quota at Dovecot\'s delivery agent (its own rejection report)', to: [lda('full')], lines: 100, decoder: 'dovecot',
      expect: [{
        kind: 'bounce',
        recipients: [{
          address: lda('full'), action: 'failed', status: '5.2.2', reason: 'mailboxfull', hard: false, fault: 'transient',
          diagnostic: 'Quota exceeded (mailbox for user is full)',
        }],
      }],
    }, {
      title: 'a Sieve reject at Dovecot\'s delivery agent (a disposition notification, RFC 5429)', to: [lda('sieve')], decoder: 'dovecot',
      expect: [{
        kind: 'bounce',
        recipients: [{
          address: lda('sieve'), action: 'failed', reason: 'filtered', hard: false, diagnostic: 'I do not accept mail from mailing lists.',
        }],
      }],
    }, {
      // Postfix's own DNS lookups (MX, then A), as it runs by default
      title: 'a domain with no mail host, looked up in the DNS ("Host or domain name not found")', to: [at('nx', 'nxdns.test')], nxdomain: true,
      expect: [{
        kind: 'bounce',
        recipients: [{
          address: at('nx', 'nxdns.test'), action: 'failed', status: '5.4.4', reason: 'hostunknown', hard: true, fault: 'recipient',
          diagnostic: expect.stringMatching(/^Host or domain name not found\. Name service error for name=nxdns\.test type=(MX|A): Host not found/),
        }],
      }],
    }, {
      title: 'an unknown local user (Postfix\'s own 5.1.1)', to: [at('ghost', 'example.test')],
      expect: [{ kind: 'bounce', recipients: [{ address: at('ghost', 'example.test'), status: '5.1.1', reason: 'userunknown', hard: true, fault: 'recipient' }] }],
    });
  } else {
    list.push({
      title: 'a local address no router accepts ("Unrouteable address")', to: [at('ghost', 'exim.test')],
      expect: [{ kind: 'bounce', recipients: [{ address: at('ghost', 'exim.test'), action: 'failed', reason: 'hostunknown', hard: true, fault: 'recipient' }] }],
    }, {
      title: 'a local program that fails ("local delivery failed" and what it wrote)', to: [at('pipe', 'exim.test')],
      expect: [{
        kind: 'bounce',
        recipients: [{
          address: at('pipe', 'exim.test'), action: 'failed', reason: 'mailererror', hard: false,
          diagnostic: 'local delivery failed: ticket system: no such queue',
        }],
      }],
    }, {
      title: 'a mail loop between Postfix and Exim, which Exim fails without saying why (the returned message has 30 hops)',
      to: [at('loop', 'loop.test')],
      expect: [{ kind: 'bounce', recipients: [{ address: at('loop', 'loop.test'), action: 'failed', reason: 'networkerror', hard: false }] }],
    }, {
      title: 'a local mailbox over its quota ("mailbox is full")', to: [at('small', 'exim.test')], lines: 300,
      expect: [{ kind: 'bounce', recipients: [{ address: at('small', 'exim.test'), action: 'failed', reason: 'mailboxfull', hard: false, fault: 'transient' }] }],
    });
  }
  return list;
}

/** The VERP return path of a message to `to` (unsigned: the parser reads the recipient back from it). */
const returnPath = (to: string): string => `bounces+${to.replace('@', '=')}@capture.test`;

describe('bounces written by real MTAs', () => {
  let mx: FakeMx;
  let capture: Capture;
  let greeter: { close(): Promise<void> };

  beforeAll(async () => {
    startRealMail();
    forgetEximRetries();
    mx = await startFakeMx(REALMAIL.rejectPort);
    capture = await startCapture();
    greeter = await startGreetingRefuser();
    for (const [mta, port] of [['postfix', REALMAIL.postfixPort], ['exim', REALMAIL.eximPort]] as const) {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
      for (const s of scenarios(mta)) {
        if (s.nxdomain && !nxdomainAnswered) continue;
        const first = s.to[0] as string;
        await transport.sendMail({
          envelope: { from: returnPath(first), to: s.to },
          from: 'News <news@example.test>', to: s.to, subject: `${mta}: ${s.title}`,
          text: 'Hello from the real-MTA test.\n'.repeat(s.lines ?? 1),
          ...(s.notifySuccess ? { dsn: { id: `dsn-${run}`, return: 'headers', notify: ['success', 'failure'], recipient: first } } : {}),
        });
      }
      transport.close();
    }
  });

  afterAll(async () => {
    await mx?.close();
    await capture?.close();
    await greeter?.close();
  });

  const arrived = (s: Scenario): ParseResult[] =>
    capture.messages.filter((m) => m.to.includes(returnPath(s.to[0] as string))).map((m) => parse(m.raw));

  for (const mta of ['postfix', 'exim'] as const) {
    describe(mta, () => {
      for (const s of scenarios(mta)) {
        it.skipIf(s.nxdomain && !nxdomainAnswered)(s.title, async () => {
          await until(() => arrived(s).length >= s.expect.length, `${s.expect.length} notice(s) from ${mta}`, 60_000);
          const got = arrived(s);
          expect(got).toHaveLength(s.expect.length);
          got.forEach((r, i) => {
            const want = s.expect[i] as Expected;
            expect(r.error).toBeUndefined();
            expect(r.mta).toBe(s.decoder ?? mta);
            expect(r.kind).toBe(want.kind);
            expect(r.verp).toMatchObject({ recipient: s.to[0] });
            expect(r.recipients).toHaveLength(want.recipients.length);
            for (const w of want.recipients) {
              expect(r.recipients.find((x) => x.address === w['address'])).toMatchObject(w);
            }
          });
        }, 70_000);
      }
    });
  }
});
