/**
 * Editing a confirmed plan's structure (the office, after import): sections created, renamed,
 * reordered and deleted when empty; tasks moved between sections and up or down, split in two and
 * merged. Each change runs in one writeTx, checks the version the editor read (409
 * version_conflict with the row as it is now) and appends an audit event.
 *
 * Reported progress is never lost, by the rule plan revisions follow (plans.service.ts
 * revisePlanFromGraph): a task with progress reports or 督办 rows is never deleted. A merge keeps
 * the survivor's reports and refuses (409 task_has_progress) when the task merged away has any; a
 * split keeps every report on the original task, so only targets nobody has reported on can move
 * to the new task (409 target_has_reports).
 *
 * Numbers follow the outline: after each change the sections' numbers (一、(一)、1.) are renumbered
 * per level in the level's own style (section-numbering.rule.ts), `ordinal` is the outline's
 * pre-order, and 序号 (tasks.seq) is document order — by section in outline order, then by the
 * order within the section. Renumbering changes positions only and bumps no other row's version.
 */
import type { Selectable } from 'kysely';
import type {
  CreateSectionBody,
  MergeTaskBody,
  MoveSectionBody,
  MoveTaskBody,
  PlanDetail,
  Section,
  SplitTaskBody,
  Task,
  UpdateSectionBody,
} from '../../../shared/schemas/plan.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { SectionsTable } from '../../db/database.types.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { newSortableId } from '../../core/ids.ts';
import { writeTx } from '../../core/transaction.ts';
import { assertCanAdministerPlan } from './plans.policy.ts';
import { toSection } from './plan-dto.mapping.ts';
import {
  countSectionContents,
  deleteSectionIfVersion,
  deleteTaskRow,
  findTaskPlainRow,
  insertAssignmentRowsOf,
  insertDeadlineRowsOf,
  insertSectionRow,
  insertTaskRow,
  listOutlineRows,
  listTaskAssignmentRows,
  listTaskDeadlineRows,
  listTaskOrderRows,
  listTaskTargetRows,
  moveAllTargetRows,
  moveDeadlineRows,
  moveTargetRows,
  setSectionPositions,
  setTaskSeqs,
  shiftTaskSeqsAfter,
  updateSectionIfVersion,
  updateTaskIfVersion,
} from './plan-structure.repository.ts';
import { findSectionRow, hasPlanRow } from './plans.repository.ts';
import { getPlanDetail, listReportedWorkAtRisk, type TaskInUseChecks } from './plans.service.ts';
import { renumberLevel } from './section-numbering.rule.ts';
import { getTask } from './tasks.service.ts';

type SectionRow = Selectable<SectionsTable>;

const actorId = (actor: Actor | null) => actor?.userId ?? null;
const rootKey = (parentId: string | null) => parentId ?? '';

/**
 * Brings the outline and the tasks' 序号 back in line after a change: sibling order by ordinal,
 * then ordinals in pre-order, the number tokens of the levels in `renumber` (parent ids, '' for
 * the roots) rewritten, and tasks renumbered in document order. Writes only what changed.
 */
async function normalise(trx: DbOrTrx, planId: string, renumber: Set<string>): Promise<void> {
  const sections = await listOutlineRows(trx, planId);
  const byId = new Map(sections.map((s) => [s.id, s]));
  const children = new Map<string, SectionRow[]>();
  for (const s of sections) {
    // A section whose parent is gone is a root (as the outline tree shows it).
    const key = s.parent_id && byId.has(s.parent_id) ? s.parent_id : '';
    const list = children.get(key);
    if (list) list.push(s);
    else children.set(key, [s]);
  }
  const order: { row: SectionRow; path: string[] }[] = [];
  const visit = (key: string, parentPath: string[], depth: number) => {
    const level = children.get(key) ?? [];
    const oldTokens = level.map((s) => (JSON.parse(s.path) as string[]).at(-1));
    const tokens = renumber.has(key)
      ? renumberLevel(
          oldTokens.map((t) => (t === '' ? undefined : t)),
          depth,
        )
      : oldTokens;
    level.forEach((s, i) => {
      const path = [...parentPath, tokens[i] ?? ''];
      order.push({ row: s, path });
      visit(s.id, path, depth + 1);
    });
  };
  visit('', [], 0);
  const sectionUpdates = order
    .map((o, i) => ({ id: o.row.id, ordinal: i + 1, path: JSON.stringify(o.path), old: o.row }))
    .filter((u) => u.ordinal !== u.old.ordinal || u.path !== u.old.path)
    .map(({ id, ordinal, path }) => ({ id, ordinal, path }));
  await setSectionPositions(trx, sectionUpdates);

  const rank = new Map(order.map((o, i) => [o.row.id, i]));
  const tasks = await listTaskOrderRows(trx, planId);
  const sorted = tasks
    .map((t, i) => ({ ...t, at: i, rank: t.section_id ? (rank.get(t.section_id) ?? -1) : -1 }))
    .sort((a, b) => a.rank - b.rank || a.at - b.at);
  await setTaskSeqs(
    trx,
    sorted
      .map((t, i) => ({ id: t.id, seq: i + 1, old: t.seq }))
      .filter((t) => t.seq !== t.old)
      .map(({ id, seq }) => ({ id, seq })),
  );
}

