// A place the outbox delivers to: a webhook URL or the users-table hook. deliver() resolves when the
// receiver has taken the event and throws (DeliveryError) when it has not; the dispatcher retries.
import type { ClaimedDelivery, OutboxTargetSpec } from '../store/types.js';

export interface Target extends OutboxTargetSpec {
  deliver(d: ClaimedDelivery): Promise<void>;
  close?(): Promise<void>;
}

export class DeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/** A short description of why an attempt failed, for the outbox row and the log. */
export function describeFailure(err: unknown): string {
  if (err instanceof DeliveryError) return err.message;
  if (err instanceof Error) {
    const cause = err.cause as { code?: string; message?: string } | undefined;
    const why = cause?.code ?? cause?.message;
    return why && !err.message.includes(why) ? `${err.message}: ${why}` : err.message;
  }
  return String(err);
}
