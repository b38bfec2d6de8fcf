/**
 * Reporting's aggregates for the dashboard (issue 13 §3): set-based reads of progress_reports and
 * reporting_periods, for a few tasks or grouped, never per row.
 */
import type { DbOrTrx } from '../../db/database.ts';

/**
 * The submitted (or approved) narratives on `taskIds`, newest period first, then newest submission:
 * the first seen per task × unit is that row's latest progress (the ledger's rule, for a few rows).
 */
export function listLatestProgressOfTasks(db: DbOrTrx, taskIds: readonly string[]) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('progress_reports as r')
    .innerJoin('reporting_periods as p', 'p.id', 'r.period_id')
    .select(['r.task_id', 'r.org_id', 'r.narrative'])
    .where('r.task_id', 'in', [...new Set(taskIds)])
    .where('r.status', 'in', ['submitted', 'approved'])
    .where('r.narrative', '<>', '')
    .orderBy('p.end_date', 'desc')
    .orderBy('r.submitted_at', 'desc')
    .orderBy('r.id')
    .execute();
}
