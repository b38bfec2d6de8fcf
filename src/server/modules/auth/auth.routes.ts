import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Ok } from '../../../shared/schemas/common.schema.ts';
import { ChangePasswordBody, LoginBody, Session, SessionState } from '../../../shared/schemas/user.schema.ts';
import { AppError } from '../../core/app-error.ts';
import { requireActor } from '../../http/policy.ts';
import { clearSessionCookie, setSessionCookie } from './auth.plugin.ts';
import { buildSession, changePassword, login, logout } from './auth.service.ts';

/** Sign in and out, who am I, change my password. */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const config = app.appConfig;

  app.post(
    '/auth/login',
    {
      config: {
        policy: 'public',
        csrf: false,
        rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the luoshi_session cookie and returns the CSRF token',
        body: LoginBody,
        response: { 200: Session },
      },
    },
    async (req, reply) => {
      const { token, session, expiresAt } = await login(app.db, req.body, {
        ttlHours: config.sessionTtlHours,
        ip: req.ip,
        log: req.log,
      }).catch((err: unknown) => {
        // The throttle's 429 says when to come back, like the rate limit's.
        if (err instanceof AppError && typeof err.extra?.retryAfter === 'number') reply.header('retry-after', String(err.extra.retryAfter));
        throw err;
      });
      // A fresh session id on every sign-in (a planted cookie never becomes an authenticated
      // one); the old session ends only once the new one exists, so a typo does not sign you out.
      if (req.authSession) await logout(app.db, req.authSession.id);
      setSessionCookie(reply, config, token, expiresAt);
      req.log.info({ userId: session.user.id }, 'signed in');
      return session;
    },
  );

  app.post(
    '/auth/logout',
    { config: { policy: 'signedIn' }, schema: { tags: ['auth'], summary: 'Sign out', response: { 200: Ok } } },
    async (req, reply) => {
      if (req.authSession) await logout(app.db, req.authSession.id);
      clearSessionCookie(reply, config);
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/me',
    {
      config: { policy: 'signedIn' },
      schema: { tags: ['auth'], summary: 'The signed-in user and CSRF token', response: { 200: Session } },
    },
    async (req) => {
      const actor = requireActor(req);
      return buildSession(app.db, actor.userId, req.authSession!.csrfToken);
    },
  );

  // The web asks this on every load: "nobody is signed in" is an answer, not an error, so the
  // browser logs no failed request on the login page. /auth/me keeps its 401 for API clients.
  app.get(
    '/auth/session',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'The current session, or null when nobody is signed in (200 either way)',
        response: { 200: SessionState },
      },
    },
    async (req) => {
      if (!req.actor || !req.authSession) return { session: null };
      return { session: await buildSession(app.db, req.actor.userId, req.authSession.csrfToken) };
    },
  );

  app.post(
    '/auth/password',
    {
      config: { policy: 'signedIn' },
      schema: { tags: ['auth'], summary: 'Change my password', body: ChangePasswordBody, response: { 200: Ok } },
    },
    async (req) => {
      const actor = requireActor(req);
      await changePassword(app.db, actor, req.authSession!.id, req.body);
      return { ok: true as const };
    },
  );
};
