// /api/v1/messages/{id}: a stored returned message — what the parser made of it and its events — and /raw,
// its bytes exactly as received.
import { z } from 'zod';
import { BEARER, type ApiApp, type ApiDeps } from './context.js';
import { ApiError, errorResponses } from './errors.js';
import { Message, messageOut } from './schemas.js';

/** Most events listed with one message (a report may name up to 10,000 recipients). */
const MAX_EVENTS = 1000;

const IdParams = z.object({ id: z.coerce.number().int().min(1) });

export function messagesRoutes(app: ApiApp, { store }: ApiDeps): void {
  app.get('/api/v1/messages/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['messages'],
      summary: 'A stored message: parse result, decoder and its events',
      security: BEARER,
      params: IdParams,
      response: { 200: Message, ...errorResponses(400, 404) },
    },
  }, async (req) => {
    const m = await store.getMessage(req.params.id);
    if (!m) throw new ApiError(404, 'not-found', `no message ${req.params.id}`);
    const events = await store.listEvents({ messageId: m.id, limit: MAX_EVENTS });
    return messageOut(m, events);
  });

  app.get('/api/v1/messages/:id/raw', {
    config: { access: 'read' },
    schema: {
      tags: ['messages'],
      summary: 'The message exactly as received',
      security: BEARER,
      params: IdParams,
      response: {
        200: { description: 'the raw message', content: { 'message/rfc822': { schema: z.string().meta({ format: 'binary' }) } } },
        ...errorResponses(400, 404),
      },
    },
  }, async (req, reply) => {
    const raw = await store.getRaw(req.params.id);
    if (!raw) throw new ApiError(404, 'not-found', `no message ${req.params.id}`);
    return reply
      .type('message/rfc822')
      .header('content-disposition', `inline; filename="message-${req.params.id}.eml"`)
      .send(raw as unknown as string); // bytes as received; the schema can only say "binary string"
  });
}
