import { type Insertable, sql, type Updateable } from 'kysely';
import type { AssignmentRole, DeliveryStatus } from '../../../shared/enums.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { updateIfVersion } from '../../core/versioned-update.ts';
import { assignedTo } from '../../core/assignment-facts.ts';
import type { AssignmentsTable, DeadlinesTable, TargetsTable, TasksTable } from '../../db/database.types.ts';

export interface TaskFilter {
  planId: string;
  /** The chosen section and all its descendants. */
  sectionIds?: string[];
  /** The organisation; tasks assigned to a group it belongs to count as its own. */
  orgId?: string;
  role?: AssignmentRole;
  status?: DeliveryStatus;
  q?: string;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filteredTasks(db: DbOrTrx, f: TaskFilter) {
  let query = db.selectFrom('tasks').where('tasks.plan_id', '=', f.planId);
  if (f.sectionIds) {
    query = f.sectionIds.length === 0 ? query.where(sql<boolean>`1 = 0`) : query.where('tasks.section_id', 'in', f.sectionIds);
  }
  if (f.status) query = query.where('tasks.status', '=', f.status);
  if (f.q?.trim()) {
    const pattern = `%${escapeLike(f.q.trim())}%`;
    // ESCAPE spelled out: SQLite has no default escape character for LIKE.
    query = query.where(sql<boolean>`${sql.ref('tasks.text')} like ${pattern} escape '\\'`);
  }
  const orgId = f.orgId;
  if (orgId) {
    const role = f.role;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('assignments')
          .select(sql`1`.as('one'))
          .whereRef('assignments.task_id', '=', 'tasks.id')
          .where((eb) => assignedTo(eb, 'assignments.org_id', orgId, { viaGroups: true }))
          .$if(role !== undefined, (qb) => qb.where('assignments.role', '=', role as AssignmentRole)),
      ),
    );
  }
  return query;
}

