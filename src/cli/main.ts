// rebound — command-line entry. Each subcommand lives in its own module and returns an exit status.
import { UsageError } from './errors.js';
import { parseCommand } from './parse-command.js';

const USAGE = `usage: rebound <command> [options]

commands:
  parse [--ndjson] PATH...   parse returned messages (files, mbox, Maildir, directories)
  help                       this text

Run 'rebound <command> --help' for a command's options.`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  parse: parseCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`rebound: unknown command '${name}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await cmd(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`rebound ${name}: ${err.message}\n\n${err.usage}\n`);
      return 2;
    }
    process.stderr.write(`rebound ${name}: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}
