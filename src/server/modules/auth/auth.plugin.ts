import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import { AppError } from '../../core/app-error.ts';
import { resolveSession } from '../users/users.service.ts';
import type { Actor } from '../../core/actor.ts';

export const SESSION_COOKIE = 'luoshi_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null: set by the session hook before any policy check. */
    actor: Actor | null;
    /** The session row behind `actor` (its id is sha256 of the cookie token). */
    authSession: { id: string; csrfToken: string } | null;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const API_PREFIX = /^\/api(\/|\?|$)/;

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when COOKIE_SECURE=1. */
export function setSessionCookie(reply: FastifyReply, config: Config, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.cookieSecure });
}

/**
 * Resolves `req.actor` from the session cookie on every request. Sessions live in the database
 * (not in memory) so any number of server instances can share them.
 */
export function registerSessionHook(app: FastifyInstance, config: Config): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('authSession', null);
  app.addHook('onRequest', async (req, reply) => {
    // Static files and the SPA shell need no identity: spare them a database lookup each.
    if (!API_PREFIX.test(req.url)) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const resolved = await resolveSession(app.db, token);
    if (!resolved) {
      clearSessionCookie(reply, config);
      return;
    }
    req.actor = resolved.actor;
    req.authSession = { id: resolved.sessionId, csrfToken: resolved.csrfToken };
  });
}

function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * Double-submit CSRF check: a state-changing request made with a session cookie must echo the
 * session's token in `x-csrf-token`. A cross-site page can make the browser send the cookie but
 * cannot read the token. Routes opt out with `config.csrf: false` (login: no session yet).
 */
export function registerCsrfHook(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (!STATE_CHANGING.has(req.method) || req.is404) return;
    if (req.routeOptions.config.csrf === false) return;
    // Without a session the policy hook has already refused non-public routes; nothing to forge.
    if (!req.authSession) return;
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !tokensEqual(sent, req.authSession.csrfToken)) {
      throw new AppError('csrf', `missing or wrong ${CSRF_HEADER} header`);
    }
  });
}
