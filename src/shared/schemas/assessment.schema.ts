/**
 * Assessment (考核) contracts: schemes, runs, score sheets, rankings and bulletins (通报).
 * The scheme's shape is the pure library's (src/assessment/assessment.types.ts); zod here checks it.
 */
import { z } from 'zod';
import { ESCALATION_STEPS } from '../enums.ts';
import { isSchemeIssueCode, type SchemeIssueCode, type SchemeIssueValues, schemeIssueMessage } from '../scheme-issues.ts';
import { CalendarDate, Id, IsoDateTime, Version } from './common.schema.ts';

const Key = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/);
const Label = z.string().trim().min(1).max(100);
const Points = z.number().finite().min(-1000).max(1000);

export const RULE_KINDS = [
  'report_late',
  'report_returned',
  'report_missing',
  'finished_on_time',
  'target_done',
  'deadline_overdue',
  'notice_late',
  'notice_escalation',
  'manual',
  'bonus',
  'project_start_rate',
  'project_investment_rate',
  'project_funds_rate',
  'project_ontime_rate',
] as const;

/**
 * A scheme's shape without its cross-field rules: what a stored scheme is read as (an older
 * revision saved before a rule existed still loads, and the editor shows what to fix).
 */
export const SchemeShape = z.object({
  categories: z
    .array(
      z.object({
        id: Key,
        label: Label,
        points: z.number().finite().min(0).max(1000),
        maxDeduction: z.number().finite().min(0).max(1000).optional(),
        maxAddition: z.number().finite().min(0).max(1000).optional(),
      }),
    )
    .min(1)
    .max(30),
  rules: z
    .array(
      z.object({
        id: Key,
        categoryId: Key,
        kind: z.enum(RULE_KINDS),
        label: Label,
        points: Points,
        frequency: z.enum(['monthly', 'quarterly', 'half_yearly']).optional(),
        step: z.enum(ESCALATION_STEPS).optional(),
        max: z.number().finite().min(0).max(1000).optional(),
        taskIds: z.array(Id).max(2000).optional(),
      }),
    )
    .max(100),
  vetoes: z
    .array(
      z.object({
        id: Key,
        label: Label,
        when: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('escalation_at_least'), step: z.enum(ESCALATION_STEPS) }),
          z.object({ kind: z.literal('manual') }),
        ]),
        effect: z.enum(['fail', 'no_top']),
      }),
    )
    .max(20),
  multipliers: z
    .array(
      z.object({
        id: Key,
        label: Label,
        factor: z.number().finite().min(0.1).max(10),
        orgIds: z.array(Id).max(500).optional(),
        groupId: Key.optional(),
      }),
    )
    .max(50),
  tiers: z.object({
    mode: z.enum(['threshold', 'quota']),
    tiers: z
      .array(
        z.object({
          id: Key,
          label: Label,
          min: z.number().finite().min(-1000).max(10000).optional(),
          share: z.number().finite().min(0).max(1).optional(),
          count: z.number().int().min(0).max(1000).optional(),
        }),
      )
      .min(2)
      .max(10),
  }),
  groups: z
    .array(z.object({ id: Key, label: Label, orgIds: z.array(Id).max(500) }))
    .min(1)
    .max(20),
  honourCount: z.number().int().min(0).max(50),
  yearEnd: z
    .object({ firstHalf: z.number().min(0).max(1), secondHalf: z.number().min(0).max(1), review: z.number().min(0).max(1) })
    .optional(),
});

/** Fractions summed as a percentage to 0.01 (0.3 + 0.3 + 0.4 is 100, not 99.99…). */
const percentSum = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) * 10000) / 100;

/**
 * The scheme as the office saves it: the shape plus every cross-field rule, each a custom issue
 * whose `params` carry the rule's code and values (src/shared/scheme-issues.ts words it in both
 * languages). The web form and the server check with this one definition.
 */
