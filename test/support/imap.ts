// The real Dovecot of test/support/realmail.ts from the test's side: a folder of its own per test (so tests
// running at once never see each other's messages), APPEND, and the state of each message.
import { ImapFlow } from 'imapflow';
import type { ImapMailbox } from '../../src/ingest/imap-config.js';
import { REALMAIL } from './realmail.js';

let counter = 0;

/** A folder name no other test uses (Dovecot's Maildir++ separator is ".", so none in the name). */
export function uniqueFolder(label: string): string {
  return `t-${label}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}

/** The intake's view of a folder of the test account. */
export function testMailbox(folder: string, action: ImapMailbox['action'] = 'seen', moveTo = ''): ImapMailbox {
  return {
    name: `${REALMAIL.imapUser}@127.0.0.1:${REALMAIL.imapPort}/${folder}`,
    host: '127.0.0.1', port: REALMAIL.imapPort, tls: 'none', user: REALMAIL.imapUser, password: REALMAIL.imapPassword,
    mailbox: folder, action, folder: moveTo,
  };
}

/** The imap:// URL of a folder, as REBOUND_IMAP_URLS takes it. */
export function testMailboxUrl(folder: string, query = ''): string {
  return `imap://${encodeURIComponent(REALMAIL.imapUser)}:${REALMAIL.imapPassword}@127.0.0.1:${REALMAIL.imapPort}/${folder}?tls=none${query ? '&' + query : ''}`;
}

export interface MessageState {
  uid: number;
  seen: boolean;
}

/** The test's own IMAP connection to the account. */
export class TestImap {
  readonly client: ImapFlow;

  private constructor(client: ImapFlow) {
    this.client = client;
  }

  static async connect(): Promise<TestImap> {
    const client = new ImapFlow({
      host: '127.0.0.1', port: REALMAIL.imapPort, secure: false, doSTARTTLS: false,
      auth: { user: REALMAIL.imapUser, pass: REALMAIL.imapPassword }, logger: false, disableAutoIdle: true,
    });
    client.on('error', () => undefined);
    await client.connect();
    return new TestImap(client);
  }

  async create(folder: string): Promise<void> {
    await this.client.mailboxCreate(folder);
  }

  async remove(folder: string): Promise<void> {
    await this.client.mailboxDelete(folder).catch(() => undefined);
  }

  async append(folder: string, messages: readonly Buffer[]): Promise<number[]> {
    const uids: number[] = [];
    for (const m of messages) {
      const r = await this.client.append(folder, m);
      if (!r || r.uid === undefined) throw new Error(`APPEND to ${folder} failed`);
      uids.push(r.uid);
    }
    return uids;
  }

  async uidValidity(folder: string): Promise<string> {
    const s = await this.client.status(folder, { uidValidity: true });
    if (!s) throw new Error(`STATUS ${folder} failed`);
    return String(s.uidValidity);
  }

  /** Every message of a folder with its \Seen flag, in UID order. */
  async state(folder: string): Promise<MessageState[]> {
    const lock = await this.client.getMailboxLock(folder, { readOnly: true });
    try {
      if (!this.client.mailbox || this.client.mailbox.exists === 0) return [];
      const all = await this.client.fetchAll('1:*', { uid: true, flags: true }, { uid: true });
      // untagged FETCHes of flag changes made by other connections may come with the answer: one entry per UID
      const byUid = new Map<number, MessageState>();
      for (const m of all) if (typeof m.uid === 'number' && m.uid > 0) byUid.set(m.uid, { uid: m.uid, seen: m.flags?.has('\\Seen') ?? false });
      return [...byUid.values()].sort((a, b) => a.uid - b.uid);
    } finally {
      lock.release();
    }
  }

  async close(): Promise<void> {
    await this.client.logout().catch(() => this.client.close());
  }
}
