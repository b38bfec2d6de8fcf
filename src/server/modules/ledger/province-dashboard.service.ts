import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../shared/enums.ts';
import type { ProvinceDashboard } from '../../../shared/schemas/dashboard.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import { cachedPerPlan, cachedPlanRead } from '../../core/read-cache.ts';
import type { Actor } from '../../core/actor.ts';
import { listOrganisationKinds, listOrganisationNames } from '../organisations/organisations.service.ts';
import { listJurisdictionsOfTenants } from '../organisations/tenant-aggregates.queries.ts';
import { listTenants, scopeOf } from '../organisations/tenancy.service.ts';
import { listActivePlansOfOwners, taskOwnersOfTenants } from '../plans/plan-aggregates.queries.ts';
import { statusAsOf } from '../../../status-engine/index.ts';
import { readPlanLedgers } from './ledger-cache.service.ts';
import { summariseReporting } from '../reporting/reporting-rate.service.ts';
import { countOpenNoticesByOwner } from '../supervision/notice-aggregates.queries.ts';

/**
 * The province office's dashboard (GET /api/dashboard/province, issue 12 §3): the same numbers one
 * level up, one row per city tenant below the caller's province, never a loop of queries per city.
 * Tasks and targets by status come from the cities' plans' cached ledgers (ledger-cache.service.ts,
 * ADR 0009: a plan's rebuilt after a write to it), open 督办 from one GROUP BY. The 填报率 is
 * reporting's summariseReporting (the city dashboard's own function, so a city's row equals its
 * drill-down's totals), plan by plan and reused per plan, summed per city by the district's tenant.
 */

const collator = new Intl.Collator('zh-CN');
const zero = () => Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;

/** 404 for a caller who is not of a province's office (a city, a county, an installation without tenants). */
export async function getProvinceDashboard(db: DbOrTrx, actor: Actor, opts: { asOf: string }): Promise<ProvinceDashboard> {
  const [scope, tenants] = await Promise.all([scopeOf(db, actor), listTenants(db)]);
  const own = tenants.find((t) => t.orgId === scope.tenantId);
  // 404, as for any tenant's data the caller does not read: the province view is not there for them.
  if (own?.level !== 'province') throw new AppError('not_found', 'no province dashboard for this caller');
  const cityIds = tenants.filter((t) => t.parentOrgId === own.orgId && t.level === 'city').map((t) => t.orgId);
  const planList = await listActivePlansOfOwners(db, cityIds);
  // Reused until something is written to the cities' plans or the installation (core/read-cache.ts,
  // ADR 0008): the same for every reader of this province's office.
  const key = JSON.stringify(['province-dashboard', own.orgId, cityIds, planList.map((p) => p.id), opts.asOf]);
  return cachedPlanRead(
    db,
    key,
    planList.map((p) => p.id),
    () => computeProvinceDashboard(db, own.orgId, cityIds, planList, opts.asOf),
  );
}

async function computeProvinceDashboard(
  db: DbOrTrx,
  provinceId: string,
  cityIds: string[],
  planList: { id: string; title: string; owner_org_id: string | null }[],
  asOf: string,
): Promise<ProvinceDashboard> {
  const opts = { asOf };
  const own = { orgId: provinceId };
  const [names, kinds, ledgers, jurisdictions, notices] = await Promise.all([
    listOrganisationNames(db, [own.orgId, ...cityIds]),
    listOrganisationKinds(db),
    readPlanLedgers(db, planList),
    listJurisdictionsOfTenants(db, cityIds),
    countOpenNoticesByOwner(db, taskOwnersOfTenants(db, cityIds), opts.asOf),
  ]);
  const reporting = await reportingByDistrict(
    db,
    planList.map((p) => p.id),
    jurisdictions.map((j) => ({ id: j.id, name: j.name })),
  );
  const tenantOfDistrict = new Map(jurisdictions.map((j) => [j.id, j.tenant_id]));
  const code = new Map(kinds.map((k) => [k.id, k.admin_code]));

  const rows = new Map(
    cityIds.map((id) => [
      id,
      {
        org: { id, name: names.get(id) ?? '' },
        plans: 0,
        tasksByStatus: zero(),
        targetsByStatus: zero(),
        reporting: { expected: 0, submitted: 0, rate: null as number | null },
        notices: { open: 0, overdue: 0 },
        overdue: 0,
      },
    ]),
  );
  // Tasks once each (whatever their units) by their status on asOf, and all their targets by the
  // task's status, from the plans' cached ledgers.
  for (const plan of planList) {
    const row = plan.owner_org_id === null ? undefined : rows.get(plan.owner_org_id);
    if (!row) continue;
    row.plans += 1;
    for (const task of ledgers.get(plan.id)?.tasks ?? []) {
      const status = statusAsOf(task.taskStatus, task.deadlines, opts.asOf);
      row.tasksByStatus[status] += 1;
      row.targetsByStatus[status] += task.targets;
    }
  }
  for (const n of notices) {
    const row = n.ownerId === null ? undefined : rows.get(n.ownerId);
    if (row) row.notices = { open: n.open, overdue: n.overdue };
  }
  for (const d of reporting) {
    const tenant = tenantOfDistrict.get(d.id);
    const row = tenant ? rows.get(tenant) : undefined;
    if (!row) continue;
    row.reporting.expected += d.expected;
    row.reporting.submitted += d.submitted;
  }
  for (const row of rows.values()) {
    row.overdue = row.tasksByStatus.overdue;
    row.reporting.rate = row.reporting.expected === 0 ? null : row.reporting.submitted / row.reporting.expected;
  }
  // Cities in division-code order (410500 安阳 … 410600 鹤壁), then by name.
  const cities = [...rows.values()].sort((a, b) => {
    const ca = code.get(a.org.id) ?? null;
    const cb = code.get(b.org.id) ?? null;
    if (ca && cb && ca !== cb) return ca < cb ? -1 : 1;
    if (Boolean(ca) !== Boolean(cb)) return ca ? -1 : 1;
    return collator.compare(a.org.name, b.org.name);
  });
  return { asOf: opts.asOf, province: { id: own.orgId, name: names.get(own.orgId) ?? '' }, cities };
}

/**
 * 填报率 counts per district over `planIds`: reporting's summariseReporting plan by plan, each
 * plan's reused until a write lands in it (core/read-cache.ts cachedPerPlan; the rate reads no
 * date), summed. summariseReporting sums its plans the same way, so the sum is its answer for all
 * of them at once; a report in one city recomputes that city's plan only.
 */
async function reportingByDistrict(
  db: DbOrTrx,
  planIds: readonly string[],
  districts: readonly { id: string; name: string }[],
): Promise<{ id: string; expected: number; submitted: number }[]> {
  const kind = JSON.stringify(['province-reporting', districts.map((d) => [d.id, d.name])]);
  const perPlan = await cachedPerPlan(db, kind, planIds, async (missing) => {
    const out = new Map<string, Map<string, { expected: number; submitted: number }>>();
    for (const planId of missing) {
      const summary = await summariseReporting(db, [planId], districts);
      out.set(planId, new Map(summary.byDistrict.map((d) => [d.org.id, { expected: d.expected, submitted: d.submitted }])));
    }
    return out;
  });
  return districts.map((d) => {
    let expected = 0;
    let submitted = 0;
    for (const counts of perPlan.values()) {
      expected += counts.get(d.id)?.expected ?? 0;
      submitted += counts.get(d.id)?.submitted ?? 0;
    }
    return { id: d.id, expected, submitted };
  });
}
