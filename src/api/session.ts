// /api/v1/session: the dashboard's login. POST a token, get an HttpOnly, SameSite=Strict cookie that
// carries its scope for http.sessionHours; GET says who you are; DELETE logs out.
import { z } from 'zod';
import { CSRF_HEADER, SESSION_COOKIE, type Principal } from './auth.js';
import { BEARER, type ApiApp, type ApiDeps } from './context.js';
import { ApiError, errorResponses } from './errors.js';
import { Time } from './schemas.js';

const Session = z.object({
  scope: z.enum(['read', 'admin']),
  via: z.enum(['bearer', 'session', 'loopback']).describe('loopback: no token is configured, loopback callers may do anything'),
  expiresAt: Time.nullable().describe('when the session cookie ends (null: not a session)'),
  csrfHeader: z.string().describe('the header to send with every change made with the session cookie'),
}).meta({ id: 'Session' });

export function sessionRoutes(app: ApiApp, { auth }: ApiDeps): void {
  const describe = (p: Principal, expiresAt: number | null) => ({
    scope: p.scope, via: p.via, expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(), csrfHeader: CSRF_HEADER,
  });

  app.get('/api/v1/session', {
    config: { access: 'read' },
    schema: { tags: ['session'], summary: 'Who is calling', security: BEARER, response: { 200: Session, ...errorResponses() } },
  }, async (req) => {
    const p = req.principal ?? { scope: 'read', via: 'bearer' };
    return describe(p, null);
  });

  app.post('/api/v1/session', {
    config: { access: 'public' },
    schema: {
      tags: ['session'],
      summary: 'Log in with a token (sets the session cookie)',
      security: [],
      body: z.object({ token: z.string().min(1).max(1024) }),
      response: { 200: Session, ...errorResponses(400) },
    },
  }, async (req, reply) => {
    if (auth.open) return describe({ scope: 'admin', via: 'loopback' }, null);
    const scope = auth.scopeOfToken(req.body.token);
    if (!scope) throw new ApiError(401, 'unauthorized', 'that is not a token of this server');
    const s = auth.issueSession(scope);
    void reply.setCookie(SESSION_COOKIE, s.value, {
      path: '/', httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', expires: new Date(s.expiresAt),
    });
    return describe({ scope, via: 'session' }, s.expiresAt);
  });

  app.delete('/api/v1/session', {
    config: { access: 'public' },
    schema: { tags: ['session'], summary: 'Log out (clears the session cookie)', security: [], response: { 204: z.undefined() } },
  }, async (_req, reply) => {
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
}
