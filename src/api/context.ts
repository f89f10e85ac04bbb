// What every route module gets: the typed fastify instance and the service's parts it may use.
import type {
  FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { SuppressionChange } from '../ingest/ingest-raw.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/types.js';
import type { VerpConfig } from '../verp/codec.js';
import type { Auth } from './auth.js';

export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export interface ApiDeps {
  store: Store;
  auth: Auth;
  metrics: Metrics;
  log: Logger;
  /** How VERP return paths are written (POST /api/v1/parse recognises them). */
  verp: VerpConfig;
  /** Largest message POST /api/v1/parse accepts (the receiver's limit). */
  maxMessageBytes: number;
  /** False while the service is stopping (readiness). */
  accepting(): boolean;
  /** Called after a manual change through the API has committed (the outbox dispatcher wakes up). */
  onChange?: ((change: SuppressionChange) => void) | undefined;
}

/** The security requirement of a route that needs a token (OpenAPI). */
export const BEARER = [{ bearer: [] }];
