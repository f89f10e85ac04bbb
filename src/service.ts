// The running service: store, SMTP receiver, outbox dispatcher and housekeeping, started from a validated
// Config and stopped gracefully (stop accepting, finish what was accepted and the delivery round in
// progress, close the store).
import { startHttp, type HttpServer } from './api/server.js';
import type { Config } from './config.js';
import { notificationsConfigured, parseListen } from './config.js';
import { startImap, type ImapIntake } from './ingest/imap.js';
import { startMaildir, type MaildirIntake } from './ingest/maildir.js';
import { startSmtp, type SmtpReceiver } from './ingest/smtp.js';
import type { IngestContext } from './ingest/ingest-raw.js';
import type { Logger } from './log.js';
import { Metrics } from './metrics.js';
import { dispatcherFromConfig, type Dispatcher } from './notify/index.js';
import { describeDatabase, openStore } from './store/index.js';
import type { Store } from './store/types.js';

export interface Service {
  store: Store;
  smtp: SmtpReceiver | null;
  /** The HTTP API and dashboard. */
  http: HttpServer | null;
  metrics: Metrics;
  ingest: IngestContext;
  /** The IMAP readers (imap.mailboxes), null when none are configured. */
  imap: ImapIntake | null;
  /** The Maildir watchers (maildir.dirs), null when none are configured. */
  maildir: MaildirIntake | null;
  /** Delivers the outbox to the webhooks and the users-table hook. */
  dispatcher: Dispatcher;
  stop(): Promise<void>;
}

/** How often lapsed suppressions are swept. */
const SWEEP_MS = 60_000;

export async function startService(config: Config, log: Logger): Promise<Service> {
  const db = describeDatabase(config.database.url);
  const store = await openStore(config.database.url, { notifications: notificationsConfigured(config) });
  log.info({ dialect: db.dialect, database: db.target }, 'store ready');
  const dispatcher = dispatcherFromConfig(config, store, log);
  const metrics = new Metrics(store);
  const ingest: IngestContext = {
    store, verp: config.verpConfig, policy: config.policyConfig, onChange: () => dispatcher.wake(),
    // every intake (SMTP, IMAP, Maildir) reports to the metrics through the one ingest path
    onIngested: (r, seconds, source) => metrics.observeIngest(r, seconds, source),
  };
  let smtp: SmtpReceiver | null = null;
  let http: HttpServer | null = null;
  let accepting = true;
  const listen = config.smtp.listen === 'off' ? undefined : parseListen(config.smtp.listen);
  const httpListen = config.http.listen === 'off' ? undefined : parseListen(config.http.listen);
  try {
    if (listen) {
      smtp = await startSmtp(ingest, {
        host: listen.host, port: listen.port, maxMessageBytes: config.smtp.maxMessageBytes, maxClients: config.smtp.maxClients,
        hostname: config.smtp.hostname, tlsCert: config.smtp.tlsCert, tlsKey: config.smtp.tlsKey,
      }, log);
      const a = smtp.address();
      log.info({ host: a.host, port: a.port, bounceDomains: config.bounceDomains, signed: config.verp.secret.length > 0 }, 'smtp receiver listening');
    }
    if (httpListen) {
      http = await startHttp({
        store, metrics, log, verp: config.verpConfig, maxMessageBytes: config.smtp.maxMessageBytes, auth: config.http,
        accepting: () => accepting, onChange: (c) => ingest.onChange?.(c),
      }, httpListen.host, httpListen.port);
      const a = http.address();
      log.info({ host: a.host, port: a.port, tokens: config.http.token !== '' || config.http.readToken !== '' }, 'http api listening');
    }
  } catch (err) {
    if (smtp) await smtp.close();
    await dispatcher.stop();
    await store.close();
    throw err;
  }
  dispatcher.start();
  log.info({ webhooks: config.webhooks.urls.length, hook: config.hook.databaseUrl !== '' }, 'outbox dispatcher running');
  // mailbox intakes: they connect and catch up in the background (a mailbox that fails is retried, and logged)
  const imap = config.imapMailboxes.length > 0
    ? startImap(ingest, config.imapMailboxes, { pollMs: config.imap.pollSeconds * 1000, idle: config.imap.idle }, log)
    : null;
  if (imap) log.info({ mailboxes: config.imapMailboxes.map((m) => m.name), idle: config.imap.idle }, 'imap intake running');
  const maildir = config.maildir.dirs.length > 0
    ? startMaildir(ingest, config.maildir.dirs, { processed: config.maildir.processed, pollMs: config.maildir.pollSeconds * 1000 }, log)
    : null;
  if (maildir) log.info({ maildirs: config.maildir.dirs }, 'maildir intake running');
  const sweep = setInterval(() => {
    store.sweepExpired().then(
      (n) => n > 0 && log.info({ lapsed: n }, 'suppressions lapsed'),
      (err: unknown) => log.warn({ err }, 'sweep failed'),
    );
  }, SWEEP_MS);
  sweep.unref();
  let stopping: Promise<void> | null = null;
  return {
    store,
    smtp,
    http,
    metrics,
    ingest,
    imap,
    maildir,
    dispatcher,
    stop() {
      stopping ??= (async () => {
        clearInterval(sweep);
        accepting = false;
        if (http) await http.close();
        if (smtp) await smtp.close();
        // the checks in progress commit and acknowledge their batch first
        if (imap) await imap.stop();
        if (maildir) await maildir.stop();
        await dispatcher.stop();
        await store.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}
