// Liveness and readiness, open to everyone (load balancers, orchestrators): /healthz answers while the
// process runs; /readyz only while it accepts work and the database answers.
import { z } from 'zod';
import type { ApiApp, ApiDeps } from './context.js';
import { ErrorBody, errorBody } from './errors.js';

/** How long readiness waits for the database. */
const READY_TIMEOUT_MS = 2000;

const Status = z.object({ status: z.string() }).meta({ id: 'Status' });

export function healthRoutes(app: ApiApp, { store, accepting }: ApiDeps): void {
  app.get('/healthz', {
    config: { access: 'public' },
    schema: { tags: ['health'], summary: 'Liveness', security: [], response: { 200: Status } },
  }, async () => ({ status: 'ok' }));

  app.get('/readyz', {
    config: { access: 'public' },
    schema: { tags: ['health'], summary: 'Readiness: accepting work and the database answers', security: [], response: { 200: Status, 503: ErrorBody } },
  }, async (_req, reply) => {
    if (!accepting()) return reply.code(503).send(errorBody('stopping', 'the service is shutting down'));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        store.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      return reply.code(503).send(errorBody('store-unavailable', `the database does not answer: ${(err as Error).message}`));
    } finally {
      clearTimeout(timer);
    }
    return { status: 'ready' };
  });
}
