/**
 * The assignment facts: which organisations hold a task, in which role, directly or through a
 * group they belong to. Six modules ask this (row rules of plans and reporting, "my reports",
 * the reporting rate, supervision's ledger rows, the task list's "mine" filter), so it has one SQL
 * implementation, here. The one sanctioned cross-owner read (ADR 0003 §2.2): it reads plans'
 * `assignments` and `tasks` with organisations' `organisation_members`, and never writes.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DbOrTrx } from '../db/database.ts';

/** The role an organisation holds on a task, as the assignment facts ask about it. */
export type AssignmentRole = 'lead' | 'responsible';

/** Whether a group assignment counts: a task given to 各县区政府 is each member county's own. */
export interface ViaGroups {
  viaGroups: boolean;
}

/**
 * `column = orgId`, or (with `viaGroups`) `column` is a group `orgId` is a member of. The one
 * expression of "assigned to this organisation"; `column` names an organisation id column of a
 * table in the query (normally `assignments.org_id`).
 */
export function assignedTo(
  // Any query's builder: the expression is used in selects over different table sets and aliases.
  eb: ExpressionBuilder<any, any>,
  column: `${string}.org_id`,
  orgId: string,
  { viaGroups }: ViaGroups,
): Expression<SqlBool> {
  const members = eb.selectFrom('organisation_members').select('group_id').where('member_id', '=', orgId);
  const direct = eb(column, '=', orgId);
  return viaGroups ? eb.or([direct, eb(column, 'in', members)]) : direct;
}

/** Whether `orgId` is assigned to the task in `role`, directly or (if `viaGroups`) through a group it belongs to. */
export async function isOrgAssignedToTask(
  db: DbOrTrx,
  taskId: string,
  orgId: string,
  role: AssignmentRole,
  options: ViaGroups,
): Promise<boolean> {
  const row = await db
    .selectFrom('assignments as a')
    .select('a.id')
    .where('a.task_id', '=', taskId)
    .where('a.role', '=', role)
    .where((eb) => assignedTo(eb, 'a.org_id', orgId, options))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The tasks `orgId` holds in `role`, as a subquery (`task_id in …`) for other rows' read rules. */
export function taskIdsAssignedTo(db: DbOrTrx, orgId: string, role: AssignmentRole, options: ViaGroups) {
  return db
    .selectFrom('assignments')
    .select('assignments.task_id')
    .where('assignments.role', '=', role)
    .where((eb) => assignedTo(eb, 'assignments.org_id', orgId, options));
}

/** True when `orgId` is a responsible unit of the task, directly or through a group it belongs to: a ledger row. */
export function isLedgerRow(db: DbOrTrx, taskId: string, orgId: string): Promise<boolean> {
  return isOrgAssignedToTask(db, taskId, orgId, 'responsible', { viaGroups: true });
}

// ---- the row facts of "task write" / "target write" ----
// Plain plans reads, here only while those rules live in http/policy.ts: http may not import
// plans (plans' routes import http, a module cycle). When the rules move to plans/plans.policy.ts
// (ADR 0003 §2.5) these two move to plans with them.
