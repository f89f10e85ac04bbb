// Bad input through the mailbox intakes, on both stores: a mailbox full of newsletters, spam, auto-replies,
// broken MIME and binary garbage (and one real bounce among them) is read to the end without a crash;
// every message is kept, classified as what it is, and acknowledged; only the bounce suppresses anyone.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pollMailboxOnce } from '../../src/ingest/imap.js';
import type { IngestContext } from '../../src/ingest/ingest-raw.js';
import { scanMaildir } from '../../src/ingest/maildir.js';
import { POLICY_DEFAULTS } from '../../src/policy/index.js';
import type { Store, StoredMessage } from '../../src/store/types.js';
import { encode, VERP_DEFAULTS } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { testMailbox, TestImap, uniqueFolder } from '../support/imap.js';
import { junkMessages } from '../support/junk.js';
import { startRealMail } from '../support/realmail.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

// real servers and processes on a machine that may be busy with other suites: generous limits, no timing assertions
vi.setConfig({ testTimeout: 120_000 });

const log = pino({ level: 'silent' });
const verp = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };

describe.each(STORE_KINDS)('a mailbox of bad input with the %s store', (kind) => {
  let db: Fresh;
  let store: Store;
  let ctx: IngestContext;
  let imap: TestImap;
  let folder: string;
  let dir: string;

  beforeAll(async () => {
    startRealMail();
    db = await freshDatabase(kind);
    store = await db.open();
    ctx = { store, verp, policy: POLICY_DEFAULTS };
    imap = await TestImap.connect();
    folder = uniqueFolder('junk');
    await imap.create(folder);
    dir = mkdtempSync(join(tmpdir(), 'rebound-junk-'));
  });
  afterAll(async () => {
    await imap.remove(folder);
    await imap.close();
    await store.close();
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The stored messages after `afterId`, in the order they were stored. */
  async function storedSince(afterId: number): Promise<StoredMessage[]> {
    const out: StoredMessage[] = [];
    for (const id of await store.messageIds(afterId, 1000)) out.push((await store.getMessage(id)) as StoredMessage);
    return out;
  }

  async function expectClassified(afterId: number, tag: string, victim: string): Promise<void> {
    const junk = junkMessages(tag);
    const stored = await storedSince(afterId);
    // every message kept (the bounce last), each as what it is
    expect(stored.map((m) => m.kind)).toEqual([...junk.map((j) => j.kind), 'bounce']);
    // what no decoder recognises is kept and counted as unparsed (garbage that is not even a message: an error)
    for (const [i, m] of stored.entries()) {
      if (junk[i]?.kind === 'not-bounce') expect(['unrecognized', 'error'], junk[i]?.label).toContain(m.parseStatus);
    }
    expect(stored.find((m) => m.subject === '')?.parseStatus).toBe('error');
    expect(stored.find((m) => m.kind === 'auto-reply')?.mta).toBe('rfc3834');
    expect(stored[stored.length - 1]).toMatchObject({ parseStatus: 'parsed', mta: 'postfix', verpRecipient: victim });
    // only the bounce's recipient is suppressed
    const suppressed = (await store.listSuppressions()).map((s) => s.address);
    expect(suppressed).toContain(victim);
    expect(suppressed.filter((a) => !a.startsWith('victim'))).toEqual([]);
  }

  it('over IMAP: all read, kept, classified and flagged \\Seen', async () => {
    const tag = `imap-${kind}`;
    const victim = `victim-imap-${kind}@example.com`;
    const messages = [...junkMessages(tag).map((j) => j.raw), postfixDsn({ to: encode(victim, verp), recipient: victim, id: `JUNKI${kind}` })];
    await imap.append(folder, messages);
    const last = (await store.messageIds(0, 100000)).pop() ?? 0;
    const r = await pollMailboxOnce(ctx, testMailbox(folder, 'seen'), log);
    expect(r).toMatchObject({ fetched: messages.length, stored: messages.length, acknowledged: messages.length });
    expect((await imap.state(folder)).every((s) => s.seen)).toBe(true);
    await expectClassified(last, tag, victim);
  });

  it('from a Maildir: all read, kept, classified and moved to cur/', async () => {
    const tag = `maildir-${kind}`;
    const victim = `victim-maildir-${kind}@example.com`;
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
    const messages = [...junkMessages(tag).map((j) => j.raw), postfixDsn({ to: encode(victim, verp), recipient: victim, id: `JUNKM${kind}` })];
    // names sort in delivery order
    messages.forEach((m, i) => writeFileSync(join(dir, 'new', `1764410400.M${String(i).padStart(3, '0')}.junk`), m));
    const last = (await store.messageIds(0, 100000)).pop() ?? 0;
    const r = await scanMaildir(ctx, dir, { processed: '' }, log);
    expect(r).toMatchObject({ found: messages.length, stored: messages.length, moved: messages.length });
    expect(readdirSync(join(dir, 'new'))).toEqual([]);
    await expectClassified(last, tag, victim);
  });
});
