import { findPlanBasics } from './plan-status.queries.ts';
import type { z } from 'zod';
import type { Plan, PlanDetail, UpdatePlanBody } from '../../../shared/schemas/plan.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit, appendAuditBatch } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import type { PlanRevisionDiff } from '../../../shared/schemas/plan-import.schema.ts';
import type { PlanGraph } from './plan-graph.types.ts';
import { toPlan, toSectionTree } from './plan-dto.mapping.ts';
import {
  findPlanRow,
  insertAssignmentRows,
  insertDeadlineRows,
  insertPlanRow,
  insertSectionRows,
  insertTargetRows,
  insertTaskRows,
  deleteSectionRows,
  deleteTaskChildRows,
  deleteTaskRows,
  listTaskSeqs,
  listPlanRows,
  setOwnerOfUnownedPlans,
  listPlanTaskRows,
  listSectionRows,
  listTaskChildSummaries,
  patchTaskRow,
  updatePlanRow,
  updateSectionRow,
  targetIdsOfTasks,
} from './plans.repository.ts';
import { assertCanAdministerPlan, assertCanReadPlan, ownerForNewPlan, readablePlanIds } from './plans.policy.ts';
import { getUser } from '../users/users.service.ts';
import { tenantOf } from '../organisations/organisations.service.ts';

/** Every plan, newest first, with its task count; with `actor`, only the plans of tenants they read (plans.policy). */
export async function listPlans(db: DbOrTrx, actor?: Actor | null): Promise<{ items: Plan[]; total: number }> {
  const all = await listPlanRows(db);
  const readable = actor === undefined ? null : await readablePlanIds(db, actor);
  const rows = readable === null ? all : all.filter((r) => readable.has(r.id));
  return { items: rows.map(toPlan), total: rows.length };
}

/** One plan with its outline as a tree of sections. 404 when unknown (or, with `actor`, outside their scope). */
export async function getPlanDetail(db: DbOrTrx, planId: string, actor?: Actor | null): Promise<PlanDetail> {
  if (actor !== undefined) await assertCanReadPlan(db, actor, planId);
  const row = await findPlanRow(db, planId);
  if (!row) throw new AppError('not_found', 'plan not found');
  const sections = await listSectionRows(db, planId);
  return { ...toPlan(row), sections: toSectionTree(sections) };
}

/** One plan, or 404. */
/** The tenant that issued the plan (its `owner_org_id`; null in an installation without tenants); 404 for an unknown plan. */
export async function ownerOfPlan(db: DbOrTrx, planId: string): Promise<string | null> {
  const row = await findPlanBasics(db, planId);
  if (!row) throw new AppError('not_found', 'plan not found');
  return row.owner_org_id ?? null;
}

export async function getPlan(db: DbOrTrx, planId: string): Promise<Plan> {
  const row = await findPlanRow(db, planId);
  if (!row) throw new AppError('not_found', 'plan not found');
  return toPlan(row);
}

/**
 * Renames, re-dates or archives a plan. Optimistic: a stale `version` gets 409 with the plan as it
 * is now, so the editor can show what changed.
 */
export async function updatePlan(db: Db, planId: string, body: z.infer<typeof UpdatePlanBody>, actor: Actor | null): Promise<Plan> {
  return writeTx(db, async (trx) => {
    await assertCanAdministerPlan(trx, actor, planId);
    const before = await getPlan(trx, planId);
    const changed = await updatePlanRow(trx, planId, body.version, {
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.issuer !== undefined ? { issuer: body.issuer } : {}),
      ...(body.year !== undefined ? { year: body.year } : {}),
      ...(body.status !== undefined ? { status: body.status } : {}),
      ...(body.jurisdictionLevel !== undefined ? { jurisdiction_level: body.jurisdictionLevel } : {}),
      updated_at: new Date().toISOString(),
    });
    if (changed === 0) {
      throw new AppError('version_conflict', 'the plan was changed by someone else; reload it', { current: before });
    }
    const after = await getPlan(trx, planId);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'plan.update',
      entityType: 'plan',
      entityId: planId,
      before: pickPlanFields(before),
      after: pickPlanFields(after),
    });
    return after;
  });
}

