/**
 * The project library's tables (owned by modules/projects, see the migration 2026_12_02_0600):
 * projects, their funding rows, links to tasks and targets, transitions, monthly reports and
 * change requests, and the office's two lists. Aggregates are one set-based statement each.
 */
import { type Insertable, sql, type Updateable } from 'kysely';
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
  if (f.planYear !== undefined) q = q.where('p.plan_year', '=', f.planYear);
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

export function listTargetLinks(db: DbOrTrx, projectIds: readonly string[]) {
  if (projectIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('project_target_links')
    .selectAll()
    .where('project_id', 'in', [...projectIds])
    .execute();
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

/** Σ investment of submitted/approved reports per project: since start, and within `year`. */
export async function sumInvested(db: DbOrTrx, projectIds: readonly string[]) {
  if (projectIds.length === 0) return [];
  return db
    .selectFrom('project_reports as r')
    .innerJoin('projects as p', 'p.id', 'r.project_id')
    .select((eb) => [
      'r.project_id',
      eb.fn.sum<number>('r.investment').as('total'),
      sql<number>`sum(case when substr(r.period_end, 1, 4) = cast(p.plan_year as text) then r.investment else 0 end)`.as('year'),
      sql<
        number | null
      >`max(case when r.period_end = (select max(r2.period_end) from project_reports r2 where r2.project_id = r.project_id and r2.status in ('submitted', 'approved')) then r.progress_pct end)`.as(
        'pct',
      ),
    ])
    .where('r.project_id', 'in', [...projectIds])
    .where('r.status', 'in', ['submitted', 'approved'])
    .groupBy('r.project_id')
    .execute();
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

/**
 * The four rates' counts per county (and per category when `byCategory`) for one plan year's
 * library projects, as of a day: one statement. 开工 = in implementation or later; investment =
 * submitted/approved reports within the year; funds = the projects' funding rows; on time =
 * completed no later than the planned completion, of those planned to complete by `asOf`.
 */
export async function rateCounts(db: DbOrTrx, planYear: number, asOf: string, byCategory: boolean) {
  const cat = byCategory ? sql`p.category_code` : sql`null`;
  const groupBy = byCategory ? sql`p.org_id, p.category_code` : sql`p.org_id`;
  const yearStart = `${planYear}-01-01`;
  const yearEnd = `${planYear}-12-31`;
  // Derived tables joined on projects, not CTEs: PostgreSQL materialises a CTE used twice and then
  // loses the row estimates (a 50,000-project library took seconds that way).
  const library = (alias: string) =>
    sql.raw(`${alias}.plan_year = ${Number(planYear)} and ${alias}.status in ('admitted', 'in_progress', 'completed', 'accepted')`);
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
      coalesce(sum(p.annual_plan), 0) as annual_plan,
      coalesce(sum(inv.s), 0) as invested,
      coalesce(sum(f.pl), 0) as funds_planned,
      coalesce(sum(f.ar), 0) as funds_arrived,
      sum(case when p.end_date <= ${asOf} then 1 else 0 end) as due,
      sum(case when p.end_date <= ${asOf} and p.completed_on is not null and p.completed_on <= p.end_date then 1 else 0 end) as on_time
    from projects p
    left join (
      select r.project_id, sum(r.investment) as s from project_reports r join projects q on q.id = r.project_id
      where ${library('q')} and r.status in ('submitted', 'approved') and r.period_end >= ${yearStart} and r.period_end <= ${yearEnd}
      group by r.project_id
    ) inv on inv.project_id = p.id
    left join (
      select f.project_id, sum(f.planned) as pl, sum(f.arrived) as ar from project_funding f join projects q on q.id = f.project_id
      where ${library('q')} group by f.project_id
    ) f on f.project_id = p.id
    where ${library('p')}
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
 * The funding balance per county, source and category for a plan year, in one statement. A
 * project's funding rows are the sources of its 总投资; the year's share of each row is
 * planned × 年度计划投资 ÷ 总投资 in integer 元 (floor), and the first row (by seq) takes the
 * rounding remainder, so a project's year shares sum exactly to its annual plan. Arrived is as reported.
 */
export async function balanceRows(db: DbOrTrx, planYear: number, orgId?: string) {
  const orgCond = (alias: string) => (orgId ? sql`and ${sql.ref(`${alias}.org_id`)} = ${orgId}` : sql``);
  const library = (alias: string) =>
    sql.raw(`${alias}.plan_year = ${Number(planYear)} and ${alias}.status in ('admitted', 'in_progress', 'completed', 'accepted')`);
  // PostgreSQL multiplies in numeric (bigint × bigint can pass 2^63); SQLite's 64-bit integers hold
  // the product while planned × annual plan < 9.2e18 元² (both under 30亿元).
  const share = (f: string, p: string) =>
    isPostgres(db)
      ? sql.raw(`div(${f}.planned::numeric * ${p}.annual_plan, ${p}.total_investment)`)
      : sql.raw(`(${f}.planned * ${p}.annual_plan) / ${p}.total_investment`);
  // One pass over the year's funding rows: window sums give each project's floor shares and its
  // first row (which takes the remainder) without joining the rows a second time.
  const result = await sql<{ org_id: string; category_code: string; source_code: string; planned: number; arrived: number; needs: number }>`
    select x.org_id, x.category_code, x.source_code,
      sum(x.share + case when x.rn = 1 then x.annual_plan - x.shared else 0 end) as planned,
      sum(x.arrived) as arrived,
      sum(case when x.rn = 1 then x.annual_plan else 0 end) as needs
    from (
      select p.org_id, p.category_code, p.annual_plan, f.source_code, f.arrived, ${share('f', 'p')} as share,
        sum(${share('f', 'p')}) over (partition by f.project_id) as shared,
        row_number() over (partition by f.project_id order by f.seq) as rn
      from projects p join project_funding f on f.project_id = p.id
      where ${library('p')} ${orgCond('p')}
    ) x
    group by x.org_id, x.category_code, x.source_code
  `.execute(db);
  return result.rows.map((r) => ({ ...r, planned: Number(r.planned), arrived: Number(r.arrived), needs: Number(r.needs) }));
}