export const SchemeBody = SchemeShape.superRefine((s, ctx) => {
  const rule = (path: (string | number)[], code: SchemeIssueCode, values: SchemeIssueValues = {}) =>
    ctx.addIssue({ code: 'custom', path, message: schemeIssueMessage(code, values, 'zh'), params: { rule: code, values } });
  const categories = new Set(s.categories.map((c) => c.id));
  const groups = new Set(s.groups.map((g) => g.id));
  for (const [path, ids] of [
    ['categories', s.categories.map((c) => c.id)],
    ['rules', s.rules.map((r) => r.id)],
    ['vetoes', s.vetoes.map((v) => v.id)],
    ['multipliers', s.multipliers.map((m) => m.id)],
    ['groups', s.groups.map((g) => g.id)],
    ['tiers', s.tiers.tiers.map((t) => t.id)],
  ] as const) {
    const i = ids.findIndex((id, j) => ids.indexOf(id) !== j);
    if (i >= 0) rule(path === 'tiers' ? ['tiers', 'tiers', i, 'id'] : [path, i, 'id'], 'duplicate_id', { id: ids[i]! });
  }
  s.rules.forEach((r, i) => {
    if (!categories.has(r.categoryId)) rule(['rules', i, 'categoryId'], 'unknown_category', { id: r.categoryId });
    if (r.kind === 'notice_escalation' && !r.step) rule(['rules', i, 'step'], 'step_required');
    if ((r.kind === 'manual' || r.kind === 'bonus') && r.max === undefined) rule(['rules', i, 'max'], 'max_required');
  });

  // Tiers, best first; the last takes the rest. Threshold: each other tier a minimum, strictly going
  // down. Quota: each other tier a count or a share (not both), shares at most 100%, counts at most
  // the largest group (the engine would otherwise leave the last tier empty in every group).
  const tiers = s.tiers.tiers;
  const last = tiers.length - 1;
  tiers.forEach((t, i) => {
    const at = (field: string) => ['tiers', 'tiers', i, field];
    if (s.tiers.mode === 'threshold') {
      if (i < last && t.min === undefined) rule(at('min'), 'tier_min_required', { label: t.label });
      const prev = tiers[i - 1];
      if (prev && prev.min !== undefined && t.min !== undefined && t.min >= prev.min)
        rule(at('min'), 'tier_min_order', { label: t.label, min: t.min, prev: prev.label, prevMin: prev.min });
    } else if (i < last && (t.count === undefined) === (t.share === undefined)) {
      rule(at('count'), 'tier_quota_required', { label: t.label });
    } else if (i === last && (t.count !== undefined || t.share !== undefined)) {
      rule(at('count'), 'tier_last_open', { label: t.label });
    }
  });
  if (s.tiers.mode === 'quota') {
    const quota = tiers.slice(0, -1);
    const shares = percentSum(quota.map((t) => t.share ?? 0));
    if (shares > 100) rule(['tiers', 'tiers'], 'tier_share_sum', { sum: shares });
    const counts = quota.reduce((n, t) => n + (t.count ?? 0), 0);
    const largest = Math.max(0, ...s.groups.map((g) => new Set(g.orgIds).size));
    if (counts > largest) rule(['tiers', 'tiers'], 'tier_count_sum', { sum: counts, max: largest });
  }

  // Peer groups: each at least one unit, no unit in two groups (it would be ranked twice).
  const groupOf = new Map<string, string>();
  s.groups.forEach((g, i) => {
    if (g.orgIds.length === 0) rule(['groups', i, 'orgIds'], 'group_empty', { label: g.label });
    for (const id of g.orgIds) {
      const other = groupOf.get(id);
      if (other !== undefined) rule(['groups', i, 'orgIds'], 'group_overlap', { other, orgId: id });
      else groupOf.set(id, g.label);
    }
  });

  // Multipliers: each names units or one group (not both, not neither), units that are assessed,
  // and no unit or group has two (they would multiply unnoticed).
  const covered = new Set<string>();
  s.multipliers.forEach((m, i) => {
    const units = m.orgIds ?? [];
    if (units.length > 0 === (m.groupId !== undefined)) rule(['multipliers', i, 'orgIds'], 'multiplier_target', { label: m.label });
    if (m.groupId !== undefined && !groups.has(m.groupId))
      rule(['multipliers', i, 'groupId'], 'multiplier_unknown_group', { id: m.groupId });
    if (units.some((id) => !groupOf.has(id))) rule(['multipliers', i, 'orgIds'], 'multiplier_not_assessed', { label: m.label });
    const targets = m.groupId !== undefined ? [`g:${m.groupId}`] : units.map((id) => `o:${id}`);
    if (targets.some((k) => covered.has(k))) rule(['multipliers', i, 'factor'], 'multiplier_twice', { label: m.label });
    for (const k of targets) covered.add(k);
  });

  if (s.yearEnd) {
    const sum = percentSum([s.yearEnd.firstHalf, s.yearEnd.secondHalf, s.yearEnd.review]);
    if (sum !== 100) rule(['yearEnd'], 'year_end_sum', { sum });
  }
});
export type SchemeBody = z.infer<typeof SchemeBody>;

