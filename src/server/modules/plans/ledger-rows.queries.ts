/**
 * The ledger filtered, sorted, counted and paged in SQL (issue 13 §3): the rows of
 * ledger.service.ts buildLedger (one per task × responsible unit, a group expanded into its
 * members unless a member is named directly, one row without a unit for a task that has none),
 * written as common table expressions over plans' tables, with the predicates of the shared
 * matchLedgerRow (src/shared/ledger-filter.ts) one for one. The organisations' names, kinds and
 * group memberships come as subqueries from organisations' service, which owns those tables.
 *
 * What this returns are row keys, counts and facet counts; the caller builds the page's rows with
 * buildLedger restricted to the page's tasks, so a row's content has one definition.
 * test/ledger-page.test.ts compares page, total and facets with filterLedgerRows over the full
 * ledger on both databases. One known difference: SQLite's lower() folds only ASCII letters, so a
 * search for "ⅳ" finds "Ⅳ" in the browser's filter and on PostgreSQL, not on SQLite.
 */
import { type RawBuilder, sql } from 'kysely';
import type { LedgerFilter } from '../../../shared/schemas/ledger.schema.ts';
import { LEDGER_FILTER_KEYS, type LedgerFilterKey } from '../../../shared/ledger-filter.ts';
import type { DeliveryStatus } from '../../../shared/enums.ts';
import { isPostgres } from '../../core/audit-log.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { groupMembersRelation, organisationsRelation } from '../organisations/organisations.service.ts';

/** Who reads and for which day: what the rows' status, isMine and order depend on. */
export interface LedgerRowsScope {
  /** The plans shown (already narrowed by plans.policy to what the actor reads). */
  planIds: readonly string[];
  asOf: string;
  /** The actor's organisation (isMine); null for none. */
  actorOrgId: string | null;
  /** Own rows first (lead and unit users), as buildLedger orders them. */
  mineFirst: boolean;
  /** Organisation id → rank of its name in zh-CN collation (equal names, equal rank): the unit order within a 序号. */
  nameRank: ReadonlyMap<string, number>;
}

export interface LedgerRowKey {
  taskId: string;
  orgId: string | null;
}

export interface LedgerFacetCount {
  id: string;
  name: string;
  count: number;
}

export interface LedgerRowsResult {
  keys: LedgerRowKey[];
  total: number;
  /** The rows of the plans in scope (the plan chosen, if one is) without the other filters; 0 when facets are skipped. */
  unfiltered: number;
  facets: { status: Partial<Record<DeliveryStatus, number>>; org: LedgerFacetCount[]; lead: LedgerFacetCount[] };
}

const NL = sql.raw("'\n'");

