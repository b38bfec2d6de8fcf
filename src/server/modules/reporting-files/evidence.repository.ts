import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import type { EvidenceFilesTable } from '../../db/database.types.ts';

export async function insertEvidenceRow(db: DbOrTrx, row: Insertable<EvidenceFilesTable>): Promise<void> {
  await db.insertInto('evidence_files').values(row).execute();
}

export function findEvidenceRow(db: DbOrTrx, id: string) {
  return db.selectFrom('evidence_files').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listEvidenceRows(db: DbOrTrx, reportId: string) {
  return db.selectFrom('evidence_files').selectAll().where('report_id', '=', reportId).orderBy('created_at').orderBy('id').execute();
}

export function countEvidenceRows(db: DbOrTrx, reportId: string) {
  return db
    .selectFrom('evidence_files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('report_id', '=', reportId)
    .executeTakeFirstOrThrow();
}

export async function deleteEvidenceRow(db: DbOrTrx, id: string): Promise<number> {
  const res = await db.deleteFrom('evidence_files').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows);
}
