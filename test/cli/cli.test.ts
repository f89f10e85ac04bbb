// The command-line contract scripts depend on: exit statuses, JSON shapes, and the parse output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestRaw } from '../../src/ingest/ingest-raw.js';
import { POLICY_DEFAULTS } from '../../src/policy/index.js';
import { openStore } from '../../src/store/index.js';
import { encode, VERP_DEFAULTS } from '../../src/verp/codec.js';
import { postfixDsn } from '../support/dsn.js';
import { BIN } from '../support/serve.js';
import { CORPUS_DIR } from '../support/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'rebound-cli-'));
const db = join(dir, 'cli.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rebound(args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, REBOUND_DATABASE_URL: db, ...env }, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('rebound parse', () => {
  it('prints one JSON object per message, in input order, with the contract fields', () => {
    const files = ['bsd/lhost-postfix/lhost-postfix-01.eml', 'bsd/arf/arf-01.eml', 'bsd/rfc3834/rfc3834-01.eml'].map((f) => join(CORPUS_DIR, f));
    const r = rebound(['parse', '--ndjson', ...files]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['source'])).toEqual(files);
    expect(lines.map((l) => l['kind'])).toEqual(['bounce', 'complaint', 'auto-reply']);
    for (const l of lines) expect(Object.keys(l)).toEqual(expect.arrayContaining(['source', 'index', 'kind', 'recipients', 'verp', 'mta', 'messageId']));
    const rec = (lines[0]?.['recipients'] as Array<Record<string, unknown>>)[0];
    expect(Object.keys(rec ?? {})).toEqual(expect.arrayContaining(['address', 'action', 'status', 'replyCode', 'reason', 'hard', 'fault', 'diagnostic', 'remoteMta', 'command']));
  });

  it('reads mbox files and Maildirs, and names the VERP recipient', () => {
    const to = encode('joe@example.com', { ...VERP_DEFAULTS, domains: ['b.example.org'] });
    const one = postfixDsn({ to, recipient: 'joe@example.com', id: 'M1' }).toString().replace(/\r\n/g, '\n');
    const two = postfixDsn({ to, recipient: 'joe@example.com', id: 'M2' }).toString().replace(/\r\n/g, '\n');
    const mbox = join(dir, 'bounces.mbox');
    writeFileSync(mbox, `From MAILER-DAEMON Sun Nov 29 10:00:00 2026\n${one}\nFrom MAILER-DAEMON Sun Nov 29 10:01:00 2026\n${two}\n`);
    const maildir = join(dir, 'Maildir');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    writeFileSync(join(maildir, 'new', '1.eml'), one);
    writeFileSync(join(maildir, 'cur', '2.eml:2,S'), two);
    const r = rebound(['parse', '--ndjson', mbox, maildir]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as { source: string; index: number; verp: unknown });
    expect(lines.map((l) => [l.source.replace(dir, ''), l.index])).toEqual([['/bounces.mbox', 0], ['/bounces.mbox', 1], ['/Maildir/new/1.eml', 0], ['/Maildir/cur/2.eml:2,S', 0]]);
    expect(lines.every((l) => JSON.stringify(l.verp) === '{"recipient":"joe@example.com"}')).toBe(true);
  });

  it('reports an unreadable input with an error line, goes on, and exits 1', () => {
    const r = rebound(['parse', '--ndjson', join(dir, 'missing.eml'), join(CORPUS_DIR, 'bsd/lhost-postfix/lhost-postfix-01.eml')]);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as { error?: string; kind: string });
    expect(lines[0]?.error).toBe('no such file or directory');
    expect(lines[1]?.kind).toBe('bounce');
  });

  it('prints a readable summary without --ndjson and exits 2 on a usage error', () => {
    const r = rebound(['parse', join(CORPUS_DIR, 'bsd/lhost-postfix/lhost-postfix-01.eml')]);
    expect(r.out).toMatch(/: bounce \(postfix\)\n {2}r@p351355\.pool\.example\.ne\.jp {2}failed 5\.1\.1/);
    expect(rebound(['parse']).code).toBe(2);
    expect(rebound(['parse', '--nope', 'x']).code).toBe(2);
    expect(rebound(['nosuchcommand']).code).toBe(2);
  });
});

