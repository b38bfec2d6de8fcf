/**
 * The one evidence-file mechanism (issue 10 item 5): the limits, the checks on uploaded bytes
 * (type sniffed from the bytes, zip packages inspected without inflating), and where the bytes are
 * kept on disk. Report evidence (reporting-files, table `evidence_files`) and 督办 answer evidence
 * (supervision, table `notice_evidence_files`) both store through it; each module keeps its own
 * table and its own rules on who may add and see a file.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cleanFilename } from '../../shared/file-name.ts';
import { LIMITS } from '../../shared/limits.ts';
import { AppError } from './app-error.ts';
import { evidenceFilename, sniffEvidenceType } from './evidence-type.rule.ts';

export { EXTENSIONS_BY_TYPE, evidenceFilename, sniffEvidenceType } from './evidence-type.rule.ts';

/** Evidence files per upload and per report. */
export const EVIDENCE_LIMITS = { fileBytes: LIMITS.evidenceBytes, filesPerReport: 50 } as const;

/** What an evidence row keeps about accepted bytes. */
export interface AcceptedEvidence {
  filename: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * Checks uploaded bytes as evidence (reports and 督办 answers alike): 400 when empty, 413 past
 * the limit, 415 unless the bytes are a type we accept. Returns what the row keeps about them.
 */
export function acceptEvidenceBytes(upload: { bytes: Buffer; filename: string }): AcceptedEvidence {
  if (upload.bytes.length === 0) throw new AppError('file_empty', 'the file is empty', { errors: [{ path: 'file', message: 'empty' }] });
  if (upload.bytes.length > EVIDENCE_LIMITS.fileBytes)
    throw new AppError('evidence_too_large', `evidence files are at most ${EVIDENCE_LIMITS.fileBytes / 1024 / 1024} MB`);
  const contentType = sniffEvidenceType(upload.bytes, cleanFilename(upload.filename, 'evidence'));
  if (!contentType) {
    throw new AppError(
      'evidence_type_not_allowed',
      'evidence must be a photo (jpg, png, webp), a PDF or an office file (docx, xlsx, doc, xls)',
    );
  }
  // The bytes decide the name's extension: x.html holding a PDF is stored and served as x.pdf.
  const filename = evidenceFilename(upload.filename, contentType);
  return { filename, contentType, sizeBytes: upload.bytes.length, sha256: createHash('sha256').update(upload.bytes).digest('hex') };
}

/**
 * Writes evidence bytes to `<uploadDir>/<yyyy>/<id>` (never over an existing file) before any row
 * names them; the caller runs `remove` when its transaction fails, so a row never points at nothing.
 */
export async function storeEvidenceBytes(
  uploadDir: string,
  id: string,
  bytes: Buffer,
  at: Date,
): Promise<{ storagePath: string; remove: () => Promise<void> }> {
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

/** Deletes stored bytes (after the row's deletion has committed); a file already gone is fine. */
export async function removeEvidenceBytes(uploadDir: string, storagePath: string): Promise<void> {
  await rm(path.join(path.resolve(uploadDir), storagePath), { force: true });
}

/**
 * Accepts the upload, then stores its bytes under a fresh id before `insert` writes the row (in the
 * caller's transaction); the bytes are removed again if `insert` fails, so a row never points at
 * nothing. The one store recipe both evidence tables use.
 */
export async function storeEvidence<T>(
  uploadDir: string,
  id: string,
  upload: { bytes: Buffer; filename: string },
  at: Date,
  insert: (stored: AcceptedEvidence & { storagePath: string }) => Promise<T>,
): Promise<T> {
  const accepted = acceptEvidenceBytes(upload);
  const stored = await storeEvidenceBytes(uploadDir, id, upload.bytes, at);
  try {
    return await insert({ ...accepted, storagePath: stored.storagePath });
  } catch (err) {
    await stored.remove();
    throw err;
  }
}
