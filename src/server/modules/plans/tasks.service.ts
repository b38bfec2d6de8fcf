import { newSortableId } from '../../core/ids.ts';
import type { DeliveryStatus } from '../../../shared/enums.ts';
import type { z } from 'zod';
import type {
  Assignment,
  CreateAssignmentBody,
  CreateDeadlineBody,
  Deadline,
  Task,
  TaskListQuery,
  UpdateTaskBody,
} from '../../../shared/schemas/plan.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit, appendAuditBatch } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { toAssignment, toDeadline, toTasks } from './plan-dto.mapping.ts';
import { assertCanAdministerTask, assertCanReadPlan, assertCanReadTask, assertCanWriteTask } from './plans.policy.ts';
import { findSectionRow, hasPlanRow, listSectionRows } from './plans.repository.ts';
import {
  countTaskRows,
  deleteAssignmentRow,
  deleteDeadlineRow,
  findAssignmentByKey,
  findAssignmentRow,
  findDeadlineRow,
  findTaskRow,
  insertAssignmentRow,
  insertDeadlineRow,
  listAssignmentRows,
  listDeadlineRows,
  listTargetRows,
  listTaskRows,
  type TaskFilter,
  type TaskRowWithSection,
  updateStatusRows,
  updateTaskRow,
} from './tasks.repository.ts';
import { hasOrganisation } from '../organisations/organisations.service.ts';
import { withAssignmentOrgNames, withJurisdictionNames } from './org-names.service.ts';

// `asOf` everywhere below: the day the tasks' statusAsOf is worked out for (the route's
// resolveAsOf, the same day the ledger uses), so the task page shows the ledger's status.
async function loadTasks(db: DbOrTrx, rows: TaskRowWithSection[], asOf: string): Promise<Task[]> {
  const ids = rows.map((r) => r.id);
  // Three queries for a whole page, whatever its size: children are fetched by `task_id in (…)`.
  // Plus one call to organisations' service per kind of name (assignments, jurisdictions).
  const [assignments, deadlines, targets] = await Promise.all([
    listAssignmentRows(db, ids).then((rows) => withAssignmentOrgNames(db, rows)),
    listDeadlineRows(db, ids),
    listTargetRows(db, ids).then((rows) => withJurisdictionNames(db, rows)),
  ]);
  return toTasks(rows, assignments, deadlines, targets, asOf);
}

/**
 * A page of a plan's tasks in document order (seq), filtered by section (with its descendants),
 * organisation (directly or through a group it belongs to; optionally one role), status and a
 * substring of the task text.
 */
export async function listTasks(
  db: DbOrTrx,
  planId: string,
  query: TaskListQuery,
  asOf: string,
  actor?: Actor | null,
): Promise<{ items: Task[]; total: number }> {
  if (!(await hasPlanRow(db, planId))) throw new AppError('not_found', 'plan not found');
  if (actor !== undefined) await assertCanReadPlan(db, actor, planId);
  const filter: TaskFilter = {
    planId,
    orgId: query.orgId,
    role: query.role,
    status: query.status,
    q: query.q,
  };
  if (query.sectionId) filter.sectionIds = await sectionWithDescendants(db, planId, query.sectionId);
  const [total, rows] = await Promise.all([countTaskRows(db, filter), listTaskRows(db, filter, query.limit, query.offset)]);
  return { items: await loadTasks(db, rows, asOf), total };
}

