/** The assessment module's tables; merged into db/database.types.ts `Database`. */
export interface AssessmentTables {
  assessment_schemes: AssessmentSchemesTable;
  assessments: AssessmentsTable;
  assessment_units: AssessmentUnitsTable;
  assessment_lines: AssessmentLinesTable;
  assessment_notes: AssessmentNotesTable;
  assessment_adjustments: AssessmentAdjustmentsTable;
  assessment_objections: AssessmentObjectionsTable;
  assessment_consequences: AssessmentConsequencesTable;
  bulletins: BulletinsTable;
}

export interface AssessmentSchemesTable {
  id: string;
  family_id: string;
  revision: number;
  name: string;
  scheme_json: string;
  /** 1 once an assessment used it: editing then makes the next revision. */
  frozen: number;
  created_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AssessmentsTable {
  id: string;
  scheme_id: string;
  plan_id: string;
  title: string;
  range_start: string;
  range_end: string;
  /** draft | published | final */
  stage: string;
  objection_days: number;
  objection_until: string | null;
  published_at: string | null;
  finalised_at: string | null;
  reissue_of: string | null;
  record_json: string;
  record_sha256: string;
  result_json: string;
  created_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AssessmentUnitsTable {
  assessment_id: string;
  org_id: string;
  name: string;
  group_id: string | null;
  subtotal: number;
  multiplier: number;
  total: number;
  tier_id: string;
  rank: number;
  vetoes_json: string;
  categories_json: string;
}

export interface AssessmentLinesTable {
  assessment_id: string;
  org_id: string;
  rule_id: string;
  category_id: string;
  label: string;
  count: number;
  computed: number;
  adjustment: number;
  points: number;
  event_ids: string;
}

export interface AssessmentNotesTable {
  id: string;
  assessment_id: string;
  org_id: string;
  rule_id: string;
  text: string;
  author_id: string | null;
  created_at: string;
}

export interface AssessmentAdjustmentsTable {
  id: string;
  assessment_id: string;
  org_id: string;
  rule_id: string;
  /** adjust | manual | veto */
  kind: string;
  delta: number;
  reason: string;
  actor_id: string | null;
  created_at: string;
}

export interface AssessmentObjectionsTable {
  id: string;
  assessment_id: string;
  org_id: string;
  rule_id: string;
  text: string;
  filed_by: string | null;
  filed_at: string;
  answer: string | null;
  /** upheld | rejected */
  outcome: string | null;
  answered_by: string | null;
  answered_at: string | null;
}

export interface AssessmentConsequencesTable {
  id: string;
  assessment_id: string;
  org_id: string;
  /** reward | interview | accountability */
  kind: string;
  reason: string;
  /** proposed | confirmed | dismissed */
  status: string;
  notice_id: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

export interface BulletinsTable {
  id: string;
  assessment_id: string;
  year: number;
  serial: number;
  /** draft | issued */
  status: string;
  content_json: string;
  issued_at: string | null;
  issued_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
