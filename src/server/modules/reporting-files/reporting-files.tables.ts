/** The reporting-files module's table (evidence on progress reports); merged into db/database.types.ts `Database`. */
export interface ReportingFilesTables {
  evidence_files: EvidenceFilesTable;
}

export interface EvidenceFilesTable {
  id: string;
  report_id: string;
  org_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  /** Relative to UPLOAD_DIR: `<yyyy>/<uuid>`. */
  storage_path: string;
  created_by: string | null;
  created_at: string;
}
