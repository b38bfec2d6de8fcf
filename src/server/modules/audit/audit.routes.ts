import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditVerifyResult } from '../../../shared/schemas/plan.schema.ts';
import { verifyAuditChain } from './audit.service.ts';

/** Audit log checks (admin). */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit/verify',
    {
      config: { policy: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'Recompute the hash chain; reports the first broken event',
        response: { 200: AuditVerifyResult },
      },
    },
    async (req) => verifyAuditChain(app.db, req.actor),
  );
};