async function sectionOrThrow(trx: DbOrTrx, sectionId: string): Promise<SectionRow> {
  const row = await findSectionRow(trx, sectionId);
  if (!row) throw new AppError('not_found', '章节不存在');
  return row;
}

async function currentSection(trx: DbOrTrx, sectionId: string): Promise<Section> {
  return toSection(await sectionOrThrow(trx, sectionId));
}

function sectionConflict(current: Section): AppError {
  return new AppError('version_conflict', '该章节已被他人修改，请刷新后重试', { current });
}

/** Adds a section, last among its parent's children (or the roots). 404 for an unknown plan, 422 for a parent of another plan. */
export async function createSection(db: Db, planId: string, body: CreateSectionBody, actor: Actor | null): Promise<Section> {
  return writeTx(db, async (trx) => {
    if (!(await hasPlanRow(trx, planId))) throw new AppError('not_found', '方案不存在');
    await assertCanAdministerPlan(trx, actor, planId, '方案不存在');
    const sections = await listOutlineRows(trx, planId);
    let parent: SectionRow | undefined;
    if (body.parentId) {
      parent = sections.find((s) => s.id === body.parentId);
      if (!parent) {
        throw new AppError('unprocessable', '上级章节不属于该方案', { errors: [{ path: 'parentId', message: '上级章节不属于该方案' }] });
      }
    }
    const id = newSortableId();
    const parentPath = parent ? (JSON.parse(parent.path) as string[]) : [];
    await insertSectionRow(trx, {
      id,
      plan_id: planId,
      parent_id: parent?.id ?? null,
      path: JSON.stringify([...parentPath, '']),
      title: body.title,
      ordinal: sections.length + 1,
      span_start: parent?.span_end ?? 0,
      span_end: parent?.span_end ?? 0,
      version: 1,
    });
    await normalise(trx, planId, new Set([rootKey(parent?.id ?? null)]));
    const created = await currentSection(trx, id);
    await appendAudit(trx, {
      actorId: actorId(actor),
      action: 'section.create',
      entityType: 'section',
      entityId: id,
      after: { planId, parentId: created.parentId, path: created.path, title: created.title },
    });
    return created;
  });
}

/** Renames a section at the version read. */
export async function updateSection(db: Db, sectionId: string, body: UpdateSectionBody, actor: Actor | null): Promise<Section> {
  return writeTx(db, async (trx) => {
    const before = await currentSection(trx, sectionId);
    await assertCanAdministerPlan(trx, actor, before.planId, '章节不存在');
    if ((await updateSectionIfVersion(trx, sectionId, body.version, { title: body.title })) === 0) throw sectionConflict(before);
    const after = await currentSection(trx, sectionId);
    await appendAudit(trx, {
      actorId: actorId(actor),
      action: 'section.update',
      entityType: 'section',
      entityId: sectionId,
      before: { title: before.title, path: before.path, version: before.version },
      after: { title: after.title, path: after.path, version: after.version },
    });
    return after;
  });
}

/**
 * Moves a section one place up or down among its siblings (with its subsections and tasks); the
 * level is renumbered and the tasks' 序号 follow. Returns the plan's outline as it is now.
 */
