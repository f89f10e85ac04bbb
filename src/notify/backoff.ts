// Retry delays for outbox deliveries: exponential, capped, with jitter.

/**
 * The delay after `attempts` failed attempts: base·2^(attempts−1), capped at maxMs, of which half is fixed
 * and half random ("equal jitter"), so deliveries that failed together do not all retry at the same moment
 * and none retries sooner than half the nominal delay.
 */
export function retryDelay(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const nominal = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  return Math.round(nominal / 2 + (random() * nominal) / 2);
}
