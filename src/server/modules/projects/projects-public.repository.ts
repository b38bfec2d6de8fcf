/**
 * The project library's reads for the public portal (issue 16): the library projects of a plan
 * year and the years that have any. Kept apart from projects.repository.ts so the portal's one
 * read path is easy to audit; still the projects module's own tables only.
 */
import type { DbOrTrx } from '../../db/database.ts';

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
 * investment those reports give for the year up to `asOf`. One grouped statement; ordered by id.
 */
export async function listProjectFactRows(db: DbOrTrx, planYear: number, asOf: string, orgIds: readonly string[]) {
  if (orgIds.length === 0) return [];
  const yearStart = `${planYear}-01-01`;
  return db
    .selectFrom('projects as p')
    .leftJoin('project_reports as r', (j) => j.onRef('r.project_id', '=', 'p.id').on('r.status', 'in', ['submitted', 'approved']))
    .select((eb) => [
      'p.id',
      'p.org_id',
      'p.name',
      'p.start_date',
      'p.annual_plan',
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
    ])
    .where('p.plan_year', '=', planYear)
    .where('p.status', 'in', [...PUBLIC_LIBRARY_STATUSES])
    .where('p.org_id', 'in', [...orgIds])
    .groupBy(['p.id', 'p.org_id', 'p.name', 'p.start_date', 'p.annual_plan'])
    .orderBy('p.id')
    .execute();
}
