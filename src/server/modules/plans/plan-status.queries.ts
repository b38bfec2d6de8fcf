/**
 * What reporting reads of a plan (plans owns these tables, ADR 0003 §2.2): the basics a report
 * names and checks against, the rows an organisation reports on, and the inputs of the status
 * engine. Part of plans' public surface: plain rows, no writes (computed statuses are written by
 * `applyComputedStatuses` in tasks.service.ts). Moved from reporting.repository.ts unchanged.
 */
import type { DbOrTrx } from '../../db/database.ts';

// `in (…)` lists stay far below the parameter caps.
async function _selectChunked<T>(ids: string[], select: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 5000) out.push(...(await select(ids.slice(i, i + 5000))));
  return out;
}

export function findPlanBasics(db: DbOrTrx, planId: string) {
  return db.selectFrom('plans').select(['id', 'created_at', 'owner_org_id']).where('id', '=', planId).executeTakeFirst();
}

export function findTaskBasics(db: DbOrTrx, taskId: string) {
  return db.selectFrom('tasks').select(['id', 'plan_id']).where('id', '=', taskId).executeTakeFirst();
}

export function findTargetBasics(db: DbOrTrx, targetId: string) {
  return db.selectFrom('targets').select(['id', 'task_id', 'jurisdiction_org_id']).where('id', '=', targetId).executeTakeFirst();
}

/**
 * The tasks of report rows being filed (one save, or a sheet's rows), with their plan and its
 * tenant: one read instead of a task lookup and a plan lookup per row.
 */
export function listFilingTasks(db: DbOrTrx, taskIds: readonly string[]) {
  return db
    .selectFrom('tasks')
    .innerJoin('plans', 'plans.id', 'tasks.plan_id')
    .select(['tasks.id', 'tasks.plan_id', 'plans.owner_org_id'])
    .where('tasks.id', 'in', taskIds.length > 0 ? [...taskIds] : [''])
    .execute();
}

/**
 * The targets of report rows being filed: whom their jurisdiction names (the filing rule) and
 * their unit, value and upper bound (the value rule), in one read.
 */
export function listFilingTargets(db: DbOrTrx, targetIds: readonly string[]) {
  return db
    .selectFrom('targets')
    .select(['id', 'task_id', 'jurisdiction_org_id', 'jurisdiction_label', 'unit', 'value', 'max_value'])
    .where('id', 'in', targetIds.length > 0 ? [...targetIds] : [''])
    .execute();
}

/** A target's unit, value and upper bound: what a reported value is checked against. */
export function findTargetRange(db: DbOrTrx, targetId: string) {
  return db.selectFrom('targets').select(['unit', 'value', 'max_value']).where('id', '=', targetId).executeTakeFirst();
}

/** How a report's row is named to people: the task's number and, for a target row, its metric and whom it is for. */
export function findReportItemName(db: DbOrTrx, taskId: string, targetId: string | null) {
  return db
    .selectFrom('tasks')
    .leftJoin('targets', (join) => join.on('targets.id', '=', targetId ?? '').onRef('targets.task_id', '=', 'tasks.id'))
    .select(['tasks.seq', 'targets.metric', 'targets.jurisdiction_label'])
    .where('tasks.id', '=', taskId)
    .executeTakeFirst();
}

// ---- what an organisation reports on ----

const TARGET_ROW_COLUMNS = [
  'targets.id as target_id',
  'targets.metric',
  'targets.unit',
  'targets.value as target_value',
  'targets.jurisdiction_label',
  'tasks.id as task_id',
  'tasks.seq as task_seq',
  'tasks.text as task_text',
] as const;

// ---- what the status engine needs ----

export function listStatusTasks(db: DbOrTrx, planId: string, taskIds?: string[]) {
  let q = db.selectFrom('tasks').select(['id', 'seq', 'status', 'version']).where('plan_id', '=', planId);
  if (taskIds) q = q.where('id', 'in', taskIds.length > 0 ? taskIds : ['']);
  return q.orderBy('seq').orderBy('id').execute();
}

