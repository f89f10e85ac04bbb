// Webhook delivery: POST the event's JSON body to one URL, signed (see signature.ts). Any 2xx answer is
// success; anything else (other statuses, redirects, refused connections, no answer in time) is a failed
// attempt the dispatcher retries.
import type { ClaimedDelivery, OutboxType } from '../store/types.js';
import { signatureHeader } from './signature.js';
import { DeliveryError, type Target } from './target.js';

export const WEBHOOK_TYPES: readonly OutboxType[] = ['bounce', 'complaint', 'suppressed', 'unsuppressed'];
/** Most of an error answer's body kept in the outbox row: enough to see what the receiver said. */
const ERROR_BODY_CHARS = 200;

export interface WebhookOptions {
  url: string;
  secrets: readonly string[];
  timeoutMs: number;
  /** Clock (ms) for the signature timestamp. */
  now?: () => number;
}

/** The target name of a webhook: its URL without any user:password. */
export function webhookTargetName(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return `webhook:${u.toString()}`;
}

async function bodyStart(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  try {
    const { value } = await reader.read();
    return value ? Buffer.from(value).toString('utf8', 0, Math.min(value.length, ERROR_BODY_CHARS * 4)).slice(0, ERROR_BODY_CHARS).trim() : '';
  } catch {
    return '';
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export class WebhookTarget implements Target {
  readonly name: string;
  readonly types = WEBHOOK_TYPES;
  readonly #o: WebhookOptions;
  /** The URL without credentials (fetch refuses them), which go in an Authorization header instead. */
  readonly #url: string;
  readonly #auth: Record<string, string>;

  constructor(o: WebhookOptions) {
    this.#o = o;
    this.name = webhookTargetName(o.url);
    const u = new URL(o.url);
    const basic = u.username || u.password ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` : undefined;
    this.#auth = basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : {};
    u.username = '';
    u.password = '';
    this.#url = u.toString();
  }

  async deliver(d: ClaimedDelivery): Promise<void> {
    const timestamp = Math.floor((this.#o.now?.() ?? Date.now()) / 1000);
    let res: Response;
    try {
      res = await fetch(this.#url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#o.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Rebound-Webhook/1',
          'rebound-event-id': d.eventId,
          'rebound-event-type': d.type,
          'rebound-delivery-attempt': String(d.attempts),
          'rebound-signature': signatureHeader(d.payload, this.#o.secrets, timestamp),
          ...this.#auth,
        },
        body: d.payload,
      });
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') throw new DeliveryError(`no answer within ${this.#o.timeoutMs} ms`, { cause: err });
      const cause = (err as Error).cause as { code?: string; message?: string } | undefined;
      throw new DeliveryError(`POST failed: ${cause?.code ?? cause?.message ?? (err as Error).message}`, { cause: err });
    }
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel().catch(() => undefined);
      return;
    }
    const said = await bodyStart(res);
    throw new DeliveryError(`HTTP ${res.status}${said ? `: ${said}` : ''}`);
  }
}
