/**
 * Supervision's aggregates for the dashboard (issue 13 §3): notices counted with GROUP BY, not
 * loaded and folded. The tasks in scope come from plans as a subquery (plans' taskIdsOfPlans).
 */
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from '../../db/database.types.ts';
import type { DbOrTrx } from '../../db/database.ts';

/**
 * Notices with a row on one of `taskIds` (addressed to `orgId`, when given), counted by status,
 * current rung (null: not escalated) and whether they are past due on `asOf`.
 */
export async function countNoticesOnTasks(
  db: DbOrTrx,
  taskIds: SelectQueryBuilder<Database, 'tasks', { id: string }>,
  asOf: string,
  orgId: string | undefined,
) {
  // The past-due flag is computed in a subquery and grouped by name: PostgreSQL does not see two
  // `due_date < $n` expressions with different parameters as the same grouping expression.
  const notices = db
    .selectFrom('supervision_notices as n')
    .select(['n.status', 'n.escalation_step', sql<number>`case when ${sql.ref('n.due_date')} < ${asOf} then 1 else 0 end`.as('past_due')])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('supervision_notice_rows as r')
          .select('r.id')
          .whereRef('r.notice_id', '=', 'n.id')
          .where('r.task_id', 'in', taskIds)
          .$if(orgId !== undefined, (qb) => qb.where('r.org_id', '=', orgId as string)),
      ),
    );
  const rows = await db
    .selectFrom(notices.as('x'))
    .select(['x.status', 'x.escalation_step', 'x.past_due', (eb) => eb.fn.countAll().as('n')])
    .groupBy(['x.status', 'x.escalation_step', 'x.past_due'])
    .execute();
  return rows.map((r) => ({ status: r.status, step: r.escalation_step, pastDue: Number(r.past_due) === 1, n: Number(r.n) }));
}

/**
 * Notices not closed, and of those past due on `asOf`, per tenant: `taskOwners` maps each task to
 * the tenant owning its plan (plans' taskOwnersOfTenants). A notice on tasks of two tenants (it
 * cannot be: a notice is issued on one plan's rows) would count once for each.
 */
export async function countOpenNoticesByOwner(
  db: DbOrTrx,
  taskOwners: SelectQueryBuilder<Database, 'tasks' | 'plans', { task_id: string; owner_org_id: string | null }>,
  asOf: string,
) {
  const rows = await db
    .selectFrom('supervision_notices as n')
    .innerJoin('supervision_notice_rows as r', 'r.notice_id', 'n.id')
    .innerJoin(taskOwners.as('o'), 'o.task_id', 'r.task_id')
    .select([
      'o.owner_org_id',
      (eb) => eb.fn.count<number>('n.id').distinct().as('open'),
      sql<number>`count(distinct case when ${sql.ref('n.due_date')} < ${asOf} then ${sql.ref('n.id')} end)`.as('overdue'),
    ])
    .where('n.status', '<>', 'closed')
    .groupBy('o.owner_org_id')
    .execute();
  return rows.map((r) => ({ ownerId: r.owner_org_id, open: Number(r.open), overdue: Number(r.overdue) }));
}
