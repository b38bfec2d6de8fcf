import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditRoutes } from './audit/audit.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { ledgerRoutes } from './ledger/ledger.routes.ts';
import { organisationsRoutes } from './organisations/organisations.routes.ts';
import { planImportsRoutes } from './plan-imports/plan-imports.routes.ts';
import { publicationsRoutes } from './publications/publications.routes.ts';
import { plansRoutes } from './plans/plans.routes.ts';
import { reportingRoutes } from './reporting/reporting.routes.ts';
import { reportingFilesRoutes } from './reporting-files/reporting-files.routes.ts';
import { notificationsRoutes } from './notifications/notifications.routes.ts';
import { supervisionRoutes } from './supervision/supervision.routes.ts';
import { systemRoutes } from './system/system.routes.ts';
import { usersRoutes } from './users/users.routes.ts';

/**
 * Every HTTP module, registered under /api by buildApp. Adding a module is one line here; each
 * route must declare `config: { policy }` (see src/server/http/policy.ts).
 */
export const modules: FastifyPluginAsyncZod[] = [systemRoutes, authRoutes, usersRoutes, organisationsRoutes, auditRoutes, plansRoutes, planImportsRoutes, reportingRoutes, ledgerRoutes, supervisionRoutes, notificationsRoutes, reportingFilesRoutes, publicationsRoutes];
