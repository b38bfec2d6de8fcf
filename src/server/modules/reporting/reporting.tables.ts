import type { DeliveryStatus } from '../../../shared/enums.ts';
import type { PeriodStatus, ReportingFrequency, ReportStatus } from '../../../shared/schemas/reporting.schema.ts';

/** The reporting module's tables (schedules, periods, reports, snapshots); merged into db/database.types.ts `Database`. */
export interface ReportingTables {
  reporting_schedules: ReportingSchedulesTable;
  reporting_periods: ReportingPeriodsTable;
  progress_reports: ProgressReportsTable;
  period_snapshots: PeriodSnapshotsTable;
  jurisdiction_label_orgs: JurisdictionLabelOrgsTable;
  snapshot_amendments: SnapshotAmendmentsTable;
}

export interface ReportingSchedulesTable {
  plan_id: string;
  frequency: ReportingFrequency;
  due_day: number;
  grace_days: number;
  close_after_days: number;
  start_date: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ReportingPeriodsTable {
  id: string;
  plan_id: string;
  label: string;
  frequency: ReportingFrequency;
  start_date: string;
  end_date: string;
  due_date: string;
  grace_days: number;
  close_date: string | null;
  status: PeriodStatus;
  opened_at: string | null;
  closed_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ProgressReportsTable {
  id: string;
  period_id: string;
  task_id: string;
  target_id: string | null;
  /** target_id, or '' for a task-level report (keeps the unique key free of NULLs). */
  target_key: string;
  org_id: string;
  value: number | null;
  completion_percent: number | null;
  reported_status: DeliveryStatus | null;
  narrative: string;
  problems: string;
  next_steps: string;
  status: ReportStatus;
  is_late: number;
  submitted_at: string | null;
  submitted_by: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
  review_comment: string | null;
  created_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PeriodSnapshotsTable {
  id: string;
  period_id: string;
  task_id: string;
  target_id: string | null;
  target_key: string;
  org_id: string | null;
  /** org_id, or '' for a row no organisation reports (keeps the unique key free of NULLs). */
  org_key: string;
  report_id: string | null;
  report_status: ReportStatus | null;
  is_late: number;
  reported_value: number | null;
  reported_status: DeliveryStatus | null;
  completion_percent: number | null;
  computed_status: DeliveryStatus;
  reason: string;
  progress: number | null;
  created_at: string;
}

export interface SnapshotAmendmentsTable {
  id: string;
  snapshot_id: string;
  actor_id: string | null;
  reason: string;
  before_json: string;
  after_json: string;
  created_at: string;
}

/** The office's resolution of a target's jurisdiction label to organisations. */
export interface JurisdictionLabelOrgsTable {
  plan_id: string;
  label: string;
  org_id: string;
  created_at: string;
}
