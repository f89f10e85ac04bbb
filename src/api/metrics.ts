// GET /metrics: the Prometheus exposition (src/metrics.ts), for a scraper holding the read-only token.
import { z } from 'zod';
import { BEARER, type ApiApp, type ApiDeps } from './context.js';
import { errorResponses } from './errors.js';

export function metricsRoutes(app: ApiApp, { metrics }: ApiDeps): void {
  app.get('/metrics', {
    config: { access: 'read' },
    schema: {
      tags: ['health'],
      summary: 'Prometheus metrics',
      security: BEARER,
      response: {
        200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: z.string() } } },
        ...errorResponses(),
      },
    },
  }, async (_req, reply) => {
    const m = await metrics.render();
    return reply.type(m.contentType).send(m.body);
  });
}