export const CreateSchemeBody = z.object({ name: Label, scheme: SchemeBody });
export const UpdateSchemeBody = z.object({ version: Version, name: Label, scheme: SchemeBody });

export const AssessmentScheme = z.object({
  id: Id,
  /** The versions of one scheme share a family id. */
  familyId: Id,
  name: z.string(),
  revision: z.number().int(),
  frozen: z.boolean(),
  scheme: SchemeShape,
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type AssessmentScheme = z.infer<typeof AssessmentScheme>;
export const AssessmentSchemeList = z.object({ items: z.array(AssessmentScheme) });

export const ASSESSMENT_STAGES = ['draft', 'published', 'final'] as const;
export type AssessmentStage = (typeof ASSESSMENT_STAGES)[number];

export const CreateAssessmentBody = z
  .object({
    schemeId: Id,
    planId: Id,
    title: Label,
    start: CalendarDate,
    end: CalendarDate,
    /** Days after 初评 is published during which units may object (异议). */
    objectionDays: z.number().int().min(1).max(60).default(5),
  })
  .refine((b) => b.start <= b.end, { path: ['end'], message: '结束日期不能早于开始日期' });

export const StageBody = z.object({ version: Version });

const Unit = z.object({
  orgId: Id,
  name: z.string(),
  groupId: z.string().nullable(),
  subtotal: z.number(),
  multiplier: z.number(),
  total: z.number(),
  tierId: z.string(),
  rank: z.number().int(),
  vetoes: z.array(z.string()),
  categories: z.array(
    z.object({ categoryId: z.string(), label: z.string(), base: z.number(), raw: z.number(), applied: z.number(), score: z.number() }),
  ),
});

const Progress = z.object({
  orgId: Id,
  name: z.string(),
  notes: z.number().int(),
  adjustments: z.number().int(),
  objections: z.number().int(),
  answered: z.number().int(),
});

export const Assessment = z.object({
  id: Id,
  schemeId: Id,
  planId: Id,
  title: z.string(),
  start: CalendarDate,
  end: CalendarDate,
  stage: z.enum(ASSESSMENT_STAGES),
  objectionDays: z.number().int(),
  objectionUntil: CalendarDate.nullable(),
  publishedAt: IsoDateTime.nullable(),
  finalisedAt: IsoDateTime.nullable(),
  reissueOf: Id.nullable(),
  recordSha256: z.string(),
  /** Units the caller may see: the office and leadership all; a unit its own until 初评, then the ranking. */
  units: z.array(Unit),
  progress: z.array(Progress),
  version: Version,
  createdAt: IsoDateTime,
});
export type Assessment = z.infer<typeof Assessment>;
export const AssessmentSummary = Assessment.omit({ units: true, progress: true });
export const AssessmentList = z.object({ items: z.array(AssessmentSummary) });

export const SheetQuery = z.object({ orgId: Id.optional() });

const Event = z.object({
  id: z.string(),
  kind: z.enum(['report', 'notice', 'escalation', 'project']),
  periodId: z.string().nullable(),
  taskId: z.string().nullable(),
  targetId: z.string().nullable(),
  noticeId: z.string().nullable(),
  text: z.string(),
});

export const ScoreSheet = z.object({
  assessmentId: Id,
  stage: z.enum(ASSESSMENT_STAGES),
  unit: Unit,
  lines: z.array(
    z.object({
      ruleId: z.string(),
      categoryId: z.string(),
      label: z.string(),
      count: z.number().int(),
      computed: z.number(),
      adjustment: z.number(),
      points: z.number(),
      eventIds: z.array(z.string()),
    }),
  ),
  events: z.array(Event),
  notes: z.array(z.object({ id: Id, ruleId: z.string(), text: z.string(), authorId: z.string().nullable(), at: IsoDateTime })),
  adjustments: z.array(
    z.object({
      id: Id,
      ruleId: z.string(),
      kind: z.string(),
      delta: z.number(),
      reason: z.string(),
      actorId: z.string().nullable(),
      at: IsoDateTime,
    }),
  ),
  objections: z.array(
    z.object({
      id: Id,
      ruleId: z.string(),
      text: z.string(),
      filedBy: z.string().nullable(),
      filedAt: IsoDateTime,
      answer: z.string().nullable(),
      outcome: z.enum(['upheld', 'rejected']).nullable(),
      answeredAt: IsoDateTime.nullable(),
    }),
  ),
});
export type ScoreSheet = z.infer<typeof ScoreSheet>;

const Text2000 = z.string().trim().min(1).max(2000);
export const NoteBody = z.object({ ruleId: Key, text: Text2000 });
export const AdjustBody = z.object({
  version: Version,
  orgId: Id,
  ruleId: Key,
  /** adjust: a delta on the line (核查); manual: the points of a manual or bonus item; veto: a manual veto (ruleId names the veto). */
  kind: z.enum(['adjust', 'manual', 'veto']).default('adjust'),
  delta: z.number().finite().min(-1000).max(1000).default(0),
  reason: Text2000,
});
export const ObjectionBody = z.object({ ruleId: Key, text: Text2000 });
export const AnswerObjectionBody = z.object({
  answer: Text2000,
  outcome: z.enum(['upheld', 'rejected']),
  /** Upheld: the correction to the line (0 when none). */
  delta: z.number().finite().min(-1000).max(1000).default(0),
});
export const ReissueBody = z.object({ reason: Text2000 });
export const Verification = z.object({
  identical: z.boolean(),
  recordSha256: z.string(),
  recomputedSha256: z.string(),
  storedResultSha256: z.string(),
  recomputedResultSha256: z.string(),
});

const RankRow = z.object({
  orgId: Id,
  name: z.string(),
  rank: z.number().int(),
  total: z.number(),
  tierId: z.string(),
  tierLabel: z.string(),
  /** Rank change since the previous final assessment of the plan (positive = up); null when none. */
  change: z.number().int().nullable(),
  previousTotal: z.number().nullable(),
  categories: z.array(z.object({ categoryId: z.string(), label: z.string(), score: z.number() })),
});
export const Ranking = z.object({
  assessmentId: Id,
  previousId: Id.nullable(),
  tiers: z.array(z.object({ id: z.string(), label: z.string(), min: z.number().nullable() })),
  groups: z.array(z.object({ id: z.string().nullable(), label: z.string(), rows: z.array(RankRow), red: z.array(Id), black: z.array(Id) })),
  trend: z.array(z.object({ assessmentId: Id, title: z.string(), end: CalendarDate, totals: z.record(z.string(), z.number()) })),
});
export type Ranking = z.infer<typeof Ranking>;

export const CONSEQUENCE_KINDS = ['reward', 'interview', 'accountability'] as const;
export const Consequence = z.object({
  id: Id,
  assessmentId: Id,
  orgId: Id,
  orgName: z.string(),
  kind: z.enum(CONSEQUENCE_KINDS),
  reason: z.string(),
  status: z.enum(['proposed', 'confirmed', 'dismissed']),
  noticeId: Id.nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: IsoDateTime.nullable(),
});
export const ConsequenceList = z.object({ items: z.array(Consequence) });
export const DecideConsequenceBody = z.object({
  decision: z.enum(['confirm', 'dismiss']),
  note: z.string().trim().max(2000).default(''),
  dueDate: CalendarDate.optional(),
});

const Para = z.string().max(5000);
export const BulletinContent = z.object({
  issuer: z.string().trim().min(1).max(60),
  docNumber: z.string().trim().min(1).max(60),
  title: z.string().trim().min(1).max(200),
  addressee: z.string().trim().max(200),
  paragraphs: z.array(Para).max(60),
  table: z.object({
    caption: z.string().max(200),
    header: z.array(z.string().max(40)).max(12),
    rows: z.array(z.array(z.string().max(200)).max(12)).max(500),
  }),
  attachments: z
    .array(
      z.object({
        title: z.string().max(200),
        header: z.array(z.string().max(40)).max(12),
        rows: z.array(z.array(z.string().max(200)).max(12)).max(500),
      }),
    )
    .max(5),
  signature: z.string().max(100),
  date: z.string().max(40),
  copyTo: z.string().max(500),
  printedBy: z.string().max(200),
});
export type BulletinContent = z.infer<typeof BulletinContent>;

export const Bulletin = z.object({
  id: Id,
  assessmentId: Id,
  year: z.number().int(),
  serial: z.number().int(),
  status: z.enum(['draft', 'issued']),
  content: BulletinContent,
  /** Characters the PDF font lacks (printed as a blank); empty when all are covered. */
  missingGlyphs: z.array(z.string()),
  issuedAt: IsoDateTime.nullable(),
  version: Version,
  createdAt: IsoDateTime,
});
export type Bulletin = z.infer<typeof Bulletin>;
export const BulletinList = z.object({ items: z.array(Bulletin) });
export const UpdateBulletinBody = z.object({ version: Version, content: BulletinContent });

export const YearEndQuery = z.object({ firstHalf: Id, secondHalf: Id, review: Id });
export const YearEndRanking = z.object({
  weights: z.object({ firstHalf: z.number(), secondHalf: z.number(), review: z.number() }),
  rows: z.array(
    z.object({
      orgId: Id,
      name: z.string(),
      groupId: z.string().nullable(),
      rank: z.number().int(),
      total: z.number(),
      tierId: z.string(),
      firstHalf: z.number().nullable(),
      secondHalf: z.number().nullable(),
      review: z.number().nullable(),
    }),
  ),
});
export type YearEndRanking = z.infer<typeof YearEndRanking>;

/** The full marks the categories' points (their weights) add up to in a 百分制 scheme. */
export const SCHEME_FULL_MARKS = 100;

/** One issue of a scheme as the form shows it: the same members as a problem's `errors` entry. */
export interface SchemeFieldIssue {
  path: string;
  message: string;
  issue?: string;
  limit?: number;
  origin?: string;
  rule?: string;
  values?: SchemeIssueValues;
}

/**
 * What is wrong with a scheme as the form editor shows it: the shared schema's issues (path, zod
 * code and bound, or the scheme rule's code and values, as the server's problem carries them),
 * and, as a warning, category points not adding up to the full marks.
 */
export function schemeIssues(value: unknown): { errors: SchemeFieldIssue[]; pointsTotal: number | null } {
  const parsed = SchemeBody.safeParse(value);
  const errors = parsed.success
    ? []
    : parsed.error.issues.map((i): SchemeFieldIssue => {
        const params = (i as { params?: { rule?: unknown; values?: SchemeIssueValues } }).params;
        const bound = (i as { maximum?: unknown; minimum?: unknown }).maximum ?? (i as { minimum?: unknown }).minimum;
        const origin = (i as { origin?: unknown; expected?: unknown }).origin ?? (i as { expected?: unknown }).expected;
        return {
          path: i.path.join('.'),
          message: i.message,
          issue: i.code,
          ...(typeof bound === 'number' && Number.isFinite(bound) ? { limit: bound } : {}),
          ...(typeof origin === 'string' ? { origin } : {}),
          ...(isSchemeIssueCode(params?.rule) ? { rule: params.rule, values: params.values ?? {} } : {}),
        };
      });
  const categories = (value as { categories?: { points?: unknown }[] } | null)?.categories;
  const pointsTotal = Array.isArray(categories)
    ? Math.round(categories.reduce((s, c) => s + (typeof c.points === 'number' ? c.points : 0), 0) * 100) / 100
    : null;
  return { errors, pointsTotal };
}
