import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../shared/enums.ts';
import { addDays } from '../../../shared/china-date.ts';
import { filterLedgerRows } from '../../../shared/ledger-filter.ts';
import type { DashboardResponse, DashboardScope } from '../../../shared/schemas/dashboard.schema.ts';
import type { Dashboard, DashboardSupervision, LedgerRow, OrgRef } from '../../../shared/schemas/ledger.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { cachedPlanRead } from '../../core/read-cache.ts';
import { canSeeTenant, type TenantNode } from '../../core/tenancy.rule.ts';
import { formatSectionHeading } from '../../documents/task-breakdown.format.ts';
import { listOrganisationNames } from '../organisations/organisations.service.ts';
import { listTenants, scopeOf } from '../organisations/tenancy.service.ts';
import { listDashboardPlans } from '../plans/plan-aggregates.queries.ts';
import { taskIdsOfPlans } from '../plans/plan-rows.queries.ts';
import { readablePlanIds } from '../plans/plans.policy.ts';
import { summariseReporting } from '../reporting/reporting-rate.service.ts';
import { getPublicSettings } from '../settings/settings.service.ts';
import { countNoticesOnTasks } from '../supervision/notice-aggregates.queries.ts';
import { cachedLedger } from './ledger-cache.service.ts';
import type { SectionInfo } from './ledger.service.ts';

/**
 * The dashboard (GET /api/dashboard), counted over the plans' cached ledger rows
 * (ledger-cache.service.ts, ADR 0009: rebuilt for a plan after a write to it, set-based), so a new
 * day or another reader costs a pass over rows in memory, not the ~45 queries of SQL aggregates.
 * Every number equals the length of filterLedgerRows for the filter it links to
 * (test/ledger.test.ts), and the whole response equals the ledger-based computation
 * (test/dashboard-sql.test.ts keeps that one as its oracle).
 */

/** How many rows the dashboard's upcoming and overdue lists carry; byStatus has the full counts. */
export const DASHBOARD_LIST_LIMIT = 100;
/** The dashboard's "upcoming" window, in days from asOf (inclusive). */
export const UPCOMING_DAYS = 30;

const collator = new Intl.Collator('zh-CN');

function zeroCounts(): Record<DeliveryStatus, number> {
  return Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
}
const _asStatus = (s: string) => s as DeliveryStatus;
const total = (c: Record<DeliveryStatus, number>) => DELIVERY_STATUSES.reduce((n, s) => n + c[s], 0);

// Districts in division-code order (A区 410611 … B县 410622), then by name (the ledger's order).
function compareDistricts(codeA: string | null, nameA: string, codeB: string | null, nameB: string): number {
  if (codeA && codeB && codeA !== codeB) return codeA < codeB ? -1 : 1;
  if (Boolean(codeA) !== Boolean(codeB)) return codeA ? -1 : 1;
  return collator.compare(nameA, nameB);
}

/**
 * Whose data the dashboard shows and which plans: `tenant` (a city the caller reads, from the
 * province) or everything the caller reads. 404 when the tenant is unknown or not readable: the
 * same answer as for an id that does not exist, so other cities' ids are not confirmed.
 */
async function resolveScope(
  db: DbOrTrx,
  actor: Actor,
  opts: { planId?: string; tenant?: string },
): Promise<{ plans: { id: string; title: string; owner: string | null }[]; scope: DashboardScope; tenants: TenantNode[] }> {
  const [scope, tenants, listed] = await Promise.all([scopeOf(db, actor), listTenants(db), listDashboardPlans(db, opts.planId)]);
  if (opts.tenant !== undefined && (!tenants.some((t) => t.orgId === opts.tenant) || !canSeeTenant(scope, opts.tenant))) {
    throw new AppError('not_found', 'tenant not found');
  }
  const readable = await readablePlanIds(
    db,
    actor,
    listed.map((p) => p.id),
  );
  const plans = listed
    .filter((p) => readable.has(p.id) && (opts.tenant === undefined || p.owner_org_id === opts.tenant))
    .map((p) => ({ id: p.id, title: p.title, owner: p.owner_org_id }));
  if (opts.planId && plans.length === 0) throw new AppError('not_found', 'plan not found');
  const whose = opts.tenant ?? (scope.unrestricted && tenants.length === 0 ? null : scope.tenantId);
  const node = whose === null ? undefined : tenants.find((t) => t.orgId === whose);
  const name =
    whose === null
      ? (await getPublicSettings(db)).name
      : ((await listOrganisationNames(db, [whose])).get(whose) ?? (await getPublicSettings(db)).name);
  return {
    plans,
    tenants,
    scope: { tenantOrgId: whose, name, level: node?.level ?? null, drillDown: opts.tenant !== undefined && opts.tenant !== scope.tenantId },
  };
}

