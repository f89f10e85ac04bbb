// README.md stays true: every setting and every command is documented.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagOf, SETTINGS } from '../src/config.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('documents every setting with its environment variable, flag and file key', () => {
    for (const s of SETTINGS) {
      expect(readme, s.env).toContain(`\`${s.env}\``);
      expect(readme, s.key).toContain(`\`${flagOf(s.key)}\``);
      expect(readme, s.key).toContain(`\`${s.key}\``);
    }
  });

  it('documents every command and the install, start and test commands', () => {
    for (const cmd of ['serve', 'parse', 'suppressions', 'events', 'verp', 'reclassify', 'config']) expect(readme).toContain(`rebound ${cmd}`);
    for (const c of ['npm ci', 'npm start', 'npm test', 'npm run bench']) expect(readme).toContain(c);
  });
});
