// The dashboard: a page and a few static files (no CDN, no build step beyond copying), served by the same
// process at /. The files hold no data and are open; everything they show comes from the API, behind the
// same tokens (the page logs in with one and keeps a session cookie).
import { readFileSync } from 'node:fs';
import type { ApiApp } from '../api/context.js';
import { errorBody } from '../api/errors.js';

const STATIC_DIR = new URL('./static/', import.meta.url);

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'chart.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

// only this origin's scripts, styles, images and requests; the raw bounces it shows are text, never markup
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
  + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function webRoutes(app: ApiApp): void {
  // read once at start: the files are small and never change while running
  const files = new Map<string, Buffer>();
  for (const name of Object.keys(FILES)) files.set(name, readFileSync(new URL(name, STATIC_DIR)));

  const headers = (name: string) => ({
    'content-type': FILES[name] as string, 'content-security-policy': CSP, 'cache-control': 'no-cache',
  });
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.headers(headers('index.html')).send(files.get('index.html')));
  app.get('/static/:name', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const body = Object.hasOwn(FILES, name) ? files.get(name) : undefined;
    if (!body) return reply.code(404).send(errorBody('not-found', `no file ${name}`));
    return reply.headers(headers(name)).send(body);
  });
}
