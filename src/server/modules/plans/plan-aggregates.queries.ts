/**
 * The dashboard's aggregates over plans' tables (tasks, assignments, deadlines, targets, plans):
 * GROUP BY and ORDER BY … LIMIT in SQL, so a dashboard never builds the whole ledger (issue 13 §3).
 *
 * Every query starts from the same ledger-row relation `ledger_rows` (one row per task × responsible
 * unit, a group expanded into its members, one row with a null unit for a task without one, and
 * the status of the row on `asOf`), defined once here with the ledger's own rules
 * (ledger.service.ts buildLedger; test/dashboard-sql.test.ts holds the two equal):
 * - a responsible group with members is replaced by its members; a unit named directly and through
 *   a group is one row (UNION);
 * - the status is the task's stored status, except that anything not done with a deadline before
 *   `asOf` is overdue (status-engine statusAsOf).
 * Group membership is organisations' table: the caller passes the (group, member) pairs it got from
 * organisations' service, as a VALUES list, so this module reads only its own tables.
 */
import { type RawBuilder, sql } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';

/** What the ledger-row relation is built from. */
export interface LedgerRowScope {
  planIds: readonly string[];
  /** (group, member) pairs of the groups that have members: a group named responsible expands into these. */
  groupMembers: readonly { groupId: string; memberId: string }[];
  asOf: string;
}

const ids = (list: readonly string[]) =>
  sql.join(
    list.map((id) => sql`${id}`),
    sql`, `,
  );

/** `with gm …, units …, ledger_rows …` for the scope (planIds must not be empty). */
function ledgerRowsCte(scope: LedgerRowScope): RawBuilder<unknown> {
  // One VALUES list (not a UNION of one-row selects): the planner takes it as one node, where
  // 160 unions of a province's groups cost more to plan than the query took to run.
  const gm =
    scope.groupMembers.length === 0
      ? sql`select cast(null as varchar(64)) as group_id, cast(null as varchar(64)) as member_id where 1 = 0`
      : sql`values ${sql.join(
          scope.groupMembers.map((m) => sql`(${m.groupId}, ${m.memberId})`),
          sql`, `,
        )}`;
  return sql`with gm(group_id, member_id) as (${gm}),
resp as (
  select distinct a.task_id, a.org_id from assignments a
  join tasks t on t.id = a.task_id
  where t.plan_id in (${ids(scope.planIds)}) and a.role = 'responsible'
),
units as (
  select task_id, org_id from resp where org_id not in (select group_id from gm)
  union
  select resp.task_id, gm.member_id as org_id from resp join gm on gm.group_id = resp.org_id
),
ledger_rows as (
  select t.id as task_id, t.plan_id, t.section_id, t.seq, u.org_id,
    case
      when t.status = 'done' then 'done'
      when exists (select 1 from deadlines d where d.task_id = t.id and d.date < ${scope.asOf}) then 'overdue'
      else t.status
    end as status
  from tasks t left join units u on u.task_id = t.id
  where t.plan_id in (${ids(scope.planIds)})
)`;
}

const num = (v: unknown) => Number(v ?? 0);

/** Ledger rows per (responsible unit, section, status): the dashboard's byStatus, byDistrict and heat map fold these. */
export async function countLedgerRowsByOrgSectionStatus(db: DbOrTrx, scope: LedgerRowScope) {
  const { rows } = await sql<{ org_id: string | null; section_id: string | null; status: string; n: unknown }>`${ledgerRowsCte(scope)}
select org_id, section_id, status, count(*) as n from ledger_rows group by org_id, section_id, status`.execute(db);
  return rows.map((r) => ({ orgId: r.org_id, sectionId: r.section_id, status: r.status, n: num(r.n) }));
}

/** Ledger rows per (lead unit, status): a row counts once for each lead unit of its task. */
export async function countLedgerRowsByLeadStatus(db: DbOrTrx, scope: LedgerRowScope) {
  const { rows } = await sql<{ org_id: string; status: string; n: unknown }>`${ledgerRowsCte(scope)}
select l.org_id, r.status, count(*) as n
from ledger_rows r join (select distinct task_id, org_id from assignments where role = 'lead') l on l.task_id = r.task_id
group by l.org_id, r.status`.execute(db);
  return rows.map((r) => ({ orgId: r.org_id, status: r.status, n: num(r.n) }));
}