export async function moveSection(db: Db, sectionId: string, body: MoveSectionBody, actor: Actor | null): Promise<PlanDetail> {
  return writeTx(db, async (trx) => {
    const row = await sectionOrThrow(trx, sectionId);
    await assertCanAdministerPlan(trx, actor, row.plan_id, '章节不存在');
    if (row.version !== body.version) throw sectionConflict(toSection(row));
    const siblings = (await listOutlineRows(trx, row.plan_id)).filter((s) => s.parent_id === row.parent_id);
    const at = siblings.findIndex((s) => s.id === sectionId);
    const other = siblings[body.direction === 'up' ? at - 1 : at + 1];
    if (!other) {
      throw new AppError('unprocessable', body.direction === 'up' ? '该章节已是第一个' : '该章节已是最后一个');
    }
    // Swap the two ordinals; normalise then lays the whole outline out in pre-order again.
    if ((await updateSectionIfVersion(trx, sectionId, body.version, { ordinal: other.ordinal })) === 0) {
      throw sectionConflict(await currentSection(trx, sectionId));
    }
    await setSectionPositions(trx, [{ id: other.id, ordinal: row.ordinal, path: other.path }]);
    await normalise(trx, row.plan_id, new Set([rootKey(row.parent_id)]));
    const after = await currentSection(trx, sectionId);
    await appendAudit(trx, {
      actorId: actorId(actor),
      action: 'section.move',
      entityType: 'section',
      entityId: sectionId,
      before: { path: JSON.parse(row.path) as string[], version: row.version },
      after: { path: after.path, version: after.version, direction: body.direction },
    });
    return getPlanDetail(trx, row.plan_id);
  });
}

/** Deletes a section at the version read; only an empty one (no tasks, no subsections: 409 section_not_empty). */
export async function deleteSection(db: Db, sectionId: string, version: number, actor: Actor | null): Promise<void> {
  await writeTx(db, async (trx) => {
    const row = await sectionOrThrow(trx, sectionId);
    await assertCanAdministerPlan(trx, actor, row.plan_id, '章节不存在');
    if (row.version !== version) throw sectionConflict(toSection(row));
    const contents = await countSectionContents(trx, sectionId);
    if (contents.tasks > 0 || contents.children > 0) {
      throw new AppError('section_not_empty', `该章节下还有${contents.tasks}项任务、${contents.children}个子章节，不能删除`, contents);
    }
    if ((await deleteSectionIfVersion(trx, sectionId, version)) === 0) throw sectionConflict(toSection(row));
    await normalise(trx, row.plan_id, new Set([rootKey(row.parent_id)]));
    await appendAudit(trx, {
      actorId: actorId(actor),
      action: 'section.delete',
      entityType: 'section',
      entityId: sectionId,
      before: { planId: row.plan_id, path: JSON.parse(row.path) as string[], title: row.title, version: row.version },
    });
  });
}

async function taskOrThrow(trx: DbOrTrx, taskId: string) {
  const row = await findTaskPlainRow(trx, taskId);
  if (!row) throw new AppError('not_found', '任务不存在');
  return row;
}

async function taskConflict(trx: DbOrTrx, taskId: string, asOf: string): Promise<AppError> {
  return new AppError('version_conflict', '该任务已被他人修改，请刷新后重试', { current: await getTask(trx, taskId, asOf) });
}

function positionOf(t: { section_id: string | null; seq: number }) {
  return { sectionId: t.section_id, seq: t.seq };
}

/**
 * Moves a task into another section (last there; null = outside every section) and/or one place
 * up or down among its section's tasks. 序号 follow (document order). Progress, 督办 and history
 * stay with the task: it keeps its id.
 */
export async function moveTask(db: Db, taskId: string, body: MoveTaskBody, actor: Actor | null, asOf: string): Promise<Task> {
  return writeTx(db, async (trx) => {
    const row = await taskOrThrow(trx, taskId);
    await assertCanAdministerPlan(trx, actor, row.plan_id, '任务不存在');
    if (row.version !== body.version) throw await taskConflict(trx, taskId, asOf);
    if (body.sectionId === undefined && body.direction === undefined) {
      throw new AppError('validation', '请指定目标章节或上移/下移', {
        errors: [{ path: 'sectionId', message: '请指定目标章节或上移/下移' }],
      });
    }
    let sectionId = row.section_id;
    let seq = row.seq;
    const tasks = await listTaskOrderRows(trx, row.plan_id);
    if (body.sectionId !== undefined && body.sectionId !== row.section_id) {
      if (body.sectionId !== null) {
        const section = await findSectionRow(trx, body.sectionId);
        if (!section || section.plan_id !== row.plan_id) {
          throw new AppError('unprocessable', '目标章节不属于该任务所在的方案', {
            errors: [{ path: 'sectionId', message: '目标章节不属于该方案' }],
          });
        }
      }
      sectionId = body.sectionId;
      // Last in its new section: normalise sorts by section first, then by this seq.
      seq = Math.max(0, ...tasks.map((t) => t.seq)) + 1;
    }
    if (body.direction) {
      const mates = tasks.filter((t) => t.section_id === sectionId && t.id !== taskId).map((t) => ({ id: t.id, seq: t.seq }));
      mates.push({ id: taskId, seq });
      mates.sort((a, b) => a.seq - b.seq);
      const at = mates.findIndex((t) => t.id === taskId);
      const other = mates[body.direction === 'up' ? at - 1 : at + 1];
      if (!other) throw new AppError('unprocessable', body.direction === 'up' ? '该任务已是本章节第一项' : '该任务已是本章节最后一项');
      await setTaskSeqs(trx, [{ id: other.id, seq }]);
      seq = other.seq;
    }
    if (
      (await updateTaskIfVersion(trx, taskId, body.version, { section_id: sectionId, seq, updated_at: new Date().toISOString() })) === 0
    ) {
      throw await taskConflict(trx, taskId, asOf);
    }
    await normalise(trx, row.plan_id, new Set());
    const after = await findTaskPlainRow(trx, taskId);
    await appendAudit(trx, {
      actorId: actorId(actor),
      action: 'task.move',
      entityType: 'task',
      entityId: taskId,
      taskId,
      before: { ...positionOf(row), version: row.version },
      after: { ...positionOf(after!), version: after!.version },
    });
    return getTask(trx, taskId, asOf);
  });
}