/** GET /api/dashboard: counts by status, district, lead unit and top-level section; the upcoming and overdue rows. */
export async function getDashboard(
  db: DbOrTrx,
  actor: Actor,
  opts: { planId?: string; asOf: string; tenant?: string },
): Promise<DashboardResponse> {
  const { plans, scope } = await resolveScope(db, actor, opts);
  // Reused until something is written to these plans (core/read-cache.ts, ADR 0008). What the
  // value depends on besides their data: the reader's role and organisation, the plans, the day.
  const key = JSON.stringify(['dashboard', actor.role, actor.orgId, opts.planId ?? null, opts.asOf, plans.map((p) => [p.id, p.title])]);
  const dashboard = await cachedPlanRead(
    db,
    key,
    plans.map((p) => p.id),
    () => computeDashboard(db, actor, { plans, planId: opts.planId, asOf: opts.asOf }),
  );
  return { ...dashboard, scope };
}

/**
 * The dashboard over `plans` (already authorised, oldest first), counted over the plans' cached
 * ledger rows (ledger-cache.service.ts, ADR 0009) as the ledger-based dashboard counted them: each
 * number is the length of filterLedgerRows for the filter it links to.
 */
async function computeDashboard(
  db: DbOrTrx,
  actor: Actor,
  opts: { plans: { id: string; title: string }[]; planId?: string; asOf: string },
): Promise<Dashboard> {
  const { asOf } = opts;
  const planIds = opts.plans.map((p) => p.id);
  const byStatus = zeroCounts();
  const targetsByStatus = zeroCounts();
  const ledger = await cachedLedger(db, actor, opts.plans, asOf);
  const { rows } = ledger;
  const districts = new Map<string, { org: OrgRef; counts: Record<DeliveryStatus, number> }>();
  const leads = new Map<string, { org: OrgRef; counts: Record<DeliveryStatus, number> }>();
  const topSections = new Map<string, SectionInfo>();
  const heat = new Map<string, { rows: number; overdue: number }>();
  const tasks = new Set<string>();
  const targets = new Set<string>();
  const planOrder = new Map(planIds.map((id, i) => [id, i]));

  for (const row of rows) {
    byStatus[row.status] += 1;
    targetsByStatus[row.status] += row.targets.length;
    tasks.add(row.taskId);
    for (const t of row.targets) targets.add(t.id);
    for (const lead of row.lead) {
      const entry = leads.get(lead.id) ?? { org: lead, counts: zeroCounts() };
      entry.counts[row.status] += 1;
      leads.set(lead.id, entry);
    }
    const top = row.sectionIds[0] ? ledger.sections.get(row.sectionIds[0]) : undefined;
    if (top) topSections.set(top.id, top);
    const r = row.responsible;
    if (!r || ledger.orgs.get(r.id)?.kind !== 'jurisdiction') continue;
    const entry = districts.get(r.id) ?? { org: r, counts: zeroCounts() };
    entry.counts[row.status] += 1;
    districts.set(r.id, entry);
    if (top) {
      const key = `${r.id}|${top.id}`;
      const cell = heat.get(key) ?? { rows: 0, overdue: 0 };
      cell.rows += 1;
      if (row.status === 'overdue') cell.overdue += 1;
      heat.set(key, cell);
    }
  }

  const districtList = [...districts.values()].sort((a, b) =>
    compareDistricts(ledger.orgs.get(a.org.id)?.adminCode ?? null, a.org.name, ledger.orgs.get(b.org.id)?.adminCode ?? null, b.org.name),
  );
  const sectionList = [...topSections.values()].sort(
    (a, b) => (planOrder.get(a.planId) ?? 0) - (planOrder.get(b.planId) ?? 0) || a.ordinal - b.ordinal,
  );
  const heatCells: Dashboard['heatmap']['cells'] = [];
  districtList.forEach((d, di) => {
    sectionList.forEach((s, si) => {
      const cell = heat.get(`${d.org.id}|${s.id}`) ?? { rows: 0, overdue: 0 };
      heatCells.push({ district: di, section: si, rows: cell.rows, overdue: cell.overdue });
    });
  });

  // The two lists: the rows their links show (the shared filter), soonest first, the ledger's
  // order among equal dates (a stable sort).
  const until = addDays(asOf, UPCOMING_DAYS);
  const firstDueIn = (row: LedgerRow) => row.deadlines.find((d) => d >= asOf && d <= until) ?? '9999-12-31';
  const upcoming = filterLedgerRows(rows, { dueFrom: asOf, dueTo: until })
    .filter((row) => row.status !== 'done')
    .sort((a, b) => (firstDueIn(a) < firstDueIn(b) ? -1 : firstDueIn(a) > firstDueIn(b) ? 1 : 0))
    .slice(0, DASHBOARD_LIST_LIMIT);
  const firstDue = (row: LedgerRow) => row.deadlines[0] ?? '';
  const overdue = filterLedgerRows(rows, { status: 'overdue' })
    .sort((a, b) => (firstDue(a) < firstDue(b) ? -1 : firstDue(a) > firstDue(b) ? 1 : 0))
    .slice(0, DASHBOARD_LIST_LIMIT);

  const districtRefs = districtList.map((d) => d.org);
  return {
    asOf,
    planId: opts.planId ?? null,
    totals: { rows: rows.length, tasks: tasks.size, targets: targets.size },
    byStatus,
    targetsByStatus,
    byDistrict: districtList,
    byLead: [...leads.values()].sort((a, b) => total(b.counts) - total(a.counts) || collator.compare(a.org.name, b.org.name)),
    heatmap: {
      districts: districtRefs,
      sections: sectionList.map((s) => ({ id: s.id, title: formatSectionHeading(s) })),
      cells: heatCells,
    },
    upcoming,
    overdue,
    // 填报率 reads no date: reused across days until a write lands in the plans (ADR 0008).
    reporting: await cachedPlanRead(db, JSON.stringify(['dashboard-reporting', planIds, districtRefs]), planIds, () =>
      summariseReporting(db, planIds, districtRefs),
    ),
    supervision: await summariseNoticeCounts(db, planIds, asOf, actor),
  };
}