function pickPlanFields(p: Plan) {
  return { title: p.title, issuer: p.issuer, year: p.year, status: p.status, jurisdictionLevel: p.jurisdictionLevel, version: p.version };
}

/**
 * Inserts a whole plan (as built from a confirmed import) with batched inserts, and audits one
 * event for the plan and one per task so every task's history starts with its import. Must run
 * inside the caller's transaction: a plan is created entirely or not at all.
 */
export async function createPlanFromGraph(trx: DbOrTrx, graph: PlanGraph, actorId: string | null): Promise<void> {
  if (!trx.isTransaction) throw new Error('createPlanFromGraph must run inside a transaction');
  // The plan belongs to the tenant of whoever confirms it, unless the graph names one (seeds, tests).
  const owner =
    graph.plan.owner_org_id !== undefined
      ? graph.plan.owner_org_id
      : await ownerForNewPlan(trx, actorId ? (await getUser(trx, actorId)).orgId : null);
  await insertPlanRow(trx, { ...graph.plan, owner_org_id: owner });
  await insertSectionRows(trx, graph.sections);
  await insertTaskRows(trx, graph.tasks);
  await insertAssignmentRows(trx, graph.assignments);
  await insertDeadlineRows(trx, graph.deadlines);
  await insertTargetRows(trx, graph.targets);

  await appendAudit(trx, {
    actorId,
    action: 'plan.create',
    entityType: 'plan',
    entityId: graph.plan.id,
    after: {
      title: graph.plan.title,
      issuer: graph.plan.issuer,
      year: graph.plan.year,
      sections: graph.sections.length,
      tasks: graph.tasks.length,
      assignments: graph.assignments.length,
      deadlines: graph.deadlines.length,
      targets: graph.targets.length,
    },
  });
  const countBy = (rows: { task_id: string }[]) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(r.task_id, (m.get(r.task_id) ?? 0) + 1);
    return m;
  };
  const assignmentCount = countBy(graph.assignments);
  const deadlineCount = countBy(graph.deadlines);
  const targetCount = countBy(graph.targets);
  // One batch for the tasks' events (set-based at the commit-time flush, ADR 0005), in the plan's chain.
  await appendAuditBatch(
    trx,
    graph.tasks.map((t) => ({
      actorId,
      action: 'task.import',
      entityType: 'task',
      entityId: t.id,
      taskId: t.id,
      planId: graph.plan.id,
      after: {
        planId: graph.plan.id,
        seq: t.seq,
        text: t.text,
        assignments: assignmentCount.get(t.id) ?? 0,
        deadlines: deadlineCount.get(t.id) ?? 0,
        targets: targetCount.get(t.id) ?? 0,
      },
    })),
  );
}

export interface PlanRevisionResult {
  taskCount: number;
  unchanged: number;
  edited: number;
  added: number;
  removed: number;
}

/** A count per task, as the owners of reports and notices answer it. */
export type TaskCounts = Array<{ task_id: string; n: number | string | bigint }>;

/**
 * What plans asks the owners of the rows that hang on its tasks before a revision deletes tasks or
 * replaces targets (reporting's reports, supervision's notices). Passed in by the caller
 * (plan-imports composes them) so plans depends on neither: reporting depends on plans.
 */
export interface TaskInUseChecks {
  /** Reports per task on `taskIds`, or on one of the targets `targetIds` selects. */
  countReports(db: DbOrTrx, taskIds: string[], targetIds: ReturnType<typeof targetIdsOfTasks>): Promise<TaskCounts>;
  /** Distinct 督办 notices per task on `taskIds`. */
  countNotices(db: DbOrTrx, taskIds: string[]): Promise<TaskCounts>;
}

/**
 * What a revision would destroy beyond the plan text: progress reports on tasks it removes or on
 * targets of tasks it rewrites (targets are replaced wholesale, and reports follow them by foreign
 * key), and 督办 notices on tasks it removes. Per task: its number and the counts.
 */
