// rebound parse [--ndjson] PATH... — parse returned messages and print what happened to each recipient.
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import { parsePaths } from './parse-format.js';

export const PARSE_USAGE = `usage: rebound parse [--ndjson] PATH...

PATH is a message file, an mbox, a Maildir or a directory of message files.
  --ndjson   one JSON object per message, one per line, in input order
Exit status: 0 when every input was read, 1 when any could not be, 2 on a usage error.`;

export async function parseCommand(argv: string[]): Promise<number> {
  let values: { ndjson?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { ndjson: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, PARSE_USAGE);
  }
  if (values.help) {
    process.stdout.write(PARSE_USAGE + '\n');
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('no PATH given', PARSE_USAGE);
  const ndjson = values.ndjson === true;
  // stdout to a file or pipe is synchronous on Linux, so output streams out as it is made
  const failed = parsePaths(positionals, ndjson, (text) => void process.stdout.write(text));
  await write('');
  return failed ? 1 : 0;
}

/** Write to stdout, waiting for the pipe when it is full. */
function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });
}
