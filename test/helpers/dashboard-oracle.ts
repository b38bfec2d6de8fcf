/**
 * The dashboard as it was computed before issue 13 §3: by building the whole ledger (buildLedger)
 * and counting its rows in JavaScript. Kept here, and only here, as the oracle the SQL dashboard
 * (src/server/modules/ledger/dashboard.service.ts) is held equal to on varied data.
 */
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../src/shared/enums.ts';
import { filterLedgerRows } from '../../src/shared/ledger-filter.ts';
import { addDays } from '../../src/shared/china-date.ts';
import type { Dashboard, DashboardSupervision, LedgerRow, OrgRef } from '../../src/shared/schemas/ledger.schema.ts';
import type { DbOrTrx } from '../../src/server/db/database.ts';
import type { Actor } from '../../src/server/core/actor.ts';
import { formatSectionHeading } from '../../src/server/documents/task-breakdown.format.ts';
import { buildLedger } from '../../src/server/modules/ledger/ledger.service.ts';
import { DASHBOARD_LIST_LIMIT, UPCOMING_DAYS } from '../../src/server/modules/ledger/dashboard.service.ts';
import { summariseReporting } from '../../src/server/modules/reporting/reporting-rate.service.ts';

const collator = new Intl.Collator('zh-CN');

function zeroCounts(): Record<DeliveryStatus, number> {
  return Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
}

function compareDistricts(codeA: string | null, nameA: string, codeB: string | null, nameB: string): number {
  if (codeA && codeB && codeA !== codeB) return codeA < codeB ? -1 : 1;
  if (Boolean(codeA) !== Boolean(codeB)) return codeA ? -1 : 1;
  return collator.compare(nameA, nameB);
}

/** The former summariseNotices: every notice state loaded and folded. */
async function summariseNotices(db: DbOrTrx, planIds: readonly string[], asOf: string, actor: Actor): Promise<DashboardSupervision> {
  const summary: DashboardSupervision = {
    open: 0,
    answered: 0,
    closed: 0,
    overdue: 0,
    byStep: { none: 0, reminder: 0, urging: 0, yellow_card: 0, red_card: 0, interview: 0, accountability: 0 },
  };
  if (planIds.length === 0) return summary;
  const ownOnly = actor.role === 'lead' || actor.role === 'unit';
  const notices = await db
    .selectFrom('supervision_notices as n')
    .select(['n.status', 'n.escalation_step', 'n.due_date'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('supervision_notice_rows as r')
          .innerJoin('tasks as t', 't.id', 'r.task_id')
          .select('r.id')
          .whereRef('r.notice_id', '=', 'n.id')
          .where('t.plan_id', 'in', [...planIds])
          .$if(ownOnly, (qb) => qb.where('r.org_id', '=', actor.orgId)),
      ),
    )
    .execute();
  for (const n of notices) {
    if (n.status === 'closed') {
      summary.closed += 1;
      continue;
    }
    if (n.status === 'answered') summary.answered += 1;
    else summary.open += 1;
    if (n.due_date < asOf) summary.overdue += 1;
    const step = (n.escalation_step ?? 'none') as keyof DashboardSupervision['byStep'];
    if (step in summary.byStep) summary.byStep[step] += 1;
  }
  return summary;
}

/** The former getDashboard, verbatim but for the imports. */
export async function ledgerBasedDashboard(db: DbOrTrx, actor: Actor, opts: { planId?: string; asOf: string }): Promise<Dashboard> {
  const ledger = await buildLedger(db, actor, opts);
  const { rows, asOf } = ledger;
  const byStatus = zeroCounts();
  const targetsByStatus = zeroCounts();
  const districts = new Map<string, { org: OrgRef; counts: Record<DeliveryStatus, number> }>();
  const leads = new Map<string, { org: OrgRef; counts: Record<DeliveryStatus, number> }>();
  const topSections = new Map<string, { id: string; title: string; planOrder: number; ordinal: number }>();
  const cells = new Map<string, { rows: number; overdue: number }>();
  const tasks = new Set<string>();
  const targets = new Set<string>();
  const planOrder = new Map(ledger.plans.map((p, i) => [p.id, i]));
  const planIds = ledger.plans.map((p) => p.id);

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
    if (top && !topSections.has(top.id)) {
      topSections.set(top.id, {
        id: top.id,
        title: formatSectionHeading(top),
        planOrder: planOrder.get(top.planId) ?? 0,
        ordinal: top.ordinal,
      });
    }
    const r = row.responsible;
    if (!r || ledger.orgs.get(r.id)?.kind !== 'jurisdiction') continue;
    const entry = districts.get(r.id) ?? { org: r, counts: zeroCounts() };
    entry.counts[row.status] += 1;
    districts.set(r.id, entry);
    if (top) {
      const key = `${r.id}|${top.id}`;
      const cell = cells.get(key) ?? { rows: 0, overdue: 0 };
      cell.rows += 1;
      if (row.status === 'overdue') cell.overdue += 1;
      cells.set(key, cell);
    }
  }

  const districtList = [...districts.values()].sort((a, b) =>
    compareDistricts(ledger.orgs.get(a.org.id)?.adminCode ?? null, a.org.name, ledger.orgs.get(b.org.id)?.adminCode ?? null, b.org.name),
  );
  const sectionList = [...topSections.values()].sort((a, b) => a.planOrder - b.planOrder || a.ordinal - b.ordinal);
  const heatCells: Dashboard['heatmap']['cells'] = [];
  districtList.forEach((d, di) => {
    sectionList.forEach((s, si) => {
      const cell = cells.get(`${d.org.id}|${s.id}`) ?? { rows: 0, overdue: 0 };
      heatCells.push({ district: di, section: si, rows: cell.rows, overdue: cell.overdue });
    });
  });

  const total = (c: Record<DeliveryStatus, number>) => DELIVERY_STATUSES.reduce((n, s) => n + c[s], 0);
  const until = addDays(asOf, UPCOMING_DAYS);
  const firstDueIn = (row: LedgerRow) => row.deadlines.find((d) => d >= asOf && d <= until) ?? '9999-12-31';
  const upcoming = filterLedgerRows(rows, { dueFrom: asOf, dueTo: until })
    .filter((row) => row.status !== 'done')
    .sort((a, b) => (firstDueIn(a) < firstDueIn(b) ? -1 : firstDueIn(a) > firstDueIn(b) ? 1 : 0))
    .slice(0, DASHBOARD_LIST_LIMIT);
  const overdue = filterLedgerRows(rows, { status: 'overdue' })
    .sort((a, b) => (a.deadlines[0] ?? '').localeCompare(b.deadlines[0] ?? ''))
    .slice(0, DASHBOARD_LIST_LIMIT);

  return {
    asOf,
    planId: opts.planId ?? null,
    totals: { rows: rows.length, tasks: tasks.size, targets: targets.size },
    byStatus,
    targetsByStatus,
    byDistrict: districtList,
    byLead: [...leads.values()].sort((a, b) => total(b.counts) - total(a.counts) || collator.compare(a.org.name, b.org.name)),
    heatmap: {
      districts: districtList.map((d) => d.org),
      sections: sectionList.map((s) => ({ id: s.id, title: s.title })),
      cells: heatCells,
    },
    upcoming,
    overdue,
    reporting: await summariseReporting(
      db,
      planIds,
      districtList.map((d) => d.org),
    ),
    supervision: await summariseNotices(db, planIds, asOf, actor),
  };
}
