// The real Postfix, Exim and Dovecot of test/realmail/realmail.sh, for end-to-end tests, and the servers the
// tests run themselves: a fake remote MX (Postfix relays @remote.test to it; Postfix and Exim relay @reject.test
// to another) and a capture server for the bounces the MTAs send to @capture.test. CI installs and configures
// the servers in .ci/run; locally: `bash test/realmail/realmail.sh install && bash test/realmail/realmail.sh configure`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export const REALMAIL = {
  script: join(import.meta.dirname, '..', 'realmail', 'realmail.sh'),
  base: process.env['REALMAIL_BASE'] ?? '/tmp/rebound-realmail',
  postfixPort: Number(process.env['REALMAIL_POSTFIX_PORT'] ?? 2626),
  receiverPort: Number(process.env['REALMAIL_RECEIVER_PORT'] ?? 2625),
  mxPort: Number(process.env['REALMAIL_MX_PORT'] ?? 2627),
  imapPort: Number(process.env['REALMAIL_IMAP_PORT'] ?? 1143),
  eximPort: Number(process.env['REALMAIL_EXIM_PORT'] ?? 2628),
  capturePort: Number(process.env['REALMAIL_CAPTURE_PORT'] ?? 2629),
  rejectPort: Number(process.env['REALMAIL_REJECT_PORT'] ?? 2630),
  greetPort: Number(process.env['REALMAIL_GREET_PORT'] ?? 2633),
  eximBinary: join(process.env['REALMAIL_EXIM_DIR'] ?? '/opt/rebound-exim', 'exim'),
  imapUser: 'bounces@mbox.test',
  imapPassword: 'secret',
};

/** Start Postfix, Exim and Dovecot (configured by realmail.sh); fails with a clear message when they are not installed. */
export function startRealMail(): void {
  const needed = ['/usr/sbin/postfix', '/usr/sbin/dovecot', '/usr/lib/dovecot/modules/lib90_sieve_plugin.so', REALMAIL.eximBinary];
  if (!needed.every((path) => existsSync(path))) {
    throw new Error(`Postfix, Exim and Dovecot (with Sieve) are not installed: run bash ${REALMAIL.script} install (CI does this in .ci/run)`);
  }
  const r = spawnSync('bash', [REALMAIL.script, 'start'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`realmail.sh start failed: ${r.stderr}`);
}

/**
 * Make Exim forget which hosts have been failing: its retry hints outlive a test run, and a host that has been
 * down for longer than the retry cutoff fails the next message at once, without the delay warning a test waits for.
 */
export function forgetEximRetries(): void {
  rmSync(join(REALMAIL.base, 'exim', 'spool', 'db', 'retry'), { force: true });
}

/** Ask Postfix to retry deferred mail now. */
export function retryPostfixQueue(): void {
  execFileSync('postqueue', ['-f']);
}

export interface FakeMx {
  received: Array<{ from: string; to: string[] }>;
  close(): Promise<void>;
}

const reply = (code: number, text: string): Error => Object.assign(new Error(text), { responseCode: code });

/** What the fake MX answers at RCPT TO, by the local part's first word; undefined accepts. */
function rcptReply(address: string): Error | undefined {
  const local = address.split('@')[0]?.toLowerCase() ?? '';
  if (local.startsWith('nosuch')) return reply(550, `5.1.1 <${address}>: Recipient address rejected: User unknown`);
  if (local.startsWith('full')) return reply(452, `4.2.2 <${address}>: Mailbox full, try again later`);
  if (local.startsWith('over')) return reply(552, `5.2.2 <${address}>: Mailbox quota exceeded`);
  if (local.startsWith('gone')) return multiLine(550, '5.1.1', GMAIL_NO_SUCH_USER);
  if (local.startsWith('blocked')) return reply(554, '5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org');
  if (local.startsWith('relay')) return reply(554, `5.7.1 <${address}>: Relay access denied`);
  if (local.startsWith('disabled')) return reply(550, `5.2.1 <${address}>: mailbox disabled, not accepting messages`);
  return undefined;
}

/** Gmail's multi-line answer for an address that does not exist. */
const GMAIL_NO_SUCH_USER = [
  'The email account that you tried to reach does not exist. Please try',
  "double-checking the recipient's email address for typos or",
  'unnecessary spaces. For more information, go to',
  ' https://support.google.com/mail/?p=NoSuchUser a640c23a62f3a-b76f5f3c1a2si1234567a.100 - gsmtp',
];

/** A multi-line reply ("550-5.1.1 …" lines, then "550 5.1.1 …"): smtp-server writes an array message so. */
function multiLine(code: number, status: string, lines: readonly string[]): Error {
  return Object.assign(new Error(lines.join(' ')), { responseCode: code, message: lines.map((l) => `${status} ${l}`) });
}

/** What it answers at the end of DATA, by the first recipient whose local part names a content rejection. */
function dataReply(to: readonly string[]): Error | undefined {
  if (to.some((a) => a.toLowerCase().startsWith('spam'))) return reply(550, '5.7.1 Message rejected as spam by content filter');
  if (to.some((a) => a.toLowerCase().startsWith('big'))) return reply(552, '5.3.4 Message size exceeds fixed maximum message size');
  return undefined;
}

/**
 * A remote MX (for @remote.test, or @reject.test on REALMAIL.rejectPort). By the recipient's local part:
 * "nosuch…" gets 550 5.1.1, "gone…" Gmail's multi-line 550 5.1.1, "full…" 452 4.2.2, "over…" 552 5.2.2,
 * "blocked…" 554 5.7.1, "relay…" 554 5.7.1 relay access denied and "disabled…" 550 5.2.1 at RCPT TO; a return
 * path "bounces+badsender…" gets 550 5.7.1 at MAIL FROM;
 * a message for "spam…" gets 550 5.7.1 and one for "big…" 552 5.3.4 after DATA; anything else is accepted.
 */
export async function startFakeMx(port = REALMAIL.mxPort): Promise<FakeMx> {
  const received: FakeMx['received'] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], disableReverseLookup: true, logger: false,
    onMailFrom(a: SMTPServerAddress, _s, cb) {
      // a VERP return path names the recipient: "bounces+badsender…=…@…" is refused as a sender
      cb(a.address.includes('+badsender') ? reply(550, `5.7.1 <${a.address}>: Sender address rejected: Access denied`) : null);
    },
    onRcptTo(a: SMTPServerAddress, _s, cb) {
      cb(rcptReply(a.address) ?? null);
    },
    onData(stream, session, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        const refused = dataReply(to);
        if (refused) return cb(refused);
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** An MX for @greet.test that refuses every connection in its greeting: 554 5.7.1, listed in a blocklist. */
export async function startGreetingRefuser(port = REALMAIL.greetPort): Promise<{ close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], disableReverseLookup: true, logger: false,
    onConnect(_session, cb) {
      cb(reply(554, '5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org'));
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { close: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface Capture {
  /** Every message delivered to it, raw, in arrival order. */
  messages: Array<{ to: string[]; raw: Buffer }>;
  close(): Promise<void>;
}

/** An SMTP server that keeps every message it is given (the MTAs deliver their bounces for @capture.test here). */
export async function startCapture(port = REALMAIL.capturePort): Promise<Capture> {
  const messages: Capture['messages'] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], disableReverseLookup: true, logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}
