import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Row types of the schema in migrations/. Columns snake_case; services map them to camelCase DTOs. */
export interface Database {
  organisations: OrganisationsTable;
  organisation_members: { group_id: string; member_id: string };
  users: UsersTable;
  sessions: SessionsTable;
  plans: PlansTable;
  sections: SectionsTable;
  tasks: TasksTable;
  assignments: AssignmentsTable;
  deadlines: DeadlinesTable;
  targets: TargetsTable;
  plan_imports: PlanImportsTable;
  audit_events: AuditEventsTable;
  audit_head: { id: number; last_seq: number; last_hash: string };
  reporting_schedules: ReportingSchedulesTable;
  reporting_periods: ReportingPeriodsTable;
  progress_reports: ProgressReportsTable;
  period_snapshots: PeriodSnapshotsTable;
  snapshot_amendments: SnapshotAmendmentsTable;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  /** JSON array of strings. */
  aliases: string;
  kind: string;
  admin_code: string | null;
  parent_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  org_id: string;
  role: string;
  password_hash: string;
  is_active: number;
  failed_logins: number;
  locked_until: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface PlansTable {
  id: string;
  title: string;
  issuer: string | null;
  year: number | null;
  status: string;
  source_text: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SectionsTable {
  id: string;
  plan_id: string;
  parent_id: string | null;
  /** JSON array of number tokens. */
  path: string;
  title: string;
  ordinal: number;
  span_start: number;
  span_end: number;
  /** Optimistic concurrency of the office's edits (rename, reorder); 1 when imported. */
  version: Generated<number>;
}

export interface TasksTable {
  id: string;
  plan_id: string;
  section_id: string | null;
  seq: number;
  text: string;
  span_start: number | null;
  span_end: number | null;
  assignment_text: string | null;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AssignmentsTable {
  id: string;
  task_id: string;
  org_id: string;
  role: string;
  mention: string | null;
}

export interface DeadlinesTable {
  id: string;
  task_id: string;
  date: string;
  text: string;
  span_start: number | null;
  span_end: number | null;
}

export interface TargetsTable {
  id: string;
  task_id: string;
  metric: string;
  unit: string;
  comparator: string;
  value: number;
  max_value: number | null;
  baseline: number | null;
  jurisdiction_org_id: string | null;
  jurisdiction_label: string | null;
  deadline: string | null;
  parent_target_id: string | null;
  text: string;
  span_start: number | null;
  span_end: number | null;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PlanImportsTable {
  id: string;
  status: string;
  filename: string | null;
  title: string | null;
  text: string;
  extract_json: string;
  unresolved_json: string;
  plan_id: string | null;
  /** The existing plan a revision draft updates on confirm. */
  revises_plan_id: string | null;
  /** PlanRevisionDiff as JSON, for a revision draft. */
  diff_json: string | null;
  created_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AuditEventsTable {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  task_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
  /** Id of the HMAC key the hash was made with; null for events from before keyed hashing (plain sha256). */
  kid: string | null;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
export type UserRow = Selectable<UsersTable>;
export type TaskRow = Selectable<TasksTable>;
export type TargetRow = Selectable<TargetsTable>;
export type NewTarget = Insertable<TargetsTable>;
export type TaskUpdate = Updateable<TasksTable>;

export interface ReportingSchedulesTable {
  plan_id: string;
  frequency: string;
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
  frequency: string;
  start_date: string;
  end_date: string;
  due_date: string;
  grace_days: number;
  close_date: string | null;
  status: string;
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
  reported_status: string | null;
  narrative: string;
  problems: string;
  next_steps: string;
  status: string;
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
  report_status: string | null;
  is_late: number;
  reported_value: number | null;
  reported_status: string | null;
  completion_percent: number | null;
  computed_status: string;
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

// Evidence files (reporting-files module): merged into Database so appends from other modules do not collide.
export interface Database {
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

// Supervision notices (督办), notifications and outbox (supervision/notifications modules): merged into Database as above.
export interface Database {
  supervision_notices: SupervisionNoticesTable;
  supervision_notice_rows: SupervisionNoticeRowsTable;
  supervision_responses: SupervisionResponsesTable;
  supervision_escalations: SupervisionEscalationsTable;
  notifications: NotificationsTable;
  outbox: OutboxTable;
}

export interface SupervisionNoticesTable {
  id: string;
  reason: string;
  required_action: string;
  due_date: string;
  /** open | answered | closed */
  status: string;
  /** The last confirmed escalation step, null before the first. */
  escalation_step: string | null;
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
  step: string;
  note: string;
  actor_id: string | null;
  created_at: string;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  read_at: string | null;
  dedupe_key: string | null;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  /** email | sms */
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  /** pending | sent | failed */
  status: string;
  attempts: number;
  last_error: string | null;
  notification_id: string | null;
  created_at: string;
  updated_at: string;
}

// Evidence on answers to supervision notices (supervision module): merged into Database as above.
export interface Database {
  notice_evidence_files: NoticeEvidenceFilesTable;
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

// The office's close / re-open of a notice, with its note (supervision module).
export interface Database {
  supervision_actions: SupervisionActionsTable;
}

export interface SupervisionActionsTable {
  id: string;
  notice_id: string;
  /** close | reopen */
  action: string;
  note: string;
  actor_id: string | null;
  created_at: string;
}

// Failed sign-ins per (client address, typed account name) and per address (username ''): the auth module's throttle.
export interface Database {
  login_throttle: LoginThrottleTable;
}

export interface LoginThrottleTable {
  address: string;
  /** The typed account name, trimmed and lower-cased; '' for the row counting the whole address. */
  username: string;
  failures: number;
  window_started_at: string;
  last_failure_at: string;
  blocked_until: string | null;
}

// The office's resolution of a target's jurisdiction label to organisations (reporting module).
export interface Database {
  jurisdiction_label_orgs: JurisdictionLabelOrgsTable;
}

export interface JurisdictionLabelOrgsTable {
  plan_id: string;
  label: string;
  org_id: string;
  created_at: string;
}

// The demo's fixed "today" (src/server/demo): one row on a demo database, none on a real one.
export interface Database {
  demo_clock: DemoClockTable;
}

export interface DemoClockTable {
  id: number;
  today: string;
  created_at: string;
}

// Jurisdictions and tenancy (organisations module; docs/decisions/0006-tenancy.md). Merged into
// the organisations and plans tables declared above, so their row types carry the new columns.
export interface Database {
  tenants: TenantsTable;
}

/** An organisation that administers a jurisdiction of its own: a province's or a city's office. */
export interface TenantsTable {
  org_id: string;
  /** 'province' | 'city'. */
  level: string;
  /** The tenant above (a city's province); null for a root. */
  parent_org_id: string | null;
  created_at: string;
}

export interface OrganisationsTable {
  /** The tenant this organisation belongs to (a tenant itself: its own id); null before any is declared. */
  tenant_id: string | null;
}

export interface PlansTable {
  /** The tenant that issued the plan; null before any is declared. */
  owner_org_id: string | null;
}