/**
 * Splits a task: it keeps `text`, its id, reports, 督办 and history; a new task right after it
 * takes `newText`, copies of the assignments and deadlines, and the targets in `targetIds` (with
 * their district shares). A target with reports stays (409 target_has_reports).
 */
export async function splitTask(
  db: Db,
  taskId: string,
  body: SplitTaskBody,
  actor: Actor | null,
  asOf: string,
  inUse: TaskInUseChecks,
): Promise<{ task: Task; created: Task }> {
  return writeTx(db, async (trx) => {
    const row = await taskOrThrow(trx, taskId);
    await assertCanAdministerPlan(trx, actor, row.plan_id, '任务不存在');
    if (row.version !== body.version) throw await taskConflict(trx, taskId, asOf);
    const targets = await listTaskTargetRows(trx, taskId);
    const own = new Set(targets.map((t) => t.id));
    const foreign = body.targetIds.filter((id) => !own.has(id));
    if (foreign.length > 0) {
      throw new AppError('unprocessable', '所选指标不属于该任务', {
        errors: foreign.map((id) => ({ path: `targetIds.${body.targetIds.indexOf(id)}`, message: '指标不属于该任务' })),
      });
    }
    // A total moves with its district shares; a share cannot leave its total behind.
    const moving = new Set(body.targetIds);
    for (const t of targets) if (t.parent_target_id && moving.has(t.parent_target_id)) moving.add(t.id);
    for (const t of targets) {
      if (moving.has(t.id) && t.parent_target_id && !moving.has(t.parent_target_id)) {
        throw new AppError('unprocessable', '分项指标须与其总量指标一起移动', {
          errors: [{ path: `targetIds.${body.targetIds.indexOf(t.id)}`, message: '分项指标须与其总量指标一起移动' }],
        });
      }
    }
    const reported = moving.size
      ? (
          await inUse.countReports(
            trx,
            [],
            trx
              .selectFrom('targets')
              .select('targets.id')
              .where('targets.id', 'in', [...moving]),
          )
        ).reduce((n, r) => n + Number(r.n), 0)
      : 0;
    if (reported > 0) {
      throw new AppError('target_has_reports', `所选指标已有${reported}份进展报告，不能移到新任务：请把它们留在原任务上`, {
        reports: reported,
      });
    }
    const now = new Date().toISOString();
    if ((await updateTaskIfVersion(trx, taskId, body.version, { text: body.text, updated_at: now })) === 0) {
      throw await taskConflict(trx, taskId, asOf);
    }
    await shiftTaskSeqsAfter(trx, row.plan_id, row.seq);
    const newId = newSortableId();
    await insertTaskRow(trx, {
      id: newId,
      plan_id: row.plan_id,
      section_id: row.section_id,
      seq: row.seq + 1,
      text: body.newText,
      span_start: null,
      span_end: null,
      assignment_text: row.assignment_text,
      status: 'not_started',
      version: 1,
      created_at: now,
      updated_at: now,
    });
    const assignments = await listTaskAssignmentRows(trx, taskId);
    await insertAssignmentRowsOf(
      trx,
      assignments.map((a) => ({ id: newSortableId(), task_id: newId, org_id: a.org_id, role: a.role, mention: a.mention })),
    );
    const deadlines = await listTaskDeadlineRows(trx, taskId);
    await insertDeadlineRowsOf(
      trx,
      deadlines.map((d) => ({ id: newSortableId(), task_id: newId, date: d.date, text: d.text, span_start: null, span_end: null })),
    );
    await moveTargetRows(trx, [...moving], newId);
    await normalise(trx, row.plan_id, new Set());
    const task = await getTask(trx, taskId, asOf);
    const created = await getTask(trx, newId, asOf);
    await appendAudit(trx, {
      actorId: actorId(actor),
      action: 'task.split',
      entityType: 'task',
      entityId: taskId,
      taskId,
      before: { text: row.text, seq: row.seq, version: row.version, targets: targets.length },
      after: { text: task.text, seq: task.seq, version: task.version, targets: task.targets.length, newTaskId: newId },
    });
    await appendAudit(trx, {
      actorId: actorId(actor),
      action: 'task.create',
      entityType: 'task',
      entityId: newId,
      taskId: newId,
      after: {
        planId: row.plan_id,
        seq: created.seq,
        text: created.text,
        splitFrom: taskId,
        assignments: created.assignments.length,
        deadlines: created.deadlines.length,
        targets: created.targets.length,
      },
    });
    return { task, created };
  });
}

