// The rhythm every mailbox intake shares: run a check, wait until poked (new mail noticed, a caller asked)
// or until the poll interval passed, check again; after a failure wait with doubling backoff. A caller may
// ask for a check and wait for its result.

/** Longest wait before retrying a check that failed (doubling from one second). */
const MAX_BACKOFF_MS = 60_000;

interface Waiter<R> {
  resolve(r: R): void;
  reject(err: unknown): void;
}

export class LoopStopped extends Error {
  constructor(what: string) {
    super(`${what} is stopped`);
    this.name = 'LoopStopped';
  }
}

export class CheckLoop<R> {
  #waiters: Array<Waiter<R>> = [];
  #poked = false;
  #wake: (() => void) | null = null;
  #stopped = false;
  readonly #done: Promise<void>;

  constructor(
    private readonly what: string,
    private readonly check: () => Promise<R>,
    private readonly opts: { pollMs: number; onError(err: unknown, retryMs: number): void },
  ) {
    this.#done = this.#run();
  }

  /** A check that starts after this call; resolves with its result, rejects with its failure. */
  request(): Promise<R> {
    if (this.#stopped) return Promise.reject(new LoopStopped(this.what));
    return new Promise<R>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.poke();
    });
  }

  /** Check again as soon as the current check (if any) is done. */
  poke(): void {
    this.#poked = true;
    this.#wake?.();
  }

  #sleep(ms: number): Promise<void> {
    if (this.#poked || this.#stopped) {
      this.#poked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = null;
        this.#poked = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #run(): Promise<void> {
    let backoff = 1_000;
    while (!this.#stopped) {
      const waiters = this.#waiters.splice(0);
      this.#poked = false;
      try {
        const r = await this.check();
        backoff = 1_000;
        for (const w of waiters) w.resolve(r);
        await this.#sleep(this.opts.pollMs);
      } catch (err) {
        for (const w of waiters) w.reject(err);
        if (this.#stopped) break;
        this.opts.onError(err, backoff);
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    for (const w of this.#waiters.splice(0)) w.reject(new LoopStopped(this.what));
  }

  /** No further checks; resolves when the one in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#done;
  }
}

/**
 * Wait for every promise (each intake's check runs to its end even when another fails); the results in
 * order, or the failure (all of them, when several failed).
 */
export async function settleAll<R>(checks: ReadonlyArray<Promise<R>>): Promise<R[]> {
  const settled = await Promise.allSettled(checks);
  const failed = settled.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (failed.length === 1) throw failed[0]?.reason;
  if (failed.length > 1) throw new AggregateError(failed.map((x) => x.reason), failed.map((x) => (x.reason as Error).message).join('; '));
  return settled.map((x) => (x as PromiseFulfilledResult<R>).value);
}