/** The `lr` rows: one per task × unit, with the columns the predicates and the order read. */
function ledgerCte(db: DbOrTrx, scope: LedgerRowsScope, withText: boolean) {
  const pg = isPostgres(db);
  const planIds = scope.planIds.length > 0 ? [...scope.planIds] : [''];
  const rank = JSON.stringify(Object.fromEntries(scope.nameRank));
  const rankTable = pg ? sql`jsonb_each_text(${rank}::jsonb)` : sql`json_each(${rank})`;
  const actor = scope.actorOrgId ?? '';
  // The text matchLedgerRow searches (its haystack), built in the same order with the same
  // separators, so a query spanning two parts matches exactly where it does in the browser.
  const haystack = withText
    ? sql`, lower(
        t.text || ${NL} || coalesce(s.title, '') || ${NL} || coalesce(u.org_name, '') || ${NL} || coalesce(u.via_name, '')
        || coalesce((select ${NL} || string_agg(o.name, ${NL} order by a.id) from assignments a join orgs o on o.id = a.org_id
                     where a.task_id = t.id and a.role = 'lead'), '')
        || coalesce((select ${NL} || string_agg(o.name, ${NL} order by a.id) from assignments a join orgs o on o.id = a.org_id
                     where a.task_id = t.id and a.role = 'cooperating'), '')
        || coalesce((select ${NL} || string_agg(coalesce(g.jurisdiction_label, '') || g.metric, ${NL}
                       order by coalesce(g.span_start, 2147483647), g.id)
                     from targets g where g.task_id = t.id
                       and (u.org_id is null or g.jurisdiction_org_id is null or g.jurisdiction_org_id = u.org_id)), '')
      ) as haystack`
    : sql``;
  return sql`
    scope_plans as (
      select id, row_number() over (order by created_at, id) as ord from plans where id in (${sql.join(planIds)})
    ),
    orgs as materialized (select id, name, kind from ${organisationsRelation(db)} as o0),
    members as materialized (select group_id, member_id from ${groupMembersRelation(db)} as m0),
    expanded_groups as materialized (select distinct m.group_id from members m join orgs o on o.id = m.group_id where o.kind = 'group'),
    ranks as materialized (select key as org_id, cast(value as integer) as r from ${rankTable}),
    scoped_tasks as materialized (select t.* from tasks t where t.plan_id in (select id from scope_plans)),
    resp as materialized (
      select a.id, a.task_id, a.org_id, case when a.org_id in (select group_id from expanded_groups) then 1 else 0 end as expands
      from assignments a
      join scoped_tasks t on t.id = a.task_id join orgs o on o.id = a.org_id
      where a.role = 'responsible'
    ),
    -- A unit named directly; a group with members is expanded instead (the unique key
    -- task × org × role makes each at most one row).
    direct as (select task_id, org_id from resp where expands = 0),
    via as (
      select task_id, org_id, via_id from (
        select r.task_id, m.member_id as org_id, r.org_id as via_id,
               row_number() over (partition by r.task_id, m.member_id order by r.id) as rn
        from resp r join members m on m.group_id = r.org_id
        where r.expands = 1
          -- NOT IN, not NOT EXISTS: PostgreSQL hashes the subquery once instead of scanning it per member.
          and (r.task_id, m.member_id) not in (select d.task_id, d.org_id from resp d where d.expands = 0)
      ) x where rn = 1
    ),
    -- Names and ranks joined here, once: joined in lr, PostgreSQL (estimating these CTEs at a
    -- row or two) re-ran the joins once per task, 12 of the page's 24 ms on a city's plan.
    units as materialized (
      select u.task_id, u.org_id, u.via_id, ro.name as org_name, vo.name as via_name, coalesce(nr.r, 0) as name_r
      from (
        select task_id, org_id, cast(null as text) as via_id from direct
        union all select task_id, org_id, via_id from via
      ) u
      left join orgs ro on ro.id = u.org_id
      left join orgs vo on vo.id = u.via_id
      left join ranks nr on nr.org_id = u.org_id
    ),
    leads as materialized (
      select a.task_id, a.org_id from assignments a
      join scoped_tasks t on t.id = a.task_id join orgs o on o.id = a.org_id
      where a.role = 'lead'
    ),
    -- Per task: its first deadline (the due order) and whether one has passed on asOf (statusAsOf).
    dl as materialized (
      select d.task_id, min(d.date) as first_due, max(case when d.date < ${scope.asOf} then 1 else 0 end) as past
      from deadlines d join scoped_tasks t on t.id = d.task_id group by d.task_id
    ),
    lr as materialized (
      select t.id as task_id, t.plan_id, t.seq, t.section_id, u.org_id as resp_id, sp.ord as plan_ord,
        case when t.status = 'done' then 'done'
             when dl.past = 1 then 'overdue'
             else t.status end as status,
        case when u.org_id = ${actor}
               or exists (select 1 from assignments l where l.task_id = t.id and l.org_id = ${actor} and l.role = 'lead')
             then 1 else 0 end as is_mine,
        case when u.org_id is null then 0 else 1 + u.name_r end as name_rank,
        dl.first_due
        ${haystack}
      from scoped_tasks t
      join scope_plans sp on sp.id = t.plan_id
      left join units u on u.task_id = t.id
      left join sections s on s.id = t.section_id and s.plan_id = t.plan_id
      left join dl on dl.task_id = t.id
    )`;
}

type Predicates = {
  [K in LedgerFilterKey]-?: (value: NonNullable<LedgerFilter[K]>, filter: LedgerFilter) => RawBuilder<unknown> | null;
};

// One deadline in [from, to], as matchLedgerRow's `deadlines.some(d >= from && d <= to)`.
const dueWindow = (from: string | undefined, to: string | undefined) =>
  sql`exists (select 1 from deadlines d where d.task_id = lr.task_id and d.date >= ${from ?? '0000-01-01'} and d.date <= ${to ?? '9999-12-31'})`;

/**
 * One SQL predicate per LedgerFilter key, each the SQL of the same test in matchLedgerRow. The
 * mapped type makes a key added to the filter a compile error here until it has its SQL.
 */
function predicates(db: DbOrTrx, planIds: readonly string[]): Predicates {
  const pg = isPostgres(db);
  const scopePlans = sql.join(planIds.length > 0 ? [...planIds] : ['']);
  return {
    planId: (planId) => sql`lr.plan_id = ${planId}`,
    // sectionIds is the task's section and its ancestors: the row matches when its section is
    // the chosen one or below it (a cycle in parent links ends, as buildLedger's walk does).
    sectionId: (sectionId) => sql`lr.section_id in (
      with recursive below(id) as (
        select id from sections where id = ${sectionId} and plan_id in (${scopePlans})
        union select s.id from sections s join below b on s.parent_id = b.id where s.plan_id in (${scopePlans})
      ) select id from below)`,
    leadOrgId: (orgId) =>
      // assignments.org_id references organisations: the organisation exists, as `leads` checks.
      sql`exists (select 1 from assignments l where l.task_id = lr.task_id and l.org_id = ${orgId} and l.role = 'lead')`,
    orgId: (orgId) => sql`lr.resp_id = ${orgId}`,
    status: (status) => sql`lr.status = ${status}`,
    // The window is one test over both keys: dueFrom writes it, dueTo alone writes it.
    dueFrom: (from, filter) => dueWindow(from, filter.dueTo),
    dueTo: (to, filter) => (filter.dueFrom ? null : dueWindow(undefined, to)),
    q: (q) => {
      const needle = q.trim().toLowerCase();
      if (!needle) return null;
      return pg ? sql`strpos(lr.haystack, ${needle}) > 0` : sql`instr(lr.haystack, ${needle}) > 0`;
    },
    mine: (mine) => (mine ? sql`lr.is_mine = 1` : null),
  };
}