// A row carries the targets of its unit and the unassigned ones (all of them when it has no unit).
const rowTargetsJoin = sql`join targets tg on tg.task_id = r.task_id
  and (r.org_id is null or tg.jurisdiction_org_id is null or tg.jurisdiction_org_id = r.org_id)`;

/** Targets on ledger rows by the row's status (a target on several rows counts on each), and distinct targets and tasks overall. */
export async function countLedgerTargets(db: DbOrTrx, scope: LedgerRowScope) {
  const [byStatus, totals] = await Promise.all([
    sql<{ status: string; n: unknown }>`${ledgerRowsCte(scope)}
select r.status, count(*) as n from ledger_rows r ${rowTargetsJoin} group by r.status`.execute(db),
    sql<{ targets: unknown; tasks: unknown }>`${ledgerRowsCte(scope)}
select (select count(distinct tg.id) from ledger_rows r ${rowTargetsJoin}) as targets,
  (select count(distinct task_id) from ledger_rows) as tasks`.execute(db),
  ]);
  return {
    byStatus: byStatus.rows.map((r) => ({ status: r.status, n: num(r.n) })),
    targets: num(totals.rows[0]?.targets),
    tasks: num(totals.rows[0]?.tasks),
  };
}

/** A ledger row's key and what the dashboard's lists order it by. */
export interface RankedLedgerRow {
  taskId: string;
  orgId: string | null;
  /** 0 when the row is the actor's own (only when `mineOrgId` was given), else 1. */
  mine: number;
  /** The date the list sorts by (the first deadline in the window, or the earliest deadline). */
  due: string;
  planId: string;
  seq: number;
}

/**
 * The first `limit` rows of one of the dashboard's lists, in its order: `overdue` (status overdue,
 * earliest deadline first) or `upcoming` (not done, a deadline in [from, to], the first such
 * deadline first); then the ledger's own order: the actor's rows first when `mineOrgId` is given,
 * plan (oldest first), seq, task. Rows of one task tie here (the ledger orders them by the unit's
 * name in zh-CN collation, which SQLite cannot do): so every row of the last task returned is
 * returned too, and the caller orders by name and cuts.
 */
export async function listRankedLedgerRows(
  db: DbOrTrx,
  scope: LedgerRowScope,
  list: { kind: 'overdue' } | { kind: 'upcoming'; from: string; to: string },
  opts: { mineOrgId: string | null; limit: number },
): Promise<RankedLedgerRow[]> {
  const mine =
    opts.mineOrgId === null
      ? sql`1`
      : sql`case when r.org_id = ${opts.mineOrgId} or exists (select 1 from assignments l where l.task_id = r.task_id and l.role = 'lead' and l.org_id = ${opts.mineOrgId}) then 0 else 1 end`;
  const due =
    list.kind === 'overdue'
      ? sql`(select min(d.date) from deadlines d where d.task_id = r.task_id)`
      : sql`(select min(d.date) from deadlines d where d.task_id = r.task_id and d.date >= ${list.from} and d.date <= ${list.to})`;
  const where = list.kind === 'overdue' ? sql`r.status = 'overdue'` : sql`r.status <> 'done'`;
  const ranked = sql`ranked as (
  select r.task_id, r.org_id, r.plan_id, r.seq, ${mine} as mine, ${due} as due, p.created_at as plan_created_at
  from ledger_rows r join plans p on p.id = r.plan_id
  where ${where}
)`;
  const order = sql`order by coalesce(due, '9999-12-31'), mine, plan_created_at, plan_id, seq, task_id`;
  const cte = ledgerRowsCte(scope);
  const filter = list.kind === 'upcoming' ? sql`where due is not null` : sql``;
  const { rows } = await sql<{
    task_id: string;
    org_id: string | null;
    plan_id: string;
    seq: unknown;
    mine: unknown;
    due: string | null;
  }>`${cte},
${ranked},
firsts as (select task_id, mine from ranked ${filter} ${order} limit ${opts.limit})
select ranked.* from ranked join (select distinct task_id, mine from firsts) f on f.task_id = ranked.task_id and f.mine = ranked.mine
${order}`.execute(db);
  return rows.map((r) => ({
    taskId: r.task_id,
    orgId: r.org_id,
    mine: num(r.mine),
    due: r.due ?? '9999-12-31',
    planId: r.plan_id,
    seq: num(r.seq),
  }));
}

