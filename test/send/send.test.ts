// Sending through a local relay (smtp-server on 127.0.0.1) that refuses some recipients, over both stores:
// one transaction per recipient with its VERP return path as MAIL FROM, suppressed recipients skipped,
// refusals at RCPT and DATA recorded like bounces, List-Unsubscribe when configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createSender, SendError, type RecipientOutcome } from '../../src/send/index.js';
import type { Store } from '../../src/store/types.js';
import { suppressManually } from '../../src/suppressions.js';
import { decode } from '../../src/verp/codec.js';
import { startRelay, type Relay } from '../support/relay.js';
import { freshDatabase, STORE_KINDS, type Fresh } from '../support/stores.js';

const LONG = `${'a'.repeat(58)}@example.com`;

describe.each(STORE_KINDS)('sending with the %s store', (kind) => {
  let db: Fresh;
  let store: Store;
  let relay: Relay;
  let config: Config;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    store = await db.open();
    relay = await startRelay();
    config = loadConfig({
      env: {
        REBOUND_DATABASE_URL: db.url, REBOUND_SEND_SMTP_URL: `smtp://127.0.0.1:${relay.port}`, REBOUND_BOUNCE_DOMAINS: 'bounces.example.org',
        REBOUND_VERP_SECRET: 'a-long-test-secret-0001', REBOUND_SEND_FROM: 'News <news@example.org>',
        REBOUND_SEND_UNSUBSCRIBE_URL: 'https://example.org/unsubscribe?a={address}&c={id}', REBOUND_SEND_UNSUBSCRIBE_MAILTO: 'unsubscribe@example.org',
      },
    });
  });
  afterAll(async () => {
    await relay.close();
    await store.close();
    await db.cleanup();
  });

  it('sends each recipient its own transaction, skips the suppressed, and records the refusals as bounces', async () => {
    await suppressManually(store, 'gone@example.com', { reason: 'userunknown' });
    const sender = await createSender(config, { store });
    const to = ['ok@example.com', 'nouser@example.com', 'full@example.com', 'spamtrap@example.com', 'Gone@Example.com', LONG, 'not an address', 'OK@example.com'];
    const report = await sender.send({ to, subject: 'Our news', text: 'Hello.\n', sendId: 'spring-26' });
    await sender.close();
    const by = new Map<string, RecipientOutcome>(report.recipients.map((r) => [r.address, r]));
    expect(report.recipients.map((r) => [r.address, r.status])).toEqual([
      ['ok@example.com', 'sent'], ['nouser@example.com', 'rejected'], ['full@example.com', 'rejected'], ['spamtrap@example.com', 'rejected'],
      ['gone@example.com', 'skipped'], [LONG, 'sent'], ['not an address', 'invalid'],
    ]);
    expect(report).toMatchObject({ sent: 2, skipped: 1, rejected: 3, failed: 1 });
    expect(by.get('gone@example.com')).toMatchObject({ reason: 'userunknown' });

    // what the relay saw: one recipient per transaction, MAIL FROM = that recipient's signed VERP address
    expect(relay.delivered.map((d) => d.rcptTo)).toEqual(expect.arrayContaining([['ok@example.com'], [LONG]]));
    expect(relay.delivered).toHaveLength(2);
    for (const d of relay.delivered) {
      const rcpt = d.rcptTo[0] ?? '';
      const sent = by.get(rcpt);
      expect(sent?.status === 'sent' && sent.returnPath).toBe(d.mailFrom);
      const v = decode(d.mailFrom, config.verpConfig);
      expect(v).toMatchObject({ status: 'ok', sendId: 'spring-26' });
      const named = v.recipient ?? (await store.unit((tx) => tx.recipientById(v.recipientId ?? -1)));
      expect(named).toBe(rcpt);
      expect(d.raw).toMatch(/^From: News <news@example\.org>/m);
      expect(d.raw).toContain(`List-Unsubscribe: <https://example.org/unsubscribe?a=${encodeURIComponent(rcpt)}&c=spring-26>,`);
      expect(d.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    }
    // the long address did not fit a readable return path: the compact form, through the store
    expect(relay.delivered.find((d) => d.rcptTo[0] === LONG)?.mailFrom).toMatch(/^bounces\+r[0-9a-z]+-spring-26\./);

    // refusals became events through ingestRaw (source "send"), and the policy acted on them
    const [nouser] = await store.listEvents({ address: 'nouser@example.com' });
    expect(nouser).toMatchObject({ reason: 'userunknown', hard: true, status: '5.1.1', replyCode: '550', command: 'RCPT', trusted: true, outcome: 'suppress' });
    expect((await store.getMessage(nouser?.messageId ?? 0))?.source).toBe('send');
    expect(await store.isSuppressed('nouser@example.com')).toMatchObject({ reason: 'userunknown', manual: false });
    const rejected = by.get('nouser@example.com');
    expect(rejected).toMatchObject({ status: 'rejected', temporary: false, replyCode: 550, command: 'RCPT TO' });
    expect(rejected?.status === 'rejected' && rejected.recorded.changes).toEqual([expect.objectContaining({ address: 'nouser@example.com', change: 'add' })]);

    const [full] = await store.listEvents({ address: 'full@example.com' });
    expect(full).toMatchObject({ reason: 'mailboxfull', hard: false, status: '4.2.2', command: 'RCPT', outcome: 'count' });
    expect(by.get('full@example.com')).toMatchObject({ temporary: true, replyCode: 452 });
    expect(await store.isSuppressed('full@example.com')).toBeUndefined();

    const [spam] = await store.listEvents({ address: 'spamtrap@example.com' });
    expect(spam).toMatchObject({ status: '5.7.1', command: 'DATA', fault: 'sender' });
    expect(by.get('spamtrap@example.com')).toMatchObject({ command: 'DATA', replyCode: 554 });
    expect(await store.isSuppressed('spamtrap@example.com')).toBeUndefined();

    // and, like any bounce, they are queued for the webhooks and the hook
    await store.unit((tx) => tx.fanOutOutbox([{ name: 'all', types: ['bounce', 'suppressed'] }], Date.now(), 1000));
    const queued = await store.listOutbox();
    expect(queued.filter((q) => q.address === 'nouser@example.com').map((q) => q.type)).toEqual(['bounce', 'suppressed']);
  });

  it('adds no List-Unsubscribe when none is configured, and refuses a message it cannot send', async () => {
    const plain = loadConfig({
      env: { REBOUND_DATABASE_URL: db.url, REBOUND_SEND_SMTP_URL: `smtp://127.0.0.1:${relay.port}`, REBOUND_BOUNCE_DOMAINS: 'bounces.example.org' },
    });
    const sender = await createSender(plain, { store });
    try {
      const r = await sender.send({ to: ['plain@example.com'], subject: 'Hi', html: '<p>Hi</p>', from: 'me@example.org' });
      expect(r.recipients).toEqual([expect.objectContaining({ status: 'sent', returnPath: 'bounces+plain=example.com@bounces.example.org' })]);
      const raw = relay.delivered.at(-1)?.raw ?? '';
      expect(raw).toMatch(/^Content-Type: text\/html/m);
      expect(raw).not.toMatch(/^List-Unsubscribe/m);
      await expect(sender.send({ to: ['plain@example.com'], subject: 'Hi', text: 'x' })).rejects.toThrow(SendError);
      await expect(sender.send({ to: ['plain@example.com'], subject: 'Hi', text: 'x', from: 'me@example.org', sendId: 'x1' })).rejects.toThrow(/verp.secret/);
    } finally {
      await sender.close();
    }
  });
});
