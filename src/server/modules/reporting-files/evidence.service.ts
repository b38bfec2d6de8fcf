import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Selectable } from 'kysely';
import type { ProgressReport } from '../../../shared/schemas/reporting.schema.ts';
import type { EvidenceFile } from '../../../shared/schemas/reporting-files.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { EvidenceFilesTable } from '../../db/database.types.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { getReport } from '../reporting/progress-reports.service.ts';
import { cleanFilename, stripBidiControls } from '../../../shared/file-name.ts';
import { evidenceFilename, sniffEvidenceType } from './evidence-type.rule.ts';
import { countEvidenceRows, deleteEvidenceRow, findEvidenceRow, insertEvidenceRow, listEvidenceRows } from './evidence.repository.ts';
import { LIMITS } from '../../../shared/limits.ts';

/** Evidence files per upload and per report. */
export const EVIDENCE_LIMITS = { fileBytes: LIMITS.evidenceBytes, filesPerReport: 50 } as const;

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

// Evidence changes with the report text: only its own organisation, and only while it can still
// edit the report (draft, or returned for correction). Reviewers read it through getReport's rule.
function assertCanChangeEvidence(actor: Actor, report: ProgressReport): void {
  if (report.orgId !== actor.orgId || (actor.role !== 'unit' && actor.role !== 'lead')) {
    throw new AppError('forbidden', 'only the reporting organisation changes its evidence');
  }
  if (report.status !== 'draft' && report.status !== 'returned') {
    throw new AppError('evidence_locked', `the report is ${report.status}; evidence can no longer change`);
  }
}

/** 404/403/409 unless the caller may attach evidence to the report now: checked before the upload is read. */
export async function assertCanAttachEvidence(db: DbOrTrx, reportId: string, actor: Actor): Promise<void> {
  assertCanChangeEvidence(actor, await getReport(db, reportId, actor));
}

/**
 * Checks uploaded bytes as evidence (reports and 督办 answers alike): 400 when empty, 413 past
 * the limit, 415 unless the bytes are a type we accept. Returns what the row keeps about them.
 */
export function acceptEvidenceBytes(upload: { bytes: Buffer; filename: string }): { filename: string; contentType: string; sizeBytes: number; sha256: string } {
  if (upload.bytes.length === 0) throw new AppError('file_empty', 'the file is empty', { errors: [{ path: 'file', message: 'empty' }] });
  if (upload.bytes.length > EVIDENCE_LIMITS.fileBytes) throw new AppError('evidence_too_large', `evidence files are at most ${EVIDENCE_LIMITS.fileBytes / 1024 / 1024} MB`);
  const contentType = sniffEvidenceType(upload.bytes, cleanFilename(upload.filename, 'evidence'));
  if (!contentType) {
    throw new AppError('evidence_type_not_allowed', 'evidence must be a photo (jpg, png, webp), a PDF or an office file (docx, xlsx, doc, xls)');
  }
  // The bytes decide the name's extension: x.html holding a PDF is stored and served as x.pdf.
  const filename = evidenceFilename(upload.filename, contentType);
  return { filename, contentType, sizeBytes: upload.bytes.length, sha256: createHash('sha256').update(upload.bytes).digest('hex') };
}

/**
 * Writes evidence bytes to `<uploadDir>/<yyyy>/<id>` (never over an existing file) before any row
 * names them; the caller runs `remove` when its transaction fails, so a row never points at nothing.
 */
export async function storeEvidenceBytes(uploadDir: string, id: string, bytes: Buffer, at: Date): Promise<{ storagePath: string; remove: () => Promise<void> }> {
  const storagePath = `${at.getUTCFullYear()}/${id}`;
  const absolute = path.join(path.resolve(uploadDir), storagePath);
  await mkdir(path.dirname(absolute), { recursive: true });
  await writeFile(absolute, bytes, { flag: 'wx' });
  return { storagePath, remove: () => rm(absolute, { force: true }) };
}

