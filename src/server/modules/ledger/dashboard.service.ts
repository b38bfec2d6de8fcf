import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../shared/enums.ts';
import { addDays } from '../../../shared/china-date.ts';
import type { DashboardResponse, DashboardScope } from '../../../shared/schemas/dashboard.schema.ts';
import type { Dashboard, DashboardSupervision, LedgerRow, OrgRef } from '../../../shared/schemas/ledger.schema.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { cachedPlanRead } from '../../core/read-cache.ts';
import { canSeeTenant, type TenantNode } from '../../core/tenancy.rule.ts';
import { formatSectionHeading } from '../../documents/task-breakdown.format.ts';
import { listGroupMembers, listOrganisationKinds, listOrganisationNames } from '../organisations/organisations.service.ts';
import { listTenants, scopeOf } from '../organisations/tenancy.service.ts';
import {
  countLedgerRowsByLeadStatus,
  countLedgerRowsByOrgSectionStatus,
  countLedgerTargets,
  type LedgerRowScope,
  listDashboardPlans,
  listRankedLedgerRows,
  type RankedLedgerRow,
} from '../plans/plan-aggregates.queries.ts';
import { listLedgerSections, taskIdsOfPlans } from '../plans/plan-rows.queries.ts';
import { readablePlanIds } from '../plans/plans.policy.ts';
import { summariseReporting } from '../reporting/reporting-rate.service.ts';
import { getPublicSettings } from '../settings/settings.service.ts';
import { countNoticesOnTasks } from '../supervision/notice-aggregates.queries.ts';
import { buildLedger } from './ledger.service.ts';

/**
 * The dashboard (GET /api/dashboard), computed with SQL aggregates over the ledger-row relation of
 * plans' plan-aggregates.queries.ts (issue 13 §3): GROUP BY for every count, ORDER BY … LIMIT for
 * the two lists, whose at most DASHBOARD_LIST_LIMIT rows are then built as the ledger builds them.
 * It never builds the whole ledger. Every number still equals the length of filterLedgerRows for
 * the filter it links to (test/ledger.test.ts), and the whole response equals the former
 * ledger-based computation (test/dashboard-sql.test.ts keeps that one as its oracle).
 */

/** How many rows the dashboard's upcoming and overdue lists carry; byStatus has the full counts. */
export const DASHBOARD_LIST_LIMIT = 100;
/** The dashboard's "upcoming" window, in days from asOf (inclusive). */
export const UPCOMING_DAYS = 30;

const collator = new Intl.Collator('zh-CN');

function zeroCounts(): Record<DeliveryStatus, number> {
  return Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
}
const asStatus = (s: string) => s as DeliveryStatus;
const total = (c: Record<DeliveryStatus, number>) => DELIVERY_STATUSES.reduce((n, s) => n + c[s], 0);

// Districts in division-code order (A区 410611 … B县 410622), then by name (the ledger's order).
function compareDistricts(codeA: string | null, nameA: string, codeB: string | null, nameB: string): number {
  if (codeA && codeB && codeA !== codeB) return codeA < codeB ? -1 : 1;
  if (Boolean(codeA) !== Boolean(codeB)) return codeA ? -1 : 1;
  return collator.compare(nameA, nameB);
}

interface SectionInfo {
  id: string;
  planId: string;
  parentId: string | null;
  path: string[];
  title: string;
  ordinal: number;
}

/** Organisation facts the dashboard needs from organisations' service, loaded once. */
interface OrgFacts {
  kinds: Map<string, { kind: string; adminCode: string | null }>;
  /** Group id → its members in district order (only groups of kind 'group' with members). */
  membersOf: Map<string, { ref: OrgRef; adminCode: string | null }[]>;
}

