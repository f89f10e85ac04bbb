// The running service: store, SMTP receiver and housekeeping, started from a validated Config and stopped
// gracefully (stop accepting, finish what was accepted, close the store).
import type { Config } from './config.js';
import { parseListen } from './config.js';
import { startSmtp, type SmtpReceiver } from './ingest/smtp.js';
import type { IngestContext } from './ingest/ingest-raw.js';
import type { Logger } from './log.js';
import { describeDatabase, openStore } from './store/index.js';
import type { Store } from './store/types.js';

export interface Service {
  store: Store;
  smtp: SmtpReceiver | null;
  ingest: IngestContext;
  stop(): Promise<void>;
}

/** How often lapsed suppressions are swept. */
const SWEEP_MS = 60_000;

export async function startService(config: Config, log: Logger): Promise<Service> {
  const db = describeDatabase(config.database.url);
  const store = await openStore(config.database.url);
  log.info({ dialect: db.dialect, database: db.target }, 'store ready');
  const ingest: IngestContext = { store, verp: config.verpConfig, policy: config.policyConfig };
  let smtp: SmtpReceiver | null = null;
  const listen = config.smtp.listen === 'off' ? undefined : parseListen(config.smtp.listen);
  try {
    if (listen) {
      smtp = await startSmtp(ingest, {
        host: listen.host, port: listen.port, maxMessageBytes: config.smtp.maxMessageBytes, maxClients: config.smtp.maxClients,
        hostname: config.smtp.hostname, tlsCert: config.smtp.tlsCert, tlsKey: config.smtp.tlsKey,
      }, log);
      const a = smtp.address();
      log.info({ host: a.host, port: a.port, bounceDomains: config.bounceDomains, signed: config.verp.secret.length > 0 }, 'smtp receiver listening');
    }
  } catch (err) {
    await store.close();
    throw err;
  }
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
    ingest,
    stop() {
      stopping ??= (async () => {
        clearInterval(sweep);
        if (smtp) await smtp.close();
        await store.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}