/**
 * The dashboard's 督办 counts (GROUP BY in supervision): notices with a row on a task of `planIds`,
 * by status, overdue (not closed, due before `asOf`) and, for those not closed, by current rung.
 * A lead or unit user counts only the notices addressed to its organisation, so each number equals
 * what its link (the caller's inbox) lists; admin and leadership count all.
 */
async function summariseNoticeCounts(db: DbOrTrx, planIds: readonly string[], asOf: string, actor: Actor): Promise<DashboardSupervision> {
  const summary: DashboardSupervision = {
    open: 0,
    answered: 0,
    closed: 0,
    overdue: 0,
    byStep: { none: 0, reminder: 0, urging: 0, yellow_card: 0, red_card: 0, interview: 0, accountability: 0 },
  };
  if (planIds.length === 0) return summary;
  const ownOnly = actor.role === 'lead' || actor.role === 'unit';
  const groups = await countNoticesOnTasks(db, taskIdsOfPlans(db, planIds), asOf, ownOnly ? actor.orgId : undefined);
  for (const g of groups) {
    if (g.status === 'closed') {
      summary.closed += g.n;
      continue;
    }
    if (g.status === 'answered') summary.answered += g.n;
    else summary.open += g.n;
    if (g.pastDue) summary.overdue += g.n;
    const step = (g.step ?? 'none') as keyof DashboardSupervision['byStep'];
    if (step in summary.byStep) summary.byStep[step] += g.n;
  }
  return summary;
}
