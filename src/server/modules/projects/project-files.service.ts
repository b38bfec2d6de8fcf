/**
 * Files on projects (附件, issue 14 items 1 and 9) and photos of monthly 调度 reports (现场照片,
 * item 4). The bytes go through the shared evidence store (core/evidence-store.ts: type sniffed
 * from the bytes, size limit, safe name); who may add, read and delete is projects.policy.ts:
 * whoever reads the project reads its files, its unit (while it edits or reports) or the office
 * adds them, the uploader (while still editable) or the office deletes them. Every write is audited.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { stripBidiControls } from '../../../shared/file-name.ts';
import type { ProjectFile, ProjectFileKind } from '../../../shared/schemas/project.schema.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { EVIDENCE_LIMITS, readEvidenceBytes, removeEvidenceBytes, storeEvidence } from '../../core/evidence-store.ts';
import { writeTx } from '../../core/transaction.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { ProjectFilesTable, ProjectsTable } from '../../db/database.types.ts';
import {
  countProjectFileRows,
  deleteProjectFileRow,
  findProjectFileRow,
  insertProjectFileRow,
  listProjectFileRows,
} from './project-files.repository.ts';
import { assertCanAddProjectFile, assertCanDeleteProjectFile, canDeleteProjectFile } from './projects.policy.ts';
import { findReportRow, listReportRows } from './projects.repository.ts';
import { readableRow, writableRow } from './projects.service.ts';

type FileRow = Selectable<ProjectFilesTable>;
type ProjectRow = Selectable<ProjectsTable>;

/** Files per project (documents and photos together). */
export const PROJECT_FILE_LIMITS = { fileBytes: EVIDENCE_LIMITS.fileBytes, filesPerProject: 200 } as const;

function toFile(row: FileRow, canDelete: boolean): ProjectFile {
  return {
    id: row.id,
    projectId: row.project_id,
    reportId: row.project_report_id,
    kind: row.kind as ProjectFileKind,
    filename: stripBidiControls(row.filename),
    contentType: row.content_type,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    createdBy: row.created_by,
    createdAt: row.created_at,
    canDelete,
  };
}

/** What the audit log keeps of a file (its description, not who may delete it). */
function audited(row: FileRow) {
  const { canDelete: _, ...rest } = toFile(row, false);
  return rest;
}

/** The report a photo goes on: one of the project's own (else a validation error on `reportId`). */
async function reportOf(db: DbOrTrx, project: ProjectRow, reportId: string | null) {
  if (!reportId) return null;
  const report = await findReportRow(db, reportId).catch(() => undefined);
  if (!report || report.project_id !== project.id)
    throw new AppError('validation', '该项目没有这一期调度报告', { errors: [{ path: 'reportId', message: '该项目没有这一期调度报告' }] });
  return report;
}

/**
 * 404/403 unless the caller may add files to the project at all (its unit or the office, of the
 * caller's own tenant): checked before the upload is read. The status rules (and the report a
 * photo names, sent in the body) are checked once the body is in.
 */
export async function assertCanAttachProjectFile(db: DbOrTrx, projectId: string, actor: Actor): Promise<void> {
  const project = await writableRow(db, actor, projectId);
  if (actor.role !== 'admin' && !(actor.role === 'unit' && project.org_id === actor.orgId)) assertCanAddProjectFile(actor, project, null);
}

/**
 * Stores a file on a project, or with `reportId` a photo of one of its monthly reports. The type is
 * sniffed from the bytes (415 otherwise); the bytes are written before the row and removed again
 * if the transaction fails.
 */