/**
 * Merges another task of the same plan into this one (the survivor): the survivor keeps its id,
 * reports, 督办 and history, takes the other's assignments (those it lacks), deadlines and targets,
 * and gets `text` (default: both texts joined). The other is deleted, so it must carry no reports
 * and no 督办 (409 task_has_progress: merge the other way round, or keep both).
 */
export async function mergeTask(
  db: Db,
  taskId: string,
  body: MergeTaskBody,
  actor: Actor | null,
  asOf: string,
  inUse: TaskInUseChecks,
): Promise<Task> {
  return writeTx(db, async (trx) => {
    const row = await taskOrThrow(trx, taskId);
    await assertCanAdministerPlan(trx, actor, row.plan_id, '任务不存在');
    if (body.otherTaskId === taskId) {
      throw new AppError('unprocessable', '不能与自身合并', { errors: [{ path: 'otherTaskId', message: '不能与自身合并' }] });
    }
    const other = await findTaskPlainRow(trx, body.otherTaskId);
    if (!other || other.plan_id !== row.plan_id) {
      throw new AppError('unprocessable', '要合并的任务不属于同一方案', { errors: [{ path: 'otherTaskId', message: '不属于同一方案' }] });
    }
    if (row.version !== body.version) throw await taskConflict(trx, taskId, asOf);
    if (other.version !== body.otherVersion) throw await taskConflict(trx, other.id, asOf);
    const [atRisk] = await listReportedWorkAtRisk(trx, [other.id], [], inUse);
    if (atRisk) {
      throw new AppError(
        'task_has_progress',
        `第${other.seq}项已有${atRisk.reports}份进展报告${atRisk.notices ? `、${atRisk.notices}件督办` : ''}，合并会删除它们：请以第${other.seq}项为保留任务，或不合并`,
        { reports: atRisk.reports, notices: atRisk.notices, taskId: other.id },
      );
    }
    const before = await getTask(trx, taskId, asOf);
    const absorbed = await getTask(trx, other.id, asOf);
    const text = body.text ?? `${row.text}${other.text}`;
    if ((await updateTaskIfVersion(trx, taskId, body.version, { text, updated_at: new Date().toISOString() })) === 0) {
      throw await taskConflict(trx, taskId, asOf);
    }
    const have = new Set((await listTaskAssignmentRows(trx, taskId)).map((a) => `${a.org_id}|${a.role}`));
    const extra = (await listTaskAssignmentRows(trx, other.id)).filter((a) => !have.has(`${a.org_id}|${a.role}`));
    await insertAssignmentRowsOf(
      trx,
      extra.map((a) => ({ id: newSortableId(), task_id: taskId, org_id: a.org_id, role: a.role, mention: a.mention })),
    );
    await moveDeadlineRows(trx, other.id, taskId);
    await moveAllTargetRows(trx, other.id, taskId);
    await deleteTaskRow(trx, other.id);
    await normalise(trx, row.plan_id, new Set());
    const after = await getTask(trx, taskId, asOf);
    const summary = (t: Task) => ({
      seq: t.seq,
      text: t.text,
      version: t.version,
      assignments: t.assignments.map((a) => ({ orgId: a.orgId, role: a.role })),
      deadlines: t.deadlines.map((d) => d.date),
      targets: t.targets.length,
    });
    await appendAudit(trx, {
      actorId: actorId(actor),
      action: 'task.merge',
      entityType: 'task',
      entityId: taskId,
      taskId,
      before: summary(before),
      after: { ...summary(after), mergedTaskId: other.id },
    });
    await appendAudit(trx, {
      actorId: actorId(actor),
      action: 'task.delete',
      entityType: 'task',
      entityId: other.id,
      taskId: other.id,
      before: { ...summary(absorbed), mergedInto: taskId },
    });
    return after;
  });
}
