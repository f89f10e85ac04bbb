// Every error the API answers is JSON of one shape: { "error": { "code", "message" } }. Handlers throw
// ApiError; validation failures, oversized bodies and anything unexpected are mapped here.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Logger } from '../log.js';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('stable, machine-readable: unauthorized, forbidden, not-found, invalid-request, payload-too-large, …'),
    message: z.string().describe('for people'),
  }),
}).meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof ErrorBody>;

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** The error responses a route can give, for its schema (and so the OpenAPI document). */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorBody> {
  const out: Record<number, typeof ErrorBody> = {};
  for (const s of [401, 403, ...statuses]) out[s] = ErrorBody;
  return out;
}

/** "body/addresses/3: Too big" from fastify's validation error (zod issues). */
function validationMessage(err: FastifyError): string {
  const where = err.validationContext ?? 'request';
  const issues = (err.validation ?? []).slice(0, 5).map((v) => {
    const path = v.instancePath.replace(/^\//, '');
    return `${where}${path ? '/' + path : ''}: ${v.message ?? 'invalid'}`;
  });
  const more = (err.validation?.length ?? 0) > 5 ? ` (and ${(err.validation?.length ?? 0) - 5} more)` : '';
  return issues.join('; ') + more;
}

export function errorHandler(log: Logger) {
  return (err: FastifyError | ApiError, req: FastifyRequest, reply: FastifyReply): void => {
    if (err instanceof ApiError) {
      void reply.code(err.status).send(errorBody(err.code, err.message));
      return;
    }
    if (hasZodFastifySchemaValidationErrors(err) || err.validation) {
      void reply.code(400).send(errorBody('invalid-request', validationMessage(err)));
      return;
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        void reply.code(413).send(errorBody('payload-too-large', err.message));
        return;
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        void reply.code(415).send(errorBody('unsupported-media-type', err.message));
        return;
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        void reply.code(400).send(errorBody('invalid-request', err.message));
        return;
    }
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      // a malformed request fastify itself refused (bad JSON, …)
      void reply.code(err.statusCode).send(errorBody('invalid-request', err.message));
      return;
    }
    log.error({ err, method: req.method, url: req.url }, 'http: request failed');
    void reply.code(500).send(errorBody('internal', 'internal error; see the server log'));
  };
}
