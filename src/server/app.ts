import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { LIMITS } from '../shared/limits.ts';
import type { Config } from './config.ts';
import { type Db, type DbHandle, type Dialect, openDatabase } from './db/database.ts';
import { AppError } from './core/app-error.ts';
import { buildProblem, registerErrorHandler, sendProblem } from './http/error-handler.ts';
import { registerUploadSlots } from './http/file-transfer.ts';
import { registerInputGuard } from './http/input-guard.ts';
import { registerPolicyHooks } from './http/policy.ts';
import { registerCsrfHook, registerSessionHook } from './modules/auth/auth.plugin.ts';
import { modules } from './modules/index.ts';
import { publicPagesRoutes } from './modules/publications/public-pages.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    dialect: Dialect;
    appConfig: Config;
  }
}

export interface AppDeps {
  /** An open database; when omitted buildApp opens config.databaseUrl and closes it with the app. */
  handle?: DbHandle;
  /** Override the pino logger options (tests pass false). */
  logger?: boolean | Record<string, unknown>;
}

export interface BuiltApp {
  app: FastifyInstance;
  handle: DbHandle;
}

const API_PATH = /^\/api(\/|$)/;

/**
 * Builds the HTTP application: security plugins, the session/policy/CSRF hooks, OpenAPI, every
 * module of src/server/modules/index.ts under /api, and the web app with an SPA fallback.
 * Does not migrate or listen: server.ts and the tests decide that.
 */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<BuiltApp> {
  const handle = deps.handle ?? openDatabase(config.databaseUrl);
  const ownsHandle = deps.handle === undefined;

  const app = Fastify({
    logger:
      deps.logger ??
      ({
        level: config.logLevel,
        redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'req.headers.authorization'],
      } as Record<string, unknown>),
    bodyLimit: LIMITS.bodyBytes,
    trustProxy: config.trustProxy,
    // Ids in URLs are UUIDs; a short max keeps the router from matching absurd paths.
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', handle.db);
  app.decorate('dialect', handle.dialect);
  app.decorate('appConfig', config);
  if (ownsHandle) app.addHook('onClose', async () => handle.close());

  registerErrorHandler(app);

  await app.register(fastifyHelmet, {
    // Over plain http (COOKIE_SECURE off, e.g. a LAN install) upgrade-insecure-requests and
    // HSTS would break every asset load; send them only when the site is served over HTTPS.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.cookieSecure ? [] : null } },
    strictTransportSecurity: config.cookieSecure,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    // Only routes that opt in (login) are limited: the API is behind sessions already.
    global: false,
    errorResponseBuilder: (_req, ctx) => new AppError('rate_limited', `too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`),
  });
  await app.register(fastifyMultipart, {
    limits: { fileSize: LIMITS.uploadBytes, files: 1, fields: 20, fieldSize: LIMITS.bodyBytes, parts: 25 },
  });

  // After @fastify/cookie (its onRequest parses req.cookies) and before any route, so the
  // onRoute policy check sees every route. Order: who is calling (session), may they (policy),
  // is it really them (CSRF).
  registerSessionHook(app, config);
  registerPolicyHooks(app);
  registerCsrfHook(app);
  registerInputGuard(app);
  registerUploadSlots(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Luoshi (落实) API',
        description:
          'Implementation plans as accountable delivery ledgers. Sign in with POST /api/auth/login; send the ' +
          '`luoshi_session` cookie and, on POST/PUT/PATCH/DELETE, the `x-csrf-token` header. Errors are RFC 9457 ' +
          'application/problem+json.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'luoshi_session' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  for (const mod of modules) {
    await app.register(mod, { prefix: '/api' });
  }

  // The public portal's server-rendered pages (/public): no login, no session, cacheable.
  await app.register(publicPagesRoutes);

  const webRoot = path.resolve(config.webDir);
  const hasWeb = existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      // One route per built file instead of a catch-all, so unknown paths reach the SPA fallback.
      wildcard: false,
      setHeaders: (reply, filePath) => {
        // Vite fingerprints assets; index.html must be revalidated to pick up a new build.
        reply.header('cache-control', filePath.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
  }

  app.setNotFoundHandler((req, reply) => {
    const urlPath = req.url.split('?')[0];
    if (hasWeb && !API_PATH.test(urlPath) && (req.method === 'GET' || req.method === 'HEAD')) {
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
    }
    return sendProblem(reply, buildProblem('not_found', `no route for ${req.method} ${urlPath}`, urlPath));
  });

  return { app, handle };
}
