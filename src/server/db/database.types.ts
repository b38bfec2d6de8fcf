/**
 * The database as Kysely sees it: one interface over every module's tables. Each table's type
 * lives with its owning module (`modules/<m>/<m>.tables.ts`, `core/audit.tables.ts`; ADR 0003
 * §2.2), status columns as literal unions from src/shared. Columns snake_case; services map them
 * to camelCase DTOs. A module imports another module's table types only through this file
 * (the `no-foreign-table-types` boundary rule); new tables go into their module's tables file.
 */
import type { AuditTables } from '../core/audit.tables.ts';
import type { AuthTables } from '../modules/auth/auth.tables.ts';
import type { NotificationsTables } from '../modules/notifications/notifications.tables.ts';
import type { OrganisationsTables } from '../modules/organisations/organisations.tables.ts';
import type { PlanImportsTables } from '../modules/plan-imports/plan-imports.tables.ts';
import type { PlansTables } from '../modules/plans/plans.tables.ts';
import type { ReportingTables } from '../modules/reporting/reporting.tables.ts';
import type { ReportingFilesTables } from '../modules/reporting-files/reporting-files.tables.ts';
import type { SupervisionTables } from '../modules/supervision/supervision.tables.ts';
import type { SettingsTables } from '../modules/settings/settings.tables.ts';
import type { CoverageTables } from '../modules/coverage/coverage.tables.ts';
import type { ProjectsTables } from '../modules/projects/projects.tables.ts';
import type { AssessmentTables } from '../modules/assessment/assessment.tables.ts';
import type { PublicationsTables } from '../modules/publications/publications.tables.ts';
import type { UsersTables } from '../modules/users/users.tables.ts';

export type * from '../core/audit.tables.ts';
export type * from '../modules/auth/auth.tables.ts';
export type * from '../modules/notifications/notifications.tables.ts';
export type * from '../modules/organisations/organisations.tables.ts';
export type * from '../modules/plan-imports/plan-imports.tables.ts';
export type * from '../modules/plans/plans.tables.ts';
export type * from '../modules/reporting/reporting.tables.ts';
export type * from '../modules/reporting-files/reporting-files.tables.ts';
export type * from '../modules/supervision/supervision.tables.ts';
export type * from '../modules/settings/settings.tables.ts';
export type * from '../modules/coverage/coverage.tables.ts';
export type * from '../modules/projects/projects.tables.ts';
export type * from '../modules/assessment/assessment.tables.ts';
export type * from '../modules/publications/publications.tables.ts';
export type * from '../modules/users/users.tables.ts';

/** Row types of the schema in migrations/, by table. */
export interface Database
  extends AuditTables,
    AuthTables,
    NotificationsTables,
    OrganisationsTables,
    PlanImportsTables,
    PlansTables,
    ReportingTables,
    ReportingFilesTables,
    SupervisionTables,
    SettingsTables,
    CoverageTables,
    ProjectsTables,
    AssessmentTables,
    PublicationsTables,
    UsersTables,
    DemoTables,
    JobsTables {}

/** Claims of scheduled-job ticks (src/server/jobs/job-claim.ts): one row per job and time slot. */
export interface JobsTables {
  job_claims: { job: string; slot: string; claimed_by: string; claimed_at: string };
}

/** The demo's fixed "today" (src/server/demo): one row on a demo database, none on a real one. */
export interface DemoTables {
  demo_clock: DemoClockTable;
}

export interface DemoClockTable {
  id: number;
  today: string;
  created_at: string;
}
