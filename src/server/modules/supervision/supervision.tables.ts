import type { EscalationStep, NoticeStatus } from '../../../shared/enums.ts';

/** The supervision module's tables (督办 notices, their rows, answers, escalations, actions, evidence); merged into db/database.types.ts `Database`. */
export interface SupervisionTables {
  supervision_notices: SupervisionNoticesTable;
  supervision_notice_rows: SupervisionNoticeRowsTable;
  supervision_responses: SupervisionResponsesTable;
  supervision_escalations: SupervisionEscalationsTable;
  supervision_actions: SupervisionActionsTable;
  notice_evidence_files: NoticeEvidenceFilesTable;
}

export interface SupervisionNoticesTable {
  id: string;
  reason: string;
  required_action: string;
  due_date: string;
  /** open | answered | closed */
  status: NoticeStatus;
  /** The last confirmed escalation step, null before the first. */
  escalation_step: EscalationStep | null;
  issued_by: string | null;
  closed_at: string | null;
  closed_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SupervisionNoticeRowsTable {
  id: string;
  notice_id: string;
  task_id: string;
  org_id: string;
}

export interface SupervisionResponsesTable {
  id: string;
  notice_id: string;
  org_id: string;
  text: string;
  /** JSON array of evidence file ids. */
  evidence_ids: string;
  answered_by: string | null;
  created_at: string;
}

export interface SupervisionEscalationsTable {
  id: string;
  notice_id: string;
  step: EscalationStep;
  note: string;
  actor_id: string | null;
  created_at: string;
}

export interface SupervisionActionsTable {
  id: string;
  notice_id: string;
  /** close | reopen */
  action: 'close' | 'reopen';
  note: string;
  actor_id: string | null;
  created_at: string;
}

export interface NoticeEvidenceFilesTable {
  id: string;
  notice_id: string;
  /** The receiving organisation that uploaded the file. */
  org_id: string;
  /** The first answer that named the file; null while no answer has. */
  response_id: string | null;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  /** Relative to UPLOAD_DIR: `<yyyy>/<uuid>`, like report evidence. */
  storage_key: string;
  created_by: string | null;
  created_at: string;
}
