#!/usr/bin/env node
// mbox import benchmark: writes an mbox of distinct Postfix-style DSNs, then times `rebound import mbox` (a
// real process: parse, decide, store, durable commits) and prints messages/s from its summary.
//   npm run bench:mbox [-- --messages 50000 --database postgres://…]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dsn } from './dsn.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { messages: { type: 'string' }, database: { type: 'string' } } });
const N = Number(values.messages ?? 50000);
const tmp = mkdtempSync(join(tmpdir(), 'rebound-bench-mbox-'));
const database = values.database ?? join(tmp, 'bench.db');
const file = join(tmp, 'bounces.mbox');

const parts = [];
for (let i = 0; i < N; i++) parts.push(Buffer.from(`From MAILER-DAEMON Sun Nov 29 10:00:00 2026\n`), dsn(i, `mbox${Date.now()}`), Buffer.from('\n'));
writeFileSync(file, Buffer.concat(parts));

const t0 = process.hrtime.bigint();
const r = spawnSync(process.execPath, [join(root, 'bin', 'rebound'), 'import', 'mbox', file, '--json'], {
  env: { ...process.env, REBOUND_DATABASE_URL: database, REBOUND_LOG_LEVEL: 'warn' }, encoding: 'utf8', maxBuffer: 1 << 20,
});
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
if (!values.database) rmSync(tmp, { recursive: true, force: true });
else rmSync(file, { force: true });
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  throw new Error(`rebound import exited with ${r.status}`);
}
const s = JSON.parse(r.stdout);
console.log(`store: ${values.database ? database.replace(/\/\/[^@/]*@/, '//***@') : 'sqlite (temporary file)'}; ${N} messages in one mbox`);
console.log(`${s.messages} messages (${s.stored} new): ${Math.round(s.messages / s.seconds)} messages/s in the import, ${Math.round(s.messages / wall)}/s including process start`);
