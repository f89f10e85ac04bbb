// The IMAP intake of a real `rebound serve` process killed with SIGKILL while it works through a mailbox
// (held at message 600 by a failing store, so the kill lands part-way whatever the machine's speed), then
// restarted (both stores): the restart reads exactly the messages the killed run had not committed — none
// twice, none skipped — and every message ends up moved once.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { encode, VERP_DEFAULTS } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { testMailboxUrl, TestImap, uniqueFolder } from '../support/imap.js';
import { startRealMail } from '../support/realmail.js';
import { BIN } from '../support/serve.js';
import { breakEventInserts } from '../support/store-failure.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

const verp = { ...VERP_DEFAULTS, domains: ['bounces.example.org'] };
const N = 1000;

interface Running {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function serve(env: Record<string, string>): Running {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, REBOUND_SMTP_LISTEN: 'off', REBOUND_HTTP_LISTEN: 'off', REBOUND_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: Running['lines'] = [];
  let buf = '';
  child.stderr?.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 180_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(STORE_KINDS)('IMAP intake killed and restarted, %s store', (kind) => {
  let db: Fresh;
  let imap: TestImap;
  let folder: string;
  let done: string;

  beforeAll(async () => {
    startRealMail();
    db = await freshDatabase(kind);
    await (await db.open()).close(); // the schema, for the trigger below
    imap = await TestImap.connect();
    folder = uniqueFolder('kill');
    done = uniqueFolder('killdone');
    await imap.create(folder);
  });
  afterAll(async () => {
    await imap.remove(folder);
    await imap.remove(done);
    await imap.close();
    await db.cleanup();
  });

  it('neither skips nor repeats a message', async () => {
    const raws = Array.from({ length: N }, (_, i) => {
      const a = `kill${kind}${i}@example.com`;
      return postfixDsn({ to: encode(a, verp), recipient: a, id: `KILL${kind}${i}` });
    });
    await imap.append(folder, raws);
    const env = { REBOUND_DATABASE_URL: db.url, REBOUND_IMAP_URLS: testMailboxUrl(folder, `action=move&folder=${done}`) };

    // first run: the store refuses message 600, so the run is stuck there (retrying) when it is killed
    const repair = await breakEventInserts(kind, db.url, `kill${kind}600@example.com`);
    const first = serve(env);
    try {
      await waitFor('the failing batch', () => first.lines.some((l) => l['msg'] === 'imap: check failed; retrying') || first.child.exitCode !== null);
      first.child.kill('SIGKILL');
      await first.exited;
    } finally {
      await repair();
    }
    const store = await openStore(db.url);
    let committed: number;
    try {
      committed = (await store.counts()).messages;
    } finally {
      await store.close();
    }
    expect(committed).toBe(600); // the batches before the failing one (200 each)

    // second run: reads the rest
    const second = serve(env);
    try {
      await waitFor('every message moved', async () => {
        const s = await imap.client.status(done, { messages: true }).catch(() => false as const);
        return s !== false && s.messages === N;
      });
    } catch (err) {
      throw new Error(`${(err as Error).message}; the restarted process said: ${JSON.stringify(second.lines.slice(-5))}`);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    const batches = second.lines.filter((l) => l['msg'] === 'imap: batch committed');
    const stored = batches.reduce((n, l) => n + Number(l['stored']), 0);
    const duplicates = batches.reduce((n, l) => n + Number(l['duplicates']), 0);
    expect({ stored, duplicates }).toEqual({ stored: N - committed, duplicates: 0 });
    expect(second.lines.some((l) => l['level'] !== undefined && Number(l['level']) >= 50)).toBe(false);

    const after = await openStore(db.url);
    try {
      expect(await after.counts()).toMatchObject({ messages: N, events: N, suppressions: N });
      for (const i of [0, committed - 1, committed, N - 1]) expect(await after.isSuppressed(`kill${kind}${i}@example.com`)).toMatchObject({ count: 1 });
    } finally {
      await after.close();
    }
    const left = await imap.client.status(folder, { messages: true });
    expect(left && left.messages).toBe(0);
  }, 240_000);
});
