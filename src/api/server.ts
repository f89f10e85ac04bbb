// The HTTP side of `rebound serve`: the API (/api/v1/…), its OpenAPI document (/api/openapi.json), health,
// metrics and the dashboard (/), one fastify instance with zod schemas for every request and response.
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import {
  jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { webRoutes } from '../web/index.js';
import { Auth, type AuthSettings } from './auth.js';
import { checkRoutes } from './check.js';
import type { ApiApp, ApiDeps } from './context.js';
import { errorBody, errorHandler } from './errors.js';
import { eventsRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { messagesRoutes } from './messages.js';
import { metricsRoutes } from './metrics.js';
import { finishDocument, openApiInfo, openApiRoutes } from './openapi.js';
import { parseRoutes } from './parse.js';
import { sessionRoutes } from './session.js';
import { statsRoutes } from './stats.js';
import { suppressionsRoutes } from './suppressions.js';

export interface HttpOptions extends Omit<ApiDeps, 'auth'> {
  auth: AuthSettings;
}

/** Build the application (not listening): tests inject requests into it. */
export async function buildHttp(opts: HttpOptions): Promise<ApiApp> {
  const auth = new Auth(opts.auth);
  const deps: ApiDeps = { ...opts, auth };
  const app = Fastify({
    loggerInstance: opts.log.child({ component: 'http' }) as FastifyBaseLogger,
    // one log line per request would drown the log at thousands of checks a minute; errors are still logged
    logController: new LogController({ disableRequestLogging: true }),
    // on close, idle keep-alive sockets are closed at once: stop() waits only for requests in flight
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler(opts.log));
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(errorBody('not-found', `no route ${req.method} ${req.url.split('?')[0]}`));
  });
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: openApiInfo(),
    transform: jsonSchemaTransform,
    transformObject: (doc) => finishDocument(jsonSchemaTransformObject(doc)),
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (access !== undefined) auth.check(req, access);
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('cache-control', reply.getHeader('cache-control') ?? 'no-store');
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    opts.metrics.observeHttp(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  healthRoutes(app, deps);
  metricsRoutes(app, deps);
  openApiRoutes(app);
  sessionRoutes(app, deps);
  suppressionsRoutes(app, deps);
  checkRoutes(app, deps);
  eventsRoutes(app, deps);
  messagesRoutes(app, deps);
  statsRoutes(app, deps);
  parseRoutes(app, deps);
  webRoutes(app);
  await app.ready();
  return app;
}

export interface HttpServer {
  readonly app: ApiApp;
  /** The bound address (port 0 resolved). */
  address(): { host: string; port: number };
  close(): Promise<void>;
}

/** Build and listen. */
export async function startHttp(opts: HttpOptions, host: string, port: number): Promise<HttpServer> {
  const app = await buildHttp(opts);
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    throw err;
  }
  return {
    app,
    address() {
      const a = app.server.address();
      return typeof a === 'object' && a ? { host: a.address, port: a.port } : { host, port };
    },
    close: () => app.close(),
  };
}