async function loadOrgFacts(db: DbOrTrx): Promise<OrgFacts> {
  const [members, orgKinds] = await Promise.all([listGroupMembers(db), listOrganisationKinds(db)]);
  const kinds = new Map(orgKinds.map((o) => [o.id, { kind: o.kind, adminCode: o.admin_code }]));
  const membersOf = new Map<string, { ref: OrgRef; adminCode: string | null }[]>();
  for (const m of members) {
    if (kinds.get(m.group_id)?.kind !== 'group') continue;
    const list = membersOf.get(m.group_id) ?? [];
    list.push({ ref: { id: m.member_id, name: m.name }, adminCode: m.admin_code });
    membersOf.set(m.group_id, list);
  }
  for (const list of membersOf.values()) list.sort((a, b) => compareDistricts(a.adminCode, a.ref.name, b.adminCode, b.ref.name));
  return { kinds, membersOf };
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

/** The dashboard over `planIds` (already authorised, oldest first). */
async function computeDashboard(
  db: DbOrTrx,
  actor: Actor,
  opts: { plans: { id: string; title: string }[]; planId?: string; asOf: string },
): Promise<Dashboard> {
  const { asOf } = opts;
  const planIds = opts.plans.map((p) => p.id);
  const byStatus = zeroCounts();
  const targetsByStatus = zeroCounts();
  if (planIds.length === 0) {
    return {
      asOf,
      planId: opts.planId ?? null,
      totals: { rows: 0, tasks: 0, targets: 0 },
      byStatus,
      targetsByStatus,
      byDistrict: [],
      byLead: [],
      heatmap: { districts: [], sections: [], cells: [] },
      upcoming: [],
      overdue: [],
      reporting: await summariseReporting(db, [], []),
      supervision: await summariseNoticeCounts(db, [], asOf, actor),
    };
  }
  const orgs = await loadOrgFacts(db);
  const scope: LedgerRowScope = {
    planIds,
    asOf,
    groupMembers: [...orgs.membersOf].flatMap(([groupId, list]) => list.map((m) => ({ groupId, memberId: m.ref.id }))),
  };
  const until = addDays(asOf, UPCOMING_DAYS);
  const mineOrgId = actor.role === 'lead' || actor.role === 'unit' ? actor.orgId : null;
  const list = { mineOrgId, limit: DASHBOARD_LIST_LIMIT };
  const [cells, leads, targets, sectionRows, overdueRanked, upcomingRanked] = await Promise.all([
    countLedgerRowsByOrgSectionStatus(db, scope),
    countLedgerRowsByLeadStatus(db, scope),
    countLedgerTargets(db, scope),
    listLedgerSections(db, planIds),
    listRankedLedgerRows(db, scope, { kind: 'overdue' }, list),
    listRankedLedgerRows(db, scope, { kind: 'upcoming', from: asOf, to: until }, list),
  ]);

  const sections = new Map<string, SectionInfo>(
    sectionRows.map((s) => [
      s.id,
      { id: s.id, planId: s.plan_id, parentId: s.parent_id, path: JSON.parse(s.path) as string[], title: s.title, ordinal: s.ordinal },
    ]),
  );
  const chainOf = sectionChains(sections);
  const planOrder = new Map(planIds.map((id, i) => [id, i]));
  const names = await listOrganisationNames(db, [...cells.flatMap((c) => (c.orgId ? [c.orgId] : [])), ...leads.map((l) => l.orgId)]);

  let rows = 0;
  const districts = new Map<string, { org: OrgRef; counts: Record<DeliveryStatus, number> }>();
  const topSections = new Map<string, SectionInfo>();
  const heat = new Map<string, { rows: number; overdue: number }>();
  for (const c of cells) {
    const status = asStatus(c.status);
    rows += c.n;
    byStatus[status] += c.n;
    const top = chainOf(c.sectionId)[0];
    if (top) topSections.set(top.id, top);
    if (!c.orgId || orgs.kinds.get(c.orgId)?.kind !== 'jurisdiction') continue;
    const name = names.get(c.orgId);
    if (name === undefined) continue;
    const entry = districts.get(c.orgId) ?? { org: { id: c.orgId, name }, counts: zeroCounts() };
    entry.counts[status] += c.n;
    districts.set(c.orgId, entry);
    if (top) {
      const key = `${c.orgId}|${top.id}`;
      const cell = heat.get(key) ?? { rows: 0, overdue: 0 };
      cell.rows += c.n;
      if (status === 'overdue') cell.overdue += c.n;
      heat.set(key, cell);
    }
  }
  for (const t of targets.byStatus) targetsByStatus[asStatus(t.status)] += t.n;

  const leadMap = new Map<string, { org: OrgRef; counts: Record<DeliveryStatus, number> }>();
  for (const l of leads) {
    const name = names.get(l.orgId);
    if (name === undefined) continue;
    const entry = leadMap.get(l.orgId) ?? { org: { id: l.orgId, name }, counts: zeroCounts() };
    entry.counts[asStatus(l.status)] += l.n;
    leadMap.set(l.orgId, entry);
  }

  const districtList = [...districts.values()].sort((a, b) =>
    compareDistricts(orgs.kinds.get(a.org.id)?.adminCode ?? null, a.org.name, orgs.kinds.get(b.org.id)?.adminCode ?? null, b.org.name),
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

  const [overdue, upcoming] = await buildListedRows(db, actor, asOf, [overdueRanked, upcomingRanked], opts.planId);

  return {
    asOf,
    planId: opts.planId ?? null,
    totals: { rows, tasks: targets.tasks, targets: targets.targets },
    byStatus,
    targetsByStatus,
    byDistrict: districtList,
    byLead: [...leadMap.values()].sort((a, b) => total(b.counts) - total(a.counts) || collator.compare(a.org.name, b.org.name)),
    heatmap: {
      districts: districtList.map((d) => d.org),
      sections: sectionList.map((s) => ({ id: s.id, title: formatSectionHeading(s) })),
      cells: heatCells,
    },
    upcoming,
    overdue,
    reporting: await summariseReporting(
      db,
      planIds,
      districtList.map((d) => d.org),
    ),
    supervision: await summariseNoticeCounts(db, planIds, asOf, actor),
  };
}

/** Section id → its chain from the top-level section down (cycle-safe, cached). */
function sectionChains(sections: Map<string, SectionInfo>) {
  const cache = new Map<string, SectionInfo[]>();
  return (sectionId: string | null): SectionInfo[] => {
    if (!sectionId) return [];
    const cached = cache.get(sectionId);
    if (cached) return cached;
    const chain: SectionInfo[] = [];
    const seen = new Set<string>();
    for (let s = sections.get(sectionId); s && !seen.has(s.id); s = s.parentId ? sections.get(s.parentId) : undefined) {
      seen.add(s.id);
      chain.unshift(s);
    }
    cache.set(sectionId, chain);
    return chain;
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

/**
 * The LedgerRows of the listed keys, made by the ledger itself (ledger.service buildLedger, for
 * those few tasks only, so a listed row is field for field the ledger's); each list in its SQL
 * order, rows of one task and the same "mine" by the unit's name (zh-CN), cut to DASHBOARD_LIST_LIMIT.
 */
async function buildListedRows(
  db: DbOrTrx,
  actor: Actor,
  asOf: string,
  lists: RankedLedgerRow[][],
  planId: string | undefined,
): Promise<LedgerRow[][]> {
  const taskIds = [...new Set(lists.flat().map((r) => r.taskId))];
  if (taskIds.length === 0) return lists.map(() => []);
  const rowKeys = new Set(lists.flat().map((r) => `${r.taskId}:${r.orgId ?? '-'}`));
  const rowsByKey = new Map((await buildLedger(db, actor, { planId, asOf, taskIds, rowKeys })).rows.map((r) => [r.key, r]));
  return lists.map((ranked) => {
    const out: LedgerRow[] = [];
    // Runs of one task and the same "mine" are in SQL order already; inside a run, the unit's name.
    for (let i = 0; i < ranked.length && out.length < DASHBOARD_LIST_LIMIT; ) {
      let j = i;
      while (j < ranked.length && ranked[j].taskId === ranked[i].taskId && ranked[j].mine === ranked[i].mine) j++;
      const run = ranked
        .slice(i, j)
        .map((r) => rowsByKey.get(`${r.taskId}:${r.orgId ?? '-'}`))
        .filter((r): r is LedgerRow => r !== undefined)
        .sort(
          (a, b) =>
            (a.responsible ? 1 : 0) - (b.responsible ? 1 : 0) || collator.compare(a.responsible?.name ?? '', b.responsible?.name ?? ''),
        );
      out.push(...run);
      i = j;
    }
    return out.slice(0, DASHBOARD_LIST_LIMIT);
  });
}
