// POST /api/v1/check: "may I send to these?" for up to 10,000 addresses at once. One store query for the
// whole batch (primary-key lookups); the answer lists only the suppressed ones, in the order asked.
import { z } from 'zod';
import type { Suppression } from '../store/types.js';
import { InvalidAddressError, normaliseAddress } from '../suppressions.js';
import { BEARER, type ApiApp, type ApiDeps } from './context.js';
import { errorResponses } from './errors.js';
import { Time } from './schemas.js';

/** Most addresses in one request. */
export const MAX_CHECK = 10_000;
/** Longest address accepted (RFC 5321 allows 254 in a path; leave room for display forms like <…>). */
const MAX_ADDRESS = 512;
/** Request body limit: a full batch of the longest addresses, JSON-quoted. */
const CHECK_BODY_LIMIT = MAX_CHECK * (MAX_ADDRESS + 4) + 1024;

const Suppressed = z.object({
  address: z.string().describe('as stored: lower case'),
  reason: z.string(),
  fault: z.string(),
  manual: z.boolean(),
  since: Time.describe('first seen'),
  expiresAt: Time.nullable().describe('when it lapses; null: never'),
}).meta({ id: 'Suppressed' });

const CheckResult = z.object({
  checked: z.number().int().describe('distinct valid addresses looked up'),
  suppressed: z.array(Suppressed).describe('those suppressed now, in the order asked; every other valid address may be sent to'),
  invalid: z.array(z.string()).describe('entries that are not email addresses, as given'),
}).meta({ id: 'CheckResult' });

export function checkRoutes(app: ApiApp, { store, metrics }: ApiDeps): void {
  app.post('/api/v1/check', {
    bodyLimit: CHECK_BODY_LIMIT,
    // the answer is built right here from typed values: written straight out, not re-validated item by item
    serializerCompiler: () => (data) => JSON.stringify(data),
    config: { access: 'read' },
    schema: {
      tags: ['suppressions'],
      summary: 'Which of these addresses are suppressed?',
      description: `Up to ${MAX_CHECK.toLocaleString('en')} addresses per request. Needs only the read-only token.`,
      security: BEARER,
      body: z.object({ addresses: z.array(z.string().max(MAX_ADDRESS)).min(1).max(MAX_CHECK) }),
      response: { 200: CheckResult, ...errorResponses(400, 413) },
    },
  }, async (req) => {
    const order: string[] = [];
    const seen = new Set<string>();
    const invalid: string[] = [];
    for (const raw of req.body.addresses) {
      let a: string;
      try {
        a = normaliseAddress(raw);
      } catch (err) {
        if (!(err instanceof InvalidAddressError)) throw err;
        invalid.push(raw);
        continue;
      }
      if (seen.has(a)) continue;
      seen.add(a);
      order.push(a);
    }
    const found = new Map<string, Suppression>();
    for (const s of await store.checkMany(order)) found.set(s.address, s);
    const suppressed = [];
    for (const a of order) {
      const s = found.get(a);
      if (!s) continue;
      suppressed.push({
        address: s.address, reason: s.reason, fault: s.fault, manual: s.manual, since: new Date(s.firstSeen).toISOString(),
        expiresAt: s.expiresAt === null ? null : new Date(s.expiresAt).toISOString(),
      });
    }
    metrics.observeCheck(suppressed.length, order.length - suppressed.length, invalid.length);
    return { checked: order.length, suppressed, invalid };
  });
}
