import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { NoticeEvidenceFile } from '../../../shared/schemas/supervision.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { NoticeEvidenceFilesTable } from '../../db/database.types.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import type { Actor } from '../../core/actor.ts';
import { stripBidiControls } from '../../../shared/file-name.ts';
import { readEvidenceBytes, storeEvidence } from '../../core/evidence-store.ts';
import {
  countOrgNoticeEvidence,
  findNoticeEvidenceRow,
  insertNoticeEvidenceRow,
  linkNoticeEvidenceToResponse,
  listNoticeEvidenceRows,
  listNoticeRecipientOrgIds,
  listOwnNoticeEvidenceIds,
} from './notice-evidence.repository.ts';
import { assertCanAddNoticeEvidence, assertCanReadNotice, canReadNotice, isOversight } from './supervision.policy.ts';
import { assertNoticeTasksInScope } from './supervision.policy.ts';
import { findNoticeRow, listNoticeTaskIds } from './supervision.repository.ts';

/**
 * Files per receiving organisation on one notice. There is no delete: once uploaded a file may be
 * named by an answer the office relies on, so the cap keeps a unit from filling the disk instead.
 */
export const NOTICE_EVIDENCE_LIMITS = { filesPerOrg: 100 } as const;

export function toNoticeEvidence(row: Selectable<NoticeEvidenceFilesTable>): NoticeEvidenceFile {
  return {
    id: row.id,
    noticeId: row.notice_id,
    orgId: row.org_id,
    filename: stripBidiControls(row.filename),
    contentType: row.content_type,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/**
 * Who sees a file, once the notice is theirs to read: the office and leadership every file; a
 * receiving organisation its own uploads and every file an answer named. An upload no answer has
 * named yet is a draft of its organisation; once named it is part of the answer, and answers are
 * read by every receiving organisation of the notice.
 */
function canSeeFile(actor: Actor, row: Selectable<NoticeEvidenceFilesTable>): boolean {
  return isOversight(actor) || row.org_id === actor.orgId || row.response_id !== null;
}

// The notice, 404 also when its plan is another jurisdiction's; 403 on `administer` (adding a
// file) when the caller's tenant only reads it.
async function loadNoticeForEvidence(db: DbOrTrx, noticeId: string, actor: Actor, mode: 'read' | 'administer') {
  const notice = await findNoticeRow(db, noticeId);
  if (!notice) throw new AppError('not_found', 'supervision notice not found');
  await assertNoticeTasksInScope(db, actor, await listNoticeTaskIds(db, noticeId), mode);
  return { notice, recipients: await listNoticeRecipientOrgIds(db, noticeId) };
}

/** 404/403/422 unless the caller may add evidence to the notice now: checked before the upload is read. */
export async function assertCanAttachNoticeEvidence(db: DbOrTrx, noticeId: string, actor: Actor): Promise<void> {
  const { notice, recipients } = await loadNoticeForEvidence(db, noticeId, actor, 'administer');
  assertCanAddNoticeEvidence(actor, recipients, notice.status);
}

/**
 * Stores a file a receiving unit will name in its answer. Same checks and storage as report
 * evidence (core/evidence-store.ts: type sniffed from the bytes, 20 MB, file written before the row and removed again if
 * the transaction fails); the rules are re-read inside the transaction, as the office may have
 * closed the notice while the file was uploading.
 */
export async function addNoticeEvidence(
  db: Db,
  uploadDir: string,
  noticeId: string,
  upload: { bytes: Buffer; filename: string },
  actor: Actor,
): Promise<NoticeEvidenceFile> {
  await assertCanAttachNoticeEvidence(db, noticeId, actor);
  const id = randomUUID();
  const now = new Date();
  return storeEvidence(uploadDir, id, upload, now, (stored) =>
    writeTx(db, async (trx) => {
      await assertCanAttachNoticeEvidence(trx, noticeId, actor);
      if ((await countOrgNoticeEvidence(trx, noticeId, actor.orgId)) >= NOTICE_EVIDENCE_LIMITS.filesPerOrg) {
        throw new AppError(
          'notice_evidence_limit_reached',
          `an organisation adds at most ${NOTICE_EVIDENCE_LIMITS.filesPerOrg} files to one notice`,
          {
            max: NOTICE_EVIDENCE_LIMITS.filesPerOrg,
          },
        );
      }
      const row = {
        id,
        notice_id: noticeId,
        org_id: actor.orgId,
        response_id: null,
        filename: stored.filename,
        content_type: stored.contentType,
        size_bytes: stored.sizeBytes,
        sha256: stored.sha256,
        storage_key: stored.storagePath,
        created_by: actor.userId,
        created_at: now.toISOString(),
      };
      await insertNoticeEvidenceRow(trx, row);
      const after = toNoticeEvidence(row);
      await appendAudit(trx, {
        actorId: actor.userId,
        action: 'notice_evidence_file.create',
        entityType: 'notice_evidence_file',
        entityId: id,
        after,
      });
      return after;
    }),
  );
}

/** The notice's files the caller may see (see canSeeFile); 404 without the notice, 403 when it is not addressed to the caller. */
export async function listNoticeEvidence(db: DbOrTrx, noticeId: string, actor: Actor): Promise<{ items: NoticeEvidenceFile[] }> {
  const { recipients } = await loadNoticeForEvidence(db, noticeId, actor, 'read');
  assertCanReadNotice(actor, recipients);
  return { items: (await listNoticeEvidenceRows(db, noticeId)).filter((row) => canSeeFile(actor, row)).map(toNoticeEvidence) };
}

/**
 * One file's bytes and description, for download. A file the caller may not see is reported as
 * not found (not 403), so file ids of other counties cannot be probed.
 */
export async function readNoticeEvidence(
  db: DbOrTrx,
  uploadDir: string,
  fileId: string,
  actor: Actor,
): Promise<{ file: NoticeEvidenceFile; bytes: Buffer }> {
  const row = await findNoticeEvidenceRow(db, fileId);
  if (!row || !canReadNotice(actor, await listNoticeRecipientOrgIds(db, row.notice_id)) || !canSeeFile(actor, row)) {
    throw new AppError('not_found', 'evidence file not found');
  }
  await assertNoticeTasksInScope(db, actor, await listNoticeTaskIds(db, row.notice_id), 'read', 'evidence file not found');
  return { file: toNoticeEvidence(row), bytes: await readEvidenceBytes(uploadDir, row.storage_key) };
}

/**
 * Checks the files an answer names (each must be a file of this notice uploaded by the answering
 * organisation: 422 otherwise, naming the ids) and returns them without repeats, in order.
 */
export async function checkAnswerEvidence(
  trx: DbOrTrx,
  noticeId: string,
  orgId: string,
  evidenceIds: readonly string[],
): Promise<string[]> {
  const ids = [...new Set(evidenceIds)];
  const own = new Set(await listOwnNoticeEvidenceIds(trx, noticeId, orgId, ids));
  const unknown = ids.filter((id) => !own.has(id));
  if (unknown.length > 0) {
    throw new AppError('unprocessable', 'an answer names only files your organisation uploaded to this notice', {
      errors: [{ path: 'evidenceIds', message: `not a file of your organisation on this notice: ${unknown.join(', ')}` }],
    });
  }
  return ids;
}

/** Marks the files as part of the answer, so every reader of the notice sees them from now on. */
export function linkAnswerEvidence(trx: DbOrTrx, evidenceIds: readonly string[], responseId: string): Promise<void> {
  return linkNoticeEvidenceToResponse(trx, evidenceIds, responseId);
}
