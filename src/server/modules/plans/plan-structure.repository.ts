/**
 * The queries behind editing a confirmed plan's structure (plan-structure.service.ts): the outline
 * and the tasks' order, written back set-based (one CASE update per chunk, not a statement per row).
 */
import { type Insertable, sql, type Updateable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import type { AssignmentsTable, DeadlinesTable, SectionsTable, TasksTable } from '../../db/database.types.ts';

// Two parameters per row; both engines take tens of thousands per statement.
const CASE_CHUNK = 2_000;

/** The plan's sections in outline order (ordinal), every column. */
export function listOutlineRows(db: DbOrTrx, planId: string) {
  return db.selectFrom('sections').selectAll().where('plan_id', '=', planId).orderBy('ordinal').orderBy('id').execute();
}

/** The plan's tasks as (id, section, seq), in document order. */
export function listTaskOrderRows(db: DbOrTrx, planId: string) {
  return db.selectFrom('tasks').select(['id', 'section_id', 'seq']).where('plan_id', '=', planId).orderBy('seq').orderBy('id').execute();
}

/** Writes new ordinals and paths of sections. */
export async function setSectionPositions(db: DbOrTrx, rows: { id: string; ordinal: number; path: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CASE_CHUNK) {
    const chunk = rows.slice(i, i + CASE_CHUNK);
    const ordinal = sql<number>`case ${sql.ref('id')} ${sql.join(
      chunk.map((r) => sql`when ${r.id} then cast(${r.ordinal} as integer)`),
      sql` `,
    )} end`;
    const path = sql<string>`case ${sql.ref('id')} ${sql.join(
      chunk.map((r) => sql`when ${r.id} then cast(${r.path} as text)`),
      sql` `,
    )} end`;
    await db
      .updateTable('sections')
      .set({ ordinal, path })
      .where(
        'id',
        'in',
        chunk.map((r) => r.id),
      )
      .execute();
  }
}

/** Writes new 序号 of tasks (positions only: the tasks' versions are not bumped by a renumbering). */
export async function setTaskSeqs(db: DbOrTrx, rows: { id: string; seq: number }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CASE_CHUNK) {
    const chunk = rows.slice(i, i + CASE_CHUNK);
    const seq = sql<number>`case ${sql.ref('id')} ${sql.join(
      chunk.map((r) => sql`when ${r.id} then cast(${r.seq} as integer)`),
      sql` `,
    )} end`;
    await db
      .updateTable('tasks')
      .set({ seq })
      .where(
        'id',
        'in',
        chunk.map((r) => r.id),
      )
      .execute();
  }
}

export async function insertSectionRow(db: DbOrTrx, row: Insertable<SectionsTable>): Promise<void> {
  await db.insertInto('sections').values(row).execute();
}

/** Returns the rows changed: 0 means unknown id or stale version. */
export async function updateSectionIfVersion(
  db: DbOrTrx,
  sectionId: string,
  version: number,
  patch: Updateable<SectionsTable>,
): Promise<number> {
  const res = await db
    .updateTable('sections')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', sectionId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function deleteSectionIfVersion(db: DbOrTrx, sectionId: string, version: number): Promise<number> {
  const res = await db.deleteFrom('sections').where('id', '=', sectionId).where('version', '=', version).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** How many tasks and subsections a section holds directly. */
export async function countSectionContents(db: DbOrTrx, sectionId: string): Promise<{ tasks: number; children: number }> {
  const [tasks, children] = await Promise.all([
    db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('section_id', '=', sectionId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('sections')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_id', '=', sectionId)
      .executeTakeFirstOrThrow(),
  ]);
  return { tasks: Number(tasks.n), children: Number(children.n) };
}

/** The plain row of a task, for structural edits. */
export function findTaskPlainRow(db: DbOrTrx, taskId: string) {
  return db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
}

/** Versioned task update (0 = stale or unknown). */
export async function updateTaskIfVersion(db: DbOrTrx, taskId: string, version: number, patch: Updateable<TasksTable>): Promise<number> {
  const res = await db
    .updateTable('tasks')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', taskId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Makes room after `seq`: every later task of the plan moves one place down (set-based). */
export async function shiftTaskSeqsAfter(db: DbOrTrx, planId: string, seq: number): Promise<void> {
  await db
    .updateTable('tasks')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('plan_id', '=', planId)
    .where('seq', '>', seq)
    .execute();
}

export async function insertTaskRow(db: DbOrTrx, row: Insertable<TasksTable>): Promise<void> {
  await db.insertInto('tasks').values(row).execute();
}

export function listTaskAssignmentRows(db: DbOrTrx, taskId: string) {
  return db.selectFrom('assignments').selectAll().where('task_id', '=', taskId).orderBy('id').execute();
}

export function listTaskDeadlineRows(db: DbOrTrx, taskId: string) {
  return db.selectFrom('deadlines').selectAll().where('task_id', '=', taskId).orderBy('date').execute();
}

export function listTaskTargetRows(db: DbOrTrx, taskId: string) {
  return db.selectFrom('targets').select(['id', 'parent_target_id']).where('task_id', '=', taskId).execute();
}

export async function insertAssignmentRowsOf(db: DbOrTrx, rows: Insertable<AssignmentsTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('assignments').values(rows).execute();
}

export async function insertDeadlineRowsOf(db: DbOrTrx, rows: Insertable<DeadlinesTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('deadlines').values(rows).execute();
}

/** Re-points targets at another task of the same plan. */
export async function moveTargetRows(db: DbOrTrx, targetIds: string[], taskId: string): Promise<void> {
  if (targetIds.length === 0) return;
  await db.updateTable('targets').set({ task_id: taskId }).where('id', 'in', targetIds).execute();
}

/** Re-points every deadline of one task at another. */
export async function moveDeadlineRows(db: DbOrTrx, fromTaskId: string, toTaskId: string): Promise<void> {
  await db.updateTable('deadlines').set({ task_id: toTaskId }).where('task_id', '=', fromTaskId).execute();
}

/** Re-points every target of one task at another. */
export async function moveAllTargetRows(db: DbOrTrx, fromTaskId: string, toTaskId: string): Promise<void> {
  await db.updateTable('targets').set({ task_id: toTaskId }).where('task_id', '=', fromTaskId).execute();
}

export async function deleteTaskRow(db: DbOrTrx, taskId: string): Promise<void> {
  await db.deleteFrom('tasks').where('id', '=', taskId).execute();
}
