// The outbox dispatcher: delivers what the store units queued, at least once. Each round it
//   1. fans queued events out to one delivery per target that takes their type,
//   2. leases the due deliveries of its targets (a lease, and FOR UPDATE SKIP LOCKED on PostgreSQL, so
//      several receivers on one database never deliver the same row at once; a dispatcher that dies
//      mid-delivery loses its lease and another retries),
//   3. delivers them concurrently and records each outcome: delivered; or due again after an exponential,
//      capped, jittered delay; or, after the last allowed attempt, failed (kept, listed by
//      `rebound outbox list --failed`, made due again by `rebound outbox retry`).
// It runs beside intake and never blocks it: its failures are logged and retried.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ClaimedDelivery, DeliveryOutcome, Store } from '../store/types.js';
import { retryDelay } from './backoff.js';
import { describeFailure, type Target } from './target.js';

/** Deliveries leased per round (and delivered concurrently). */
const BATCH = 32;
/** Events fanned out per store unit. */
const FAN_OUT_BATCH = 500;
/** Delivered rows are kept this long for inspection, then pruned. */
const KEEP_DELIVERED_MS = 7 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

export interface DispatcherOptions {
  store: Store;
  targets: readonly Target[];
  /** Attempts before a delivery is marked failed. */
  maxAttempts: number;
  /** Delay before the first retry; it doubles with each attempt, up to retryMaxMs (with jitter). */
  retryMs: number;
  retryMaxMs: number;
  /** How long a lease lasts: must exceed the longest delivery attempt. */
  leaseMs: number;
  log?: Logger | undefined;
  /** Pause between rounds when nothing was due. */
  pollMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface RoundResult {
  /** Events fanned out to the targets. */
  fannedOut: number;
  claimed: number;
  delivered: number;
  /** Failed attempts that will be retried. */
  retrying: number;
  /** Deliveries that used their last attempt. */
  failed: number;
}

export interface Dispatcher {
  /** Start delivering in the background (rounds every pollMs, at once while there is more). */
  start(): void;
  /** One round, awaited: for tests and one-shot commands. */
  runOnce(): Promise<RoundResult>;
  /** Start the next round now (e.g. after an intake committed). */
  wake(): void;
  /** Finish the round in progress, stop, and close the targets. */
  stop(): Promise<void>;
}

export function createDispatcher(o: DispatcherOptions): Dispatcher {
  const now = o.now ?? Date.now;
  const byName = new Map(o.targets.map((t) => [t.name, t]));
  const specs = o.targets.map((t) => ({ name: t.name, types: t.types }));
  const names = [...byName.keys()];
  let lastPrune = 0;
  let stopped = false;
  let loop: Promise<void> | null = null;
  let stopping: Promise<void> | null = null;
  let sleeper: { timer: NodeJS.Timeout; resolve: () => void } | null = null;

  async function attempt(d: ClaimedDelivery, token: string): Promise<DeliveryOutcome> {
    const target = byName.get(d.target);
    let outcome: DeliveryOutcome;
    try {
      if (!target) throw new Error(`no target ${d.target}`);
      await target.deliver(d);
      outcome = { status: 'delivered', at: now() };
    } catch (err) {
      const error = describeFailure(err);
      const at = now();
      outcome = d.attempts >= o.maxAttempts
        ? { status: 'failed', at, error }
        : { status: 'pending', at, error, nextAttemptAt: at + retryDelay(d.attempts, o.retryMs, o.retryMaxMs, o.random) };
      const fields = { target: d.target, eventId: d.eventId, type: d.type, attempt: d.attempts, error };
      if (outcome.status === 'failed') o.log?.error(fields, 'outbox delivery failed for good');
      else o.log?.warn({ ...fields, retryAt: new Date(outcome.nextAttemptAt).toISOString() }, 'outbox delivery failed, will retry');
    }
    try {
      const kept = await o.store.unit((tx) => tx.finishDelivery(d.id, token, outcome));
      if (!kept) o.log?.warn({ target: d.target, eventId: d.eventId }, 'outbox lease lapsed before the outcome was recorded');
    } catch (err) {
      // the lease lapses and the delivery is tried again: at least once
      o.log?.warn({ err, target: d.target, eventId: d.eventId }, 'could not record an outbox outcome');
    }
    return outcome;
  }

  async function runOnce(): Promise<RoundResult> {
    const r: RoundResult = { fannedOut: 0, claimed: 0, delivered: 0, retrying: 0, failed: 0 };
    for (;;) {
      const n = await o.store.unit((tx) => tx.fanOutOutbox(specs, now(), FAN_OUT_BATCH));
      r.fannedOut += n;
      if (n < FAN_OUT_BATCH) break;
    }
    const token = randomUUID();
    const claimed = names.length === 0 ? [] : await o.store.unit((tx) => tx.claimDeliveries({ targets: names, now: now(), leaseMs: o.leaseMs, limit: BATCH, token }));
    r.claimed = claimed.length;
    for (const outcome of await Promise.all(claimed.map((d) => attempt(d, token)))) {
      if (outcome.status === 'delivered') r.delivered++;
      else if (outcome.status === 'failed') r.failed++;
      else r.retrying++;
    }
    if (now() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now();
      const pruned = await o.store.unit((tx) => tx.pruneOutbox(now() - KEEP_DELIVERED_MS));
      if (pruned > 0) o.log?.debug({ pruned }, 'outbox pruned');
    }
    return r;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        sleeper = null;
        resolve();
      }, ms);
      timer.unref();
      sleeper = { timer, resolve };
    });
  }

  function wake(): void {
    if (!sleeper) return;
    clearTimeout(sleeper.timer);
    const { resolve } = sleeper;
    sleeper = null;
    resolve();
  }

  async function run(): Promise<void> {
    while (!stopped) {
      let more = false;
      try {
        const r = await runOnce();
        more = r.claimed === BATCH;
        if (r.delivered + r.retrying + r.failed > 0) o.log?.debug(r, 'outbox round');
      } catch (err) {
        o.log?.warn({ err }, 'outbox round failed');
      }
      if (!more && !stopped) await sleep(o.pollMs ?? 1000);
    }
  }

  return {
    start() {
      if (loop || stopped) return;
      loop = run();
    },
    runOnce,
    wake,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        wake();
        await loop;
        for (const t of o.targets) await t.close?.().catch((err: unknown) => o.log?.warn({ err, target: t.name }, 'closing a target failed'));
      })();
      return stopping;
    },
  };
}
