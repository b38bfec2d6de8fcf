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
export function listLibraryRows(db: DbOrTrx, planYear: number) {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('plan_year', '=', planYear)
    .where('status', 'in', [...PUBLIC_LIBRARY_STATUSES])
    .orderBy('org_id')
    .orderBy('name')
    .orderBy('id')
    .execute();
}
