import type { DashboardReporting, OrgRef } from '../../../shared/schemas/ledger.schema.ts';
import type { ReportingPeriod } from '../../../shared/schemas/reporting.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { listPeriods } from './periods.service.ts';
import { listMyReports } from './progress-reports.service.ts';

type Counts = Omit<DashboardReporting['totals'], 'rate'>;

const zero = (): Counts => ({ expected: 0, submitted: 0, approved: 0, returned: 0, late: 0 });
const withRate = (c: Counts) => ({ ...c, rate: c.expected === 0 ? null : c.submitted / c.expected });

/** A plan's current period: its open one (the latest, if several), else its latest closed one. */
function currentPeriod(periods: ReportingPeriod[]): ReportingPeriod | undefined {
  return periods.filter((p) => p.status === 'open').at(-1) ?? periods.filter((p) => p.status === 'closed').at(-1);
}

/**
 * 填报率 per district for the current period of each plan: of the rows the district reports on
 * (exactly its "my reports" list), how many are submitted or approved, approved, returned, and
 * submitted late. "Expected" reuses listMyReports as the district's own unit user would see it, so
 * the dashboard can never count rows the county was not shown.
 */
export async function summariseReporting(db: DbOrTrx, planIds: readonly string[], districts: readonly OrgRef[]): Promise<DashboardReporting> {
  const periods: ReportingPeriod[] = [];
  for (const planId of planIds) {
    const period = currentPeriod((await listPeriods(db, planId)).items);
    if (period) periods.push(period);
  }
  const totals = zero();
  const byDistrict = [];
  for (const org of districts) {
    const counts = zero();
    for (const period of periods) {
      const mine = await listMyReports(db, period.id, { role: 'unit', orgId: org.id, userId: '', displayName: '' });
      for (const row of mine.items) {
        counts.expected += 1;
        const status = row.report?.status;
        if (status === 'submitted' || status === 'approved') {
          counts.submitted += 1;
          if (row.report?.isLate) counts.late += 1;
        }
        if (status === 'approved') counts.approved += 1;
        if (status === 'returned') counts.returned += 1;
      }
    }
    for (const key of Object.keys(totals) as (keyof Counts)[]) totals[key] += counts[key];
    byDistrict.push({ org, ...withRate(counts) });
  }
  return {
    periods: periods.map((p) => ({ id: p.id, planId: p.planId, label: p.label, status: p.status, dueDate: p.dueDate })),
    totals: withRate(totals),
    byDistrict,
  };
}
