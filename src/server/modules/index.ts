import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assessmentRoutes } from './assessment/assessment.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { coverageRoutes } from './coverage/coverage.routes.ts';
import { ledgerRoutes } from './ledger/ledger.routes.ts';
import { organisationsRoutes } from './organisations/organisations.routes.ts';
import { countPlanUsesOfOrg } from './plans/plan-rows.queries.ts';
import { planImportsRoutes } from './plan-imports/plan-imports.routes.ts';
import { planStructureRoutes } from './plans/plan-structure.routes.ts';
import { countReportsOnTasks } from './reporting/progress-reports.service.ts';
import { countNoticesOnTasks } from './supervision/supervision.service.ts';
import { publicationsRoutes } from './publications/publications.routes.ts';
import { plansRoutes } from './plans/plans.routes.ts';
import { projectFilesRoutes } from './projects/project-files.routes.ts';
import { projectsRoutes } from './projects/projects.routes.ts';
import { reportingRoutes } from './reporting/reporting.routes.ts';
import { reportingFilesRoutes } from './reporting-files/reporting-files.routes.ts';
import { notificationsRoutes } from './notifications/notifications.routes.ts';
import { supervisionRoutes } from './supervision/supervision.routes.ts';
import { settingsRoutes } from './settings/settings.routes.ts';
import { systemRoutes } from './system/system.routes.ts';
import { countUsersOfOrg } from './users/users.service.ts';
import { usersRoutes } from './users/users.routes.ts';

/**
 * Every HTTP module, registered under /api by buildApp. Adding a module is one line here; each
 * route must declare `config: { policy }` (see src/server/http/policy.ts).
 */
export const modules: FastifyPluginAsyncZod[] = [
  systemRoutes,
  authRoutes,
  usersRoutes,
  organisationsRoutes({ countPlanUses: countPlanUsesOfOrg, countUsers: countUsersOfOrg }),
  auditRoutes,
  plansRoutes,
  planStructureRoutes({ countReports: countReportsOnTasks, countNotices: countNoticesOnTasks }),
  planImportsRoutes,
  reportingRoutes,
  ledgerRoutes,
  supervisionRoutes,
  notificationsRoutes,
  reportingFilesRoutes,
  settingsRoutes,
  coverageRoutes,
  projectsRoutes,
  projectFilesRoutes,
  assessmentRoutes,
  publicationsRoutes,
];
