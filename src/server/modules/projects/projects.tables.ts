import type { Generated } from 'kysely';

/** The projects module's tables; merged into db/database.types.ts `Database`. */
export interface ProjectsTables {
  project_categories: ProjectListTable;
  project_funding_sources: ProjectListTable;
  projects: ProjectsTable;
  project_funding: ProjectFundingTable;
  project_transitions: ProjectTransitionsTable;
  project_task_links: { project_id: string; task_id: string };
  project_target_links: { project_id: string; target_id: string; contribution: number };
  project_target_rules: { target_id: string; counts: string };
  project_reports: ProjectReportsTable;
  project_change_requests: ProjectChangeRequestsTable;
  project_year_plans: ProjectYearPlansTable;
  project_year_sources: ProjectYearSourcesTable;
  project_report_arrivals: ProjectReportArrivalsTable;
  project_intake_deadlines: { plan_year: number; deadline: string; updated_by: string | null; updated_at: string };
  project_files: ProjectFilesTable;
}

/** A file on a project (附件) or a photo of one of its monthly reports (现场照片); bytes via core/evidence-store.ts. */
export interface ProjectFilesTable {
  id: string;
  project_id: string;
  /** Set for a photo of a monthly report; null for a document of the project. */
  project_report_id: string | null;
  /** document | photo */
  kind: string;
  filename: string;
  /** Sniffed from the bytes. */
  content_type: string;
  size_bytes: number;
  sha256: string;
  /** Relative to UPLOAD_DIR. */
  storage_path: string;
  created_by: string | null;
  created_at: string;
}

/** A project's place in one plan year's list (年度项目计划), with that year's 年度计划投资 (integer 元). */
export interface ProjectYearPlansTable {
  project_id: string;
  plan_year: number;
  annual_plan: number;
  /** plan (entered/admitted for this year) | rollover (carried by 年度结转) */
  origin: string;
  carried_from: number | null;
  /** 1 once this year's remainder was carried to the next year. */
  rolled_over: number;
  created_at: string;
  /** Maintained (refreshYearFigures): Σ investment of the submitted/approved reports whose period ends in plan_year. */
  invested: Generated<number>;
  /** Maintained: funds arrived in plan_year (entered on the funding rows in the entry year, plus the year's reported arrivals). */
  arrived: Generated<number>;
}

/** Maintained per project, plan year and funding row (refreshYearFigures): the year's share of the source and what arrived. */
export interface ProjectYearSourcesTable {
  project_id: string;
  plan_year: number;
  seq: number;
  source_code: string;
  /** planned × 年度计划投资 ÷ 总投资 (floor); the first row takes the remainder, so a project's rows sum to its annual plan. */
  planned: number;
  arrived: number;
  /** The annual plan on the first row, 0 on the others: Σ needs = Σ annual plans. */
  needs: number;
}

/** Money arrived per source as a monthly report states it (integer 元); counts in its period's year. */
export interface ProjectReportArrivalsTable {
  report_id: string;
  project_id: string;
  source_code: string;
  period_end: string;
  amount: number;
}

export interface ProjectListTable {
  code: string;
  name: string;
  seq: number;
}

export interface ProjectsTable {
  id: string;
  org_id: string;
  name: string;
  category_code: string;
  owner_name: string;
  lng: number;
  lat: number;
  address: string;
  /** new | expansion | continued (新建/改扩建/续建) */
  nature: string;
  scale: string;
  start_date: string;
  end_date: string;
  /** 总投资, integer 元. */
  total_investment: number;
  plan_year: number;
  /** 年度计划投资 of plan_year, integer 元. */
  annual_plan: number;
  /** JSON array of 前期手续 items. */
  prep: string;
  /** draft | submitted | returned | admitted | reserve | in_progress | completed | accepted */
  status: string;
  return_reason: string | null;
  completed_on: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProjectFundingTable {
  id: string;
  project_id: string;
  source_code: string;
  planned: number;
  arrived: number;
  seq: number;
}

export interface ProjectTransitionsTable {
  id: string;
  project_id: string;
  from_status: string | null;
  to_status: string;
  note: string;
  actor_id: string | null;
  created_at: string;
}

export interface ProjectReportsTable {
  id: string;
  project_id: string;
  period_id: string;
  org_id: string;
  /** The period's end date, copied so cumulative sums need no join to reporting's table. */
  period_end: string;
  /** Investment completed this month, integer 元. */
  investment: number;
  progress_text: string;
  progress_pct: number;
  problems: string;
  /** 1 when work has started (the first such submitted report moves the project to in_progress). */
  started: number;
  /** draft | submitted | approved | returned */
  status: string;
  review_note: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProjectChangeRequestsTable {
  id: string;
  project_id: string;
  what: string;
  why: string;
  /** JSON: the fields of the project body to change. */
  patch: string;
  /** pending | approved | rejected */
  status: string;
  decision_note: string | null;
  requested_by: string | null;
  decided_by: string | null;
  created_at: string;
  decided_at: string | null;
}