/** The where clause of `filter`, leaving out the keys in `except` (a facet's own key). */
function where(db: DbOrTrx, planIds: readonly string[], filter: LedgerFilter, except: readonly LedgerFilterKey[] = []) {
  const p = predicates(db, planIds);
  const parts: RawBuilder<unknown>[] = [];
  for (const key of LEDGER_FILTER_KEYS) {
    const value = filter[key];
    if (except.includes(key) || value === undefined || value === '' || value === false) continue;
    const part = (p[key] as (v: unknown, f: LedgerFilter) => RawBuilder<unknown> | null)(value, filter);
    if (part) parts.push(part);
  }
  return parts.length > 0 ? sql`where ${sql.join(parts, sql` and `)}` : sql``;
}

function orderBy(scope: LedgerRowsScope, sort: 'default' | 'due') {
  const base = sql`${scope.mineFirst ? sql`1 - lr.is_mine, ` : sql``}lr.plan_ord, lr.seq, lr.name_rank, lr.task_id, lr.resp_id`;
  return sort === 'due' ? sql`order by case when lr.first_due is null then 1 else 0 end, lr.first_due, ${base}` : sql`order by ${base}`;
}

/**
 * The keys of the rows `filter` keeps, in `sort` order, `limit` of them from `offset` (all when
 * `limit` is null), with the total and the facet counts (status, responsible unit, lead unit).
 * One statement whatever the size.
 */
export async function queryLedgerRows(
  db: DbOrTrx,
  scope: LedgerRowsScope,
  filter: LedgerFilter,
  /** `facets: false` skips the counts (then `total` is the number of keys: use it with `limit: null`). */
  opts: { sort?: 'default' | 'due'; limit: number | null; offset?: number; facets?: boolean },
): Promise<LedgerRowsResult> {
  const withText = Boolean(filter.q?.trim());
  const cte = ledgerCte(db, scope, withText);
  const order = orderBy(scope, opts.sort ?? 'default');
  const facets: LedgerRowsResult['facets'] = { status: {}, org: [], lead: [] };
  if (opts.facets === false) {
    const limit = opts.limit === null ? sql`` : sql`limit ${opts.limit} offset ${opts.offset ?? 0}`;
    const page = await sql<{ task_id: string; resp_id: string | null }>`
      with recursive ${cte}
      select lr.task_id, lr.resp_id from lr ${where(db, scope.planIds, filter)} ${order} ${limit}`.execute(db);
    const keys = page.rows.map((r) => ({ taskId: r.task_id, orgId: r.resp_id }));
    return { keys, total: keys.length, unfiltered: 0, facets };
  }
  // One statement: the rows are derived once (lr is materialized), then the page (its rows
  // numbered in order), the total and each facet are read from them.
  const from = opts.offset ?? 0;
  const to = opts.limit === null ? Number.MAX_SAFE_INTEGER : from + opts.limit;
  const result = await sql<{ k: string; id: string | null; name: string | null; n: number | string }>`
    with recursive ${cte}
    select 'page' as k, x.task_id as id, x.resp_id as name, x.pos as n from (
      select lr.task_id, lr.resp_id, row_number() over (${order}) as pos from lr ${where(db, scope.planIds, filter)}
    ) x where x.pos > ${from} and x.pos <= ${to}
    union all
    select 'total', null, null, count(*) from lr ${where(db, scope.planIds, filter)}
    union all
    select 'all', null, null, count(*) from lr ${where(db, scope.planIds, { planId: filter.planId })}
    union all
    select 'status', lr.status, null, count(*) from lr ${where(db, scope.planIds, filter, ['status'])} group by lr.status
    union all
    select 'org', lr.resp_id, min(o.name), count(*) from lr join orgs o on o.id = lr.resp_id
      ${where(db, scope.planIds, filter, ['orgId'])} group by lr.resp_id
    union all
    select 'lead', l.org_id, min(o.name), count(*) from lr join leads l on l.task_id = lr.task_id join orgs o on o.id = l.org_id
      ${where(db, scope.planIds, filter, ['leadOrgId'])} group by l.org_id`.execute(db);
  const page: { pos: number; key: LedgerRowKey }[] = [];
  let total = 0;
  let unfiltered = 0;
  for (const c of result.rows) {
    const n = Number(c.n);
    if (c.k === 'page') page.push({ pos: n, key: { taskId: c.id ?? '', orgId: c.name } });
    else if (c.k === 'total') total = n;
    else if (c.k === 'all') unfiltered = n;
    else if (c.k === 'status') facets.status[c.id as DeliveryStatus] = n;
    else if (c.k === 'org' || c.k === 'lead') facets[c.k].push({ id: c.id ?? '', name: c.name ?? '', count: n });
  }
  const keys = page.sort((a, b) => a.pos - b.pos).map((p) => p.key);
  return { keys, total, unfiltered, facets };
}
