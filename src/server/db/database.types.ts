import type { Insertable, Selectable, Updateable } from 'kysely';

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
}

export type OrganisationRow = Selectable<OrganisationsTable>;
export type UserRow = Selectable<UsersTable>;
export type TaskRow = Selectable<TasksTable>;
export type TargetRow = Selectable<TargetsTable>;
export type NewTarget = Insertable<TargetsTable>;
export type TaskUpdate = Updateable<TasksTable>;