async function sectionWithDescendants(db: DbOrTrx, planId: string, sectionId: string): Promise<string[]> {
  // A plan has tens of sections: walking the tree in memory beats a recursive CTE per dialect.
  const sections = await listSectionRows(db, planId);
  if (!sections.some((s) => s.id === sectionId)) throw new AppError('not_found', 'section not found in this plan');
  const children = new Map<string, string[]>();
  for (const s of sections) {
    if (!s.parent_id) continue;
    const arr = children.get(s.parent_id);
    if (arr) arr.push(s.id);
    else children.set(s.parent_id, [s.id]);
  }
  const out: string[] = [];
  const stack = [sectionId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.push(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** One task with its assignments, deadlines and targets, statuses as of `asOf`; 404 when unknown. */
/** 404 unless the task exists: for readers that need only that (task history). */
export async function assertTaskExists(db: DbOrTrx, taskId: string): Promise<void> {
  if (!(await findTaskRow(db, taskId))) throw new AppError('not_found', 'task not found');
}

export async function getTask(db: DbOrTrx, taskId: string, asOf: string, actor?: Actor | null): Promise<Task> {
  const row = await findTaskRow(db, taskId);
  if (!row) throw new AppError('not_found', 'task not found');
  if (actor !== undefined) await assertCanReadTask(db, actor, taskId);
  const [task] = await loadTasks(db, [row], asOf);
  return task;
}

/**
 * Edits a task's text, status or section ("task write", plans.policy.ts: 404/403). Optimistic: a
 * stale `version` gets 409 with the task as it is now. The section must belong to the task's plan.
 */
export async function updateTask(db: Db, taskId: string, body: UpdateTaskBody, actor: Actor | null, asOf: string): Promise<Task> {
  return writeTx(db, async (trx) => {
    await assertCanWriteTask(trx, actor, taskId);
    const before = await getTask(trx, taskId, asOf);
    if (body.sectionId) {
      const section = await findSectionRow(trx, body.sectionId);
      if (!section || section.plan_id !== before.planId) {
        throw new AppError('unprocessable', 'the section does not belong to this task’s plan');
      }
    }
    const changed = await updateTaskRow(trx, taskId, body.version, {
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.status !== undefined ? { status: body.status } : {}),
      ...(body.sectionId !== undefined ? { section_id: body.sectionId } : {}),
      updated_at: new Date().toISOString(),
    });
    if (changed === 0) {
      throw new AppError('version_conflict', 'the task was changed by someone else; reload it', { current: before });
    }
    const after = await getTask(trx, taskId, asOf);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'task.update',
      entityType: 'task',
      entityId: taskId,
      taskId,
      before: pickTaskFields(before),
      after: pickTaskFields(after),
    });
    return after;
  });
}

function pickTaskFields(t: Task) {
  return { text: t.text, status: t.status, sectionId: t.sectionId, version: t.version };
}

/** Assigns an organisation to a task in a role. 409 if it already holds that role, 422 if the organisation is unknown. */
export async function addAssignment(
  db: Db,
  taskId: string,
  body: z.infer<typeof CreateAssignmentBody>,
  actor: Actor | null,
): Promise<Assignment> {
  return writeTx(db, async (trx) => {
    if (!(await findTaskRow(trx, taskId))) throw new AppError('not_found', 'task not found');
    await assertCanAdministerTask(trx, actor, taskId);
    if (!(await hasOrganisation(trx, body.orgId))) throw new AppError('unprocessable', 'organisation not found');
    if (await findAssignmentByKey(trx, taskId, body.orgId, body.role)) {
      throw new AppError('conflict', 'the organisation already has this role on the task');
    }
    const id = newSortableId();
    await insertAssignmentRow(trx, { id, task_id: taskId, org_id: body.orgId, role: body.role, mention: null });
    const [createdRow] = await withAssignmentOrgNames(trx, [(await findAssignmentRow(trx, id))!]);
    const created = toAssignment(createdRow!);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'assignment.create',
      entityType: 'assignment',
      entityId: id,
      taskId,
      after: created,
    });
    return created;
  });
}

/** Removes an assignment; 404 when unknown. */
export async function removeAssignment(db: Db, assignmentId: string, actor: Actor | null): Promise<void> {
  await writeTx(db, async (trx) => {
    const found = await findAssignmentRow(trx, assignmentId);
    const [row] = found ? await withAssignmentOrgNames(trx, [found]) : [];
    if (!row) throw new AppError('not_found', 'assignment not found');
    await assertCanAdministerTask(trx, actor, row.task_id);
    await deleteAssignmentRow(trx, assignmentId);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'assignment.delete',
      entityType: 'assignment',
      entityId: assignmentId,
      taskId: row.task_id,
      before: toAssignment(row),
    });
  });
}

