// The Maildir intake on both stores: catch-up at start, delivery noticed while running, the move to cur/
// (":2,S") or a processed folder only after the commit, nothing moved when the store fails, and a restart
// after a crash between commit and move that counts nothing twice.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestRaw, type IngestContext } from '../../src/ingest/ingest-raw.js';
import { scanMaildir, seenName, startMaildir } from '../../src/ingest/maildir.js';
import { POLICY_DEFAULTS } from '../../src/policy/index.js';
import type { Store } from '../../src/store/types.js';
import { encode, VERP_DEFAULTS, type VerpConfig } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { breakEventInserts } from '../support/store-failure.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

// real servers and processes on a machine that may be busy with other suites: generous limits, no timing assertions
vi.setConfig({ testTimeout: 120_000 });

const log = pino({ level: 'silent' });
const verp: VerpConfig = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };
const NO_POLL = 3_600_000;

let serial = 0;
function bounce(label: string): { raw: Buffer; address: string } {
  const address = `${label}${serial++}@example.com`;
  return { raw: postfixDsn({ to: encode(address, verp), recipient: address, id: `MD${serial}X${process.pid}` }), address };
}

function maildir(root: string, name: string): string {
  const d = join(root, name);
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(d, sub), { recursive: true });
  return d;
}

/** Deliver as an MTA does: write into tmp/, then rename into new/. */
function deliver(dir: string, raw: Buffer): string {
  const name = `${Date.now()}.M${serial++}P${process.pid}.test.example`;
  writeFileSync(join(dir, 'tmp', name), raw);
  renameSync(join(dir, 'tmp', name), join(dir, 'new', name));
  return name;
}

const ls = (d: string): string[] => readdirSync(d).sort();

async function waitFor(what: string, check: () => boolean, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('seenName', () => {
  it('adds the seen flag to the info, creating it when absent', () => {
    expect(seenName('1764410400.M1P2.host')).toBe('1764410400.M1P2.host:2,S');
    expect(seenName('1764410400.M1P2.host:2,F')).toBe('1764410400.M1P2.host:2,FS');
    expect(seenName('1764410400.M1P2.host:2,S')).toBe('1764410400.M1P2.host:2,S');
  });
});

describe.each(STORE_KINDS)('Maildir intake with the %s store', (kind) => {
  let db: Fresh;
  let store: Store;
  let ctx: IngestContext;
  let root: string;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    store = await db.open();
    ctx = { store, verp, policy: POLICY_DEFAULTS };
    root = mkdtempSync(join(tmpdir(), 'rebound-maildir-'));
  });
  afterAll(async () => {
    await store.close();
    await db.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('catches up at start, then ingests deliveries as they arrive, moving each to cur/ with :2,S after the commit', async () => {
    const dir = maildir(root, 'catchup');
    const early = [bounce('early'), bounce('early'), bounce('early')];
    const names = early.map((b) => deliver(dir, b.raw));
    const intake = startMaildir(ctx, [dir], { processed: '', pollMs: NO_POLL }, log);
    try {
      await intake.scanNow();
      expect(ls(join(dir, 'new'))).toEqual([]);
      expect(ls(join(dir, 'cur'))).toEqual(names.map((n) => `${n}:2,S`).sort());
      expect(readFileSync(join(dir, 'cur', `${names[0]}:2,S`))).toEqual(early[0]?.raw);
      for (const b of early) expect(await store.isSuppressed(b.address)).toMatchObject({ reason: 'userunknown' });
      // delivered while running: the file-system notification brings it in (the next poll is an hour away)
      const late = bounce('late');
      deliver(dir, late.raw);
      await waitFor('the late delivery to be moved', () => intake.status()[0]?.moved === 4);
      expect(await store.isSuppressed(late.address)).toBeDefined();
      expect(ls(join(dir, 'new'))).toEqual([]);
      expect(intake.status()).toMatchObject([{ stored: 4, duplicates: 0, lastError: null }]);
    } finally {
      await intake.stop();
    }
  });

  it('moves to a processed folder instead when one is configured, and reads several Maildirs at once', async () => {
    const a = maildir(root, 'several-a');
    const b = maildir(root, 'several-b');
    const ba = bounce('sev');
    const bb = bounce('sev');
    const na = deliver(a, ba.raw);
    const nb = deliver(b, bb.raw);
    const intake = startMaildir(ctx, [a, b], { processed: '.Processed', pollMs: NO_POLL }, log);
    try {
      expect(await intake.scanNow()).toHaveLength(2);
      expect(ls(join(a, '.Processed', 'cur'))).toEqual([`${na}:2,S`]);
      expect(ls(join(b, '.Processed', 'cur'))).toEqual([`${nb}:2,S`]);
      expect(ls(join(a, 'new'))).toEqual([]);
      expect(ls(join(a, 'cur'))).toEqual([]);
      for (const x of [ba, bb]) expect(await store.isSuppressed(x.address)).toBeDefined();
    } finally {
      await intake.stop();
    }
  });

  it('moves nothing when the store fails, and takes the messages up once it works again', async () => {
    const dir = maildir(root, 'failing');
    const msgs = [bounce('fail'), bounce('fail')];
    const names = msgs.map((m) => deliver(dir, m.raw)).sort();
    const repair = await breakEventInserts(kind, db.url);
    try {
      await expect(scanMaildir(ctx, dir, { processed: '' }, log)).rejects.toThrow(/simulated storage failure/);
    } finally {
      await repair();
    }
    expect(ls(join(dir, 'new'))).toEqual(names);
    expect(ls(join(dir, 'cur'))).toEqual([]);
    for (const m of msgs) expect(await store.isSuppressed(m.address)).toBeUndefined();
    expect(await scanMaildir(ctx, dir, { processed: '' }, log)).toMatchObject({ found: 2, stored: 2, moved: 2 });
    expect(ls(join(dir, 'new'))).toEqual([]);
  });

  it('after a crash between commit and move, the restart moves the message without counting it again', async () => {
    const dir = maildir(root, 'crashed');
    const m = bounce('crashed');
    const name = deliver(dir, m.raw);
    // the earlier run committed it, then died before the rename
    await ingestRaw(ctx, m.raw, `maildir:${dir}`);
    const events = (await store.listEvents({ address: m.address })).length;
    const messages = (await store.counts()).messages;
    const intake = startMaildir(ctx, [dir], { processed: '', pollMs: NO_POLL }, log);
    try {
      await intake.scanNow();
      expect(intake.status()).toMatchObject([{ stored: 0, duplicates: 1, moved: 1 }]);
    } finally {
      await intake.stop();
    }
    expect(ls(join(dir, 'cur'))).toEqual([`${name}:2,S`]);
    expect((await store.listEvents({ address: m.address })).length).toBe(events);
    expect((await store.counts()).messages).toBe(messages);
    expect(await store.isSuppressed(m.address)).toMatchObject({ count: 1 });
  });

  it('reports a directory that is not a Maildir', async () => {
    await expect(scanMaildir(ctx, join(root, 'missing'), { processed: '' }, log)).rejects.toThrow(/not a Maildir/);
  });
});
