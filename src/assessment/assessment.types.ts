/**
 * The data of an assessment (考核): the scheme the office edits, the frozen record it is computed
 * from, and the scored result. Plain data only (no server, no web), so the server, the web preview
 * and the tests compute the same numbers.
 */

/** The escalation ladder of a 督办 notice, in order (same as src/shared/enums.ts ESCALATION_STEPS). */
export const LADDER = ['reminder', 'urging', 'yellow_card', 'red_card', 'interview', 'accountability'] as const;
export type LadderStep = (typeof LADDER)[number];

/** A category of the scheme (e.g. 目标完成 40 分): its base points and the caps on what its rules move. */
export interface SchemeCategory {
  id: string;
  label: string;
  /** Points the category starts from (a 100-point scheme's categories sum to 100). */
  points: number;
  /** Most points its rules may deduct in total (a positive number; absent = no cap beyond `points`). */
  maxDeduction?: number;
  /** Most points its rules may add in total (absent = no cap). */
  maxAddition?: number;
}

/** The kinds of rule the genre uses. Event rules give `points` (signed) per matching event. */
export type RuleKind =
  /** A report submitted after due date + grace (报送迟报). */
  | 'report_late'
  /** A report returned as incomplete (退回). */
  | 'report_returned'
  /** A row of a closed period with no report (未报送); `frequency` narrows it (e.g. half_year). */
  | 'report_missing'
  /** A row finished (status done) with its report on time (按时完成). */
  | 'finished_on_time'
  /** A target row reached by the period end (status done), counted once per target over the range. */
  | 'target_done'
  /**
   * 时限: an item (task or target) past its deadline and not done at a period end (the status
   * engine's `overdue`), counted once per item over the range, by the first period it showed so
   * (finishing it later does not undo the missed deadline).
   */
  | 'deadline_overdue'
  /** A 督办 notice answered after its due date, or not answered by the range end (督办逾期). */
  | 'notice_late'
  /** An escalation step confirmed on a notice (`step`: which rung; each rung its own rule). */
  | 'notice_escalation'
  /** A score the office enters (领导评价, 实地核查): 0..max. */
  | 'manual'
  /** Bonus points the office grants (加分项): 0..max. */
  | 'bonus'
  /**
   * 开工率: of the unit's library projects due to start by the range end, the share started by
   * then; the line gives `points` × that share (full points when none was due).
   */
  | 'project_start_rate'
  /**
   * 投资完成率: the unit's investment completed in the year by the range end over its projects'
   * annual plans (capped at 1); the line gives `points` × that share (full points with no plan).
   */
  | 'project_investment_rate'
  /**
   * 资金到位率: the funds that arrived for the unit's projects in the year by the range end (as the
   * submitted or approved monthly reports of periods ending by then state them, per funding
   * source) over the year's planned funds of those sources (capped at 1); `points` × that share
   * (full points when nothing was planned).
   */
  | 'project_funds_rate'
  /**
   * 按期竣工率: of the unit's projects planned to complete (end date) by the range end, the share
   * whose completion was declared by the range end with a completion day no later than the
   * planned one; `points` × that share (full points when none was due).
   */
  | 'project_ontime_rate';

export interface SchemeRule {
  id: string;
  categoryId: string;
  kind: RuleKind;
  label: string;
  /** Points per event (negative = deduction). Unused by manual/bonus. */
  points: number;
  /** report_missing / report_late: count only periods of this frequency. */
  frequency?: 'monthly' | 'quarterly' | 'half_yearly';
  /** notice_escalation: the rung this rule scores. */
  step?: LadderStep;
  /** manual / bonus: the most the office may give. */
  max?: number;
  /** Report rules: count only rows of these tasks (a category per plan section). */
  taskIds?: string[];
}

/** 一票否决: a unit that meets the condition is barred (`fail`: tier forced to the last; `no_top`: never the first tier). */
export interface SchemeVeto {
  id: string;
  label: string;
  when: { kind: 'escalation_at_least'; step: LadderStep } | { kind: 'manual' };
  effect: 'fail' | 'no_top';
}

/** A difficulty coefficient (难度系数) on a unit's or a group's total. */
export interface SchemeMultiplier {
  id: string;
  label: string;
  factor: number;
  orgIds?: string[];
  groupId?: string;
}

/** Tiers from best to worst. Threshold: `min` score; quota: `share` (0–1) or `count` of the group; the last tier takes the rest. */
export interface SchemeTiers {
  mode: 'threshold' | 'quota';
  tiers: { id: string; label: string; min?: number; share?: number; count?: number }[];
}

