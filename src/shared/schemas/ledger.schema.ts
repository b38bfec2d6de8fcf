import { z } from 'zod';
import { COMPARATORS, DELIVERY_STATUSES } from '../enums.ts';
import { CalendarDate, Id } from './common.schema.ts';

/**
 * The ledger (台账): one row per task × responsible unit. A responsible group (各县区政府) is
 * expanded into one row per member, because each county reports and is judged on its own row.
 * A task with no responsible unit has one row with `responsible: null`.
 */
export const OrgRef = z.object({ id: Id, name: z.string() });
export type OrgRef = z.infer<typeof OrgRef>;

export const LedgerTarget = z.object({
  id: Id,
  metric: z.string(),
  unit: z.string(),
  comparator: z.enum(COMPARATORS),
  value: z.number(),
  maxValue: z.number().nullable(),
  /** As written in the plan (市城区, 两县); null = no one named. */
  jurisdictionLabel: z.string().nullable(),
  jurisdictionOrgId: Id.nullable(),
});
export type LedgerTarget = z.infer<typeof LedgerTarget>;

export const LedgerRow = z.object({
  /** `${taskId}:${responsible?.id ?? '-'}`: stable across reloads, used as the table row key. */
  key: z.string(),
  taskId: Id,
  planId: Id,
  planTitle: z.string(),
  seq: z.number().int(),
  sectionId: Id.nullable(),
  /** The section and its ancestors, root first, so filtering by any ancestor section matches. */
  sectionIds: z.array(Id),
  sectionPath: z.array(z.string()),
  sectionTitle: z.string().nullable(),
  /** The top-level section title (一、二、三…): the heat map's columns. */
  topSectionTitle: z.string().nullable(),
  text: z.string(),
  lead: z.array(OrgRef),
  responsible: OrgRef.nullable(),
  /** The group the responsible unit was assigned through (各县区政府), when it was. */
  viaGroup: OrgRef.nullable(),
  cooperating: z.array(OrgRef),
  /** YYYY-MM-DD, ascending. */
  deadlines: z.array(CalendarDate),
  /** The targets of this row: those whose jurisdiction is the responsible unit, plus city-wide ones. */
  targets: z.array(LedgerTarget),
  /** The task's stored delivery status as of the ledger's asOf: overdue once a deadline has passed (statusAsOf in src/status-engine). */
  status: z.enum(DELIVERY_STATUSES),
  /** The responsible unit's latest submitted or approved 进展情况 on this task (any period); null when it has reported none. */
  latestProgress: z.string().nullable(),
  /** The signed-in user's organisation is this row's responsible unit or a lead unit. */
  isMine: z.boolean(),
  /** The signed-in user may edit this row (same rules as the API's task write policy). */
  canEdit: z.boolean(),
});
export type LedgerRow = z.infer<typeof LedgerRow>;

/** The longest full-text query the API takes; the web ledger cuts a longer one from a URL to this. */
export const LEDGER_QUERY_MAX = 200;

/** Filters, as URL query parameters of both the web ledger route and the API. */
export const LedgerFilter = z.object({
  planId: Id.optional(),
  sectionId: Id.optional(),
  leadOrgId: Id.optional(),
  /** Responsible unit / district. */
  orgId: Id.optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  /** Rows with a deadline in [dueFrom, dueTo]. */
  dueFrom: CalendarDate.optional(),
  dueTo: CalendarDate.optional(),
  /** Full-text: task text, section title, unit names, target metrics. */
  q: z.string().max(LEDGER_QUERY_MAX).optional(),
  /** Only the signed-in user's rows. In a URL "1"/"true" (and "0"/"false"); z.coerce.boolean would read "0" as true. */
  mine: z.union([z.boolean(), z.enum(['1', 'true', '0', 'false']).transform((v) => v === '1' || v === 'true')]).optional(),
});
export type LedgerFilter = z.infer<typeof LedgerFilter>;

/**
 * Reads a LedgerFilter from URL query parameters (a link, a reload, the browser's address bar) with
 * LedgerFilter's own rule for each key, so the web ledger and the API accept exactly the same
 * values. Unlike the API, which refuses a bad request with 400, a page drops what does not parse
 * (a hand-edited dueFrom=2018-02-30 shows all dates rather than an error). Before checking, each
 * value is trimmed and q is cut to LEDGER_QUERY_MAX; empty values and mine=0 mean "no filter" and
 * are left out, so the result is the same filter ledgerSearch writes back.
 */
export function parseLedgerFilterParams(params: URLSearchParams): LedgerFilter {
  const filter: Record<string, unknown> = {};
  for (const key of LedgerFilter.keyof().options) {
    let value = params.get(key)?.trim();
    if (key === 'q' && value) value = clip(value, LEDGER_QUERY_MAX).trimEnd();
    if (!value) continue;
    const parsed = LedgerFilter.shape[key].safeParse(value);
    if (parsed.success && parsed.data !== undefined && parsed.data !== false) filter[key] = parsed.data;
  }
  return filter as LedgerFilter;
}

/** The first `max` UTF-16 units of `text`, without splitting a surrogate pair (a lone half would not survive a URL). */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** GET /api/ledger and GET /api/dashboard: the plan (all active plans when absent) and the day statuses are computed for. */
export const LedgerQuery = z.object({ planId: Id.optional(), asOf: CalendarDate.optional() });
export type LedgerQuery = z.infer<typeof LedgerQuery>;

/** GET /api/ledger/export.xlsx: the ledger's filters and the day statuses are computed for. */
export const LedgerExportQuery = LedgerFilter.extend({ asOf: CalendarDate.optional(), tenant: Id.optional() });
export type LedgerExportQuery = z.infer<typeof LedgerExportQuery>;

