// `rebound import mbox|maildir|eml` (real processes) on both stores: every message stored once, the
// summary, and resumption: an import stopped by a store failure continues, when run again, from its
// checkpoint, without counting anything twice.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { encode, VERP_DEFAULTS } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { BIN } from '../support/serve.js';
import { breakEventInserts } from '../support/store-failure.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

// real servers and processes on a machine that may be busy with other suites: generous limits, no timing assertions
vi.setConfig({ testTimeout: 120_000 });

const verp = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };

interface Summary {
  source: string;
  messages: number;
  stored: number;
  duplicates: number;
  unparsed: number;
  errors: number;
  resumedAt: number;
  complete: boolean;
}

function runImport(args: string[], url: string): { status: number | null; summary: Summary | undefined; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'import', ...args, '--json'], {
    env: { ...process.env, REBOUND_DATABASE_URL: url, REBOUND_LOG_LEVEL: 'warn' }, encoding: 'utf8', timeout: 120_000,
  });
  let summary: Summary | undefined;
  try {
    summary = JSON.parse(r.stdout) as Summary;
  } catch {
    summary = undefined;
  }
  return { status: r.status, summary, stdout: r.stdout, stderr: r.stderr };
}

const NOT_A_BOUNCE = Buffer.from([
  'From: news@shop.example', 'To: bounces@bounces.example.org', 'Subject: Our spring sale', 'Message-ID: <sale@shop.example>', '',
  'Dear customer,', '', 'From now on everything is cheaper.', '>From the archive: nothing.', '',
].join('\n'));

function bounceFor(i: number, tag: string): Buffer {
  const address = `${tag}${i}@example.com`;
  return postfixDsn({ to: encode(address, verp), recipient: address, id: `${tag.toUpperCase()}${i}` });
}

/** An mbox: From_ lines, and body lines starting with "From " escaped as ">From " (mboxrd). */
function mbox(messages: readonly Buffer[]): Buffer {
  return Buffer.concat(messages.flatMap((m) => [
    Buffer.from('From MAILER-DAEMON Sun Nov 29 10:00:00 2026\n'),
    Buffer.from(m.toString('latin1').replace(/^(>*From )/gm, '>$1'), 'latin1'),
    Buffer.from('\n'),
  ]));
}

