/**
 * The assignment facts: which organisations hold a task, in which role, directly or through a
 * group they belong to. Six modules ask this (row rules of plans and reporting, "my reports",
 * the reporting rate, supervision's ledger rows, the task list's "mine" filter), so it has one SQL
 * implementation, here. The one sanctioned cross-owner read (ADR 0003 §2.2): it reads plans'
 * `assignments` and `tasks` with organisations' `organisation_members`, and never writes.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
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

/** The lead and responsible assignments of a task (what "task write" decides on). */
export function listTaskWriteAssignments(db: DbOrTrx, taskId: string) {
  return db
    .selectFrom('assignments')
    .select(['org_id', 'role'])
    .where('task_id', '=', taskId)
    .where('role', 'in', ['lead', 'responsible'])
    .execute();
}

/** True when `orgId` is a responsible unit of the task, directly or through a group it belongs to: a ledger row. */
export function isLedgerRow(db: DbOrTrx, taskId: string, orgId: string): Promise<boolean> {
  return isOrgAssignedToTask(db, taskId, orgId, 'responsible', { viaGroups: true });
}

/** Tasks of the plan `orgId` holds in `role`, directly or (responsible only) through a group it belongs to. */
export function listTasksAssignedToOrg(db: DbOrTrx, planId: string, orgId: string, role: AssignmentRole) {
  return db
    .selectFrom('tasks')
    .select(['tasks.id as task_id', 'tasks.seq as task_seq', 'tasks.text as task_text'])
    .where('tasks.plan_id', '=', planId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('assignments')
          .select(sql`1`.as('one'))
          .whereRef('assignments.task_id', '=', 'tasks.id')
          .where('assignments.role', '=', role)
          .where((eb) => assignedTo(eb, 'assignments.org_id', orgId, { viaGroups: role === 'responsible' })),
      ),
    )
    .orderBy('tasks.seq')
    .orderBy('tasks.id')
    .execute();
}

/**
 * (org, task) for every task of the plan each of `orgIds` is responsible for, directly or through
 * a group: "assigned to" for many organisations at once, so the group expansion is a join here.
 */
export function listResponsibleTaskPairs(db: DbOrTrx, planId: string, orgIds: readonly string[]) {
  if (orgIds.length === 0) return Promise.resolve([]);
  const direct = db
    .selectFrom('assignments')
    .innerJoin('tasks', 'tasks.id', 'assignments.task_id')
    .select(['assignments.org_id as org_id', 'assignments.task_id as task_id'])
    .where('tasks.plan_id', '=', planId)
    .where('assignments.role', '=', 'responsible')
    .where('assignments.org_id', 'in', [...orgIds]);
  const viaGroup = db
    .selectFrom('assignments')
    .innerJoin('tasks', 'tasks.id', 'assignments.task_id')
    .innerJoin('organisation_members', 'organisation_members.group_id', 'assignments.org_id')
    .select(['organisation_members.member_id as org_id', 'assignments.task_id as task_id'])
    .where('tasks.plan_id', '=', planId)
    .where('assignments.role', '=', 'responsible')
    .where('organisation_members.member_id', 'in', [...orgIds]);
  return direct.union(viaGroup).execute();
}

// ---- the row facts of "task write" / "target write" ----
// Plain plans reads, here only while those rules live in http/policy.ts: http may not import
// plans (plans' routes import http, a module cycle). When the rules move to plans/plans.policy.ts
// (ADR 0003 §2.5) these two move to plans with them.

/** Whether the task exists (a row rule answers 404 before 403). */
export async function findTaskExists(db: DbOrTrx, taskId: string): Promise<boolean> {
  const row = await db.selectFrom('tasks').select('id').where('id', '=', taskId).executeTakeFirst();
  return row !== undefined;
}

/** A target's task and the organisation whose jurisdiction it is (null: no one named). */
export async function findTargetScope(
  db: DbOrTrx,
  targetId: string,
): Promise<{ taskId: string; jurisdictionOrgId: string | null } | undefined> {
  const row = await db
    .selectFrom('targets')
    .select(['task_id', 'jurisdiction_org_id'])
    .where('id', '=', targetId)
    .executeTakeFirst();
  return row && { taskId: row.task_id, jurisdictionOrgId: row.jurisdiction_org_id };
}
