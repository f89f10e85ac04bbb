// Structured logs (pino) to stderr, one JSON object per line; secrets are redacted.
import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino(
    { level, base: { service: 'rebound' }, redact: ['password', 'secret', '*.password', '*.secret', 'token'] },
    pino.destination({ fd: 2, sync: false }),
  );
}

export type { Logger } from 'pino';
