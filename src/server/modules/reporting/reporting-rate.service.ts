import type { DashboardReporting, OrgRef } from '../../../shared/schemas/ledger.schema.ts';
import type { ReportingPeriod } from '../../../shared/schemas/reporting.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { listPeriods } from './periods.service.ts';
import { listOrganisations } from '../organisations/organisations.service.ts';
import { loadPlanReporting, type OrganisationList } from './report-rows.service.ts';
import { listPeriodReportStates } from './reporting.repository.ts';
import { rowFiledByRole } from './target-reporters.rule.ts';

type Counts = Omit<DashboardReporting['totals'], 'rate'>;

const zero = (): Counts => ({ expected: 0, submitted: 0, approved: 0, returned: 0, late: 0 });
const withRate = (c: Counts) => ({ ...c, rate: c.expected === 0 ? null : c.submitted / c.expected });

/** A plan's current period: its open one (the latest, if several), else its latest closed one. */
function currentPeriod(periods: ReportingPeriod[]): ReportingPeriod | undefined {
  return periods.filter((p) => p.status === 'open').at(-1) ?? periods.filter((p) => p.status === 'closed').at(-1);
}

/**
 * The rows each organisation reports on in a period of `planId`, as keys `taskId:targetId|-`:
 * exactly the rows listMyReports gives a unit user, from the same rule (target-reporters.rule.ts
 * via loadPlanReporting), for all organisations at once. The dashboard test holds the two equal
 * for every district.
 */
async function reportableKeysByOrg(
  db: DbOrTrx,
  planId: string,
  orgIds: readonly string[],
  organisations: OrganisationList,
): Promise<Map<string, Set<string>>> {
  const keys = new Map<string, Set<string>>(orgIds.map((id) => [id, new Set<string>()]));
  for (const row of (await loadPlanReporting(db, planId, { organisations })).rows) {
    if (!rowFiledByRole(row.basis, 'unit')) continue;
    keys.get(row.orgId)?.add(`${row.taskId}:${row.targetId ?? '-'}`);
  }
  return keys;
}

/**
 * 填报率 per district for the current period of each plan: of the rows the district reports on
 * (exactly its "my reports" list), how many are submitted or approved, approved, returned, and
 * submitted late.
 */
export async function summariseReporting(
  db: DbOrTrx,
  planIds: readonly string[],
  districts: readonly OrgRef[],
): Promise<DashboardReporting> {
  const orgIds = districts.map((d) => d.id);
  const counts = new Map<string, Counts>(orgIds.map((id) => [id, zero()]));
  // Plans in parallel (a province's dashboard has 18): each plan's rows and reports are
  // independent; the organisations are read once for all of them.
  const organisations = planIds.length === 0 ? undefined : await listOrganisations(db);
  const perPlan = await Promise.all(
    planIds.map(async (planId) => {
      const period = currentPeriod((await listPeriods(db, planId)).items);
      if (!period) return null;
      const [expected, reports] = await Promise.all([
        reportableKeysByOrg(db, planId, orgIds, organisations!),
        listPeriodReportStates(db, period.id),
      ]);
      return { period, expected, reports };
    }),
  );
  const periods: ReportingPeriod[] = [];
  for (const plan of perPlan) {
    if (!plan) continue;
    const { period, expected, reports } = plan;
    periods.push(period);
    for (const [orgId, keys] of expected) counts.get(orgId)!.expected += keys.size;
    for (const r of reports) {
      const c = counts.get(r.org_id);
      // A report on a row no longer the district's (the plan was revised) does not count.
      if (!c || !expected.get(r.org_id)?.has(`${r.task_id}:${r.target_id ?? '-'}`)) continue;
      if (r.status === 'submitted' || r.status === 'approved') {
        c.submitted += 1;
        if (Number(r.is_late) === 1) c.late += 1;
      }
      if (r.status === 'approved') c.approved += 1;
      if (r.status === 'returned') c.returned += 1;
    }
  }
  const totals = zero();
  for (const c of counts.values()) for (const key of Object.keys(totals) as (keyof Counts)[]) totals[key] += c[key];
  return {
    periods: periods.map((p) => ({ id: p.id, planId: p.planId, label: p.label, status: p.status, dueDate: p.dueDate })),
    totals: withRate(totals),
    byDistrict: districts.map((org) => ({ org, ...withRate(counts.get(org.id)!) })),
  };
}
