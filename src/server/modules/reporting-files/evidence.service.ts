import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { EvidenceFile } from '../../../shared/schemas/reporting-files.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { EvidenceFilesTable } from '../../db/database.types.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { EVIDENCE_LIMITS, readEvidenceBytes, removeEvidenceBytes, storeEvidence } from '../../core/evidence-store.ts';
import { getReport } from '../reporting/progress-reports.service.ts';
import { stripBidiControls } from '../../../shared/file-name.ts';
import { countEvidenceRows, deleteEvidenceRow, findEvidenceRow, insertEvidenceRow, listEvidenceRows } from './evidence.repository.ts';
import { assertCanChangeEvidence, EVIDENCE_CHANGE } from './reporting-files.policy.ts';

function toEvidence(row: Selectable<EvidenceFilesTable>): EvidenceFile {
  return {
    id: row.id,
    reportId: row.report_id,
    orgId: row.org_id,
    filename: stripBidiControls(row.filename),
    contentType: row.content_type,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** 404/403/409 unless the caller may attach evidence to the report now: checked before the upload is read. */
export async function assertCanAttachEvidence(db: DbOrTrx, reportId: string, actor: Actor): Promise<void> {
  assertCanChangeEvidence(actor, await getReport(db, reportId, actor, EVIDENCE_CHANGE));
}

/**
 * Stores an evidence file on a report: the type is sniffed from the bytes (415 otherwise), the
 * file is written under `<uploadDir>/<yyyy>/<uuid>` before the row, and removed again if the
 * transaction fails, so a row never points at nothing.
 */
export async function addEvidence(
  db: Db,
  uploadDir: string,
  reportId: string,
  upload: { bytes: Buffer; filename: string },
  actor: Actor,
): Promise<EvidenceFile> {
  const report = await getReport(db, reportId, actor, EVIDENCE_CHANGE);
  assertCanChangeEvidence(actor, report);
  const id = randomUUID();
  const now = new Date();
  return storeEvidence(uploadDir, id, upload, now, (stored) =>
    writeTx(db, async (trx) => {
      // Re-read inside the transaction: the report may have been submitted meanwhile.
      assertCanChangeEvidence(actor, await getReport(trx, reportId, actor, EVIDENCE_CHANGE));
      const { n } = await countEvidenceRows(trx, reportId);
      if (Number(n) >= EVIDENCE_LIMITS.filesPerReport)
        throw new AppError('evidence_limit_reached', `a report has at most ${EVIDENCE_LIMITS.filesPerReport} evidence files`, {
          max: EVIDENCE_LIMITS.filesPerReport,
        });
      const row = {
        id,
        report_id: reportId,
        org_id: report.orgId,
        filename: stored.filename,
        content_type: stored.contentType,
        size_bytes: stored.sizeBytes,
        sha256: stored.sha256,
        storage_path: stored.storagePath,
        created_by: actor.userId,
        created_at: now.toISOString(),
      };
      await insertEvidenceRow(trx, row);
      const after = toEvidence(row);
      await appendAudit(trx, {
        actorId: actor.userId,
        action: 'evidence_file.create',
        entityType: 'evidence_file',
        entityId: id,
        taskId: report.taskId,
        after,
      });
      return after;
    }),
  );
}

/** The evidence files of a report the caller may see (404 otherwise). */
export async function listEvidence(db: DbOrTrx, reportId: string, actor: Actor): Promise<{ items: EvidenceFile[] }> {
  await getReport(db, reportId, actor);
  return { items: (await listEvidenceRows(db, reportId)).map(toEvidence) };
}

async function loadReadableEvidence(db: DbOrTrx, evidenceId: string, actor: Actor, mode: 'read' | 'administer' = 'read') {
  const row = await findEvidenceRow(db, evidenceId);
  if (!row) throw new AppError('not_found', 'evidence file not found');
  try {
    return { row, report: await getReport(db, row.report_id, actor, mode) };
  } catch (err) {
    // The report's visibility decides: a file on a report you cannot see does not exist for you.
    if (err instanceof AppError && err.code === 'not_found') throw new AppError('not_found', 'evidence file not found');
    throw err;
  }
}

/** One evidence file's bytes and description, for download; 404 when its report is not yours to see. */
export async function readEvidence(
  db: DbOrTrx,
  uploadDir: string,
  evidenceId: string,
  actor: Actor,
): Promise<{ file: EvidenceFile; bytes: Buffer }> {
  const { row } = await loadReadableEvidence(db, evidenceId, actor);
  return { file: toEvidence(row), bytes: await readEvidenceBytes(uploadDir, row.storage_path) };
}

/** Deletes an evidence file while its report is a draft or returned; the bytes go after the commit. */
export async function deleteEvidence(db: Db, uploadDir: string, evidenceId: string, actor: Actor): Promise<void> {
  const removed = await writeTx(db, async (trx) => {
    const { row, report } = await loadReadableEvidence(trx, evidenceId, actor, EVIDENCE_CHANGE);
    assertCanChangeEvidence(actor, report);
    await deleteEvidenceRow(trx, evidenceId);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'evidence_file.delete',
      entityType: 'evidence_file',
      entityId: evidenceId,
      taskId: report.taskId,
      before: toEvidence(row),
    });
    return row;
  });
  await removeEvidenceBytes(uploadDir, removed.storage_path);
}
