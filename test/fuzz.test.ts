// parse() never throws and never hangs: mutated corpus messages, random bytes and hostile structures each
// get a result, each within 100 ms.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../src/parse/index.js';
import { CORPUS_DIR } from './support/corpus.js';
import { rng } from './support/rng.js';

function corpusMessages(): Buffer[] {
  const out: Buffer[] = [];
  const bsd = join(CORPUS_DIR, 'bsd');
  for (const fam of readdirSync(bsd)) for (const f of readdirSync(join(bsd, fam))) out.push(readFileSync(join(bsd, fam, f)));
  return out;
}

type Mutator = (m: Buffer, r: () => number) => Buffer;

const int = (r: () => number, n: number): number => Math.floor(r() * n);

const MUTATORS: Record<string, Mutator> = {
  truncate: (m, r) => m.subarray(0, int(r, m.length)),
  bitflip: (m, r) => {
    const b = Buffer.from(m);
    for (let i = 0, n = 1 + int(r, 32); i < n; i++) {
      const at = int(r, b.length);
      b[at] = (b[at] ?? 0) ^ (1 << int(r, 8));
    }
    return b;
  },
  noBoundaries: (m) => Buffer.from(m.toString('latin1').replace(/^--.*$/gm, ''), 'latin1'),
  repeatHeaders: (m, r) => {
    const s = m.toString('latin1');
    const end = s.indexOf('\n\n');
    const head = end > 0 ? s.slice(0, end) : s;
    const lines = head.split('\n');
    const line = lines[int(r, lines.length)] ?? 'X-A: b';
    return Buffer.from(`${(line + '\n').repeat(2000 + int(r, 3000))}${s}`, 'latin1');
  },
  spliceHalves: (m, r) => Buffer.concat([m.subarray(int(r, m.length)), m.subarray(0, int(r, m.length))]),
  dropLines: (m, r) => Buffer.from(m.toString('latin1').split('\n').filter(() => r() > 0.2).join('\n'), 'latin1'),
  crlfMix: (m, r) => Buffer.from(m.toString('latin1').replace(/\n/g, () => (r() < 0.5 ? '\r\n' : r() < 0.5 ? '\r' : '\n')), 'latin1'),
};

function randomBytes(r: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = int(r, 256);
  return b;
}

function deepNesting(depth: number): Buffer {
  const parts: string[] = ['From: MAILER-DAEMON@example.com\nSubject: Undelivered Mail\nContent-Type: multipart/mixed; boundary="b0"\n\n'];
  for (let i = 1; i <= depth; i++) parts.push(`--b${i - 1}\nContent-Type: multipart/mixed; boundary="b${i}"\n\n`);
  parts.push('--b' + depth + '\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; joe@example.com\nAction: failed\nStatus: 5.1.1\n');
  return Buffer.from(parts.join(''), 'latin1');
}

function longLine(bytes: number, withBounce: boolean): Buffer {
  const head = withBounce
    ? 'From: MAILER-DAEMON@example.com\nSubject: Mail delivery failed: returning message to sender\nX-Failed-Recipients: joe@example.com\n\nThis message was created automatically by mail delivery software.\n\n  joe@example.com\n    '
    : 'Subject: x\n\n';
  return Buffer.concat([Buffer.from(head), Buffer.alloc(bytes, 'a5 0.1.1 <@x> ('), Buffer.from('\n')]);
}

const LIMIT_MS = 100;

function check(input: Buffer, label: string, slow: string[]): void {
  const t0 = performance.now();
  const r = parse(input);
  const ms = performance.now() - t0;
  expect(r, label).toBeTypeOf('object');
  expect(Array.isArray(r.recipients), label).toBe(true);
  expect(typeof r.kind, label).toBe('string');
  if (ms > LIMIT_MS) slow.push(`${label}: ${ms.toFixed(1)} ms`);
}

describe('parse() on hostile input', () => {
  it('handles 20,000+ mutated corpus messages and random byte strings, each under 100 ms', () => {
    const corpus = corpusMessages();
    const r = rng(20261129);
    const names = Object.keys(MUTATORS);
    const slow: string[] = [];
    let n = 0;
    for (let i = 0; i < 18_000; i++) {
      const src = corpus[i % corpus.length] ?? Buffer.alloc(0);
      const name = names[int(r, names.length)] ?? 'truncate';
      const mutated = (MUTATORS[name] as Mutator)(src, r);
      check(mutated, `mutation ${i} (${name})`, slow);
      n++;
    }
    for (let i = 0; i < 2_500; i++) {
      check(randomBytes(r, int(r, 4096)), `random ${i}`, slow);
      n++;
    }
    expect(n).toBeGreaterThanOrEqual(20_000);
    expect(slow, slow.join('\n')).toEqual([]);
  }, 300_000);

  it('reads a 10,000-deep MIME nesting without recursion trouble and reports the limit', () => {
    const slow: string[] = [];
    const input = deepNesting(10_000);
    check(input, 'deep nesting', slow);
    expect(slow).toEqual([]);
    expect(parse(input).limits).toContain('mime-depth');
  });

  it('reads 5 MB lines quickly and reports the limit', () => {
    const slow: string[] = [];
    for (const withBounce of [true, false]) check(longLine(5 * 1024 * 1024, withBounce), `5 MB line (${withBounce})`, slow);
    expect(slow).toEqual([]);
    expect(parse(longLine(5 * 1024 * 1024, true)).limits).toContain('line-length');
  });

  it('reads megabytes of 8-bit text that is not UTF-8 quickly (the mixed UTF-8 / windows-1252 reading)', () => {
    const slow: string[] = [];
    const r = rng(8);
    const eightBit = (n: number): Buffer => {
      const b = Buffer.alloc(n);
      // high bytes of every kind, with stray UTF-8 sequences among them, and some ASCII
      for (let i = 0; i < n; i++) b[i] = r() < 0.3 ? 0x20 + int(r, 0x5f) : 0x80 + int(r, 0x80);
      return b;
    };
    const body = eightBit(4 * 1024 * 1024);
    const bounce = Buffer.concat([
      Buffer.from('From: MAILER-DAEMON@example.com\nSubject: Undelivered Mail\nX-Junk: '), eightBit(900), Buffer.from('\nMIME-Version: 1.0\n'
        + 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'),
      body, Buffer.from('\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; '), eightBit(200),
      Buffer.from('@example.com\nAction: failed\nStatus: 5.1.1\n\n--b--\n'),
    ]);
    check(bounce, '8-bit bounce', slow);
    check(Buffer.concat([Buffer.from('Subject: x\nContent-Type: text/plain; charset=windows-1252\n\n'), body]), '8-bit windows-1252', slow);
    expect(slow, slow.join('\n')).toEqual([]);
  });

  it('reports a message over the size limit instead of crashing', () => {
    const big = Buffer.concat([Buffer.from('Subject: big\n\n'), Buffer.alloc(33 * 1024 * 1024, 'x\n')]);
    const r = parse(big);
    expect(r.limits).toContain('message-size');
  });

  it('handles empty and degenerate inputs', () => {
    for (const s of ['', '\n', '\n\n\n', 'From ', ':', 'Content-Type: multipart/report; boundary=""\n\n--\n--\n', '\u0000\u0000']) {
      const r = parse(Buffer.from(s));
      expect(r.recipients).toEqual([]);
    }
    expect(parse(Buffer.alloc(0)).error).toBeDefined();
  });
});