/** The plan, or every active plan, oldest first, with the tenant that owns it (the dashboard's scope). */
export function listDashboardPlans(db: DbOrTrx, planId: string | undefined) {
  let q = db.selectFrom('plans').select(['id', 'title', 'created_at', 'owner_org_id']);
  q = planId ? q.where('id', '=', planId) : q.where('status', '=', 'active');
  return q.orderBy('created_at').orderBy('id').execute();
}

// ——— The province dashboard: one query per aggregate, grouped by the tenant that owns the plan ———

// A task's status on asOf (statusAsOf): done stays done, anything else is overdue once a deadline passed.
const taskStatusOn = (asOf: string) => sql<string>`case
  when t.status = 'done' then 'done'
  when exists (select 1 from deadlines d where d.task_id = t.id and d.date < ${asOf}) then 'overdue'
  else t.status end`;

/** Active plans per owning tenant, among `ownerIds`. */
export async function countActivePlansByOwner(db: DbOrTrx, ownerIds: readonly string[]) {
  if (ownerIds.length === 0) return [];
  const rows = await db
    .selectFrom('plans')
    .select(['owner_org_id', (eb) => eb.fn.countAll().as('n')])
    .where('status', '=', 'active')
    .where('owner_org_id', 'in', [...ownerIds])
    .groupBy('owner_org_id')
    .execute();
  return rows.map((r) => ({ ownerId: r.owner_org_id as string, n: Number(r.n) }));
}

/**
 * Tasks of the active plans of `ownerIds` by owner and status on `asOf` (a task once, whatever its
 * units), and their targets by the same status. Two GROUP BY queries; the status is computed in a
 * subquery and grouped by name (PostgreSQL does not match two parameterised expressions).
 */
export async function countTasksAndTargetsByOwner(db: DbOrTrx, ownerIds: readonly string[], asOf: string) {
  if (ownerIds.length === 0) return { tasks: [], targets: [] };
  const owners = ids(ownerIds);
  const [tasks, targets] = await Promise.all([
    sql<{ owner_org_id: string; status: string; n: unknown }>`select owner_org_id, status, count(*) as n from (
  select p.owner_org_id, ${taskStatusOn(asOf)} as status
  from tasks t join plans p on p.id = t.plan_id
  where p.status = 'active' and p.owner_org_id in (${owners})
) x group by owner_org_id, status`.execute(db),
    // Each task's status computed once (990 tasks), not once per target (9,680): 65 → 10 ms.
    sql<{ owner_org_id: string; status: string; n: unknown }>`select x.owner_org_id, x.status, count(*) as n from (
  select t.id, p.owner_org_id, ${taskStatusOn(asOf)} as status
  from tasks t join plans p on p.id = t.plan_id
  where p.status = 'active' and p.owner_org_id in (${owners})
) x join targets tg on tg.task_id = x.id group by x.owner_org_id, x.status`.execute(db),
  ]);
  const map = (r: { owner_org_id: string; status: string; n: unknown }) => ({ ownerId: r.owner_org_id, status: r.status, n: num(r.n) });
  return { tasks: tasks.rows.map(map), targets: targets.rows.map(map) };
}

/** Active plans of `ownerIds` with their owner (the province's 填报率 is summed per owner). */
export function listActivePlansOfOwners(db: DbOrTrx, ownerIds: readonly string[]) {
  if (ownerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('plans')
    .select(['id', 'owner_org_id'])
    .where('status', '=', 'active')
    .where('owner_org_id', 'in', [...ownerIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Each task of the active plans of `ownerIds` with the tenant owning its plan, as a subquery other modules group by. */
export function taskOwnersOfTenants(db: DbOrTrx, ownerIds: readonly string[]) {
  return db
    .selectFrom('tasks')
    .innerJoin('plans', 'plans.id', 'tasks.plan_id')
    .select(['tasks.id as task_id', 'plans.owner_org_id as owner_org_id'])
    .where('plans.status', '=', 'active')
    .where('plans.owner_org_id', 'in', ownerIds.length === 0 ? [''] : [...ownerIds]);
}
