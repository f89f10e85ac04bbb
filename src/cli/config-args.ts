// Every command that touches the service takes --config FILE and one flag per setting (see SETTINGS).
import { flagOf, loadConfig, SETTINGS, type Config } from '../config.js';

type Opt = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

export function configOptions(): Record<string, Opt> {
  const o: Record<string, Opt> = { config: { type: 'string' } };
  for (const s of SETTINGS) o[flagOf(s.key).slice(2)] = { type: 'string' };
  return o;
}

export function configFromValues(values: Record<string, unknown>): Config {
  const flags: Record<string, string> = {};
  for (const s of SETTINGS) {
    const v = values[flagOf(s.key).slice(2)];
    if (typeof v === 'string') flags[s.key] = v;
  }
  return loadConfig({ file: typeof values['config'] === 'string' ? values['config'] : undefined, flags });
}

export const CONFIG_USAGE = `  --config FILE          settings file (TOML, or JSON by .json extension)
  --database-url URL     and every other setting as a flag: see 'rebound config --help'`;
