/**
 * HTTP behaviour every public portal response shares (API and pages): a separate, generous rate
 * limit; no cookie is ever set (a visitor with a stale session cookie is not answered with a
 * clearing Set-Cookie either); a strong-enough ETag from the body with `Cache-Control: public`, so
 * a proxy or CDN can cache; 304 when If-None-Match matches.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** How long a proxy may serve a public response without asking again. */
export const PUBLIC_MAX_AGE_SECONDS = 60;

/** The ETag of a response body. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * Rendered public responses by key (the publications' version and the URL): a public page is a
 * pure function of the published rows, so it is rendered once per change, not once per visitor.
 * Bounded; the oldest entry goes first.
 */
export class ResponseCache<B extends string | Buffer = string> {
  private readonly entries = new Map<string, { body: B; etag: string }>();
  constructor(private readonly max = 500) {}
  get(key: string): { body: B; etag: string } | undefined {
    return this.entries.get(key);
  }
  set(key: string, body: B): { body: B; etag: string } {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    const entry = { body, etag: etagOf(body) };
    this.entries.set(key, entry);
    return entry;
  }
}

/** Adds the public caching and no-cookie hooks to the routes of `app` (an encapsulated plugin). */
export function registerPublicHttp(app: FastifyInstance): void {
  // One count per client address across every public route and page: a limiter made with
  // app.rateLimit() shares the plugin's root store (a route's own `config.rateLimit` would count
  // each route apart), and the key prefix keeps it apart from any other limit.
  app.addHook(
    'onRequest',
    app.rateLimit({
      max: app.appConfig.publicRateLimitPerMinute,
      timeWindow: '1 minute',
      keyGenerator: (req) => `public-portal:${req.ip}`,
    }),
  );
  app.addHook('onSend', async (req, reply, payload) => {
    reply.removeHeader('set-cookie');
    if (reply.statusCode !== 200 || (req.method !== 'GET' && req.method !== 'HEAD')) {
      reply.header('cache-control', 'no-store');
      return payload;
    }
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    // A cached response brings its ETag along (public-pages.routes.ts): no hashing per request.
    const known = reply.getHeader('etag');
    const etag = typeof known === 'string' ? known : etagOf(payload);
    reply.header('etag', etag);
    reply.header('cache-control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
    const inm = req.headers['if-none-match'];
    if (typeof inm === 'string' && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      reply.code(304);
      reply.removeHeader('content-length');
      return '';
    }
    return payload;
  });
}

/** The route config of every public route: anyone (the rate limit is the plugin's hook above). */
export function publicRouteConfig(_app: FastifyInstance) {
  return { policy: 'public' as const };
}
