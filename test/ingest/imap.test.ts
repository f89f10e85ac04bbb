// The IMAP intake against the real Dovecot of test/realmail (127.0.0.1:1143), on both stores: bounces
// APPENDed to a folder of the test's own are ingested, committed, and only then flagged, moved or deleted;
// the checkpoint makes a restart neither skip nor repeat (also after a crash between commit and
// acknowledgement, and across a UIDVALIDITY change); several mailboxes at once; IDLE wakes the reader.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { checkpointName, pollMailboxOnce, startImap, uidSet, type ImapMailbox } from '../../src/ingest/imap.js';
import type { IngestContext } from '../../src/ingest/ingest-raw.js';
import { POLICY_DEFAULTS } from '../../src/policy/index.js';
import type { Store } from '../../src/store/types.js';
import { encode, VERP_DEFAULTS, type VerpConfig } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { testMailbox, TestImap, uniqueFolder } from '../support/imap.js';
import { startRealMail } from '../support/realmail.js';
import { breakEventInserts } from '../support/store-failure.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

// real servers and processes on a machine that may be busy with other suites: generous limits, no timing assertions
vi.setConfig({ testTimeout: 120_000 });

const log = pino({ level: 'silent' });
const verp: VerpConfig = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };

let serial = 0;
/** Distinct hard bounces for distinct recipients. */
function bounces(n: number, label: string): { raws: Buffer[]; addresses: string[] } {
  const raws: Buffer[] = [];
  const addresses: string[] = [];
  for (let i = 0; i < n; i++) {
    const address = `${label}${serial++}@example.com`;
    addresses.push(address);
    raws.push(postfixDsn({ to: encode(address, verp), recipient: address, id: `${label.toUpperCase()}${serial}X${process.pid}` }));
  }
  return { raws, addresses };
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('uidSet', () => {
  it('compacts runs', () => {
    expect(uidSet([1, 2, 3, 5, 7, 8])).toBe('1:3,5,7:8');
    expect(uidSet([4])).toBe('4');
    expect(uidSet([])).toBe('');
  });
});

describe.each(STORE_KINDS)('IMAP intake with the %s store', (kind) => {
  let db: Fresh;
  let store: Store;
  let imap: TestImap;
  const folders: string[] = [];
  let ctx: IngestContext;

  beforeAll(async () => {
    startRealMail();
    db = await freshDatabase(kind);
    store = await db.open();
    ctx = { store, verp, policy: POLICY_DEFAULTS };
    imap = await TestImap.connect();
  });
  afterAll(async () => {
    for (const f of folders) await imap.remove(f);
    await imap.close();
    await store.close();
    await db.cleanup();
  });

  async function folder(label: string): Promise<string> {
    const f = uniqueFolder(label);
    folders.push(f);
    await imap.create(f);
    return f;
  }

  it('ingests appended bounces and flags them \\Seen only after the commit', async () => {
    const f = await folder('seen');
    const { raws, addresses } = bounces(5, 'seen');
    const uids = await imap.append(f, raws);
    const seenAtCommit: boolean[] = [];
    const m = testMailbox(f, 'seen');
    const r = await pollMailboxOnce(ctx, m, log, {
      batchSize: 2,
      onCommitted: async (_name, committed) => {
        // committed: in the store, and not yet flagged
        for (const a of addresses.slice(0, committed.length)) expect(await store.isSuppressed(a)).toBeDefined();
        const state = await imap.state(f);
        for (const u of committed) seenAtCommit.push(state.find((s) => s.uid === u)?.seen ?? true);
      },
    });
    expect(r).toMatchObject({ fetched: 5, stored: 5, duplicates: 0, acknowledged: 5, lastUid: uids[4] });
    expect(seenAtCommit).toEqual([false, false, false, false, false]);
    expect((await imap.state(f)).map((s) => s.seen)).toEqual([true, true, true, true, true]);
    for (const a of addresses) expect(await store.isSuppressed(a)).toMatchObject({ reason: 'userunknown' });
    expect(await store.getCheckpoint(checkpointName(m))).toMatchObject({ validity: await imap.uidValidity(f), position: uids[4] });
  });

  it('moves committed messages to a folder (created when missing), or deletes them', async () => {
    const f = await folder('move');
    const done = uniqueFolder('done');
    folders.push(done);
    const { raws, addresses } = bounces(3, 'move');
    await imap.append(f, raws);
    const r = await pollMailboxOnce(ctx, testMailbox(f, 'move', done), log);
    expect(r).toMatchObject({ stored: 3, acknowledged: 3 });
    expect(await imap.state(f)).toEqual([]);
    expect(await imap.state(done)).toHaveLength(3);
    for (const a of addresses) expect(await store.isSuppressed(a)).toBeDefined();

    const g = await folder('delete');
    const more = bounces(3, 'delete');
    await imap.append(g, more.raws);
    expect(await pollMailboxOnce(ctx, testMailbox(g, 'delete'), log)).toMatchObject({ stored: 3, acknowledged: 3 });
    expect(await imap.state(g)).toEqual([]);
    for (const a of more.addresses) expect(await store.isSuppressed(a)).toBeDefined();
  });

  it('acknowledges nothing when the store fails, and takes the messages up once it works again', async () => {
    const f = await folder('fail');
    const { raws, addresses } = bounces(4, 'fail');
    await imap.append(f, raws);
    const m = testMailbox(f, 'seen');
    const repair = await breakEventInserts(kind, db.url);
    try {
      await expect(pollMailboxOnce(ctx, m, log)).rejects.toThrow(/simulated storage failure/);
    } finally {
      await repair();
    }
    expect((await imap.state(f)).map((s) => s.seen)).toEqual([false, false, false, false]);
    expect(await store.getCheckpoint(checkpointName(m))).toBeUndefined();
    for (const a of addresses) expect(await store.isSuppressed(a)).toBeUndefined();
    expect(await pollMailboxOnce(ctx, m, log)).toMatchObject({ stored: 4, duplicates: 0, acknowledged: 4 });
    expect((await imap.state(f)).map((s) => s.seen)).toEqual([true, true, true, true]);
  });

  it('after a crash between commit and acknowledgement, the next run acknowledges without reading again', async () => {
    const f = await folder('crash');
    const { raws } = bounces(6, 'crash');
    await imap.append(f, raws);
    const m = testMailbox(f, 'seen');
    // the first run dies right after its first batch committed (the check stops there, as a killed process would)
    await expect(pollMailboxOnce(ctx, m, log, {
      batchSize: 4,
      onCommitted: () => {
        throw new Error('killed after the commit');
      },
    })).rejects.toThrow(/killed after the commit/);
    expect((await imap.state(f)).map((s) => s.seen)).toEqual([false, false, false, false, false, false]);
    const before = await store.counts();
    // the next run: the 4 committed are acknowledged without being fetched again; the other 2 are read once
    const r = await pollMailboxOnce(ctx, m, log, { batchSize: 4 });
    expect(r).toMatchObject({ fetched: 2, stored: 2, duplicates: 0, acknowledged: 6 });
    expect((await store.counts()).messages).toBe(before.messages + 2);
    expect((await imap.state(f)).map((s) => s.seen)).toEqual([true, true, true, true, true, true]);
  });

  it('a restart continues after the checkpoint: nothing skipped, nothing read twice', async () => {
    const f = await folder('restart');
    const m = testMailbox(f, 'seen');
    const first = bounces(3, 'restart');
    await imap.append(f, first.raws);
    const a = startImap(ctx, [m], { pollMs: 3_600_000, idle: false }, log);
    await a.pollNow();
    expect(a.status()).toMatchObject([{ stored: 3, duplicates: 0, acknowledged: 3 }]);
    await a.stop();
    // more mail while stopped
    const second = bounces(4, 'restart');
    await imap.append(f, second.raws);
    const b = startImap(ctx, [m], { pollMs: 3_600_000, idle: false }, log);
    try {
      await b.pollNow();
      // the restarted reader fetched exactly the 4 new messages: none of the 3 before the checkpoint again
      expect(b.status()).toMatchObject([{ connected: true, stored: 4, duplicates: 0, acknowledged: 4, lastError: null }]);
    } finally {
      await b.stop();
    }
    for (const x of [...first.addresses, ...second.addresses]) expect(await store.isSuppressed(x)).toBeDefined();
    expect((await imap.state(f)).every((s) => s.seen)).toBe(true);
  });

  it('a new UIDVALIDITY voids the checkpoint: the mailbox is read again and what was stored counts once', async () => {
    const f = await folder('validity');
    const m = testMailbox(f, 'seen');
    const { raws } = bounces(3, 'validity');
    await imap.append(f, raws);
    expect(await pollMailboxOnce(ctx, m, log)).toMatchObject({ stored: 3 });
    const v1 = await imap.uidValidity(f);
    // the folder is recreated: its UIDs start again at 1 under a new UIDVALIDITY
    await imap.remove(f);
    await imap.create(f);
    const v2 = await imap.uidValidity(f);
    expect(v2).not.toBe(v1);
    const fresh = bounces(2, 'validity');
    await imap.append(f, [raws[0] as Buffer, ...fresh.raws]);
    const r = await pollMailboxOnce(ctx, m, log);
    expect(r).toMatchObject({ uidValidity: v2, fetched: 3, stored: 2, duplicates: 1, acknowledged: 3, lastUid: 3 });
    for (const a of fresh.addresses) expect(await store.isSuppressed(a)).toBeDefined();
    expect(await store.getCheckpoint(checkpointName(m))).toMatchObject({ validity: v2, position: 3 });
  });

  it('reads several mailboxes at once, and IDLE brings new mail without a poll', async () => {
    const f1 = await folder('multi');
    const f2 = await folder('multi');
    const done = uniqueFolder('multidone');
    folders.push(done);
    const mailboxes: ImapMailbox[] = [testMailbox(f1, 'seen'), testMailbox(f2, 'move', done)];
    const intake = startImap(ctx, mailboxes, { pollMs: 3_600_000, idle: true }, log);
    try {
      expect(await intake.pollNow()).toMatchObject([{ fetched: 0 }, { fetched: 0 }]);
      // mail arriving while the readers wait in IDLE (the next poll is an hour away)
      const b1 = bounces(2, 'idle');
      const b2 = bounces(3, 'idle');
      await imap.append(f1, b1.raws);
      await imap.append(f2, b2.raws);
      await waitFor('both mailboxes to be read', async () => {
        const s = intake.status();
        return s[0]?.acknowledged === 2 && s[1]?.acknowledged === 3;
      });
      for (const a of [...b1.addresses, ...b2.addresses]) expect(await store.isSuppressed(a)).toBeDefined();
      expect((await imap.state(f1)).map((s) => s.seen)).toEqual([true, true]);
      expect(await imap.state(f2)).toEqual([]);
      expect(await imap.state(done)).toHaveLength(3);
    } finally {
      await intake.stop();
    }
  });

  it('reports a mailbox it cannot log in to, and keeps the others going', async () => {
    const f = await folder('auth');
    const good = testMailbox(f, 'seen');
    const bad: ImapMailbox = { ...testMailbox(f, 'seen'), name: 'wrong password', password: 'not-the-password' };
    const intake = startImap(ctx, [good, bad], { pollMs: 3_600_000, idle: false }, log);
    try {
      const { raws } = bounces(1, 'auth');
      await imap.append(f, raws);
      await expect(intake.pollNow()).rejects.toThrow(/wrong password/);
      const [ok, failed] = intake.status();
      expect(ok).toMatchObject({ stored: 1 });
      expect(failed?.lastError).toMatch(/wrong password/);
      expect(failed?.connected).toBe(false);
    } finally {
      await intake.stop();
    }
  });
});
