// rebound config — print the effective settings (secrets masked) and where each came from.
import { parseArgs } from 'node:util';
import { describeConfig, flagOf, SETTINGS } from '../config.js';
import { configFromValues, configOptions } from './config-args.js';
import { UsageError } from './errors.js';

export function configUsage(): string {
  const rows = SETTINGS.map((s) => `  ${flagOf(s.key).padEnd(34)} ${s.env.padEnd(38)} ${s.help}`);
  return `usage: rebound config [--json] [--config FILE] [flags]

Prints the effective configuration: defaults, then the file (--config, or REBOUND_CONFIG), then
environment variables, then flags. Settings (flag, environment variable, meaning):
${rows.join('\n')}`;
}

export async function configCommand(argv: string[]): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...configOptions(), json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message, configUsage());
  }
  if (values['help']) {
    process.stdout.write(configUsage() + '\n');
    return 0;
  }
  const rows = describeConfig(configFromValues(values));
  for (const r of rows) process.stdout.write((values['json'] ? JSON.stringify(r) : `${r.key} = ${r.value}    (${r.origin})`) + '\n');
  return 0;
}