export async function listReportedWorkAtRisk(db: DbOrTrx, removedTaskIds: string[], editedTaskIds: string[], inUse: TaskInUseChecks) {
  if (removedTaskIds.length + editedTaskIds.length === 0) return [];
  const reports = await inUse.countReports(db, removedTaskIds, targetIdsOfTasks(db, editedTaskIds));
  const notices = await inUse.countNotices(db, removedTaskIds);
  const ids = [...new Set([...reports.map((r) => r.task_id), ...notices.map((n) => n.task_id)])];
  if (ids.length === 0) return [];
  const seqs = await listTaskSeqs(db, ids);
  return ids
    .map((id) => ({
      taskId: id,
      seq: seqs.get(id) ?? 0,
      reports: Number(reports.find((r) => r.task_id === id)?.n ?? 0),
      notices: Number(notices.find((n) => n.task_id === id)?.n ?? 0),
    }))
    .sort((a, b) => a.seq - b.seq);
}

/**
 * Applies a revised plan to an existing one, inside the caller's transaction. `graph` is the
 * revision built as a new plan; `diff` says which of its tasks (by index) are existing tasks.
 * Unchanged tasks keep their id and content (only their position — seq, section, span in the new
 * text — follows the revision); edited tasks keep their id and get the new text, assignments,
 * deadlines and targets, version bumped, audited `task.revise` with before and after; added tasks
 * are inserted; removed tasks are deleted (audited). Sections are matched by their number path.
 */