describe('suppressions, events and verp commands', () => {
  it('check exits 0 when suppressed, 1 when not, 2 on error; --json prints the record', async () => {
    const store = await openStore(db);
    try {
      const verp = { ...VERP_DEFAULTS, domains: ['b.example.org'] };
      await ingestRaw({ store, verp, policy: POLICY_DEFAULTS }, postfixDsn({ to: encode('gone@example.com', verp), recipient: 'gone@example.com', id: 'C1' }), 'test');
    } finally {
      await store.close();
    }
    const yes = rebound(['suppressions', 'check', 'Gone@Example.com']);
    expect(yes.code).toBe(0);
    expect(yes.out).toMatch(/suppressed \(userunknown/);
    const json = rebound(['suppressions', 'check', 'gone@example.com', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ suppressed: true, address: 'gone@example.com', reason: 'userunknown', manual: false });
    expect(rebound(['suppressions', 'check', 'here@example.com']).code).toBe(1);
    expect(rebound(['suppressions', 'check', 'not an address']).code).toBe(2);
    expect(rebound(['suppressions', 'check', 'x@example.com'], { REBOUND_DATABASE_URL: '/etc/passwd/x.db' }).code).toBe(2);
  });

  it('add, list, export and remove by hand', () => {
    expect(rebound(['suppressions', 'add', 'vip@example.com', '--reason', 'manual', '--note', 'asked']).code).toBe(0);
    expect(rebound(['suppressions', 'add', 'vip@example.com']).code).toBe(2); // --reason is required
    const list = rebound(['suppressions', 'list', '--json']).out.trim().split('\n').map((l) => JSON.parse(l) as { address: string; manual: boolean });
    expect(list.map((s) => [s.address, s.manual])).toEqual([['gone@example.com', false], ['vip@example.com', true]]);
    const csv = rebound(['suppressions', 'export', '--csv']).out.trim().split('\n');
    expect(csv[0]).toBe('address,reason,fault,kind,manual,rule,count,firstSeen,lastSeen,expiresAt,sourceEventId,note');
    expect(csv).toHaveLength(3);
    expect(rebound(['suppressions', 'remove', 'vip@example.com']).code).toBe(0);
    expect(rebound(['suppressions', 'remove', 'vip@example.com']).code).toBe(1);
  });

  it('events list --json prints one object per event with the contract fields', () => {
    const r = rebound(['events', 'list', '--json']);
    expect(r.code).toBe(0);
    const events = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ address: 'gone@example.com', kind: 'bounce', reason: 'userunknown', hard: true, fault: 'recipient' });
    expect(typeof events[0]?.['messageId']).toBe('number');
    expect(Number.isNaN(Date.parse(String(events[0]?.['receivedAt'])))).toBe(false);
    expect(rebound(['events', 'list', '--json', '--limit', '0']).out).toBe('');
    expect(rebound(['events', 'list', '--json', '--address', 'nobody@example.com']).out).toBe('');
  });

  it('verp encode and decode round-trip, signed, and refuse tampering', () => {
    const env = { REBOUND_BOUNCE_DOMAINS: 'bounces.example.org', REBOUND_VERP_SECRET: 'cli-test-secret-000001' };
    const enc = rebound(['verp', 'encode', 'joe@example.com', '--id', 'spring'], env);
    expect(enc.code).toBe(0);
    const path = enc.out.trim();
    expect(path).toMatch(/^bounces\+joe=example\.com\+spring\.[a-z2-7]{13}@bounces\.example\.org$/);
    const dec = rebound(['verp', 'decode', path, '--json'], env);
    expect(JSON.parse(dec.out)).toEqual({ returnPath: path, status: 'ok', recipient: 'joe@example.com', sendId: 'spring' });
    const bad = rebound(['verp', 'decode', path.replace('joe=', 'eve='), '--json'], env);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).status).toBe('bad-signature');
    const long = `${'x'.repeat(70)}@example.com`;
    const compact = rebound(['verp', 'encode', long], env).out.trim();
    expect(compact).toMatch(/^bounces\+r[0-9a-z]+-[a-z2-7]{13}@bounces\.example\.org$/);
    expect(JSON.parse(rebound(['verp', 'decode', compact, '--json'], env).out).recipient).toBe(long);
  });

  it('reclassify re-parses the stored messages', () => {
    const r = rebound(['reclassify', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ messages: 1, events: 1, added: 0, removed: 0 });
  });

  it('config shows where settings came from and masks secrets', () => {
    const r = rebound(['config', '--json'], { REBOUND_VERP_SECRET: 'very-secret-value-123' });
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as { key: string; value: string; origin: string });
    expect(rows.find((x) => x.key === 'verp.secret')).toMatchObject({ value: '***', origin: 'env REBOUND_VERP_SECRET' });
    expect(r.out).not.toContain('very-secret-value');
    expect(rebound(['config'], { REBOUND_SMTP_LISTEN: 'bad' }).code).toBe(2);
  });
});
