// The IMAP mailbox settings: URL and table forms, defaults, the shared password, clear errors, masking.
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from '../../src/config.js';

const load = (env: Record<string, string>) => loadConfig({ env });
const problem = (env: Record<string, string>): string => {
  try {
    load(env);
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
};

describe('IMAP mailbox configuration', () => {
  it('reads URLs: TLS and port defaults, percent-encoded user, per-URL or shared password, actions', () => {
    const c = load({
      REBOUND_IMAP_URLS: 'imaps://bounces%40example.org@imap.example.org/INBOX?action=move&folder=Processed,imap://fbl:p%2Cw@mail.example.net:1143/Feedback?action=delete&tls=none&name=fbl',
      REBOUND_IMAP_PASSWORD: 'shared-secret',
    });
    expect(c.imapMailboxes).toEqual([
      { name: 'bounces@example.org@imap.example.org:993/INBOX', host: 'imap.example.org', port: 993, tls: 'implicit', user: 'bounces@example.org', password: 'shared-secret', mailbox: 'INBOX', action: 'move', folder: 'Processed' },
      { name: 'fbl', host: 'mail.example.net', port: 1143, tls: 'none', user: 'fbl', password: 'p,w', mailbox: 'Feedback', action: 'delete', folder: '' },
    ]);
    const plain = load({ REBOUND_IMAP_URLS: 'imap://u@h', REBOUND_IMAP_PASSWORD: 'x' }).imapMailboxes[0];
    expect(plain).toMatchObject({ port: 143, tls: 'starttls', mailbox: 'INBOX', action: 'seen' });
  });

  it('takes an array of tables from a file (and as JSON through the flag-less env form it is a list of URLs)', () => {
    const c = loadConfig({ env: {}, file: undefined, flags: { 'imap.mailboxes': 'imap://a@h1/X,imap://b@h2/Y', 'imap.password': 'pw' } });
    expect(c.imapMailboxes.map((m) => m.name)).toEqual(['a@h1:143/X', 'b@h2:143/Y']);
  });

  it('says what is wrong, and where the value came from', () => {
    expect(problem({ REBOUND_IMAP_URLS: 'http://h/INBOX' })).toMatch(/imap\.mailboxes\.0: unsupported scheme "http:".*from env REBOUND_IMAP_URLS/);
    expect(problem({ REBOUND_IMAP_URLS: 'imap://h/INBOX' })).toMatch(/names no user/);
    expect(problem({ REBOUND_IMAP_URLS: 'imap://u:p@h/INBOX?action=move' })).toMatch(/action "move" needs a folder/);
    expect(problem({ REBOUND_IMAP_URLS: 'imap://u:p@h/INBOX?colour=blue' })).toMatch(/unknown URL parameter "colour"/);
    expect(problem({ REBOUND_IMAP_URLS: 'imap://u:p@h/INBOX?tls=sometimes' })).toMatch(/imap\.mailboxes\.0/);
    expect(problem({ REBOUND_IMAP_URLS: 'imap://u@h/INBOX' })).toMatch(/no password.*REBOUND_IMAP_PASSWORD/);
    expect(problem({ REBOUND_IMAP_URLS: 'imap://u:p@h/INBOX,imap://u:q@h/INBOX' })).toMatch(/configured twice/);
    expect(problem({ REBOUND_IMAP_POLL_SECONDS: '0' })).toMatch(/imap\.pollSeconds/);
  });

  it('never shows a password in rebound config', () => {
    const c = load({ REBOUND_IMAP_URLS: 'imap://u:hunter2@h/INBOX', REBOUND_IMAP_PASSWORD: 'hunter3' });
    const shown = JSON.stringify(describeConfig(c));
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('hunter3');
    expect(shown).toContain('imap.mailboxes');
  });

  it('reads the Maildir settings', () => {
    const c = load({ REBOUND_MAILDIRS: '/var/mail/a, /var/mail/b', REBOUND_MAILDIR_PROCESSED: '.Processed' });
    expect(c.maildir).toEqual({ dirs: ['/var/mail/a', '/var/mail/b'], processed: '.Processed', pollSeconds: 30 });
  });
});