export async function revisePlanFromGraph(
  trx: DbOrTrx,
  planId: string,
  graph: PlanGraph,
  diff: PlanRevisionDiff,
  actorId: string | null,
  inUse: TaskInUseChecks,
): Promise<PlanRevisionResult> {
  if (!trx.isTransaction) throw new Error('revisePlanFromGraph must run inside a transaction');
  const planRow = await findPlanRow(trx, planId);
  if (!planRow) throw new AppError('not_found', 'the plan this import revises no longer exists');
  const now = new Date().toISOString();

  // Sections: same path → same section (kept id), new paths inserted, vanished paths deleted.
  const existingSections = await listSectionRows(trx, planId);
  const sectionByPath = new Map(existingSections.map((s) => [s.path, s]));
  const sectionIdMap = new Map<string, string>();
  for (const s of graph.sections) {
    const kept = sectionByPath.get(s.path);
    sectionIdMap.set(s.id as string, kept ? kept.id : (s.id as string));
  }
  const mapSection = (id: string | null | undefined) => (id ? (sectionIdMap.get(id) ?? null) : null);
  const newSections = graph.sections
    .filter((s) => !sectionByPath.has(s.path))
    .map((s) => ({ ...s, plan_id: planId, parent_id: mapSection(s.parent_id) }));
  await insertSectionRows(trx, newSections);
  for (const s of graph.sections) {
    const kept = sectionByPath.get(s.path);
    if (!kept) continue;
    await updateSectionRow(trx, kept.id, {
      parent_id: mapSection(s.parent_id),
      title: s.title,
      ordinal: s.ordinal,
      span_start: s.span_start,
      span_end: s.span_end,
    });
  }
  const keptPaths = new Set(graph.sections.map((s) => s.path));

  // Tasks.
  const existingTasks = new Map((await listPlanTaskRows(trx, planId)).map((t) => [t.id, t]));
  const taskIdMap = new Map<string, string>();
  for (const u of [...diff.unchanged, ...diff.edited]) taskIdMap.set(graph.tasks[u.taskIndex].id as string, u.taskId);
  const editedIds = diff.edited.map((e) => e.taskId);
  const removedIds = diff.removed.map((r) => r.taskId);
  // Deleting a task or replacing its targets takes the units' reports (and, for a removed task, its
  // 督办 notices) with them by foreign key. Refuse rather than lose them: the office keeps those
  // clauses as they are, or corrects the plan before reporting starts. (Matching targets across a
  // revision and archiving removed tasks would lift this; until then, nothing reported is lost.)
  const atRisk = await listReportedWorkAtRisk(trx, removedIds, editedIds, inUse);
  if (atRisk.length > 0) {
    throw new AppError(
      'conflict',
      `the revision would delete reported progress: ${atRisk.map((r) => `task ${r.seq} (${r.reports} reports, ${r.notices} notices)`).join('; ')}; keep those clauses unchanged`,
      {
        errors: atRisk.map((r) => ({
          path: `tasks.${r.seq}`,
          message: `第${r.seq}项已有${r.reports}份进展报告${r.notices ? `、${r.notices}件督办` : ''}，修订会删除它们：请保留该条款原文`,
        })),
      },
    );
  }
  const before = summariseChildren(await listTaskChildSummaries(trx, [...editedIds, ...removedIds]));

  for (const u of diff.unchanged) {
    const next = graph.tasks[u.taskIndex];
    const cur = existingTasks.get(u.taskId);
    if (!cur) throw new AppError('conflict', 'the plan changed since the revision was prepared; prepare it again');
    const position = {
      seq: next.seq as number,
      section_id: mapSection(next.section_id),
      span_start: next.span_start ?? null,
      span_end: next.span_end ?? null,
    };
    const moved = (Object.keys(position) as (keyof typeof position)[]).some((k) => cur[k] !== position[k]);
    if (moved) await patchTaskRow(trx, u.taskId, position);
  }

  await deleteTaskChildRows(trx, editedIds);
  for (const e of diff.edited) {
    const next = graph.tasks[e.taskIndex];
    const cur = existingTasks.get(e.taskId);
    if (!cur) throw new AppError('conflict', 'the plan changed since the revision was prepared; prepare it again');
    await patchTaskRow(trx, e.taskId, {
      seq: next.seq,
      section_id: mapSection(next.section_id),
      text: next.text,
      span_start: next.span_start ?? null,
      span_end: next.span_end ?? null,
      assignment_text: next.assignment_text ?? null,
      version: cur.version + 1,
      updated_at: now,
    });
  }

  const addedIndexes = new Set(diff.added.map((a) => a.taskIndex));
  const addedTasks = graph.tasks
    .filter((_, i) => addedIndexes.has(i))
    .map((t) => ({ ...t, plan_id: planId, section_id: mapSection(t.section_id) }));
  await insertTaskRows(trx, addedTasks);

  // Children of edited and added tasks come from the revision, re-pointed at the kept task ids.
  const takesChildren = new Set([...diff.edited.map((e) => graph.tasks[e.taskIndex].id), ...addedTasks.map((t) => t.id)]);
  const remap = <T extends { task_id: string }>(rows: T[]): T[] =>
    rows.filter((r) => takesChildren.has(r.task_id)).map((r) => ({ ...r, task_id: taskIdMap.get(r.task_id) ?? r.task_id }));
  const assignments = remap(graph.assignments as { task_id: string; org_id: string; role: string }[]);
  const deadlines = remap(graph.deadlines as { task_id: string; date: string }[]);
  const targets = remap(graph.targets as { task_id: string }[]);
  await insertAssignmentRows(trx, assignments as PlanGraph['assignments']);
  await insertDeadlineRows(trx, deadlines as PlanGraph['deadlines']);
  await insertTargetRows(trx, targets as PlanGraph['targets']);

  await deleteTaskRows(trx, removedIds);
  await deleteSectionRows(
    trx,
    existingSections.filter((s) => !keptPaths.has(s.path)).map((s) => s.id),
  );

  const after = summariseChildren({
    assignments: assignments as { task_id: string; org_id: string; role: string }[],
    deadlines: deadlines as { task_id: string; date: string }[],
    targets: targets as unknown as ChildSummaryRows['targets'],
  });
  const changed = await updatePlanRow(trx, planId, planRow.version, {
    title: graph.plan.title,
    issuer: graph.plan.issuer ?? null,
    year: graph.plan.year ?? null,
    source_text: graph.plan.source_text ?? '',
    updated_at: now,
  });
  if (changed === 0) throw new AppError('conflict', 'the plan was changed meanwhile; prepare the revision again');
  const counts = { unchanged: diff.unchanged.length, edited: diff.edited.length, added: diff.added.length, removed: diff.removed.length };
  await appendAudit(trx, {
    actorId,
    action: 'plan.revise',
    entityType: 'plan',
    entityId: planId,
    before: { title: planRow.title, issuer: planRow.issuer, year: planRow.year, version: planRow.version, tasks: existingTasks.size },
    after: {
      title: graph.plan.title,
      issuer: graph.plan.issuer,
      year: graph.plan.year,
      version: planRow.version + 1,
      tasks: graph.tasks.length,
      ...counts,
    },
  });
  for (const e of diff.edited) {
    const cur = existingTasks.get(e.taskId)!;
    const next = graph.tasks[e.taskIndex];
    await appendAudit(trx, {
      actorId,
      action: 'task.revise',
      entityType: 'task',
      entityId: e.taskId,
      taskId: e.taskId,
      before: { seq: cur.seq, text: cur.text, version: cur.version, ...(before.get(e.taskId) ?? EMPTY_CHILDREN) },
      after: { seq: next.seq, text: next.text, version: cur.version + 1, ...(after.get(e.taskId) ?? EMPTY_CHILDREN) },
    });
  }
  for (const t of addedTasks) {
    await appendAudit(trx, {
      actorId,
      action: 'task.import',
      entityType: 'task',
      entityId: t.id as string,
      taskId: t.id as string,
      after: { planId, seq: t.seq, text: t.text, revision: true, ...(after.get(t.id as string) ?? EMPTY_CHILDREN) },
    });
  }
  for (const r of diff.removed) {
    const cur = existingTasks.get(r.taskId);
    await appendAudit(trx, {
      actorId,
      action: 'task.delete',
      entityType: 'task',
      entityId: r.taskId,
      taskId: r.taskId,
      before: { seq: cur?.seq ?? r.seq, text: cur?.text ?? r.text, ...(before.get(r.taskId) ?? EMPTY_CHILDREN) },
    });
  }
  return { taskCount: graph.tasks.length, ...counts };
}

