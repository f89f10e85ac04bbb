// Webhook signatures. Every POST carries
//
//   Rebound-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>[,v1=<…>]
//
// one v1 per configured secret (newest first, for rotation). A receiver recomputes the HMAC over the
// timestamp, a dot and the raw request body, compares in constant time with any v1, and rejects a
// timestamp too far from its own clock (replays).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'rebound-signature';
/** How far a signature's timestamp may be from the receiver's clock. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function sign(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(body: string, secrets: readonly string[], timestamp: number): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${sign(s, timestamp, body)}`)].join(',');
}

export interface VerifyOptions {
  /** Receiver's clock, ms. */
  now?: number;
  toleranceSeconds?: number;
}

/** True when the header is a signature of this body by one of the secrets, made recently enough. */
export function verifySignature(header: string, body: string, secrets: readonly string[], opts: VerifyOptions = {}): boolean {
  let timestamp: number | undefined;
  const given: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d{1,12}$/.test(v)) timestamp = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/.test(v)) given.push(v);
  }
  if (timestamp === undefined || given.length === 0) return false;
  const now = (opts.now ?? Date.now()) / 1000;
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  return secrets.some((s) => {
    const want = Buffer.from(sign(s, timestamp as number, body), 'hex');
    return given.some((g) => timingSafeEqual(want, Buffer.from(g, 'hex')));
  });
}