describe.each(STORE_KINDS)('rebound import with the %s store', (kind) => {
  let db: Fresh;
  let dir: string;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'rebound-import-'));
  });
  afterAll(async () => {
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  async function withStore<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    const store = await openStore(db.url);
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  it('imports an mbox: each message once, without its From_ line, and a second run has nothing new to do', async () => {
    const messages = [...Array.from({ length: 40 }, (_, i) => bounceFor(i, `mbox${kind}`)), NOT_A_BOUNCE];
    const file = join(dir, 'bounces.mbox');
    writeFileSync(file, mbox(messages));
    const r = runImport(['mbox', file], db.url);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.summary).toMatchObject({ messages: 41, stored: 41, duplicates: 0, unparsed: 1, errors: 0, resumedAt: 0, complete: true });
    await withStore(async (store) => {
      for (let i = 0; i < 40; i++) expect(await store.isSuppressed(`mbox${kind}${i}@example.com`)).toMatchObject({ reason: 'userunknown' });
      const ids = await store.messageIds(0, 100);
      const last = await store.getMessage(ids[ids.length - 1] as number);
      expect(last).toMatchObject({ kind: 'not-bounce', parseStatus: 'unrecognized', subject: 'Our spring sale' });
      // stored as the message itself: no From_ line, the body's ">From " unescaped
      const raw = (await store.getRaw(last?.id as number))?.toString('latin1');
      expect(raw?.startsWith('From: news@shop.example\n')).toBe(true);
      expect(raw).toContain('\n>From the archive');
      expect(raw).toContain('\nFrom now on');
    });
    // finished: the checkpoint is at the end of the file
    expect(runImport(['mbox', file], db.url).summary).toMatchObject({ messages: 0, stored: 0, resumedAt: mbox(messages).length });
  });

  it('continues an interrupted mbox import where it stopped', async () => {
    const tag = `resume${kind}`;
    const messages = Array.from({ length: 1500 }, (_, i) => bounceFor(i, tag));
    const file = join(dir, 'resume.mbox');
    writeFileSync(file, mbox(messages));
    // the store fails at message 1100 (its batch and the import stop there)
    const repair = await breakEventInserts(kind, db.url, `${tag}1100@example.com`);
    let first;
    try {
      first = runImport(['mbox', file], db.url);
    } finally {
      await repair();
    }
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/simulated storage failure.*run the same import again to continue/);
    const stored = await withStore(async (s) => (await s.counts()).messages);
    const second = runImport(['mbox', file], db.url);
    expect(second.status).toBe(0);
    // continued from a checkpoint past the start, so it read fewer messages than the file holds …
    expect(second.summary?.resumedAt).toBeGreaterThan(0);
    expect(second.summary?.messages).toBeLessThan(1500);
    // … and together the two runs stored every message exactly once
    await withStore(async (s) => {
      expect((await s.counts()).messages - stored).toBe(second.summary?.stored);
      for (const i of [0, 999, 1100, 1499]) expect(await s.isSuppressed(`${tag}${i}@example.com`)).toMatchObject({ count: 1 });
      expect(await s.listEvents({ address: `${tag}1100@example.com` })).toHaveLength(1);
    });
    const total = await withStore(async (s) => (await s.listSuppressions({ search: tag })).length);
    expect(total).toBe(1500);
 }, 180_000);

  it('imports a Maildir in place (new/ then cur/), and skips what is already stored on a second run', async () => {
    const md = join(dir, 'Maildir');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(md, sub), { recursive: true });
    for (let i = 0; i < 5; i++) writeFileSync(join(md, i < 2 ? 'new' : 'cur', `17644104${i}.M${i}.host${i < 2 ? '' : ':2,S'}`), bounceFor(i, `md${kind}`));
    const r = runImport(['maildir', md], db.url);
    expect(r.status).toBe(0);
    expect(r.summary).toMatchObject({ messages: 5, stored: 5, duplicates: 0, errors: 0 });
    expect(readdirSync(join(md, 'new'))).toHaveLength(2);
    expect(readdirSync(join(md, 'cur'))).toHaveLength(3);
    expect(runImport(['maildir', md], db.url).summary).toMatchObject({ messages: 5, stored: 0, duplicates: 5 });
  });

  it('imports message files, reporting the unreadable ones (exit 1) and storing the others', async () => {
    const a = join(dir, 'a.eml');
    const b = join(dir, 'b.eml');
    writeFileSync(a, bounceFor(1, `eml${kind}`));
    writeFileSync(b, NOT_A_BOUNCE.toString().replace('spring', 'autumn'));
    const r = runImport(['eml', a, join(dir, 'missing.eml'), b], db.url);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/missing\.eml: no such file/);
    expect(r.summary).toMatchObject({ messages: 2, stored: 2, unparsed: 1, errors: 1 });
    await withStore(async (s) => expect(await s.isSuppressed(`eml${kind}1@example.com`)).toBeDefined());
  });

  it('prints a readable summary without --json and no progress bar when standard error is not a terminal', () => {
    const file = join(dir, 'one.mbox');
    writeFileSync(file, mbox([bounceFor(7, `plain${kind}`)]));
    const r = spawnSync(process.execPath, [BIN, 'import', 'mbox', file], {
      env: { ...process.env, REBOUND_DATABASE_URL: db.url }, encoding: 'utf8', timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^imported .*one\.mbox: 1 messages, 1 new, 0 duplicates, 0 unparsed, 0 errors in [\d.]+ s\n$/);
  });
});

describe('rebound import usage', () => {
  it('exits 2 on a usage error', () => {
    for (const args of [['import'], ['import', 'zip', 'x'], ['import', 'mbox'], ['import', 'mbox', 'a', 'b']]) {
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, REBOUND_DATABASE_URL: ':memory:' } });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/usage: rebound import/);
    }
  });
});
