// rebound — command-line entry. Each subcommand lives in its own module and returns an exit status.
import { UsageError } from './errors.js';

const USAGE = `usage: rebound <command> [options]

commands:
  serve                          run the SMTP bounce receiver (npm start)
  parse [--ndjson] PATH...       parse returned messages (files, mbox, Maildir, directories)
  suppressions list|check|add|remove|export
                                 the suppression list
  events list [--address A]      stored events, one per recipient
  verp encode ADDRESS [--id ID]  the (signed) return path for a recipient
  verp decode RETURN-PATH        the recipient a return path names, and whether its tag verifies
  reclassify                     re-parse stored messages with the current parser
  import mbox FILE | maildir DIR | eml FILE...
                                 store the messages of an mbox, a Maildir or message files (resumable)
  ingest                         store the one message on standard input (for an MTA's pipe alias)
  send --to ADDR --subject S --text FILE
                                 send through the relay with VERP return paths, skipping suppressed addresses
  outbox list|retry              webhook and users-table hook deliveries: pending, failed, retry
  config                         the effective settings and where each came from
  help                           this text

Run 'rebound <command> --help' for a command's options.`;

type Command = (argv: string[]) => Promise<number>;

// Loaded on demand, so `rebound parse` does not pay for the database drivers and the SMTP server.
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  serve: async () => (await import('./serve-command.js')).serveCommand,
  parse: async () => (await import('./parse-command.js')).parseCommand,
  suppressions: async () => (await import('./suppressions-command.js')).suppressionsCommand,
  events: async () => (await import('./events-command.js')).eventsCommand,
  verp: async () => (await import('./verp-command.js')).verpCommand,
  reclassify: async () => (await import('./reclassify-command.js')).reclassifyCommand,
  import: async () => (await import('./import-command.js')).importCommand,
  ingest: async () => (await import('./ingest-command.js')).ingestCommand,
  send: async () => (await import('./send-command.js')).sendCommand,
  outbox: async () => (await import('./outbox-command.js')).outboxCommand,
  config: async () => (await import('./config-command.js')).configCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`rebound: unknown command '${name}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    const cmd = await load();
    return await cmd(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`rebound ${name}: ${err.message}\n\n${err.usage}\n`);
      return 2;
    }
    if (err instanceof Error && err.name === 'ConfigError') {
      process.stderr.write(`rebound ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`rebound ${name}: ${(err as Error).message ?? String(err)}\n`);
    if (process.env['REBOUND_DEBUG']) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    return 2;
  }
}
