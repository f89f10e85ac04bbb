#!/usr/bin/env node
// Whole-process parse benchmark: one `rebound parse --ndjson` call over the development corpus's bsd/
// messages repeated 15 times (6,540 paths), as the reference parser is timed: wall time from process start to
// exit, messages/s and the process's peak RSS.
//   npm run bench:cli [-- --repeat 15]
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { repeat: { type: 'string' } } });
const repeat = Number(values.repeat ?? 15);

function files(dir) {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}
const once = files(join(root, 'test', 'fixtures', 'sisimai', 'bsd')).map((p) => relative(root, p));
const paths = Array.from({ length: repeat }, () => once).flat();

const t0 = process.hrtime.bigint();
const child = spawn(process.execPath, [join(root, 'bin', 'rebound'), 'parse', '--ndjson', ...paths], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let peakKb = 0;
const sample = setInterval(() => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    if (m) peakKb = Math.max(peakKb, Number(m[1]));
  } catch { /* exited */ }
}, 20);
let lines = 0;
child.stdout.on('data', (d) => { for (const c of d) if (c === 10) lines++; });
const code = await new Promise((resolve) => child.on('exit', resolve));
clearInterval(sample);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`${paths.length} paths, ${lines} messages, exit ${code}`);
console.log(`${seconds.toFixed(2)} s wall, ${Math.round(lines / seconds)} messages/s, peak RSS ≥ ${Math.round(peakKb / 1024)} MB (sampled)`);
