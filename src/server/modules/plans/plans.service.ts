import type { z } from 'zod';
import type { Plan, PlanDetail, UpdatePlanBody } from '../../../shared/schemas/plan.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../http/app-error.ts';
import type { Actor } from '../auth/actor.ts';
import { appendAudit, writeTx } from '../audit/audit.service.ts';
import type { PlanGraph } from '../plan-imports/plan-graph.mapping.ts';
import { toPlan, toSectionTree } from './plan-dto.mapping.ts';
import {
  findPlanRow,
  insertAssignmentRows,
  insertDeadlineRows,
  insertPlanRow,
  insertSectionRows,
  insertTargetRows,
  insertTaskRows,
  listPlanRows,
  listSectionRows,
  updatePlanRow,
} from './plans.repository.ts';

/** Every plan, newest first, with its task count. */
export async function listPlans(db: DbOrTrx): Promise<{ items: Plan[]; total: number }> {
  const rows = await listPlanRows(db);
  return { items: rows.map(toPlan), total: rows.length };
}

/** One plan with its outline as a tree of sections. 404 when unknown. */
export async function getPlanDetail(db: DbOrTrx, planId: string): Promise<PlanDetail> {
  const row = await findPlanRow(db, planId);
  if (!row) throw new AppError('not_found', 'plan not found');
  const sections = await listSectionRows(db, planId);
  return { ...toPlan(row), sections: toSectionTree(sections) };
}

/** One plan, or 404. */
export async function getPlan(db: DbOrTrx, planId: string): Promise<Plan> {
  const row = await findPlanRow(db, planId);
  if (!row) throw new AppError('not_found', 'plan not found');
  return toPlan(row);
}

/**
 * Renames, re-dates or archives a plan. Optimistic: a stale `version` gets 409 with the plan as it
 * is now, so the editor can show what changed.
 */
export async function updatePlan(
  db: Db,
  planId: string,
  body: z.infer<typeof UpdatePlanBody>,
  actor: Actor | null,
): Promise<Plan> {
  return writeTx(db, async (trx) => {
    const before = await getPlan(trx, planId);
    const changed = await updatePlanRow(trx, planId, body.version, {
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.issuer !== undefined ? { issuer: body.issuer } : {}),
      ...(body.year !== undefined ? { year: body.year } : {}),
      ...(body.status !== undefined ? { status: body.status } : {}),
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
  return { title: p.title, issuer: p.issuer, year: p.year, status: p.status, version: p.version };
}

/**
 * Inserts a whole plan (as built from a confirmed import) with batched inserts, and audits one
 * event for the plan and one per task so every task's history starts with its import. Must run
 * inside the caller's transaction: a plan is created entirely or not at all.
 */
export async function createPlanFromGraph(trx: DbOrTrx, graph: PlanGraph, actorId: string | null): Promise<void> {
  if (!trx.isTransaction) throw new Error('createPlanFromGraph must run inside a transaction');
  await insertPlanRow(trx, graph.plan);
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
  for (const t of graph.tasks) {
    await appendAudit(trx, {
      actorId,
      action: 'task.import',
      entityType: 'task',
      entityId: t.id,
      taskId: t.id,
      after: {
        planId: graph.plan.id,
        seq: t.seq,
        text: t.text,
        assignments: assignmentCount.get(t.id) ?? 0,
        deadlines: deadlineCount.get(t.id) ?? 0,
        targets: targetCount.get(t.id) ?? 0,
      },
    });
  }
}
