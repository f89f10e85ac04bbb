// Versioned schema migrations, shipped inside the program. Each version has one script per dialect; the
// store applies, in version order and each in its own transaction, every one its schema_migrations table
// does not list yet.
// Times are integer milliseconds since the epoch; booleans are 0/1 integers in both dialects so the same
// queries serve both.

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'messages, events, suppressions, audit, recipients',
    sqlite: `
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sha256 TEXT NOT NULL UNIQUE,
        received_at INTEGER NOT NULL,
        source TEXT NOT NULL,
        size INTEGER NOT NULL,
        raw BLOB NOT NULL,
        parse_status TEXT NOT NULL,
        kind TEXT NOT NULL,
        mta TEXT,
        parser_version TEXT NOT NULL,
        message_id TEXT,
        subject TEXT NOT NULL DEFAULT '',
        verp_return_path TEXT,
        verp_status TEXT,
        verp_recipient TEXT,
        error TEXT,
        result TEXT NOT NULL
      );
      CREATE INDEX messages_received ON messages (received_at);
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id INTEGER NOT NULL REFERENCES messages (id),
        address TEXT NOT NULL,
        reported_address TEXT NOT NULL,
        kind TEXT NOT NULL,
        action TEXT NOT NULL,
        status TEXT NOT NULL,
        reply_code TEXT NOT NULL,
        reason TEXT NOT NULL,
        hard INTEGER,
        fault TEXT NOT NULL,
        diagnostic TEXT NOT NULL,
        remote_mta TEXT NOT NULL,
        command TEXT NOT NULL,
        mta TEXT,
        trusted INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        rule TEXT NOT NULL,
        explanation TEXT NOT NULL,
        soft_counted INTEGER NOT NULL,
        UNIQUE (message_id, address, reported_address)
      );
      CREATE INDEX events_address ON events (address, received_at);
      CREATE INDEX events_received ON events (received_at);
      CREATE TABLE suppressions (
        address TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        fault TEXT NOT NULL,
        kind TEXT NOT NULL,
        source_event_id INTEGER,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        count INTEGER NOT NULL,
        expires_at INTEGER,
        manual INTEGER NOT NULL,
        rule TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX suppressions_expires ON suppressions (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        address TEXT NOT NULL,
        change TEXT NOT NULL,
        actor TEXT NOT NULL,
        reason TEXT NOT NULL,
        event_id INTEGER,
        at INTEGER NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX audit_address ON audit (address, at);
      CREATE TABLE recipients (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        address TEXT NOT NULL UNIQUE
      );
    `,
    postgres: `
      CREATE TABLE messages (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        received_at BIGINT NOT NULL,
        source TEXT NOT NULL,
        size INTEGER NOT NULL,
        raw BYTEA NOT NULL,
        parse_status TEXT NOT NULL,
        kind TEXT NOT NULL,
        mta TEXT,
        parser_version TEXT NOT NULL,
        message_id TEXT,
        subject TEXT NOT NULL DEFAULT '',
        verp_return_path TEXT,
        verp_status TEXT,
        verp_recipient TEXT,
        error TEXT,
        result TEXT NOT NULL
      );
      CREATE INDEX messages_received ON messages (received_at);
      CREATE TABLE events (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        message_id BIGINT NOT NULL REFERENCES messages (id),
        address TEXT NOT NULL,
        reported_address TEXT NOT NULL,
        kind TEXT NOT NULL,
        action TEXT NOT NULL,
        status TEXT NOT NULL,
        reply_code TEXT NOT NULL,
        reason TEXT NOT NULL,
        hard SMALLINT,
        fault TEXT NOT NULL,
        diagnostic TEXT NOT NULL,
        remote_mta TEXT NOT NULL,
        command TEXT NOT NULL,
        mta TEXT,
        trusted SMALLINT NOT NULL,
        received_at BIGINT NOT NULL,
        outcome TEXT NOT NULL,
        rule TEXT NOT NULL,
        explanation TEXT NOT NULL,
        soft_counted SMALLINT NOT NULL,
        UNIQUE (message_id, address, reported_address)
      );
      CREATE INDEX events_address ON events (address, received_at);
      CREATE INDEX events_received ON events (received_at);
      CREATE TABLE suppressions (
        address TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        fault TEXT NOT NULL,
        kind TEXT NOT NULL,
        source_event_id BIGINT,
        first_seen BIGINT NOT NULL,
        last_seen BIGINT NOT NULL,
        count INTEGER NOT NULL,
        expires_at BIGINT,
        manual SMALLINT NOT NULL,
        rule TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX suppressions_expires ON suppressions (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE audit (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        address TEXT NOT NULL,
        change TEXT NOT NULL,
        actor TEXT NOT NULL,
        reason TEXT NOT NULL,
        event_id BIGINT,
        at BIGINT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX audit_address ON audit (address, at);
      CREATE TABLE recipients (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        address TEXT NOT NULL UNIQUE
      );
    `,
  },
  {
    // the durable outbox for webhooks and the users-table hook (src/notify/): one row per event, written in
    // the unit that causes it; a dispatcher fans each out to one delivery row per target and delivers it
    version: 2,
    name: 'outbox, outbox deliveries',
    sqlite: `
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        address TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        payload TEXT NOT NULL,
        fanned_out INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX outbox_queued ON outbox (id) WHERE fanned_out = 0;
      CREATE TABLE outbox_deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        outbox_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
        target TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        lease_token TEXT,
        lease_until INTEGER,
        last_error TEXT NOT NULL DEFAULT '',
        updated_at INTEGER NOT NULL,
        UNIQUE (outbox_id, target)
      );
      CREATE INDEX outbox_deliveries_due ON outbox_deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX outbox_deliveries_status ON outbox_deliveries (status, updated_at);
    `,
    postgres: `
      CREATE TABLE outbox (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        address TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        payload TEXT NOT NULL,
        fanned_out SMALLINT NOT NULL DEFAULT 0
      );
      CREATE INDEX outbox_queued ON outbox (id) WHERE fanned_out = 0;
      CREATE TABLE outbox_deliveries (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        outbox_id BIGINT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
        target TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        lease_token TEXT,
        lease_until BIGINT,
        last_error TEXT NOT NULL DEFAULT '',
        updated_at BIGINT NOT NULL,
        UNIQUE (outbox_id, target)
      );
      CREATE INDEX outbox_deliveries_due ON outbox_deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX outbox_deliveries_status ON outbox_deliveries (status, updated_at);
    `,
  },
  {
    // where each mailbox intake stopped: an IMAP mailbox's UIDVALIDITY and last committed UID, an mbox
    // import's byte offset (src/ingest/imap.ts, src/ingest/import.ts); written in the unit of its messages
    version: 4,
    name: 'intake checkpoints',
    sqlite: `
      CREATE TABLE intake_checkpoints (
        name TEXT PRIMARY KEY,
        validity TEXT NOT NULL,
        position INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE intake_checkpoints (
        name TEXT PRIMARY KEY,
        validity TEXT NOT NULL,
        position BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
    `,
  },
];

export const SCHEMA_VERSION = Math.max(0, ...MIGRATIONS.map((m) => m.version));
