// A local relay/MX for sending tests (smtp-server on 127.0.0.1): nouser@… gets 550 5.1.1 at RCPT,
// full@… 452 4.2.2 at RCPT, spamtrap@… 554 5.7.1 after DATA; everything else is accepted and kept.
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface Delivered {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

class Reply extends Error {
  constructor(readonly responseCode: number, message: string) {
    super(message);
  }
}

export interface Relay {
  port: number;
  delivered: Delivered[];
  close(): Promise<void>;
}

export async function startRelay(): Promise<Relay> {
  const delivered: Delivered[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      const a = address.address;
      if (a.startsWith('nouser@')) return cb(new Reply(550, `5.1.1 <${a}>: Recipient address rejected: User unknown in local recipient table`));
      if (a.startsWith('full@')) return cb(new Reply(452, `4.2.2 <${a}>: Recipient address rejected: Mailbox full`));
      return cb();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const rcptTo = session.envelope.rcptTo.map((r) => r.address);
        if (rcptTo.some((r) => r.startsWith('spamtrap@'))) return cb(new Reply(554, '5.7.1 Message rejected as spam'));
        const from = session.envelope.mailFrom;
        // headers unfolded, so tests can read each on one line
        delivered.push({ mailFrom: from ? from.address : '', rcptTo, raw: Buffer.concat(chunks).toString('utf8').replace(/\r\n[ \t]+/g, ' ') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const a = server.server.address();
  return { port: typeof a === 'object' && a ? a.port : 0, delivered, close: () => new Promise((r) => server.close(() => r())) };
}
