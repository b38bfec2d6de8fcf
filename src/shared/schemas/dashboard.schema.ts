import { z } from 'zod';
import { DELIVERY_STATUSES } from '../enums.ts';
import { CalendarDate, Id } from './common.schema.ts';
import { Dashboard, LedgerQuery, OrgRef } from './ledger.schema.ts';

/**
 * Whose data a dashboard shows (issue 12 §3: every screen says so): a tenant (a city's or the
 * province's office) or, in an installation that declared none, the installation itself.
 */
export const DashboardScope = z.object({
  /** The tenant's organisation; null when the installation has no tenants (its name is then the installation's). */
  tenantOrgId: Id.nullable(),
  name: z.string(),
  level: z.enum(['province', 'city']).nullable(),
  /** True when a province caller asked for one of its cities (`?tenant=`): the screen offers the way back. */
  drillDown: z.boolean(),
});
export type DashboardScope = z.infer<typeof DashboardScope>;

/** GET /api/dashboard: the ledger query, and `tenant` to view one city from the province. */
export const DashboardQuery = LedgerQuery.extend({ tenant: Id.optional() });
export type DashboardQuery = z.infer<typeof DashboardQuery>;

/** The dashboard and whose data it is. */
export const DashboardResponse = Dashboard.extend({ scope: DashboardScope });
export type DashboardResponse = z.infer<typeof DashboardResponse>;

const StatusCounts = z.record(z.enum(DELIVERY_STATUSES), z.number().int());

/** One city of the province dashboard: set-based counts over the city's active plans. */
export const ProvinceCityRow = z.object({
  org: OrgRef,
  plans: z.number().int(),
  /** Tasks by their status on asOf (a task counts once, whatever its number of units). */
  tasksByStatus: StatusCounts,
  /** Targets by the status of their task. */
  targetsByStatus: StatusCounts,
  /** The open periods' reports: rows submitted or approved of the rows expected; rate null when nothing is expected. */
  reporting: z.object({ expected: z.number().int(), submitted: z.number().int(), rate: z.number().nullable() }),
  /** 督办 notices not closed, and of those past due. */
  notices: z.object({ open: z.number().int(), overdue: z.number().int() }),
  /** Overdue tasks (tasksByStatus.overdue, repeated for sorting). */
  overdue: z.number().int(),
});
export type ProvinceCityRow = z.infer<typeof ProvinceCityRow>;

/** GET /api/dashboard/province: the province office's dashboard, one row per city below it. */
export const ProvinceDashboard = z.object({
  asOf: CalendarDate,
  province: OrgRef,
  cities: z.array(ProvinceCityRow),
});
export type ProvinceDashboard = z.infer<typeof ProvinceDashboard>;

export const ProvinceDashboardQuery = z.object({ asOf: CalendarDate.optional() });
