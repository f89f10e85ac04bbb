// Who may call what. Bearer tokens from the configuration carry a scope: the admin token may do anything,
// the read token only what changes nothing. The dashboard logs in with either token and then holds a
// session cookie (HMAC-signed with a key derived from that token, so changing the token ends its sessions).
// With no token configured the API is open, but only to loopback callers (the configuration refuses to
// listen elsewhere), and only under a loopback Host name, so a web page cannot reach it by DNS rebinding.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { isLoopback } from '../config.js';
import { ApiError } from './errors.js';

export type Scope = 'read' | 'admin';
/** What a route requires: a scope, or nothing (health, the dashboard's static files, login). */
export type Access = Scope | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface AuthSettings {
  /** Admin token; "" for none. */
  token: string;
  /** Read-only token; "" for none. */
  readToken: string;
  sessionHours: number;
}

export interface Principal {
  scope: Scope;
  via: 'bearer' | 'session' | 'loopback';
}

export const SESSION_COOKIE = 'rebound_session';
/** Header the dashboard sends with every change it makes with its cookie: a cross-site form cannot set it. */
export const CSRF_HEADER = 'x-rebound-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The host name of a Host header ("127.0.0.1:8025", "[::1]:8025", "localhost"). */
function hostName(host: string | undefined): string {
  if (!host) return '';
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(host) ?? /^([^:]+)(?::\d+)?$/.exec(host);
  return (m?.[1] ?? host).toLowerCase().replace(/\.$/, '');
}

function loopbackPeer(address: string | undefined): boolean {
  if (!address) return false;
  return isLoopback(address.startsWith('::ffff:') ? address.slice(7) : address);
}

export class Auth {
  readonly #s: AuthSettings;
  readonly #keys: Partial<Record<Scope, Buffer>> = {};

  constructor(settings: AuthSettings) {
    this.#s = settings;
    if (settings.token) this.#keys.admin = createHmac('sha256', 'rebound-session-key').update(settings.token).digest();
    if (settings.readToken) this.#keys.read = createHmac('sha256', 'rebound-session-key').update(settings.readToken).digest();
  }

  /** No token configured: loopback callers get every scope. */
  get open(): boolean {
    return !this.#s.token && !this.#s.readToken;
  }

  get sessionMs(): number {
    return this.#s.sessionHours * 3_600_000;
  }

  scopeOfToken(token: string): Scope | undefined {
    // compare with both, always, so the time taken says nothing about which matched
    const admin = this.#s.token !== '' && sameSecret(token, this.#s.token);
    const read = this.#s.readToken !== '' && sameSecret(token, this.#s.readToken);
    return admin ? 'admin' : read ? 'read' : undefined;
  }

  #mac(scope: Scope, expiresAt: number): string | undefined {
    const key = this.#keys[scope];
    return key && createHmac('sha256', key).update(`${scope}.${expiresAt}`).digest('base64url');
  }

  /** A session cookie value for a scope. */
  issueSession(scope: Scope, now = Date.now()): { value: string; expiresAt: number } {
    const expiresAt = now + this.sessionMs;
    const mac = this.#mac(scope, expiresAt);
    if (!mac) throw new Error(`no token for scope ${scope}`);
    return { value: `${scope}.${expiresAt}.${mac}`, expiresAt };
  }

  verifySession(value: string, now = Date.now()): Scope | undefined {
    const m = /^(read|admin)\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!m) return undefined;
    const scope = m[1] as Scope;
    const expiresAt = Number(m[2]);
    if (expiresAt <= now) return undefined;
    const mac = this.#mac(scope, expiresAt);
    return mac && sameSecret(mac, m[3] as string) ? scope : undefined;
  }

  /** Who is calling, or an ApiError (401 not identified, 403 not from loopback when open). */
  identify(req: FastifyRequest): Principal {
    if (this.open) {
      if (!loopbackPeer(req.socket.remoteAddress) || !isLoopback(hostName(req.headers.host))) {
        throw new ApiError(403, 'loopback-only', 'no API token is configured: the API answers only to loopback callers addressing it by a loopback name');
      }
      return { scope: 'admin', via: 'loopback' };
    }
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const scope = m ? this.scopeOfToken(m[1] as string) : undefined;
      if (!scope) throw new ApiError(401, 'unauthorized', 'the bearer token is not valid');
      return { scope, via: 'bearer' };
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    const scope = cookie ? this.verifySession(cookie) : undefined;
    if (scope) {
      if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] === undefined) {
        throw new ApiError(403, 'csrf', `a change made with the session cookie needs the ${CSRF_HEADER} header`);
      }
      return { scope, via: 'session' };
    }
    throw new ApiError(401, 'unauthorized', 'send Authorization: Bearer TOKEN (or log in to the dashboard)');
  }

  /** The onRequest check for a route's access level. */
  check(req: FastifyRequest, access: Access): void {
    if (access === 'public') return;
    const p = this.identify(req);
    if (access === 'admin' && p.scope !== 'admin') {
      throw new ApiError(403, 'forbidden', 'this needs the admin token; the read-only token may only read');
    }
    req.principal = p;
  }
}