/** Counties are ranked with counties, departments with departments. */
export interface PeerGroup {
  id: string;
  label: string;
  orgIds: string[];
}

/** Year-end: weights of the half-year assessments and of the year-end review (summing to 1). */
export interface YearEndWeights {
  firstHalf: number;
  secondHalf: number;
  review: number;
}

export interface Scheme {
  categories: SchemeCategory[];
  rules: SchemeRule[];
  vetoes: SchemeVeto[];
  multipliers: SchemeMultiplier[];
  tiers: SchemeTiers;
  groups: PeerGroup[];
  /** 红榜 / 黑榜 size per group (ties at the edge are listed too). */
  honourCount: number;
  yearEnd?: YearEndWeights;
}

/** A frozen row of a closed period: one target or task and the organisation that reports it. */
export interface ReportFact {
  /** The snapshot row id (the event id score lines carry). */
  id: string;
  orgId: string;
  periodId: string;
  frequency: 'monthly' | 'quarterly' | 'half_yearly';
  /** The period's last day (orders the facts of one item). */
  periodEnd: string;
  taskId: string;
  targetId: string | null;
  reportId: string | null;
  /** null: no report in the period. */
  reportStatus: 'draft' | 'submitted' | 'approved' | 'returned' | null;
  isLate: boolean;
  /** The status engine's status at the period end. */
  status: string;
}

/** A 督办 notice as it stood at the range end, for one receiving organisation. */
export interface NoticeFact {
  /** `${noticeId}:${orgId}` — unique per notice and organisation. */
  id: string;
  noticeId: string;
  orgId: string;
  dueDate: string;
  /** The organisation's first answer (China date), null when none by the range end. */
  answeredOn: string | null;
  /** Escalation steps confirmed by the range end, in order. */
  steps: { step: LadderStep; on: string; id: string }[];
}

/** A library project of an assessed unit as it stood at the range end (for the project rules). */
export interface ProjectFact {
  /** The project id (the event id score lines carry). */
  id: string;
  orgId: string;
  name: string;
  /** Planned start (开工) date. */
  startDate: string;
  /** Whether a submitted monthly report with period end ≤ the range end says work has started. */
  started: boolean;
  /** 年度计划投资, integer 元. */
  annualPlan: number;
  /** Investment reported for the year up to the range end, integer 元. */
  investedYear: number;
  /**
   * 资金到位率 only (absent from records without that rule, so they stay byte-identical): the
   * year's planned funds over the project's funding sources, integer 元.
   */
  fundsPlanned?: number;
  /** 资金到位率 only: funds reported arrived in the year up to the range end for those sources, integer 元. */
  fundsArrived?: number;
  /** 按期竣工率 only: planned completion (竣工) date. */
  endDate?: string;
  /** 按期竣工率 only: the declared completion day, null unless completion was declared by the range end. */
  completedOn?: string | null;
}

/** The record an assessment is computed from: frozen, plain data. */
export interface AssessmentRecord {
  /** The range's last day (YYYY-MM-DD): notices due later are not late yet. */
  asOf: string;
  units: { orgId: string; name: string }[];
  reports: ReportFact[];
  notices: NoticeFact[];
  /** Only when the scheme has a project rule (older records stay byte-identical without it). */
  projects?: ProjectFact[];
}

/** What the office enters: manual/bonus scores, adjustments of lines (核查) and manual vetoes. */
export interface OfficeInput {
  manual: { ruleId: string; orgId: string; points: number }[];
  adjustments: { ruleId: string; orgId: string; delta: number; id: string }[];
  vetoes: { vetoId: string; orgId: string }[];
}

/** One line of a unit's sheet: a rule and the events that produced its points. */
export interface ScoreLine {
  orgId: string;
  ruleId: string;
  categoryId: string;
  label: string;
  count: number;
  /** Points from the events (or the manual entry), before adjustment. */
  computed: number;
  /** The office's adjustment (核查), 0 when none. */
  adjustment: number;
  points: number;
  eventIds: string[];
  adjustmentIds: string[];
}

export interface CategoryScore {
  categoryId: string;
  label: string;
  base: number;
  /** Sum of the lines' points before the category caps. */
  raw: number;
  /** The points after caps (what counts). */
  applied: number;
  score: number;
}

export interface UnitScore {
  orgId: string;
  name: string;
  groupId: string | null;
  lines: ScoreLine[];
  categories: CategoryScore[];
  /** Sum of categories before the multiplier. */
  subtotal: number;
  multiplier: number;
  total: number;
  vetoes: string[];
  tierId: string;
  /** Competition rank in the peer group (1, 2, 2, 4). */
  rank: number;
}

export interface AssessmentResult {
  units: UnitScore[];
}
