// /api/openapi.json is generated from the routes' schemas: it must validate as OpenAPI and describe every
// route the API serves, with its security and its error responses.
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { testApi, type TestApi } from '../support/api.js';
import { freshDatabase, type Fresh } from '../support/stores.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const OPERATIONS = [
  'get /api/v1/suppressions', 'get /api/v1/suppressions/{address}', 'put /api/v1/suppressions/{address}',
  'delete /api/v1/suppressions/{address}', 'post /api/v1/check', 'get /api/v1/events', 'get /api/v1/events/{id}',
  'get /api/v1/messages/{id}', 'get /api/v1/messages/{id}/raw', 'get /api/v1/stats', 'post /api/v1/parse',
  'get /api/v1/session', 'post /api/v1/session', 'delete /api/v1/session', 'get /healthz', 'get /readyz', 'get /metrics',
];
const OPEN = new Set(['post /api/v1/session', 'delete /api/v1/session', 'get /healthz', 'get /readyz']);

describe('OpenAPI document', () => {
  let db: Fresh;
  let store: Store;
  let api: TestApi;
  let doc: Json;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    store = await db.open();
    api = await testApi(store);
    const r = await api.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(r.statusCode).toBe(200);
    doc = r.json();
  });
  afterAll(async () => {
    await api.app.close();
    await store.close();
    await db.cleanup();
  });

  it('validates as OpenAPI 3.1', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('fails validation when broken (the validator is really checking)', async () => {
    const broken = structuredClone(doc);
    broken.paths['/api/v1/check'].post.responses = 'none';
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });

  it('describes exactly the API routes, with security and JSON errors', () => {
    const ops: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      for (const method of Object.keys(item as Json)) ops.push(`${method} ${path}`);
    }
    expect(ops.sort()).toEqual([...OPERATIONS].sort());
    for (const op of OPERATIONS) {
      const [method, path] = op.split(' ') as [string, string];
      const o = doc.paths[path][method];
      if (OPEN.has(op)) {
        expect(o.security, op).toEqual([]);
      } else {
        expect(o.security, op).toEqual([{ bearer: [] }]);
        expect(o.responses['401'].content['application/json'].schema, op).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('documents parameters, bodies and response shapes from the zod schemas', () => {
    const list = doc.paths['/api/v1/suppressions'].get;
    expect(list.parameters.map((p: Json) => p.name).sort()).toEqual(['cursor', 'fault', 'limit', 'reason', 'search', 'since']);
    const check = doc.paths['/api/v1/check'].post;
    expect(check.requestBody.content['application/json'].schema.properties.addresses).toMatchObject({ type: 'array', maxItems: 10_000, minItems: 1 });
    expect(Object.keys(doc.paths['/api/v1/parse'].post.requestBody.content)).toEqual(['message/rfc822', 'application/octet-stream', 'text/plain']);
    expect(doc.paths['/api/v1/messages/{id}/raw'].get.responses['200'].content).toHaveProperty(['message/rfc822']);
    for (const name of ['Error', 'Suppression', 'Event', 'Message', 'ParseResult', 'CheckResult', 'Stats']) {
      expect(doc.components.schemas, name).toHaveProperty([name]);
    }
    expect(doc.components.schemas.Suppression.required).toEqual(expect.arrayContaining(['address', 'reason', 'expiresAt']));
  });
});
