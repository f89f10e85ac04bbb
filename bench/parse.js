#!/usr/bin/env node
// Parser benchmark: parses every message of the development corpus N times (default 10) in one process,
// on one core, and prints messages/s, MB/s and peak RSS. Run `npm run build` first (npm run bench does).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '../dist/parse/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.argv[2] ?? join(root, 'test', 'fixtures', 'sisimai');
const rounds = Number(process.argv[3] ?? 10);

function files(dir) {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.eml') ? [p] : [];
  });
}

const messages = files(corpus).map((p) => readFileSync(p));
const bytes = messages.reduce((n, m) => n + m.length, 0);

// Two figures, both over `rounds` timed passes: from a cold process (one untimed pass first, as a short
// command-line run sees the parser) and in steady state (after BENCH_WARMUP more untimed passes, default 5:
// by then V8 has compiled the hot code and the figure is what a long-running receiver or import gets).
const timed = () => {
  let recipients = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) for (const m of messages) recipients += parse(m).recipients.length;
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, recipients };
};
for (const m of messages) parse(m);
const cold = timed();
const warmup = Number(process.env.BENCH_WARMUP ?? 5);
for (let i = 0; i < warmup; i++) for (const m of messages) parse(m);
const warm = timed();

const n = messages.length * rounds;
const rssMb = process.resourceUsage().maxRSS / 1024;
const line = (label, r) =>
  `${label}: ${Math.round(n / r.seconds)} messages/s, ${((bytes * rounds) / 1e6 / r.seconds).toFixed(1)} MB/s (${n} messages, ${r.recipients} recipients in ${r.seconds.toFixed(3)} s)`;
console.log(`corpus: ${messages.length} messages, ${(bytes / 1e6).toFixed(2)} MB; ${rounds} timed passes each`);
console.log(line('cold process (after 1 pass)', cold));
console.log(line(`steady state (after ${1 + rounds + warmup} passes)`, warm));
console.log(`peak RSS ${rssMb.toFixed(0)} MB`);
