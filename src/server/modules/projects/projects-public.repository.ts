/**
 * The project library's reads for the public portal (issue 16): the library projects of a plan
 * year and the years that have any. Kept apart from projects.repository.ts so the portal's one
 * read path is easy to audit; still the projects module's own tables only.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import { reportedArrivals } from './projects.repository.ts';

/** Statuses of a project in a year's published library: admitted, in implementation, completed, accepted. */
export const PUBLIC_LIBRARY_STATUSES = ['admitted', 'in_progress', 'completed', 'accepted'] as const;

/** The plan years with at least one library project, newest first. */
export async function listLibraryYearRows(db: DbOrTrx): Promise<number[]> {
  const rows = await db
    .selectFrom('projects')
    .select('plan_year')
    .distinct()
    .where('status', 'in', [...PUBLIC_LIBRARY_STATUSES])
    .orderBy('plan_year', 'desc')
    .execute();
  return rows.map((r) => Number(r.plan_year));
}

/** Every library project of `planYear` (never drafts, submitted, returned or reserve ones). */
export function listLibraryRows(db: DbOrTrx, planYear: number, orgIds: readonly string[] | null) {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('plan_year', '=', planYear)
    .$if(orgIds !== null, (q) => q.where('org_id', 'in', orgIds && orgIds.length > 0 ? [...orgIds] : ['']))
    .where('status', 'in', [...PUBLIC_LIBRARY_STATUSES])
    .orderBy('org_id')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/**
 * The assessment's project facts (issue 15): each library project of `planYear` owned by one of
 * `orgIds`, whether a submitted or approved monthly report up to `asOf` says work started, and the
 * investment those reports give for the year up to `asOf`; for 资金到位率 the year's planned funds
 * over its funding sources (the maintained source rows) and what those reports say arrived for them
 * in the year up to `asOf` ({@link reportedArrivals}: never the undated amounts typed on the
 * funding rows); for 按期竣工率 its planned and declared completion days and when completion was
 * first declared (the timeline's first move to completed). One grouped statement; ordered by id.
 */
export async function listProjectFactRows(db: DbOrTrx, planYear: number, asOf: string, orgIds: readonly string[]) {
  if (orgIds.length === 0) return [];
  const year = Number(planYear);
  const yearStart = `${year}-01-01`;
  return db
    .selectFrom('projects as p')
    .leftJoin('project_reports as r', (j) => j.onRef('r.project_id', '=', 'p.id').on('r.status', 'in', ['submitted', 'approved']))
    .select((eb) => [
      'p.id',
      'p.org_id',
      'p.name',
      'p.start_date',
      'p.annual_plan',
      'p.end_date',
      'p.completed_on',
      'p.status',
      eb.fn
        .coalesce(
          eb.fn.max(
            eb
              .case()
              .when(eb.and([eb('r.started', '=', 1), eb('r.period_end', '<=', asOf)]))
              .then(1)
              .else(0)
              .end(),
          ),
          eb.lit(0),
        )
        .as('started'),
      eb.fn
        .coalesce(
          eb.fn.sum(
            eb
              .case()
              .when(eb.and([eb('r.period_end', '>=', yearStart), eb('r.period_end', '<=', asOf)]))
              .then(eb.ref('r.investment'))
              .else(0)
              .end(),
          ),
          eb.lit(0),
        )
        .as('invested'),
      sql<number | string>`(select coalesce(sum(s.planned), 0) from project_year_sources s
        where s.project_id = p.id and s.plan_year = ${year})`.as('funds_planned'),
      // Per source row: an arrival counts only for a source the project plans funds from this year.
      sql<number | string>`(select coalesce(sum(${reportedArrivals(sql.ref('s.project_id'), yearStart, asOf, sql.ref('s.source_code'))}), 0)
        from project_year_sources s where s.project_id = p.id and s.plan_year = ${year})`.as('funds_arrived'),
      sql<string | null>`(select min(t.created_at) from project_transitions t
        where t.project_id = p.id and t.to_status = 'completed')`.as('completed_at'),
    ])
    .where('p.plan_year', '=', year)
    .where('p.status', 'in', [...PUBLIC_LIBRARY_STATUSES])
    .where('p.org_id', 'in', [...orgIds])
    .groupBy(['p.id', 'p.org_id', 'p.name', 'p.start_date', 'p.annual_plan', 'p.end_date', 'p.completed_on', 'p.status'])
    .orderBy('p.id')
    .execute();
}
