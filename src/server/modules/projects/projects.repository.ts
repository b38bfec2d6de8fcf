/**
 * The project library's tables (owned by modules/projects, see the migration 2026_12_02_0600):
 * projects, their funding rows, links to tasks and targets, transitions, monthly reports and
 * change requests, and the office's two lists. Aggregates are one set-based statement each.
 */
import { type Insertable, type RawBuilder, sql, type Updateable } from 'kysely';
import { isPostgres } from '../../core/audit-log.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type {
  ProjectChangeRequestsTable,
  ProjectFundingTable,
  ProjectReportsTable,
  ProjectsTable,
  ProjectTransitionsTable,
} from '../../db/database.types.ts';

export type ListTable = 'project_categories' | 'project_funding_sources';

export function listListRows(db: DbOrTrx, table: ListTable) {
  return db.selectFrom(table).selectAll().orderBy('seq').orderBy('code').execute();
}

export async function upsertListRow(db: DbOrTrx, table: ListTable, row: { code: string; name: string; seq: number }): Promise<void> {
  await db
    .insertInto(table)
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet({ name: row.name, seq: row.seq }))
    .execute();
}

export async function insertProjectRow(db: DbOrTrx, row: Insertable<ProjectsTable>): Promise<void> {
  await db.insertInto('projects').values(row).execute();
}

export function findProjectRow(db: DbOrTrx, id: string) {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Updates when the version still matches (and bumps it); the rows changed, 0 when stale. */
export async function updateProjectIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  patch: Omit<Updateable<ProjectsTable>, 'id' | 'version'>,
): Promise<number> {
  const res = await db
    .updateTable('projects')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Which projects a caller may see: everything, one organisation's, or those linked to some tasks. */
export type ProjectScope = ({ all: true } | { orgId: string } | { taskIds: readonly string[] }) & {
  /** Tenancy: only projects of these organisations (the tenants the caller reads); absent = no filter. */
  tenantOrgIds?: readonly string[];
};

const NO_ID = '00000000-0000-0000-0000-000000000000';
const nonEmpty = (ids: readonly string[]) => (ids.length > 0 ? [...ids] : [NO_ID]);

export interface ProjectFilter {
  orgId?: string;
  categoryCode?: string;
  status?: string;
  planYear?: number;
  q?: string;
}

function filtered(db: DbOrTrx, scope: ProjectScope, f: ProjectFilter) {
  let q = db.selectFrom('projects as p');
  if ('orgId' in scope) q = q.where('p.org_id', '=', scope.orgId);
  if (scope.tenantOrgIds) q = q.where('p.org_id', 'in', nonEmpty(scope.tenantOrgIds));
  if ('taskIds' in scope) {
    const ids = nonEmpty(scope.taskIds);
    q = q.where('p.id', 'in', db.selectFrom('project_task_links').select('project_id').where('task_id', 'in', ids));
  }
  if (f.orgId) q = q.where('p.org_id', '=', f.orgId);
  if (f.categoryCode) q = q.where('p.category_code', '=', f.categoryCode);
  if (f.status) q = q.where('p.status', '=', f.status);
  // A year's list (年度项目计划) holds the projects entered for it and those carried into it.
  if (f.planYear !== undefined)
    // Current year first (most rows), else a probe of the year-plan key: a semi-join over the whole
    // year's rows made PostgreSQL's filtered page five times slower.
    q = q.where((eb) =>
      eb.or([
        eb('p.plan_year', '=', f.planYear!),
        sql<boolean>`exists (select 1 from project_year_plans y where y.project_id = p.id and y.plan_year = ${f.planYear})`,
      ]),
    );
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`p.name like ${pattern} escape '\\'`);
  }
  return q;
}