export async function countTaskRows(db: DbOrTrx, f: TaskFilter): Promise<number> {
  const row = await filteredTasks(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const TASK_COLUMNS = [
  'tasks.id',
  'tasks.plan_id',
  'tasks.section_id',
  'tasks.seq',
  'tasks.text',
  'tasks.span_start',
  'tasks.span_end',
  'tasks.assignment_text',
  'tasks.status',
  'tasks.version',
  'tasks.created_at',
  'tasks.updated_at',
  'sections.path as section_path',
  'sections.title as section_title',
] as const;

export function listTaskRows(db: DbOrTrx, f: TaskFilter, limit: number, offset: number) {
  return filteredTasks(db, f)
    .leftJoin('sections', 'sections.id', 'tasks.section_id')
    .select(TASK_COLUMNS)
    .orderBy('tasks.seq')
    .orderBy('tasks.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export function findTaskRow(db: DbOrTrx, taskId: string) {
  return db
    .selectFrom('tasks')
    .leftJoin('sections', 'sections.id', 'tasks.section_id')
    .select(TASK_COLUMNS)
    .where('tasks.id', '=', taskId)
    .executeTakeFirst();
}

export type TaskRowWithSection = NonNullable<Awaited<ReturnType<typeof findTaskRow>>>;

export async function updateTaskRow(db: DbOrTrx, taskId: string, version: number, patch: Updateable<TasksTable>): Promise<number> {
  return updateIfVersion(db, 'tasks', taskId, version, patch);
}

export function listAssignmentRows(db: DbOrTrx, taskIds: string[]) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return (
    db
      .selectFrom('assignments')
      .select(['assignments.id', 'assignments.task_id', 'assignments.org_id', 'assignments.role', 'assignments.mention'])
      .where('assignments.task_id', 'in', taskIds)
      // Ids are time-ordered (sortable-id.ts): the order the plan listed the units in.
      .orderBy('assignments.id')
      .execute()
  );
}

export type AssignmentRow = Awaited<ReturnType<typeof listAssignmentRows>>[number];

/** An assignment row with its organisation's name (filled by org-names.service.ts from organisations' service). */
export type AssignmentRowWithOrg = AssignmentRow & { org_name: string };

export function findAssignmentRow(db: DbOrTrx, assignmentId: string) {
  return db
    .selectFrom('assignments')
    .select(['assignments.id', 'assignments.task_id', 'assignments.org_id', 'assignments.role', 'assignments.mention'])
    .where('assignments.id', '=', assignmentId)
    .executeTakeFirst();
}

export function findAssignmentByKey(db: DbOrTrx, taskId: string, orgId: string, role: AssignmentRole) {
  return db
    .selectFrom('assignments')
    .select('id')
    .where('task_id', '=', taskId)
    .where('org_id', '=', orgId)
    .where('role', '=', role)
    .executeTakeFirst();
}

export async function insertAssignmentRow(db: DbOrTrx, row: Insertable<AssignmentsTable>): Promise<void> {
  await db.insertInto('assignments').values(row).execute();
}

export async function deleteAssignmentRow(db: DbOrTrx, assignmentId: string): Promise<number> {
  const res = await db.deleteFrom('assignments').where('id', '=', assignmentId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

export function listDeadlineRows(db: DbOrTrx, taskIds: string[]) {
  if (taskIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('deadlines').selectAll().where('task_id', 'in', taskIds).orderBy('date').orderBy('span_start').execute();
}

export function findDeadlineRow(db: DbOrTrx, deadlineId: string) {
  return db.selectFrom('deadlines').selectAll().where('id', '=', deadlineId).executeTakeFirst();
}

export async function insertDeadlineRow(db: DbOrTrx, row: Insertable<DeadlinesTable>): Promise<void> {
  await db.insertInto('deadlines').values(row).execute();
}

export async function deleteDeadlineRow(db: DbOrTrx, deadlineId: string): Promise<number> {
  const res = await db.deleteFrom('deadlines').where('id', '=', deadlineId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

function targetQuery(db: DbOrTrx) {
  return db.selectFrom('targets').selectAll('targets');
}

export function listTargetRows(db: DbOrTrx, taskIds: string[]) {
  if (taskIds.length === 0) return Promise.resolve([]);
  // Document order; targets added later (no span) follow in creation order.
  return targetQuery(db)
    .where('targets.task_id', 'in', taskIds)
    .orderBy(sql`coalesce(${sql.ref('targets.span_start')}, 2147483647)`)
    .orderBy('targets.created_at')
    .orderBy('targets.id')
    .execute();
}

export type TargetRow = Awaited<ReturnType<typeof listTargetRows>>[number];

/** A target row with its jurisdiction's name (filled by org-names.service.ts from organisations' service). */
export type TargetRowWithOrg = TargetRow & { jurisdiction_name: string | null };

export function findTargetRow(db: DbOrTrx, targetId: string) {
  return targetQuery(db).where('targets.id', '=', targetId).executeTakeFirst();
}

export function listChildTargetRows(db: DbOrTrx, parentTargetId: string) {
  return db.selectFrom('targets').selectAll().where('parent_target_id', '=', parentTargetId).execute();
}

export async function insertTargetRow(db: DbOrTrx, row: Insertable<TargetsTable>): Promise<void> {
  await db.insertInto('targets').values(row).execute();
}

export async function updateTargetRow(db: DbOrTrx, targetId: string, version: number, patch: Updateable<TargetsTable>): Promise<number> {
  return updateIfVersion(db, 'targets', targetId, version, patch);
}

export async function deleteTargetRow(db: DbOrTrx, targetId: string, version: number): Promise<number> {
  const res = await db.deleteFrom('targets').where('id', '=', targetId).where('version', '=', version).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Rows per set-based status UPDATE: 3 parameters each stays far below both databases' limits. */
const STATUS_CHUNK = 1000;

/**
 * Sets `status` (and `version + 1`, `updated_at`) on many targets or tasks at once, each only if
 * still at the version given: one `UPDATE … FROM (VALUES …)` per 1,000 rows instead of one
 * statement per row. Returns the rows changed; fewer than `rows.length` means a row changed
 * since it was read (or is gone), and the caller rolls back.
 */
export async function updateStatusRows(
  db: DbOrTrx,
  table: 'targets' | 'tasks',
  rows: readonly { id: string; version: number; status: DeliveryStatus }[],
  at: string,
): Promise<number> {
  let changed = 0;
  for (let i = 0; i < rows.length; i += STATUS_CHUNK) {
    const values = sql.join(rows.slice(i, i + STATUS_CHUNK).map((r) => sql`(${r.id}, cast(${r.version} as integer), ${r.status})`));
    // VALUES columns are column1… on both databases (SQLite has no column list on a derived table).
    // `+v.column2`: without it SQLite indexes the VALUES on the version (every row has the same
    // few) and scans the whole table against it (1.7 s per chunk instead of 3 ms by primary key).
    const res =
      await sql`update ${sql.table(table)} set status = v.column3, version = ${sql.ref(`${table}.version`)} + 1, updated_at = ${at}
      from (values ${values}) as v
      where ${sql.ref(`${table}.id`)} = v.column1 and ${sql.ref(`${table}.version`)} = +v.column2`.execute(db);
    changed += Number(res.numAffectedRows ?? 0n);
  }
  return changed;
}