export async function addProjectFile(
  db: Db,
  uploadDir: string,
  projectId: string,
  upload: { bytes: Buffer; filename: string },
  reportId: string | null,
  actor: Actor,
): Promise<ProjectFile> {
  const project = await writableRow(db, actor, projectId);
  assertCanAddProjectFile(actor, project, await reportOf(db, project, reportId));
  const id = randomUUID();
  const now = new Date();
  return storeEvidence(uploadDir, id, upload, now, (stored) =>
    writeTx(db, async (trx) => {
      // Re-read inside the transaction: the project or the report may have moved on meanwhile.
      const row = await writableRow(trx, actor, projectId);
      const report = await reportOf(trx, row, reportId);
      assertCanAddProjectFile(actor, row, report);
      const kind: ProjectFileKind = report ? 'photo' : 'document';
      if (kind === 'photo' && !stored.contentType.startsWith('image/'))
        throw new AppError('evidence_type_not_allowed', '调度报告的现场照片须为图片（jpg、png、webp）');
      const { n } = await countProjectFileRows(trx, projectId);
      if (Number(n) >= PROJECT_FILE_LIMITS.filesPerProject)
        throw new AppError('evidence_limit_reached', `一个项目最多 ${PROJECT_FILE_LIMITS.filesPerProject} 个附件`, {
          max: PROJECT_FILE_LIMITS.filesPerProject,
        });
      const fileRow = {
        id,
        project_id: projectId,
        project_report_id: report?.id ?? null,
        kind,
        filename: stored.filename,
        content_type: stored.contentType,
        size_bytes: stored.sizeBytes,
        sha256: stored.sha256,
        storage_path: stored.storagePath,
        created_by: actor.userId,
        created_at: now.toISOString(),
      };
      await insertProjectFileRow(trx, fileRow);
      const after = toFile(fileRow, true);
      await appendAudit(trx, {
        actorId: actor.userId,
        action: 'project_file.create',
        entityType: 'project_file',
        entityId: id,
        after: audited(fileRow),
      });
      return after;
    }),
  );
}

/** The files of a project the caller may read (404 otherwise), photos with their report's id. */
export async function listProjectFiles(db: DbOrTrx, projectId: string, actor: Actor): Promise<{ items: ProjectFile[] }> {
  const project = await readableRow(db, actor, projectId);
  const rows = await listProjectFileRows(db, projectId);
  // Deleting needs the project's tenant to be the caller's own (the province only reads).
  const writable = await writableRow(db, actor, projectId).then(
    () => true,
    () => false,
  );
  const reports = new Map(
    rows.some((r) => r.project_report_id) ? (await listReportRows(db, { projectId })).map((r) => [r.id, r] as const) : [],
  );
  return {
    items: rows.map((r) =>
      toFile(
        r,
        writable && canDeleteProjectFile(actor, project, r.project_report_id ? (reports.get(r.project_report_id) ?? null) : null, r),
      ),
    ),
  };
}

async function loadReadableFile(db: DbOrTrx, fileId: string, actor: Actor, mode: 'read' | 'write' = 'read') {
  const row = await findProjectFileRow(db, fileId);
  if (!row) throw new AppError('not_found', '未找到该附件');
  try {
    return { row, project: await readableRow(db, actor, row.project_id, mode) };
  } catch (err) {
    // The project's visibility decides: a file of a project you cannot see does not exist for you.
    if (err instanceof AppError && err.code === 'not_found') throw new AppError('not_found', '未找到该附件');
    throw err;
  }
}

/** One file's bytes and description, for download; 404 when its project is not yours to see. */
export async function readProjectFile(
  db: DbOrTrx,
  uploadDir: string,
  fileId: string,
  actor: Actor,
): Promise<{ file: ProjectFile; bytes: Buffer }> {
  const { row } = await loadReadableFile(db, fileId, actor);
  return { file: toFile(row, false), bytes: await readEvidenceBytes(uploadDir, row.storage_path) };
}

/** Deletes a file (the uploader while still editable, or the office); the bytes go after the commit. */
export async function deleteProjectFile(db: Db, uploadDir: string, fileId: string, actor: Actor): Promise<void> {
  const removed = await writeTx(db, async (trx) => {
    const { row, project } = await loadReadableFile(trx, fileId, actor, 'write');
    const report = row.project_report_id ? ((await findReportRow(trx, row.project_report_id)) ?? null) : null;
    assertCanDeleteProjectFile(actor, project, report, row);
    await deleteProjectFileRow(trx, fileId);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'project_file.delete',
      entityType: 'project_file',
      entityId: fileId,
      before: audited(row),
    });
    return row;
  });
  await removeEvidenceBytes(uploadDir, removed.storage_path);
}