export async function countProjectRows(db: DbOrTrx, scope: ProjectScope, f: ProjectFilter): Promise<number> {
  const row = await filtered(db, scope, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What a project DTO needs beyond its row, as columns of one statement (see {@link childColumns}). */
export interface ProjectChildColumns {
  category_name: string | null;
  /** JSON (text in SQLite, parsed already by pg): [source_code, source name, planned, arrived][] by seq. */
  funding_json: unknown;
  /** JSON: task ids. */
  tasks_json: unknown;
  /** JSON: [target_id, contribution][]. */
  targets_json: unknown;
  /** Σ investment of the submitted/approved reports, since start. */
  invested_total: number | string | null;
  /** The same within the current plan year (the maintained year figure). */
  invested_year: number | string | null;
  /** 形象进度 % of the latest submitted/approved report. */
  progress_pct: number | null;
}

/**
 * A project's funding rows (with the source names), task and target links, report sums and
 * category name as correlated subqueries of the row: the library page and the project page in one
 * statement instead of one per child table. JSON arrays are json_agg on PostgreSQL and
 * json_group_array on SQLite (with ORDER BY, SQLite ≥ 3.44).
 */
function childColumns(db: DbOrTrx) {
  const pg = isPostgres(db);
  const agg = (item: string, order: string) =>
    pg ? `coalesce(json_agg(${item} order by ${order}), '[]'::json)` : `json_group_array(${item} order by ${order})`;
  const arr = (...xs: string[]) => (pg ? `json_build_array(${xs.join(', ')})` : `json_array(${xs.join(', ')})`);
  return [
    sql<string | null>`(select c.name from project_categories c where c.code = p.category_code)`.as('category_name'),
    sql<unknown>`(select ${sql.raw(agg(arr('f.source_code', 'coalesce(s.name, f.source_code)', 'f.planned', 'f.arrived'), 'f.seq'))}
      from project_funding f left join project_funding_sources s on s.code = f.source_code where f.project_id = p.id)`.as('funding_json'),
    sql<unknown>`(select ${sql.raw(agg('k.task_id', 'k.task_id'))} from project_task_links k where k.project_id = p.id)`.as('tasks_json'),
    sql<unknown>`(select ${sql.raw(agg(arr('l.target_id', 'l.contribution'), 'l.target_id'))} from project_target_links l where l.project_id = p.id)`.as(
      'targets_json',
    ),
    sql<
      number | string | null
    >`(select sum(r.investment) from project_reports r where r.project_id = p.id and r.status in ('submitted', 'approved'))`.as(
      'invested_total',
    ),
    sql<number | string | null>`(select y.invested from project_year_plans y where y.project_id = p.id and y.plan_year = p.plan_year)`.as(
      'invested_year',
    ),
    sql<number | null>`(select r.progress_pct from project_reports r where r.project_id = p.id and r.status in ('submitted', 'approved')
      order by r.period_end desc, r.progress_pct desc limit 1)`.as('progress_pct'),
  ] as const;
}

/** Project rows by id with their {@link childColumns}: one statement for any number of projects (ids in chunks). */
export async function listProjectsWithChildren(db: DbOrTrx, ids: readonly string[]) {
  const out = [];
  for (let i = 0; i < ids.length; i += 500)
    out.push(
      ...(await db
        .selectFrom('projects as p')
        .selectAll('p')
        .select(childColumns(db))
        .where('p.id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  return out;
}

/**
 * One library page with its children and the filtered total (a window count), in one statement:
 * the page used to be a count, the page and five child queries.
 */
export function listProjectPageRows(db: DbOrTrx, scope: ProjectScope, f: ProjectFilter, limit: number, offset: number) {
  return filtered(db, scope, f)
    .selectAll('p')
    .select(childColumns(db))
    .select(sql<number | string>`count(*) over ()`.as('total_count'))
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export function listProjectRows(db: DbOrTrx, scope: ProjectScope, f: ProjectFilter, limit: number, offset: number) {
  return filtered(db, scope, f)
    .selectAll('p')
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function replaceFundingRows(db: DbOrTrx, projectId: string, rows: Insertable<ProjectFundingTable>[]): Promise<void> {
  await db.deleteFrom('project_funding').where('project_id', '=', projectId).execute();
  if (rows.length > 0) await db.insertInto('project_funding').values(rows).execute();
}

export function listFundingRows(db: DbOrTrx, projectIds: readonly string[]) {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('project_funding')
    .selectAll()
    .where('project_id', 'in', [...projectIds])
    .orderBy('project_id')
    .orderBy('seq')
    .execute();
}

export async function replaceTaskLinks(db: DbOrTrx, projectId: string, taskIds: readonly string[]): Promise<void> {
  await db.deleteFrom('project_task_links').where('project_id', '=', projectId).execute();
  if (taskIds.length > 0)
    await db
      .insertInto('project_task_links')
      .values(taskIds.map((task_id) => ({ project_id: projectId, task_id })))
      .execute();
}

export function listTaskLinks(db: DbOrTrx, projectIds: readonly string[]) {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('project_task_links')
    .selectAll()
    .where('project_id', 'in', [...projectIds])
    .execute();
}

export async function replaceTargetLinks(
  db: DbOrTrx,
  projectId: string,
  links: readonly { targetId: string; contribution: number }[],
): Promise<void> {
  await db.deleteFrom('project_target_links').where('project_id', '=', projectId).execute();
  if (links.length > 0) {
    await db
      .insertInto('project_target_links')
      .values(links.map((l) => ({ project_id: projectId, target_id: l.targetId, contribution: l.contribution })))
      .execute();
  }
}

/** The projects linked to a target, with their status and owner. */
export function listTargetProjectRows(db: DbOrTrx, targetId: string) {
  return db
    .selectFrom('project_target_links as l')
    .innerJoin('projects as p', 'p.id', 'l.project_id')
    .select(['p.id', 'p.name', 'p.org_id', 'p.status', 'l.contribution'])
    .where('l.target_id', '=', targetId)
    .orderBy('p.name')
    .execute();
}

export async function findTargetRule(db: DbOrTrx, targetId: string): Promise<string | undefined> {
  const row = await db.selectFrom('project_target_rules').select('counts').where('target_id', '=', targetId).executeTakeFirst();
  return row?.counts;
}

export async function putTargetRule(db: DbOrTrx, targetId: string, counts: string): Promise<void> {
  await db
    .insertInto('project_target_rules')
    .values({ target_id: targetId, counts })
    .onConflict((oc) => oc.column('target_id').doUpdateSet({ counts }))
    .execute();
}

export async function insertTransitionRow(db: DbOrTrx, row: Insertable<ProjectTransitionsTable>): Promise<void> {
  await db.insertInto('project_transitions').values(row).execute();
}

export function listTransitionRows(db: DbOrTrx, projectId: string) {
  return db.selectFrom('project_transitions').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
}

// ---- monthly reports ----
export async function insertReportRow(db: DbOrTrx, row: Insertable<ProjectReportsTable>): Promise<void> {
  await db.insertInto('project_reports').values(row).execute();
}

export function findReportRow(db: DbOrTrx, id: string) {
  return db.selectFrom('project_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findReportFor(db: DbOrTrx, projectId: string, periodId: string) {
  return db
    .selectFrom('project_reports')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('period_id', '=', periodId)
    .executeTakeFirst();
}

/**
 * Per organisation (of `orgIds`, or every one), how many of its projects in implementation have no
 * submitted or approved report for period `periodId` (a draft or a returned one is still owed).
 */
export async function countProjectsAwaitingReport(db: DbOrTrx, periodId: string, orgIds: readonly string[] | null) {
  if (orgIds?.length === 0) return [];
  const rows = await db
    .selectFrom('projects as p')
    .select(['p.org_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('p.status', '=', 'in_progress')
    .$if(orgIds !== null, (q) => q.where('p.org_id', 'in', [...(orgIds ?? [])]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('project_reports as r')
            .select('r.id')
            .whereRef('r.project_id', '=', 'p.id')
            .where('r.period_id', '=', periodId)
            .where('r.status', 'in', ['submitted', 'approved']),
        ),
      ),
    )
    .groupBy('p.org_id')
    .orderBy('p.org_id')
    .execute();
  return rows.map((r) => ({ orgId: r.org_id, count: Number(r.n) }));
}

export async function updateReportIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  patch: Omit<Updateable<ProjectReportsTable>, 'id' | 'version'>,
): Promise<number> {
  const res = await db
    .updateTable('project_reports')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Reports with their cumulative sums through each one (submitted and approved reports up to and
 * including its period end): one statement with correlated sums, for a project or a review queue.
 */
export function listReportRows(
  db: DbOrTrx,
  filter: {
    projectId?: string;
    periodId?: string;
    status?: string;
    orgId?: string;
    projectIds?: readonly string[];
    /** Tenancy: only reports of projects of these organisations. */
    tenantOrgIds?: readonly string[];
  },
) {
  let q = db
    .selectFrom('project_reports as r')
    .innerJoin('projects as p', 'p.id', 'r.project_id')
    .selectAll('r')
    .select(['p.name as project_name', 'p.annual_plan', 'p.total_investment'])
    .select(
      sql<number>`(select coalesce(sum(c.investment), 0) from project_reports c where c.project_id = r.project_id and c.status in ('submitted', 'approved') and c.period_end <= r.period_end and substr(c.period_end, 1, 4) = substr(r.period_end, 1, 4))`.as(
        'cum_year',
      ),
    )
    .select(
      sql<number>`(select coalesce(sum(c.investment), 0) from project_reports c where c.project_id = r.project_id and c.status in ('submitted', 'approved') and c.period_end <= r.period_end)`.as(
        'cum_total',
      ),
    );
  if (filter.projectId) q = q.where('r.project_id', '=', filter.projectId);
  if (filter.periodId) q = q.where('r.period_id', '=', filter.periodId);
  if (filter.status) q = q.where('r.status', '=', filter.status);
  if (filter.orgId) q = q.where('r.org_id', '=', filter.orgId);
  if (filter.tenantOrgIds) q = q.where('p.org_id', 'in', nonEmpty(filter.tenantOrgIds));
  if (filter.projectIds) q = q.where('r.project_id', 'in', filter.projectIds.length > 0 ? [...filter.projectIds] : ['none']);
  return q.orderBy('r.period_end', 'desc').orderBy('p.name').limit(2000).execute();
}

// ---- change requests ----
export async function insertChangeRequestRow(db: DbOrTrx, row: Insertable<ProjectChangeRequestsTable>): Promise<void> {
  await db.insertInto('project_change_requests').values(row).execute();
}

export function findChangeRequestRow(db: DbOrTrx, id: string) {
  return db.selectFrom('project_change_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listChangeRequestRows(
  db: DbOrTrx,
  filter: {
    projectId?: string;
    status?: string /** Tenancy: only requests on projects of these organisations. */;
    tenantOrgIds?: readonly string[];
  },
) {
  let q = db.selectFrom('project_change_requests').selectAll();
  if (filter.projectId) q = q.where('project_id', '=', filter.projectId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.tenantOrgIds)
    q = q.where('project_id', 'in', db.selectFrom('projects').select('id').where('org_id', 'in', nonEmpty(filter.tenantOrgIds)));
  return q.orderBy('created_at', 'desc').limit(500).execute();
}

export async function decideChangeRequestRow(db: DbOrTrx, id: string, patch: Updateable<ProjectChangeRequestsTable>): Promise<number> {
  const res = await db
    .updateTable('project_change_requests')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

// ---- aggregates ----
const STARTED = sql.raw(`('in_progress', 'completed', 'accepted')`);
const LIBRARY = sql.raw(`('admitted', 'in_progress', 'completed', 'accepted')`);

/**
 * The four rates' counts per county (and per category when `byCategory`) for one plan year's
 * library projects, as of a day: one GROUP BY over the year's maintained figures (see
 * {@link refreshYearFigures}). 开工 = in implementation or later; investment = submitted/approved
 * reports within the year; funds planned = the year's 年度计划投资, arrived = the amounts entered on
 * the funding rows (in the year the project was entered for) plus what the year's
 * submitted/approved reports say arrived; on time = completed no later than the planned
 * completion, of those planned to complete by `asOf`.
 */
export async function rateCounts(db: DbOrTrx, planYear: number, asOf: string, byCategory: boolean) {
  const cat = byCategory ? sql`p.category_code` : sql`null`;
  const groupBy = byCategory ? sql`p.org_id, p.category_code` : sql`p.org_id`;
  const year = Number(planYear);
  const result = await sql<{
    org_id: string;
    category_code: string | null;
    projects: number;
    started: number;
    annual_plan: number;
    invested: number;
    funds_planned: number;
    funds_arrived: number;
    due: number;
    on_time: number;
  }>`
    select p.org_id, ${cat} as category_code,
      count(*) as projects,
      sum(case when p.status in ${STARTED} then 1 else 0 end) as started,
      coalesce(sum(y.annual_plan), 0) as annual_plan,
      coalesce(sum(y.invested), 0) as invested,
      coalesce(sum(y.annual_plan), 0) as funds_planned,
      coalesce(sum(y.arrived), 0) as funds_arrived,
      sum(case when p.end_date <= ${asOf} then 1 else 0 end) as due,
      sum(case when p.end_date <= ${asOf} and p.completed_on is not null and p.completed_on <= p.end_date then 1 else 0 end) as on_time
    from project_year_plans y
    join projects p on p.id = y.project_id
    where y.plan_year = ${year} and p.status in ${LIBRARY}
    group by ${groupBy}
    order by p.org_id
  `.execute(db);
  return result.rows.map((r) => ({
    ...r,
    projects: Number(r.projects),
    started: Number(r.started),
    annual_plan: Number(r.annual_plan),
    invested: Number(r.invested),
    funds_planned: Number(r.funds_planned),
    funds_arrived: Number(r.funds_arrived),
    due: Number(r.due),
    on_time: Number(r.on_time),
  }));
}

/**
 * The funding balance per county, source and category for a plan year: one GROUP BY over the
 * year's maintained source rows ({@link refreshYearFigures}). A project's funding rows are the
 * sources of its 总投资; the year's share of each is planned × 年度计划投资 ÷ 总投资 in integer 元
 * (floor) with the rounding remainder on the first row, so a project's shares sum exactly to its
 * annual plan. Arrived is the year's: entered on the row in the entry year plus reported arrivals.
 */
export async function balanceRows(db: DbOrTrx, planYear: number, orgId?: string) {
  const year = Number(planYear);
  const orgCond = orgId ? sql`and p.org_id = ${orgId}` : sql``;
  const result = await sql<{ org_id: string; category_code: string; source_code: string; planned: number; arrived: number; needs: number }>`
    select p.org_id, p.category_code, s.source_code,
      sum(s.planned) as planned, sum(s.arrived) as arrived, sum(s.needs) as needs
    from project_year_sources s
    join projects p on p.id = s.project_id
    where s.plan_year = ${year} and p.status in ${LIBRARY} ${orgCond}
    group by p.org_id, p.category_code, s.source_code
  `.execute(db);
  return result.rows.map((r) => ({ ...r, planned: Number(r.planned), arrived: Number(r.arrived), needs: Number(r.needs) }));
}

const PASSED = sql.raw(`('submitted', 'approved')`);

/**
 * The one definition of "reported arrived" (到位资金 as the monthly 调度 states it), shared by the
 * maintained year figures and the assessment's project facts: a scalar subquery giving Σ of the
 * arrivals of `project`'s submitted or approved reports whose period ends in [from, to], 0 when
 * none, for one funding source when `source` is given. Dated by the report's period, so a day's
 * figure never moves once the periods up to it are closed. Aliases `ra`/`rr`, so it nests in any
 * statement; the arguments are SQL (a column, a computed date) or plain values (bound).
 */
export function reportedArrivals(
  project: RawBuilder<unknown>,
  from: RawBuilder<unknown> | string,
  to: RawBuilder<unknown> | string,
  source?: RawBuilder<unknown>,
): RawBuilder<number> {
  const bySource = source ? sql` and ra.source_code = ${source}` : sql``;
  return sql<number>`(select coalesce(sum(ra.amount), 0) from project_report_arrivals ra join project_reports rr on rr.id = ra.report_id
    where ra.project_id = ${project} and rr.status in ${PASSED} and ra.period_end >= ${from} and ra.period_end <= ${to}${bySource})`;
}

/**
 * Recomputes the maintained year figures of some projects (or of every project, `'all'`: the bench
 * load and repairs) from their reports, arrivals, funding rows and year plans: each year row's
 * `invested` and `arrived`, and the year's share and arrivals per funding row
 * (project_year_sources). Every write of those inputs calls it in its transaction (report save,
 * submit and review, project create/edit/change request, year plan sync, 年度结转), so the rates and
 * the balance are one indexed GROUP BY. Three statements per chunk of 500 projects.
 */
export async function refreshYearFigures(db: DbOrTrx, projectIds: readonly string[] | 'all'): Promise<void> {
  if (projectIds === 'all') return refreshChunk(db, null);
  const ids = [...new Set(projectIds)];
  for (let i = 0; i < ids.length; i += 500) await refreshChunk(db, ids.slice(i, i + 500));
}

async function refreshChunk(db: DbOrTrx, ids: readonly string[] | null): Promise<void> {
  if (ids?.length === 0) return;
  const only = (col: string) => (ids ? sql`${sql.ref(col)} in (${sql.join([...ids])})` : sql`1 = 1`);
  const share = isPostgres(db)
    ? sql.raw(`div(f.planned::numeric * y.annual_plan, p.total_investment)`)
    : sql.raw(`(f.planned * y.annual_plan) / p.total_investment`);
  const from = sql.raw(`cast(y.plan_year as text) || '-01-01'`);
  const to = sql.raw(`cast(y.plan_year as text) || '-12-31'`);
  const yearFrom = sql.raw(`cast(project_year_plans.plan_year as text) || '-01-01'`);
  const yearTo = sql.raw(`cast(project_year_plans.plan_year as text) || '-12-31'`);
  await sql`update project_year_plans set
      invested = (select coalesce(sum(r.investment), 0) from project_reports r
        where r.project_id = project_year_plans.project_id and r.status in ${PASSED}
          and r.period_end >= cast(project_year_plans.plan_year as text) || '-01-01'
          and r.period_end <= cast(project_year_plans.plan_year as text) || '-12-31'),
      arrived = (case when origin = 'plan' then (select coalesce(sum(f.arrived), 0) from project_funding f where f.project_id = project_year_plans.project_id) else 0 end)
        + ${reportedArrivals(sql.ref('project_year_plans.project_id'), yearFrom, yearTo)}
    where ${only('project_year_plans.project_id')}`.execute(db);
  await sql`delete from project_year_sources where ${only('project_year_sources.project_id')}`.execute(db);
  // Window sums over one pass of the funding rows: each project-year's floor shares and its first
  // row (which takes the remainder). PostgreSQL multiplies in numeric (bigint × bigint can pass
  // 2^63); SQLite's 64-bit integers hold the product while planned × annual plan < 9.2e18 元².
  await sql`insert into project_year_sources (project_id, plan_year, seq, source_code, planned, arrived, needs)
    select x.project_id, x.plan_year, x.seq, x.source_code,
      x.share + case when x.rn = 1 then x.annual_plan - x.shared else 0 end,
      x.arrived,
      case when x.rn = 1 then x.annual_plan else 0 end
    from (
      select y.project_id, y.plan_year, f.seq, f.source_code, y.annual_plan,
        case when y.origin = 'plan' then f.arrived else 0 end
          + ${reportedArrivals(sql.ref('y.project_id'), from, to, sql.ref('f.source_code'))} as arrived,
        ${share} as share,
        sum(${share}) over (partition by y.project_id, y.plan_year) as shared,
        row_number() over (partition by y.project_id, y.plan_year order by f.seq) as rn
      from project_year_plans y
      join projects p on p.id = y.project_id
      join project_funding f on f.project_id = y.project_id
      where p.total_investment > 0 and ${only('y.project_id')}
    ) x`.execute(db);
}

// ---- annual plans (年度项目计划) ----

/**
 * Keeps the project's row for its current plan year in step with `projects.plan_year/annual_plan`
 * (after any write of them): upserts that year's row and drops rows of other years that were
 * neither carried on nor carried in (a draft moved from one year to another leaves no trace), then
 * refreshes the project's year figures (its funding rows or annual plan may have changed with it).
 */
export async function syncYearPlan(db: DbOrTrx, projectId: string, at: string): Promise<void> {
  const p = await db.selectFrom('projects').select(['plan_year', 'annual_plan']).where('id', '=', projectId).executeTakeFirst();
  if (!p) return;
  await db
    .deleteFrom('project_year_plans')
    .where('project_id', '=', projectId)
    .where('plan_year', '<>', p.plan_year)
    .where('origin', '=', 'plan')
    .where('rolled_over', '=', 0)
    .execute();
  await db
    .insertInto('project_year_plans')
    .values({ project_id: projectId, plan_year: p.plan_year, annual_plan: p.annual_plan, origin: 'plan', rolled_over: 0, created_at: at })
    .onConflict((oc) => oc.columns(['project_id', 'plan_year']).doUpdateSet({ annual_plan: p.annual_plan }))
    .execute();
  await refreshYearFigures(db, [projectId]);
}

/** Bulk rows for the year plans (the bench and the demo load without the service). */
export async function insertYearPlanRows(db: DbOrTrx, rows: Insertable<import('../../db/database.types.ts').ProjectYearPlansTable>[]) {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('project_year_plans')
      .values(rows.slice(i, i + 500))
      .execute();
}

/** A project's year plans, oldest first. */
export function listYearPlanRows(db: DbOrTrx, projectIds: readonly string[]) {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('project_year_plans')
    .selectAll()
    .where('project_id', 'in', [...projectIds])
    .orderBy('project_id')
    .orderBy('plan_year')
    .execute();
}

/**
 * The continuing projects of `fromYear` that 年度结转 would carry to the next year: library
 * projects not yet completed (入库 or 实施), whose `fromYear` row is not carried yet, that have no
 * row in the next year, with their remaining investment (总投资 − every submitted/approved
 * report's investment) above 0. One statement.
 */
export async function rolloverCandidates(db: DbOrTrx, fromYear: number) {
  const result = await sql<{
    id: string;
    org_id: string;
    name: string;
    status: string;
    version: number;
    total_investment: number;
    annual_plan: number;
    invested: number;
  }>`
    select p.id, p.org_id, p.name, p.status, p.version, p.total_investment, y.annual_plan,
      coalesce(inv.s, 0) as invested
    from project_year_plans y
    join projects p on p.id = y.project_id
    left join (
      select r.project_id, sum(r.investment) as s from project_reports r
      join project_year_plans y2 on y2.project_id = r.project_id and y2.plan_year = ${fromYear}
      where r.status in ('submitted', 'approved') group by r.project_id
    ) inv on inv.project_id = p.id
    where y.plan_year = ${fromYear} and y.rolled_over = 0 and p.status in ('admitted', 'in_progress')
      and not exists (select 1 from project_year_plans n where n.project_id = p.id and n.plan_year = ${fromYear + 1})
      and p.total_investment - coalesce(inv.s, 0) > 0
    order by p.org_id, p.name
  `.execute(db);
  return result.rows.map((r) => ({
    ...r,
    version: Number(r.version),
    total_investment: Number(r.total_investment),
    annual_plan: Number(r.annual_plan),
    invested: Number(r.invested),
    remaining: Number(r.total_investment) - Number(r.invested),
  }));
}

/**
 * Carries the given projects from `fromYear` to the next: their next-year rows (origin
 * rollover, the remaining investment as 年度计划投资), the `fromYear` rows marked carried, the
 * projects' current year and annual plan moved, and a timeline row each. Set-based: a few
 * statements for any number of projects (ids in chunks).
 */
export async function applyRollover(
  db: DbOrTrx,
  fromYear: number,
  items: readonly { id: string; status: string; remaining: number }[],
  transitions: readonly Insertable<ProjectTransitionsTable>[],
  at: string,
): Promise<void> {
  const toYear = fromYear + 1;
  await insertYearPlanRows(
    db,
    items.map((i) => ({
      project_id: i.id,
      plan_year: toYear,
      annual_plan: i.remaining,
      origin: 'rollover',
      carried_from: fromYear,
      rolled_over: 0,
      created_at: at,
    })),
  );
  const carried = db
    .selectFrom('project_year_plans')
    .select('project_id')
    .where('plan_year', '=', toYear)
    .where('origin', '=', 'rollover')
    .where('carried_from', '=', fromYear);
  await db
    .updateTable('project_year_plans')
    .set({ rolled_over: 1 })
    .where('plan_year', '=', fromYear)
    .where('rolled_over', '=', 0)
    .where('project_id', 'in', carried)
    .execute();
  await db
    .updateTable('projects')
    .set((eb) => ({
      plan_year: toYear,
      annual_plan: eb
        .selectFrom('project_year_plans as n')
        .select('n.annual_plan')
        .whereRef('n.project_id', '=', 'projects.id')
        .where('n.plan_year', '=', toYear),
      version: sql<number>`version + 1`,
      updated_at: at,
    }))
    .where('plan_year', '=', fromYear)
    .where('id', 'in', carried)
    .execute();
  for (let i = 0; i < transitions.length; i += 500)
    await db
      .insertInto('project_transitions')
      .values(transitions.slice(i, i + 500))
      .execute();
  await refreshYearFigures(
    db,
    items.map((i) => i.id),
  );
}

/**
 * Next year's intake (谋划) per organisation: the projects whose current plan year is `planYear`
 * and that were entered for it (not carried in), by status, and those carried in. One statement.
 */
export async function intakeCounts(db: DbOrTrx, planYear: number) {
  const result = await sql<{ org_id: string; status: string; origin: string; n: number; invest: number }>`
    select p.org_id, p.status, y.origin, count(*) as n, coalesce(sum(y.annual_plan), 0) as invest
    from project_year_plans y join projects p on p.id = y.project_id
    where y.plan_year = ${planYear}
    group by p.org_id, p.status, y.origin
  `.execute(db);
  return result.rows.map((r) => ({ ...r, n: Number(r.n), invest: Number(r.invest) }));
}

export function findIntakeDeadline(db: DbOrTrx, planYear: number) {
  return db.selectFrom('project_intake_deadlines').selectAll().where('plan_year', '=', planYear).executeTakeFirst();
}

export async function putIntakeDeadline(db: DbOrTrx, planYear: number, deadline: string, userId: string | null, at: string): Promise<void> {
  await db
    .insertInto('project_intake_deadlines')
    .values({ plan_year: planYear, deadline, updated_by: userId, updated_at: at })
    .onConflict((oc) => oc.column('plan_year').doUpdateSet({ deadline, updated_by: userId, updated_at: at }))
    .execute();
}

// ---- arrivals reported in monthly 调度 ----
export async function replaceReportArrivals(
  db: DbOrTrx,
  reportId: string,
  rows: readonly Insertable<import('../../db/database.types.ts').ProjectReportArrivalsTable>[],
): Promise<void> {
  await db.deleteFrom('project_report_arrivals').where('report_id', '=', reportId).execute();
  if (rows.length > 0)
    await db
      .insertInto('project_report_arrivals')
      .values([...rows])
      .execute();
}

export function listReportArrivals(db: DbOrTrx, reportIds: readonly string[]) {
  if (reportIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('project_report_arrivals')
    .selectAll()
    .where('report_id', 'in', [...reportIds])
    .execute();
}

/** Money arrived per project and source in `year`: as reported in submitted/approved reports of that year. */
export function arrivedInYear(db: DbOrTrx, projectIds: readonly string[], year: number) {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('project_report_arrivals as a')
    .innerJoin('project_reports as r', 'r.id', 'a.report_id')
    .select(['a.project_id', 'a.source_code', (eb) => eb.fn.sum<number>('a.amount').as('amount')])
    .where('a.project_id', 'in', [...projectIds])
    .where('r.status', 'in', ['submitted', 'approved'])
    .where('a.period_end', '>=', `${year}-01-01`)
    .where('a.period_end', '<=', `${year}-12-31`)
    .groupBy(['a.project_id', 'a.source_code'])
    .execute();
}

/** Projects of a plan year's list the scope may see, counted per organisation and status (dashboard). */
export async function statusCountRows(db: DbOrTrx, scope: ProjectScope, planYear: number) {
  const rows = await filtered(db, scope, { planYear })
    .select(['p.org_id', 'p.status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['p.org_id', 'p.status'])
    .execute();
  return rows.map((r) => ({ org_id: r.org_id, status: r.status, n: Number(r.n) }));
}
