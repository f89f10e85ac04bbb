// Telling the app: webhooks and the users-table hook, fed from the store's durable outbox. The service
// starts one dispatcher from the configuration; library users can build their own with createDispatcher().
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../store/types.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import type { Target } from './target.js';
import { UsersTableHook } from './users-hook.js';
import { WebhookTarget } from './webhook.js';

export { createDispatcher, type Dispatcher, type DispatcherOptions, type RoundResult } from './dispatcher.js';
export { signatureHeader, verifySignature, SIGNATURE_HEADER } from './signature.js';
export { UsersTableHook } from './users-hook.js';
export { WebhookTarget } from './webhook.js';
export type { Target } from './target.js';

/** The targets the configuration names: one per webhook URL, and the users-table hook when set. */
export function targetsFromConfig(config: Config, store: Store): Target[] {
  const targets: Target[] = config.webhooks.urls.map((url) => new WebhookTarget({
    url, secrets: config.webhooks.secret, timeoutMs: config.webhooks.timeoutSeconds * 1000,
  }));
  if (config.hook.databaseUrl !== '') {
    targets.push(new UsersTableHook({
      databaseUrl: config.hook.databaseUrl, suppressSql: config.hook.suppressSql, unsuppressSql: config.hook.unsuppressSql, store,
    }));
  }
  return targets;
}

/**
 * The dispatcher for the configured targets. With none configured it still runs: it marks queued events
 * as handled (so the outbox does not grow) — give every receiver that shares a database the same
 * webhook and hook settings.
 */
export function dispatcherFromConfig(config: Config, store: Store, log?: Logger, options: { pollMs?: number } = {}): Dispatcher {
  return createDispatcher({
    store,
    targets: targetsFromConfig(config, store),
    maxAttempts: config.outbox.maxAttempts,
    retryMs: config.outbox.retrySeconds * 1000,
    retryMaxMs: config.outbox.retryMaxSeconds * 1000,
    // longer than any attempt: a webhook's timeout (the hook's statements are bounded more tightly)
    leaseMs: Math.max(60_000, config.webhooks.timeoutSeconds * 1000 * 3),
    log,
    ...options,
  });
}
