// The real Postfix and Dovecot of test/realmail/realmail.sh, for end-to-end tests, and a fake remote MX the
// tests run themselves (Postfix relays @remote.test to it). CI installs and configures the servers in .ci/run;
// locally: `bash test/realmail/realmail.sh install && bash test/realmail/realmail.sh configure`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export const REALMAIL = {
  script: join(import.meta.dirname, '..', 'realmail', 'realmail.sh'),
  base: process.env['REALMAIL_BASE'] ?? '/tmp/rebound-realmail',
  postfixPort: Number(process.env['REALMAIL_POSTFIX_PORT'] ?? 2626),
  receiverPort: Number(process.env['REALMAIL_RECEIVER_PORT'] ?? 2625),
  mxPort: Number(process.env['REALMAIL_MX_PORT'] ?? 2627),
  imapPort: Number(process.env['REALMAIL_IMAP_PORT'] ?? 1143),
  imapUser: 'bounces@mbox.test',
  imapPassword: 'secret',
};

/** Start Postfix and Dovecot (configured by realmail.sh); fails with a clear message when they are not installed. */
export function startRealMail(): void {
  if (!existsSync('/usr/sbin/postfix') || !existsSync('/usr/sbin/dovecot')) {
    throw new Error(`Postfix and Dovecot are not installed: run bash ${REALMAIL.script} install (CI does this in .ci/run)`);
  }
  const r = spawnSync('bash', [REALMAIL.script, 'start'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`realmail.sh start failed: ${r.stderr}`);
}

/** Empty Postfix's queue (messages of an earlier test must not bounce into this one). */
export function flushPostfixQueue(): void {
  spawnSync('postsuper', ['-d', 'ALL'], { encoding: 'utf8' });
}

/** Ask Postfix to retry deferred mail now. */
export function retryPostfixQueue(): void {
  execFileSync('postqueue', ['-f']);
}

export interface FakeMx {
  received: Array<{ from: string; to: string[] }>;
  close(): Promise<void>;
}

/**
 * A remote MX for @remote.test: recipients whose local part starts with "nosuch" get 550 5.1.1, "full"
 * get 452 4.2.2, anyone else is accepted.
 */
export async function startFakeMx(port = REALMAIL.mxPort): Promise<FakeMx> {
  const received: FakeMx['received'] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], disableReverseLookup: true, logger: false,
    onRcptTo(a: SMTPServerAddress, _s, cb) {
      const local = a.address.split('@')[0]?.toLowerCase() ?? '';
      if (local.startsWith('nosuch')) return cb(Object.assign(new Error(`5.1.1 <${a.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      if (local.startsWith('full')) return cb(Object.assign(new Error(`4.2.2 <${a.address}>: Mailbox full, try again later`), { responseCode: 452 }));
      return cb();
    },
    onData(stream, session, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return { received, close: () => new Promise<void>((r) => server.close(() => r())) };
}
