import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AssignmentRole, Comparator, DeliveryStatus, JurisdictionLevel, PlanStatus } from '../../../shared/enums.ts';

/** The plans module's tables (a plan and its sections, tasks, assignments, deadlines, targets); merged into db/database.types.ts `Database`. */
export interface PlansTables {
  plans: PlansTable;
  sections: SectionsTable;
  tasks: TasksTable;
  assignments: AssignmentsTable;
  deadlines: DeadlinesTable;
  targets: TargetsTable;
}

export interface PlansTable {
  id: string;
  title: string;
  issuer: string | null;
  year: number | null;
  status: PlanStatus;
  /** The tenant that issued the plan; null before any is declared (docs/decisions/0006-tenancy.md). */
  owner_org_id: string | null;
  /** county | city | department (JURISDICTION_LEVELS); the database defaults it to county. */
  jurisdiction_level: ColumnType<JurisdictionLevel, JurisdictionLevel | undefined, JurisdictionLevel>;
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
  status: DeliveryStatus;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AssignmentsTable {
  id: string;
  task_id: string;
  org_id: string;
  role: AssignmentRole;
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
  comparator: Comparator;
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
  status: DeliveryStatus;
  version: number;
  created_at: string;
  updated_at: string;
}

export type TaskRow = Selectable<TasksTable>;
export type TargetRow = Selectable<TargetsTable>;
export type NewTarget = Insertable<TargetsTable>;
export type TaskUpdate = Updateable<TasksTable>;
