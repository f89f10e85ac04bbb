#!/usr/bin/env node
// SMTP intake benchmark: a real `rebound serve` process on loopback, 16 client connections sending distinct
// Postfix-style DSNs to VERP addresses with a minimal raw SMTP client; durable (each 250 follows a committed, synced transaction).
// Prints bounces/s and p50/p99 latency (send start → 250).
//   npm run bench:smtp [-- --messages 10000 --connections 16 --database postgres://…]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dsn } from './dsn.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { messages: { type: 'string' }, connections: { type: 'string' }, database: { type: 'string' } } });
const N = Number(values.messages ?? 10000);
const C = Number(values.connections ?? 16);
const tmp = mkdtempSync(join(tmpdir(), 'rebound-bench-'));
const database = values.database ?? join(tmp, 'bench.db');

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * A minimal SMTP client (one connection, the envelope pipelined as MTAs do), so the benchmark
 * measures the server rather than a heavyweight client library sharing the machine's two cores.
 */
function connectClient(port) {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    sock.setNoDelay(true);
    let buf = '';
    const waiters = [];
    sock.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (line[3] === ' ') waiters.shift()?.(line);
      }
    });
    sock.on('error', reject);
    const cmd = (text) => new Promise((r) => { waiters.push(r); if (text) sock.write(text); });
    const expect = async (text, code) => {
      const line = await cmd(text);
      if (!line.startsWith(code)) throw new Error(`expected ${code}, got: ${line}`);
      return line;
    };
    (async () => {
      await expect(null, '220');
      await expect('EHLO bench.example\r\n', '250');
      resolve({
        async send(to, raw) {
          // PIPELINING (RFC 2920), as Postfix and Exim do: the envelope and DATA in one write
          const replies = [cmd(null), cmd(null), cmd(null)];
          sock.write(`MAIL FROM:<>\r\nRCPT TO:<${to}>\r\nDATA\r\n`);
          const [mail, rcpt, data] = await Promise.all(replies);
          if (!mail.startsWith('250') || !rcpt.startsWith('250') || !data.startsWith('354')) throw new Error(`refused: ${mail} / ${rcpt} / ${data}`);
          // dot-stuffing: the generated messages have no line starting with "."
          await expect(Buffer.concat([raw, Buffer.from('.\r\n')]), '250');
        },
        close() { sock.end('QUIT\r\n'); },
      });
    })().catch(reject);
  });
}

const port = await freePort();
const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
const server = spawn(process.execPath, [...nodeArgs, join(root, 'bin', 'rebound'), 'serve'], {
  env: { ...process.env, REBOUND_DATABASE_URL: database, REBOUND_SMTP_LISTEN: `127.0.0.1:${port}`, REBOUND_HTTP_LISTEN: 'off', REBOUND_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
// wait until the receiver accepts connections
for (let t = Date.now(); ; ) {
  const up = await new Promise((resolve) => {
    const c = connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
    c.on('error', () => resolve(false));
  });
  if (up) break;
  if (Date.now() - t > 20000) throw new Error('server did not start');
  await new Promise((r) => setTimeout(r, 100));
}

// SMTP lines end in CRLF
const messages = Array.from({ length: N }, (_, i) => ({ to: `bounces+user${i}=example.com@bounces.example.org`, raw: dsn(i, `smtp${Date.now()}`, '\r\n') }));
const latencies = [];
let next = 0;
const t0 = process.hrtime.bigint();
await Promise.all(Array.from({ length: C }, async () => {
  const client = await connectClient(port);
  while (next < N) {
    const m = messages[next++];
    const s = process.hrtime.bigint();
    await client.send(m.to, m.raw);
    latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  client.close();
}));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
if (!values.database) rmSync(tmp, { recursive: true, force: true });
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
console.log(`store: ${values.database ? database.replace(/\/\/[^@/]*@/, '//***@') : 'sqlite (temporary file)'}; ${N} bounces over ${C} connections`);
console.log(`${Math.round(N / seconds)} bounces/s; latency p50 ${pct(50)} ms, p99 ${pct(99)} ms`);
