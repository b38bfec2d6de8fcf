import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import { updateIfVersion } from '../../core/versioned-update.ts';
import type { AssignmentsTable, DeadlinesTable, PlansTable, SectionsTable, TargetsTable, TasksTable } from '../../db/database.types.ts';

// Both engines cap bound parameters per statement (PostgreSQL 65,535; SQLite 32,766): a city plan
// of a few thousand rows is inserted in chunks well below that.
const MAX_PARAMS_PER_INSERT = 30_000;

async function insertChunked<T extends object>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Math.max(1, Object.keys(rows[0]).length);
  const size = Math.max(1, Math.floor(MAX_PARAMS_PER_INSERT / perRow));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export function listPlanRows(db: DbOrTrx) {
  return db
    .selectFrom('plans')
    .select([
      'plans.id',
      'plans.title',
      'plans.issuer',
      'plans.year',
      'plans.status',
      'plans.jurisdiction_level',
      'plans.version',
      'plans.created_at',
      'plans.updated_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('tasks')
        .whereRef('tasks.plan_id', '=', 'plans.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('task_count'),
    )
    .orderBy('plans.created_at', 'desc')
    .orderBy('plans.id')
    .execute();
}

export function findPlanRow(db: DbOrTrx, planId: string) {
  return db
    .selectFrom('plans')
    .select([
      'plans.id',
      'plans.title',
      'plans.issuer',
      'plans.year',
      'plans.status',
      'plans.jurisdiction_level',
      'plans.version',
      'plans.created_at',
      'plans.updated_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('tasks')
        .whereRef('tasks.plan_id', '=', 'plans.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('task_count'),
    )
    .where('plans.id', '=', planId)
    .executeTakeFirst();
}

export async function hasPlanRow(db: DbOrTrx, planId: string): Promise<boolean> {
  return (await db.selectFrom('plans').select('id').where('id', '=', planId).executeTakeFirst()) !== undefined;
}

/** Returns the number of rows changed: 0 means the id is unknown or the version is stale. */
export async function updatePlanRow(db: DbOrTrx, planId: string, version: number, patch: Updateable<PlansTable>): Promise<number> {
  return updateIfVersion(db, 'plans', planId, version, patch);
}

export function listSectionRows(db: DbOrTrx, planId: string) {
  return db.selectFrom('sections').selectAll().where('plan_id', '=', planId).orderBy('ordinal').execute();
}

export function findSectionRow(db: DbOrTrx, sectionId: string) {
  return db.selectFrom('sections').selectAll().where('id', '=', sectionId).executeTakeFirst();
}

export async function insertPlanRow(db: DbOrTrx, row: Insertable<PlansTable>): Promise<void> {
  await db.insertInto('plans').values(row).execute();
}

export function insertSectionRows(db: DbOrTrx, rows: Insertable<SectionsTable>[]): Promise<void> {
  return insertChunked(rows, (chunk) => db.insertInto('sections').values(chunk).execute());
}

export function insertTaskRows(db: DbOrTrx, rows: Insertable<TasksTable>[]): Promise<void> {
  return insertChunked(rows, (chunk) => db.insertInto('tasks').values(chunk).execute());
}

export function insertAssignmentRows(db: DbOrTrx, rows: Insertable<AssignmentsTable>[]): Promise<void> {
  return insertChunked(rows, (chunk) => db.insertInto('assignments').values(chunk).execute());
}

export function insertDeadlineRows(db: DbOrTrx, rows: Insertable<DeadlinesTable>[]): Promise<void> {
  return insertChunked(rows, (chunk) => db.insertInto('deadlines').values(chunk).execute());
}

/** Totals are inserted before their parts so the self-reference holds at every statement. */
export async function insertTargetRows(db: DbOrTrx, rows: Insertable<TargetsTable>[]): Promise<void> {
  const totals = rows.filter((r) => !r.parent_target_id);
  const parts = rows.filter((r) => r.parent_target_id);
  await insertChunked(totals, (chunk) => db.insertInto('targets').values(chunk).execute());
  await insertChunked(parts, (chunk) => db.insertInto('targets').values(chunk).execute());
}

/** Every task of a plan, in document order: what a revision is matched against. */
export function listPlanTaskRows(db: DbOrTrx, planId: string) {
  return db.selectFrom('tasks').selectAll().where('plan_id', '=', planId).orderBy('seq').orderBy('id').execute();
}

/** Updates one task without the optimistic version check (a plan revision holds the plan's row). */
export async function patchTaskRow(db: DbOrTrx, taskId: string, patch: Updateable<TasksTable>): Promise<void> {
  await db.updateTable('tasks').set(patch).where('id', '=', taskId).execute();
}

export async function updateSectionRow(db: DbOrTrx, sectionId: string, patch: Updateable<SectionsTable>): Promise<void> {
  await db.updateTable('sections').set(patch).where('id', '=', sectionId).execute();
}

export async function deleteSectionRows(db: DbOrTrx, sectionIds: string[]): Promise<void> {
  if (sectionIds.length === 0) return;
  await db.deleteFrom('sections').where('id', 'in', sectionIds).execute();
}

/** Deletes the assignments, deadlines and targets of tasks (replaced wholesale by a revision). */
export async function deleteTaskChildRows(db: DbOrTrx, taskIds: string[]): Promise<void> {
  if (taskIds.length === 0) return;
  await db.deleteFrom('assignments').where('task_id', 'in', taskIds).execute();
  await db.deleteFrom('deadlines').where('task_id', 'in', taskIds).execute();
  // Parts before totals is not needed: the self-reference is ON DELETE SET NULL.
  await db.deleteFrom('targets').where('task_id', 'in', taskIds).execute();
}

/** Deletes tasks; their assignments, deadlines and targets go with them (ON DELETE CASCADE). */
export async function deleteTaskRows(db: DbOrTrx, taskIds: string[]): Promise<void> {
  if (taskIds.length === 0) return;
  await db.deleteFrom('tasks').where('id', 'in', taskIds).execute();
}

/** The children of some tasks, for a revision's before/after audit. */
export function listTaskChildSummaries(db: DbOrTrx, taskIds: string[]) {
  if (taskIds.length === 0) return Promise.resolve({ assignments: [], deadlines: [], targets: [] });
  return Promise.all([
    db.selectFrom('assignments').select(['task_id', 'org_id', 'role']).where('task_id', 'in', taskIds).orderBy('id').execute(),
    db.selectFrom('deadlines').select(['task_id', 'date']).where('task_id', 'in', taskIds).orderBy('date').execute(),
    db
      .selectFrom('targets')
      .select(['task_id', 'metric', 'value', 'max_value', 'unit', 'comparator', 'jurisdiction_label'])
      .where('task_id', 'in', taskIds)
      .orderBy('span_start')
      .orderBy('id')
      .execute(),
  ]).then(([assignments, deadlines, targets]) => ({ assignments, deadlines, targets }));
}

/** The targets of the given tasks, as a subquery (`target_id in …`) for other modules' rows. */
export function targetIdsOfTasks(db: DbOrTrx, taskIds: string[]) {
  return db
    .selectFrom('targets')
    .select('targets.id')
    .where('targets.task_id', 'in', taskIds.length ? taskIds : ['-']);
}

/** The number of each of the given tasks. */
export async function listTaskSeqs(db: DbOrTrx, taskIds: string[]): Promise<Map<string, number>> {
  return new Map((await db.selectFrom('tasks').select(['id', 'seq']).where('id', 'in', taskIds).execute()).map((t) => [t.id, t.seq]));
}

/** The owning tenant of each plan (issue 12): the facts the plans tenancy policy decides on. */
export async function listPlanOwners(db: DbOrTrx, planIds?: readonly string[]): Promise<Map<string, string | null>> {
  if (planIds && planIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('plans')
    .select(['id', 'owner_org_id'])
    .$if(planIds !== undefined, (qb) => qb.where('id', 'in', [...planIds!]))
    .execute();
  return new Map(rows.map((r) => [r.id, r.owner_org_id ?? null]));
}

/** Puts every plan that belongs to no tenant under `ownerOrgId` (one statement); returns how many. */
export async function setOwnerOfUnownedPlans(db: DbOrTrx, ownerOrgId: string): Promise<number> {
  const res = await db.updateTable('plans').set({ owner_org_id: ownerOrgId }).where('owner_org_id', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows);
}
