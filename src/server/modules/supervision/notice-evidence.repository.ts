import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../../db/database.ts';
import type { NoticeEvidenceFilesTable } from '../../db/database.types.ts';

export async function insertNoticeEvidenceRow(db: DbOrTrx, row: Insertable<NoticeEvidenceFilesTable>): Promise<void> {
  await db.insertInto('notice_evidence_files').values(row).execute();
}

export function findNoticeEvidenceRow(db: DbOrTrx, id: string) {
  return db.selectFrom('notice_evidence_files').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The files of one notice, oldest first. */
export function listNoticeEvidenceRows(db: DbOrTrx, noticeId: string) {
  return db.selectFrom('notice_evidence_files').selectAll().where('notice_id', '=', noticeId).orderBy('created_at').orderBy('id').execute();
}

/** The files of these notices that an answer has named (the others are still their organisation's own). */
export function listAnsweredNoticeEvidenceRows(db: DbOrTrx, noticeIds: readonly string[]) {
  if (noticeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('notice_evidence_files')
    .selectAll()
    .where('notice_id', 'in', [...noticeIds])
    .where('response_id', 'is not', null)
    .execute();
}

/** Of `ids`, those that are files of the notice uploaded by the organisation. */
export async function listOwnNoticeEvidenceIds(db: DbOrTrx, noticeId: string, orgId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('notice_evidence_files')
    .select('id')
    .where('notice_id', '=', noticeId)
    .where('org_id', '=', orgId)
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => r.id);
}

export async function countOrgNoticeEvidence(db: DbOrTrx, noticeId: string, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('notice_evidence_files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('notice_id', '=', noticeId)
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records the first answer naming each file; a file named again keeps its first answer. */
export async function linkNoticeEvidenceToResponse(db: DbOrTrx, ids: readonly string[], responseId: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('notice_evidence_files')
    .set({ response_id: responseId })
    .where('id', 'in', [...ids])
    .where('response_id', 'is', null)
    .execute();
}

/** The organisations a notice is addressed to (its ledger rows' organisations). */
export async function listNoticeRecipientOrgIds(db: DbOrTrx, noticeId: string): Promise<string[]> {
  const rows = await db.selectFrom('supervision_notice_rows').select('org_id').distinct().where('notice_id', '=', noticeId).execute();
  return rows.map((r) => r.org_id);
}
