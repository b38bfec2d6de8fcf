import { z } from 'zod';
import { Id, IsoDateTime } from './common.schema.ts';

/** A file attached to a progress report as evidence (photo, PDF, office document). */
export const EvidenceFile = z.object({
  id: Id,
  reportId: Id,
  orgId: Id,
  /** The name it was uploaded with; the download carries it back (RFC 5987). */
  filename: z.string(),
  /** Sniffed from the bytes, not taken from the client. */
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdBy: Id.nullable(),
  createdAt: IsoDateTime,
});
export type EvidenceFile = z.infer<typeof EvidenceFile>;
export const EvidenceFileList = z.object({ items: z.array(EvidenceFile) });

export const ReportUploadQuery = z.object({
  /** 1 (default): validate and preview only; 0: save every row as a draft, only if no row has an error. */
  dryRun: z.enum(['0', '1']).default('1'),
});

/** One filled row of an uploaded report template: its sheet row number, row key and problems. */
export const ReportUploadRow = z.object({
  row: z.number().int(),
  /** `<taskId>/<targetId or empty>`, the template's hidden key column. */
  key: z.string(),
  ok: z.boolean(),
  errors: z.array(z.object({ column: z.string(), message: z.string() })),
});

export const ReportUploadResult = z.object({
  dryRun: z.boolean(),
  /** Rows with at least one input filled; empty rows are ignored. */
  rows: z.array(ReportUploadRow),
  valid: z.number().int(),
  invalid: z.number().int(),
  /** Reports saved as drafts (0 on a dry run or when any row has an error). */
  saved: z.number().int(),
});
export type ReportUploadResult = z.infer<typeof ReportUploadResult>;
