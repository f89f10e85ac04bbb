// POST /api/v1/parse: a returned message in, what Rebound reads in it out (nothing is stored). The body is
// the raw message (message/rfc822, application/octet-stream or text/plain), at most the receiver's limit.
import { parse } from '../parse/index.js';
import { BEARER, type ApiApp, type ApiDeps } from './context.js';
import { ApiError, errorResponses } from './errors.js';
import { ParseResultSchema, parseResultOut } from './schemas.js';

export const PARSE_TYPES = ['message/rfc822', 'application/octet-stream', 'text/plain'];

export function parseRoutes(app: ApiApp, { verp, maxMessageBytes }: ApiDeps): void {
  // raw bytes, whatever the declared charset: the parser reads the message's own
  app.register(async (scope: ApiApp) => {
    scope.removeContentTypeParser('text/plain');
    scope.addContentTypeParser(PARSE_TYPES, { parseAs: 'buffer', bodyLimit: maxMessageBytes }, (_req, body, done) => done(null, body));
    scope.post('/api/v1/parse', {
      bodyLimit: maxMessageBytes,
      config: { access: 'read' },
      schema: {
        tags: ['parse'],
        summary: 'Parse a returned message (nothing is stored)',
        description: `The raw message as the body (${PARSE_TYPES.join(', ')}), at most ${maxMessageBytes} bytes (smtp.maxMessageBytes).`,
        security: BEARER,
        response: { 200: ParseResultSchema, ...errorResponses(400, 413, 415) },
      },
    }, async (req) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        throw new ApiError(400, 'invalid-request', `body: send the raw message as ${PARSE_TYPES.join(', ')}`);
      }
      return parseResultOut(parse(req.body, { verp }));
    });
  });
}