/** How a ledger page is ordered: `default` is the full ledger's order (own rows first for lead and unit users, then plan, 序号, unit); `due` the earliest deadline first (none last), then that order. */
export const LEDGER_SORTS = ['default', 'due'] as const;
export type LedgerSort = (typeof LEDGER_SORTS)[number];
/** The most rows one ledger page carries. */
export const LEDGER_PAGE_SIZE_MAX = 500;
export const LEDGER_PAGE_SIZE_DEFAULT = 100;

/**
 * GET /api/ledger/page: the ledger's filters (the same LedgerFilter the web and the export use),
 * a sort, a 1-based page, and optionally `tenant` (a city tenant's organisation id the caller reads:
 * a province user drills into one city).
 */
export const LedgerPageQuery = LedgerFilter.extend({
  asOf: CalendarDate.optional(),
  tenant: Id.optional(),
  sort: z.enum(LEDGER_SORTS).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(LEDGER_PAGE_SIZE_MAX).optional(),
});
export type LedgerPageQuery = z.infer<typeof LedgerPageQuery>;

/** A facet value: an organisation and how many rows the filter would keep with it chosen. */
export const LedgerFacetOrg = z.object({ id: Id, name: z.string(), count: z.number().int() });
export type LedgerFacetOrg = z.infer<typeof LedgerFacetOrg>;

/**
 * One page of the filtered ledger. `total` counts every row the filter keeps; each facet counts
 * the rows the filter would keep with that one key changed to the value (the other keys applied),
 * so a select can show what choosing an option would leave.
 */
export const LedgerPageResponse = z.object({
  rows: z.array(LedgerRow),
  total: z.number().int(),
  /** The rows of the plan (or of all plans in scope) before the other filters: "共 N 条（全部 M 条）". */
  unfiltered: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  asOf: CalendarDate,
  facets: z.object({
    status: StatusCountsLoose(),
    /** Responsible units (and districts), by name. */
    org: z.array(LedgerFacetOrg),
    /** Lead units, by name. */
    lead: z.array(LedgerFacetOrg),
  }),
});
export type LedgerPageResponse = z.infer<typeof LedgerPageResponse>;

function StatusCountsLoose() {
  return z.record(z.enum(DELIVERY_STATUSES), z.number().int());
}

export const LedgerResponse = z.object({
  rows: z.array(LedgerRow),
  /** The date "overdue" and due windows were computed for (Asia/Shanghai). */
  asOf: CalendarDate,
});
export type LedgerResponse = z.infer<typeof LedgerResponse>;

const StatusCounts = z.record(z.enum(DELIVERY_STATUSES), z.number().int());

const ReportingCounts = {
  /** Rows the organisation reports on in the period (its "my reports"). */
  expected: z.number().int(),
  /** Of those, reports submitted or approved (what the rate counts). */
  submitted: z.number().int(),
  approved: z.number().int(),
  /** Returned for correction and not yet resubmitted. */
  returned: z.number().int(),
  /** Submitted after the due date + grace days. */
  late: z.number().int(),
  /** submitted / expected, 0–1; null when nothing is expected. */
  rate: z.number().nullable(),
};

/** 填报率: the current period of each plan in scope (its open period, else its latest closed one). */
export const DashboardReporting = z.object({
  periods: z.array(
    z.object({ id: Id, planId: Id, label: z.string(), status: z.enum(['pending', 'open', 'closed']), dueDate: CalendarDate }),
  ),
  totals: z.object(ReportingCounts),
  /** Every district (county/district government), in registry order, also those with nothing expected. */
  byDistrict: z.array(z.object({ org: OrgRef, ...ReportingCounts })),
});
export type DashboardReporting = z.infer<typeof DashboardReporting>;

/** 督办: notices on the rows in scope. `byStep` counts notices not closed by their current rung (none = not escalated yet). */
export const DashboardSupervision = z.object({
  open: z.number().int(),
  answered: z.number().int(),
  closed: z.number().int(),
  /** Not closed and past their due date. */
  overdue: z.number().int(),
  byStep: z.record(z.enum(['none', 'reminder', 'urging', 'yellow_card', 'red_card', 'interview', 'accountability']), z.number().int()),
});
export type DashboardSupervision = z.infer<typeof DashboardSupervision>;

export const Dashboard = z.object({
  asOf: CalendarDate,
  planId: Id.nullable(),
  totals: z.object({ rows: z.number().int(), tasks: z.number().int(), targets: z.number().int() }),
  /** Ledger rows by status. */
  byStatus: StatusCounts,
  /** Target count by the status of their row. */
  targetsByStatus: StatusCounts,
  byDistrict: z.array(z.object({ org: OrgRef, counts: StatusCounts })),
  byLead: z.array(z.object({ org: OrgRef, counts: StatusCounts })),
  /** Districts × top-level sections: rows and overdue rows per cell. */
  heatmap: z.object({
    districts: z.array(OrgRef),
    sections: z.array(z.object({ id: Id, title: z.string() })),
    cells: z.array(z.object({ district: z.number().int(), section: z.number().int(), rows: z.number().int(), overdue: z.number().int() })),
  }),
  /** Rows not done with a deadline in [asOf, asOf + 30 days], soonest first (at most 100: byStatus has the counts). */
  upcoming: z.array(LedgerRow),
  /** Overdue rows, longest overdue first (at most 100). */
  overdue: z.array(LedgerRow),
  reporting: DashboardReporting,
  supervision: DashboardSupervision,
});
export type Dashboard = z.infer<typeof Dashboard>;