/** The stored bytes of an evidence file; 404 when they are gone from disk. */
export async function readEvidenceBytes(uploadDir: string, storagePath: string): Promise<Buffer> {
  try {
    return await readFile(path.join(path.resolve(uploadDir), storagePath));
  } catch {
    throw new AppError('not_found', 'the stored file is missing; ask the office to restore it from backup');
  }
}

/**
 * Stores an evidence file on a report: the type is sniffed from the bytes (415 otherwise), the
 * file is written under `<uploadDir>/<yyyy>/<uuid>` before the row, and removed again if the
 * transaction fails, so a row never points at nothing.
 */
export async function addEvidence(db: Db, uploadDir: string, reportId: string, upload: { bytes: Buffer; filename: string }, actor: Actor): Promise<EvidenceFile> {
  const report = await getReport(db, reportId, actor);
  assertCanChangeEvidence(actor, report);
  const accepted = acceptEvidenceBytes(upload);
  const id = randomUUID();
  const now = new Date();
  const stored = await storeEvidenceBytes(uploadDir, id, upload.bytes, now);
  try {
    return await writeTx(db, async (trx) => {
      // Re-read inside the transaction: the report may have been submitted meanwhile.
      assertCanChangeEvidence(actor, await getReport(trx, reportId, actor));
      const { n } = await countEvidenceRows(trx, reportId);
      if (Number(n) >= EVIDENCE_LIMITS.filesPerReport) throw new AppError('evidence_limit_reached', `a report has at most ${EVIDENCE_LIMITS.filesPerReport} evidence files`, {
          max: EVIDENCE_LIMITS.filesPerReport,
        });
      const row = {
        id,
        report_id: reportId,
        org_id: report.orgId,
        filename: accepted.filename,
        content_type: accepted.contentType,
        size_bytes: accepted.sizeBytes,
        sha256: accepted.sha256,
        storage_path: stored.storagePath,
        created_by: actor.userId,
        created_at: now.toISOString(),
      };
      await insertEvidenceRow(trx, row);
      const after = toEvidence(row);
      await appendAudit(trx, { actorId: actor.userId, action: 'evidence_file.create', entityType: 'evidence_file', entityId: id, taskId: report.taskId, after });
      return after;
    });
  } catch (err) {
    await stored.remove();
    throw err;
  }
}

/** The evidence files of a report the caller may see (404 otherwise). */
export async function listEvidence(db: DbOrTrx, reportId: string, actor: Actor): Promise<{ items: EvidenceFile[] }> {
  await getReport(db, reportId, actor);
  return { items: (await listEvidenceRows(db, reportId)).map(toEvidence) };
}

async function loadReadableEvidence(db: DbOrTrx, evidenceId: string, actor: Actor) {
  const row = await findEvidenceRow(db, evidenceId);
  if (!row) throw new AppError('not_found', 'evidence file not found');
  try {
    return { row, report: await getReport(db, row.report_id, actor) };
  } catch (err) {
    // The report's visibility decides: a file on a report you cannot see does not exist for you.
    if (err instanceof AppError && err.code === 'not_found') throw new AppError('not_found', 'evidence file not found');
    throw err;
  }
}

/** One evidence file's bytes and description, for download; 404 when its report is not yours to see. */
export async function readEvidence(db: DbOrTrx, uploadDir: string, evidenceId: string, actor: Actor): Promise<{ file: EvidenceFile; bytes: Buffer }> {
  const { row } = await loadReadableEvidence(db, evidenceId, actor);
  return { file: toEvidence(row), bytes: await readEvidenceBytes(uploadDir, row.storage_path) };
}

/** Deletes an evidence file while its report is a draft or returned; the bytes go after the commit. */
export async function deleteEvidence(db: Db, uploadDir: string, evidenceId: string, actor: Actor): Promise<void> {
  const removed = await writeTx(db, async (trx) => {
    const { row, report } = await loadReadableEvidence(trx, evidenceId, actor);
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
  await rm(path.join(path.resolve(uploadDir), removed.storage_path), { force: true });
}