interface ChildSummaryRows {
  assignments: { task_id: string; org_id: string; role: string }[];
  deadlines: { task_id: string; date: string }[];
  targets: {
    task_id: string;
    metric: string;
    value: number;
    max_value: number | null;
    unit: string;
    comparator: string;
    jurisdiction_label: string | null;
  }[];
}

interface ChildSummary {
  assignments: { orgId: string; role: string }[];
  deadlines: string[];
  targets: { metric: string; comparator: string; value: number; maxValue: number | null; unit: string; jurisdiction: string | null }[];
}

const EMPTY_CHILDREN: ChildSummary = { assignments: [], deadlines: [], targets: [] };

function summariseChildren(rows: ChildSummaryRows): Map<string, ChildSummary> {
  const out = new Map<string, ChildSummary>();
  const get = (taskId: string) => {
    let s = out.get(taskId);
    if (!s) {
      s = { assignments: [], deadlines: [], targets: [] };
      out.set(taskId, s);
    }
    return s;
  };
  for (const a of rows.assignments) get(a.task_id).assignments.push({ orgId: a.org_id, role: a.role });
  for (const d of rows.deadlines) get(d.task_id).deadlines.push(d.date);
  for (const t of rows.targets) {
    get(t.task_id).targets.push({
      metric: t.metric,
      comparator: t.comparator,
      value: Number(t.value),
      maxValue: t.max_value === null ? null : Number(t.max_value),
      unit: t.unit,
      jurisdiction: t.jurisdiction_label,
    });
  }
  return out;
}

/** A plan's tasks (id, seq, text) in document order, for matching a revision; 404 when unknown. */
export async function listPlanTaskTexts(db: DbOrTrx, planId: string): Promise<{ id: string; seq: number; text: string }[]> {
  if (!(await findPlanRow(db, planId))) throw new AppError('not_found', 'the plan to revise does not exist');
  const rows = await listPlanTaskRows(db, planId);
  return rows.map((r) => ({ id: r.id, seq: r.seq, text: r.text }));
}

/**
 * Gives every plan that belongs to no tenant to `ownerOrgId` (a tenant): with organisations'
 * `declareTenant({ adoptUntenanted: true })`, how an install that declared no tenant becomes one
 * city at run time, as the tenancy migration does for an existing database. Audited; returns how many.
 */
export async function adoptUntenantedPlans(db: DbOrTrx, actor: Actor | null, ownerOrgId: string): Promise<number> {
  return writeTx(db, async (trx) => {
    if ((await tenantOf(trx, ownerOrgId)) !== ownerOrgId) throw new AppError('validation', 'the owner of a plan is a tenant');
    const n = await setOwnerOfUnownedPlans(trx, ownerOrgId);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'plan.adopt',
      entityType: 'organisation',
      entityId: ownerOrgId,
      after: { plans: n },
    });
    return n;
  });
}

/** The ledger filtered, sorted, counted and paged in SQL (the ledger page and export compose it). */
export { readablePlanIdsOfTenant } from './plans.policy.ts';
