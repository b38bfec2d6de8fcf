import { sql } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';

/**
 * The ledger's reads: one set-based query per table for all the plans shown, whatever the number
 * of tasks (children are selected through `task_id in (select … where plan_id in …)`, not by id
 * lists, so 10,000 rows cost the same six round trips as 10).
 */

/** The plan, or every active plan, oldest first. */
export function listLedgerPlans(db: DbOrTrx, planId: string | undefined) {
  let q = db.selectFrom('plans').select(['id', 'title', 'created_at']);
  q = planId ? q.where('id', '=', planId) : q.where('status', '=', 'active');
  return q.orderBy('created_at').orderBy('id').execute();
}

export function listLedgerSections(db: DbOrTrx, planIds: string[]) {
  return db
    .selectFrom('sections')
    .select(['id', 'plan_id', 'parent_id', 'path', 'title', 'ordinal'])
    .where('plan_id', 'in', planIds)
    .orderBy('plan_id')
    .orderBy('ordinal')
    .execute();
}

export function listLedgerTasks(db: DbOrTrx, planIds: string[]) {
  return db
    .selectFrom('tasks')
    .select(['id', 'plan_id', 'section_id', 'seq', 'text', 'status'])
    .where('plan_id', 'in', planIds)
    .orderBy('plan_id')
    .orderBy('seq')
    .orderBy('id')
    .execute();
}

export function listLedgerAssignments(db: DbOrTrx, planIds: string[]) {
  return db
    .selectFrom('assignments')
    .innerJoin('tasks', 'tasks.id', 'assignments.task_id')
    .innerJoin('organisations', 'organisations.id', 'assignments.org_id')
    .select([
      'assignments.task_id',
      'assignments.org_id',
      'assignments.role',
      'organisations.name as org_name',
      'organisations.kind as org_kind',
    ])
    .where('tasks.plan_id', 'in', planIds)
    // Ids are time-ordered (sortable-id.ts): the order the plan listed the units in.
    .orderBy('assignments.id')
    .execute();
}

export function listLedgerDeadlines(db: DbOrTrx, planIds: string[]) {
  return db
    .selectFrom('deadlines')
    .innerJoin('tasks', 'tasks.id', 'deadlines.task_id')
    .select(['deadlines.task_id', 'deadlines.date'])
    .where('tasks.plan_id', 'in', planIds)
    .orderBy('deadlines.date')
    .execute();
}

export function listLedgerTargets(db: DbOrTrx, planIds: string[]) {
  return db
    .selectFrom('targets')
    .innerJoin('tasks', 'tasks.id', 'targets.task_id')
    .select([
      'targets.id',
      'targets.task_id',
      'targets.metric',
      'targets.unit',
      'targets.comparator',
      'targets.value',
      'targets.max_value',
      'targets.jurisdiction_label',
      'targets.jurisdiction_org_id',
      'targets.span_start',
    ])
    .where('tasks.plan_id', 'in', planIds)
    // Document order; targets added later (no span) follow, the same on both engines.
    .orderBy('targets.task_id')
    .orderBy(sql`coalesce(${sql.ref('targets.span_start')}, 2147483647)`)
    .orderBy('targets.id')
    .execute();
}

/** Members of every group, with the member's name, kind and division code (for district order). */
export function listGroupMembers(db: DbOrTrx) {
  return db
    .selectFrom('organisation_members')
    .innerJoin('organisations', 'organisations.id', 'organisation_members.member_id')
    .select([
      'organisation_members.group_id',
      'organisation_members.member_id',
      'organisations.name',
      'organisations.kind',
      'organisations.admin_code',
    ])
    .execute();
}

/** Kind and division code of organisations (the dashboard's district axis is kind 'jurisdiction'). */
export function listOrganisationKinds(db: DbOrTrx) {
  return db.selectFrom('organisations').select(['id', 'kind', 'admin_code']).execute();
}

/**
 * The 进展情况 of every submitted or approved report on the plans' tasks that says something,
 * newest period first (then newest submission): the ledger keeps the first per task × unit.
 * Drafts and returned reports are the unit's own business until submitted.
 */
export function listReportedProgress(db: DbOrTrx, planIds: string[]) {
  return db
    .selectFrom('progress_reports as r')
    .innerJoin('reporting_periods as p', 'p.id', 'r.period_id')
    .select(['r.task_id', 'r.org_id', 'r.narrative'])
    .where('p.plan_id', 'in', planIds)
    .where('r.status', 'in', ['submitted', 'approved'])
    .where('r.narrative', '<>', '')
    .orderBy('p.end_date', 'desc')
    .orderBy('r.submitted_at', 'desc')
    .orderBy('r.id')
    .execute();
}
