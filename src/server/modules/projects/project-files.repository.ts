import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import type { ProjectFilesTable } from '../../db/database.types.ts';

export async function insertProjectFileRow(db: DbOrTrx, row: Insertable<ProjectFilesTable>): Promise<void> {
  await db.insertInto('project_files').values(row).execute();
}

export function findProjectFileRow(db: DbOrTrx, id: string) {
  return db.selectFrom('project_files').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listProjectFileRows(db: DbOrTrx, projectId: string) {
  return db.selectFrom('project_files').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
}

export function countProjectFileRows(db: DbOrTrx, projectId: string) {
  return db
    .selectFrom('project_files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
}

export async function deleteProjectFileRow(db: DbOrTrx, id: string): Promise<number> {
  const res = await db.deleteFrom('project_files').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows);
}