/** Adds a deadline to a task ("task write", plans.policy.ts: 404/403). */
export async function addDeadline(
  db: Db,
  taskId: string,
  body: z.infer<typeof CreateDeadlineBody>,
  actor: Actor | null,
): Promise<Deadline> {
  return writeTx(db, async (trx) => {
    await assertCanWriteTask(trx, actor, taskId);
    const row = { id: newSortableId(), task_id: taskId, date: body.date, text: body.text, span_start: null, span_end: null };
    await insertDeadlineRow(trx, row);
    const created = toDeadline(row);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'deadline.create',
      entityType: 'deadline',
      entityId: row.id,
      taskId,
      after: created,
    });
    return created;
  });
}

/** Removes a deadline; 404 when unknown, then "task write" on its task (plans.policy.ts: 403). */
export async function removeDeadline(db: Db, deadlineId: string, actor: Actor | null): Promise<void> {
  await writeTx(db, async (trx) => {
    // The deadline names the task whose rule decides, so it is read first (404 before 403, as before).
    const row = await findDeadlineRow(trx, deadlineId);
    if (!row) throw new AppError('not_found', 'deadline not found');
    await assertCanWriteTask(trx, actor, row.task_id);
    await deleteDeadlineRow(trx, deadlineId);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'deadline.delete',
      entityType: 'deadline',
      entityId: deadlineId,
      taskId: row.task_id,
      before: toDeadline(row),
    });
  });
}

/** A computed status to write on a target or task: the row as it was read, and the engine's verdict. */
export interface ComputedStatusChange {
  id: string;
  /** The task the row belongs to (the task itself for a task row): what its audit event is filed under. */
  taskId: string;
  /** The version the status was computed from; a row changed since is a conflict. */
  version: number;
  status: DeliveryStatus;
  next: DeliveryStatus;
  reason: string;
}

/**
 * Writes statuses the status engine computed (reporting's status-recompute.service.ts): each row
 * bumps its version and is audited (`target.update` / `task.update`, with the engine's reason),
 * targets first, then tasks. Set-based: one `UPDATE … FROM (VALUES …)` per 1,000 rows under the
 * same version rule (a row changed since it was read fails the whole write with
 * `version_conflict`), and the events appended as one batch. Not through updateTarget/updateTask:
 * those re-check district shares and reload the whole task per row (see docs/benchmarks.md).
 * `planId` names the plan's audit chain (saves the task → plan lookup). Joins the caller's
 * transaction.
 */
export async function applyComputedStatuses(
  db: DbOrTrx,
  actor: Actor | null,
  changes: { planId?: string; targets: readonly ComputedStatusChange[]; tasks: readonly ComputedStatusChange[] },
): Promise<void> {
  if (changes.targets.length === 0 && changes.tasks.length === 0) return;
  await writeTx(db, async (trx) => {
    const at = new Date().toISOString();
    const actorId = actor?.userId ?? null;
    for (const table of ['targets', 'tasks'] as const) {
      const list = changes[table];
      const rows = list.map((c) => ({ id: c.id, version: c.version, status: c.next }));
      if ((await updateStatusRows(trx, table, rows, at)) !== rows.length) {
        throw new AppError(
          'version_conflict',
          `a ${table === 'targets' ? 'target' : 'task'} changed while its status was recomputed; retry`,
        );
      }
    }
    const event = (kind: 'target' | 'task') => (c: ComputedStatusChange) => ({
      actorId,
      action: `${kind}.update`,
      entityType: kind,
      entityId: c.id,
      taskId: c.taskId,
      ...(changes.planId === undefined ? {} : { planId: changes.planId }),
      before: { status: c.status, version: c.version },
      after: { status: c.next, version: c.version + 1, reason: c.reason },
    });
    await appendAuditBatch(trx, [...changes.targets.map(event('target')), ...changes.tasks.map(event('task'))]);
  });
}