export function listStatusTargets(db: DbOrTrx, planId: string, taskIds?: string[]) {
  let q = db
    .selectFrom('targets')
    .innerJoin('tasks', 'tasks.id', 'targets.task_id')
    .select([
      'targets.id',
      'targets.task_id',
      'targets.metric',
      'targets.jurisdiction_label',
      'targets.jurisdiction_org_id',
      'targets.comparator',
      'targets.value',
      'targets.baseline',
      'targets.deadline',
      'targets.parent_target_id',
      'targets.status',
      'targets.version',
    ])
    .where('tasks.plan_id', '=', planId);
  if (taskIds) q = q.where('targets.task_id', 'in', taskIds.length > 0 ? taskIds : ['']);
  return q.orderBy('targets.task_id').orderBy('targets.id').execute();
}

export function listLastDeadlines(db: DbOrTrx, planId: string, taskIds?: string[]) {
  return db
    .selectFrom('deadlines')
    .innerJoin('tasks', 'tasks.id', 'deadlines.task_id')
    .select(['deadlines.task_id'])
    .select((eb) => eb.fn.max('deadlines.date').as('last_date'))
    .where('tasks.plan_id', '=', planId)
    .$if(taskIds !== undefined, (q) => q.where('deadlines.task_id', 'in', taskIds?.length ? taskIds : ['']))
    .groupBy('deadlines.task_id')
    .execute();
}

export function listLeadAssignments(db: DbOrTrx, planId: string, taskIds?: string[]) {
  return db
    .selectFrom('assignments')
    .innerJoin('tasks', 'tasks.id', 'assignments.task_id')
    .select(['assignments.task_id', 'assignments.org_id'])
    .where('tasks.plan_id', '=', planId)
    .where('assignments.role', '=', 'lead')
    .$if(taskIds !== undefined, (q) => q.where('assignments.task_id', 'in', taskIds?.length ? taskIds : ['']))
    .execute();
}

// ---- who reports what: the plan-side inputs of reporting/target-reporters.rule.ts ----

/** Every target of the plan with its task, in document order: the rows "my reports" names. */
export function listReportTargetRows(db: DbOrTrx, planId: string) {
  return db
    .selectFrom('targets')
    .innerJoin('tasks', 'tasks.id', 'targets.task_id')
    .select(TARGET_ROW_COLUMNS)
    .where('tasks.plan_id', '=', planId)
    .orderBy('tasks.seq')
    .orderBy('targets.id')
    .execute();
}

/** Every task of the plan, in document order. */
export function listReportTaskRows(db: DbOrTrx, planId: string) {
  return db
    .selectFrom('tasks')
    .select(['tasks.id as task_id', 'tasks.seq as task_seq', 'tasks.text as task_text'])
    .where('tasks.plan_id', '=', planId)
    .orderBy('tasks.seq')
    .orderBy('tasks.id')
    .execute();
}

/** Every target of the plan with whom its jurisdiction names (org and label). */
export function listPlanReporterTargets(db: DbOrTrx, planId: string, taskIds?: string[]) {
  return db
    .selectFrom('targets')
    .innerJoin('tasks', 'tasks.id', 'targets.task_id')
    .select(['targets.id', 'targets.task_id', 'targets.jurisdiction_org_id', 'targets.jurisdiction_label'])
    .where('tasks.plan_id', '=', planId)
    .$if(taskIds !== undefined, (q) => q.where('targets.task_id', 'in', taskIds?.length ? taskIds : ['']))
    .orderBy('tasks.seq')
    .orderBy('targets.id')
    .execute();
}

/** The plan's responsible and lead assignments (groups as assigned). */
export function listPlanReporterAssignments(db: DbOrTrx, planId: string, taskIds?: string[]) {
  return db
    .selectFrom('assignments')
    .innerJoin('tasks', 'tasks.id', 'assignments.task_id')
    .select(['assignments.task_id', 'assignments.org_id', 'assignments.role'])
    .where('tasks.plan_id', '=', planId)
    .where('assignments.role', 'in', ['responsible', 'lead'])
    .$if(taskIds !== undefined, (q) => q.where('assignments.task_id', 'in', taskIds?.length ? taskIds : ['']))
    .execute();
}
