import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Health check and the OpenAPI document. */
export const systemRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and the database dialect',
        response: { 200: z.object({ ok: z.literal(true), dialect: z.enum(['sqlite', 'postgres']) }) },
      },
    },
    async () => ({ ok: true as const, dialect: app.dialect }),
  );

  // Served here rather than by swagger-ui so the contract's URL stays stable if the UI moves.
  app.get('/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, async () => app.swagger());
};
