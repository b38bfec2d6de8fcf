import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import type {
  AssignmentsTable,
  DeadlinesTable,
  PlansTable,
  SectionsTable,
  TargetsTable,
  TasksTable,
} from '../../db/database.types.ts';

// Both engines cap bound parameters per statement (PostgreSQL 65,535; SQLite 32,766): a city plan
// of a few thousand rows is inserted in chunks well below that.
const MAX_PARAMS_PER_INSERT = 30_000;

async function insertChunked<T extends object>(
  rows: T[],
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
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
export async function updatePlanRow(
  db: DbOrTrx,
  planId: string,
  version: number,
  patch: Updateable<PlansTable>,
): Promise<number> {
  const res = await db
    .updateTable('plans')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', planId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
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
