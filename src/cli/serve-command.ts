// rebound serve — run the receiver, the mailbox intakes and the HTTP API until SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';
import { createLogger } from '../log.js';
import { startService } from '../service.js';
import { CONFIG_USAGE, configFromValues, configOptions } from './config-args.js';
import { UsageError } from './errors.js';

export const SERVE_USAGE = `usage: rebound serve [--config FILE] [--smtp-listen HOST:PORT] [--http-listen HOST:PORT] [--database-url URL] [...]

Starts the SMTP bounce receiver on the configured address (default 127.0.0.1:2525) and the HTTP API and
dashboard (default http://127.0.0.1:8025/) with the store (default ./data/rebound.db). Stops gracefully on
SIGTERM or SIGINT.
${CONFIG_USAGE}`;

export async function serveCommand(argv: string[]): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...configOptions(), help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message, SERVE_USAGE);
  }
  if (values['help']) {
    process.stdout.write(SERVE_USAGE + '\n');
    return 0;
  }
  const config = configFromValues(values);
  const log = createLogger(config.log.level);
  let service;
  try {
    service = await startService(config, log);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    log.fatal({ err }, 'could not start');
    log.flush();
    process.stderr.write(`rebound serve: ${(err as Error).message}\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'shutting down');
      service.stop().then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  log.flush();
  return 0;
}
