#!/usr/bin/env node
// IMAP intake benchmark: APPENDs distinct Postfix-style DSNs to a fresh folder of the local Dovecot of
// test/realmail (127.0.0.1:1143, bounces@mbox.test; start it with `bash test/realmail/realmail.sh start`),
// then times one complete check of that folder by the IMAP intake — fetch, parse, decide, durable commit,
// then move every message to a second folder — and prints messages/s.
//   npm run bench:imap [-- --messages 5000 --database postgres://…]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ImapFlow } from 'imapflow';
import { pino } from 'pino';
import { dsn } from './dsn.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { pollMailboxOnce } = await import(join(root, 'dist', 'ingest', 'imap.js'));
const { openStore } = await import(join(root, 'dist', 'store', 'index.js'));
const { POLICY_DEFAULTS } = await import(join(root, 'dist', 'policy', 'index.js'));
const { VERP_DEFAULTS } = await import(join(root, 'dist', 'verp', 'codec.js'));

const { values } = parseArgs({ options: { messages: { type: 'string' }, database: { type: 'string' } } });
const N = Number(values.messages ?? 5000);
const port = Number(process.env.REALMAIL_IMAP_PORT ?? 1143);
const account = { user: 'bounces@mbox.test', pass: 'secret' };
const tmp = mkdtempSync(join(tmpdir(), 'rebound-bench-imap-'));
const database = values.database ?? join(tmp, 'bench.db');
const folder = `bench-${process.pid}-${Date.now().toString(36)}`;
const done = `${folder}-done`;

const admin = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: account, logger: false, disableAutoIdle: true });
await admin.connect();
await admin.mailboxCreate(folder);
const tag = `imap${Date.now()}`;
for (let i = 0; i < N; i++) await admin.append(folder, dsn(i, tag));

const store = await openStore(database);
const ctx = { store, verp: { ...VERP_DEFAULTS, domains: ['bounces.example.org'] }, policy: POLICY_DEFAULTS };
const mailbox = {
  name: `bench/${folder}`, host: '127.0.0.1', port, tls: 'none', user: account.user, password: account.pass,
  mailbox: folder, action: 'move', folder: done,
};
const t0 = process.hrtime.bigint();
const r = await pollMailboxOnce(ctx, mailbox, pino({ level: 'warn' }));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
await store.close();
await admin.mailboxDelete(folder).catch(() => undefined);
await admin.mailboxDelete(done).catch(() => undefined);
await admin.logout();
if (!values.database) rmSync(tmp, { recursive: true, force: true });
if (r.stored !== N || r.acknowledged !== N) throw new Error(`expected ${N} stored and moved, got ${JSON.stringify(r)}`);
console.log(`store: ${values.database ? database.replace(/\/\/[^@/]*@/, '//***@') : 'sqlite (temporary file)'}; ${N} messages in one IMAP folder, moved after commit`);
console.log(`${Math.round(N / seconds)} messages/s (${seconds.toFixed(2)} s: fetch, parse, decide, commit, move)`);
