/**
 * The project library (项目库): request and response shapes shared by server and web. Money is
 * integer 元 (`Yuan`); the web shows 万元. Locations are GCJ-02 degrees once stored (ADR 0007);
 * input may declare WGS-84 or BD-09 and is converted on the server.
 */
import { z } from 'zod';
import { CalendarDate, Id, IsoDateTime, Name, Page, Text, Version } from './common.schema.ts';

/** 谋划 → 报送 → (入库 | 储备 | 退回) → 实施 → 完工 → 验收. */
export const PROJECT_STATUSES = ['draft', 'submitted', 'returned', 'admitted', 'reserve', 'in_progress', 'completed', 'accepted'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
/** The statuses of a project in the library: changed only through a change request. */
export const LIBRARY_STATUSES: readonly ProjectStatus[] = ['admitted', 'reserve', 'in_progress', 'completed', 'accepted'];
/** 新建 / 改扩建 / 续建. */
export const PROJECT_NATURES = ['new', 'expansion', 'continued'] as const;
export const PREP_KINDS = ['approval', 'land', 'planning', 'eia', 'construction'] as const;
export const PREP_STATES = ['pending', 'done', 'not_needed'] as const;
export const DATUMS = ['GCJ02', 'WGS84', 'BD09'] as const;
export const REPORT_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;

/** Integer 元, 0 … 10^11 (1000亿元: beyond any city project, far below 2^53). */
export const Yuan = z
  .number()
  .int({ error: '金额须为整数元' })
  .min(0, { error: '金额不能为负数' })
  .max(100_000_000_000, { error: '金额过大（不超过1000亿元）' });
const Code = z.string().trim().min(1).max(40);

export const FundingRow = z.object({ sourceCode: Code, planned: Yuan, arrived: Yuan.default(0) });
export type FundingRow = z.infer<typeof FundingRow>;

export const PrepItem = z.object({
  kind: z.enum(PREP_KINDS),
  state: z.enum(PREP_STATES),
  docNo: z.string().max(100).default(''),
  date: CalendarDate.nullable().default(null),
});
export type PrepItem = z.infer<typeof PrepItem>;

export const ProjectLocation = z.object({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  /** The datum the point was picked in; stored converted to GCJ-02. */
  datum: z.enum(DATUMS).default('GCJ02'),
});

export const TargetContribution = z.object({ targetId: Id, contribution: z.number().min(0).max(1e9) });

/** The editable fields of a project (create, edit while draft/returned, a change request's patch). */
export const ProjectFields = z.object({
  name: Name,
  categoryCode: Code,
  ownerName: z.string().trim().max(200).default(''),
  location: ProjectLocation,
  address: z.string().trim().max(500).default(''),
  nature: z.enum(PROJECT_NATURES),
  scale: Text.default(''),
  startDate: CalendarDate,
  endDate: CalendarDate,
  totalInvestment: Yuan,
  planYear: z.number().int().min(2000).max(2100),
  annualPlan: Yuan,
  funding: z.array(FundingRow).min(1).max(20),
  prep: z.array(PrepItem).max(10).default([]),
  taskIds: z.array(Id).max(50).default([]),
  targets: z.array(TargetContribution).max(50).default([]),
});
export type ProjectFields = z.infer<typeof ProjectFields>;

/** Admin may create for any organisation; a unit creates for its own (orgId ignored). */
export const CreateProjectBody = ProjectFields.extend({ orgId: Id.optional() });
export type CreateProjectBody = z.infer<typeof CreateProjectBody>;
export const UpdateProjectBody = ProjectFields.extend({ version: Version });
export type UpdateProjectBody = z.infer<typeof UpdateProjectBody>;

export const ProjectActionBody = z.object({ version: Version, note: Text.default('') });
export type ProjectActionBody = z.infer<typeof ProjectActionBody>;
/** The office's decision on a submitted project; `planYear` for reserve (a later year) or admit. */
export const ReviewProjectBody = z.object({
  version: Version,
  decision: z.enum(['admit', 'reserve', 'return']),
  note: Text.default(''),
  planYear: z.number().int().min(2000).max(2100).optional(),
});
export type ReviewProjectBody = z.infer<typeof ReviewProjectBody>;
export const CompleteProjectBody = z.object({ version: Version, completedOn: CalendarDate, note: Text.default('') });
export type CompleteProjectBody = z.infer<typeof CompleteProjectBody>;

export const ProjectTransition = z.object({
  from: z.enum(PROJECT_STATUSES).nullable(),
  to: z.enum(PROJECT_STATUSES),
  note: z.string(),
  actorId: Id.nullable(),
  actorName: z.string().nullable(),
  at: IsoDateTime,
});

export const ProjectFundingOut = FundingRow.extend({ sourceName: z.string() });

export const Project = z.object({
  id: Id,
  orgId: Id,
  orgName: z.string(),
  name: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  ownerName: z.string(),
  location: z.object({ lng: z.number(), lat: z.number(), datum: z.literal('GCJ02') }),
  address: z.string(),
  nature: z.enum(PROJECT_NATURES),
  scale: z.string(),
  startDate: CalendarDate,
  endDate: CalendarDate,
  totalInvestment: z.number().int(),
  planYear: z.number().int(),
  annualPlan: z.number().int(),
  funding: z.array(ProjectFundingOut),
  prep: z.array(PrepItem),
  taskIds: z.array(Id),
  targets: z.array(TargetContribution),
  status: z.enum(PROJECT_STATUSES),
  returnReason: z.string().nullable(),
  completedOn: CalendarDate.nullable(),
  /** Derived from submitted/approved monthly reports. */
  investedThisYear: z.number().int(),
  investedSinceStart: z.number().int(),
  progressPct: z.number().int().nullable(),
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Project = z.infer<typeof Project>;

export const ProjectDetail = Project.extend({ timeline: z.array(ProjectTransition) });
export type ProjectDetail = z.infer<typeof ProjectDetail>;

/** The library's filter, kept in the web's URL. */
export const ProjectListQuery = Page.extend({
  orgId: Id.optional(),
  categoryCode: Code.optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  planYear: z.coerce.number().int().min(2000).max(2100).optional(),
  q: z.string().max(200).optional(),
});
export type ProjectListQuery = z.infer<typeof ProjectListQuery>;
export const ProjectList = z.object({ items: z.array(Project), total: z.number().int() });
export type ProjectList = z.infer<typeof ProjectList>;

export const ListItem = z.object({ code: z.string(), name: z.string(), seq: z.number().int() });
export const ProjectLists = z.object({ categories: z.array(ListItem), fundingSources: z.array(ListItem) });
export const PutListItemBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/),
  name: Name,
  seq: z.number().int().min(0).max(10_000).default(0),
});
export const ListKindParams = z.object({ kind: z.enum(['categories', 'funding-sources']) });

// ---- change requests (调整) ----
export const CreateChangeRequestBody = z.object({
  what: Text.pipe(z.string().trim().min(1)),
  why: Text.pipe(z.string().trim().min(1)),
  patch: ProjectFields.partial(),
});
export type CreateChangeRequestBody = z.infer<typeof CreateChangeRequestBody>;
export const DecideChangeRequestBody = z.object({ decision: z.enum(['approve', 'reject']), note: Text.default('') });
export const ChangeRequest = z.object({
  id: Id,
  projectId: Id,
  what: z.string(),
  why: z.string(),
  patch: z.record(z.string(), z.unknown()),
  status: z.enum(['pending', 'approved', 'rejected']),
  decisionNote: z.string().nullable(),
  requestedBy: Id.nullable(),
  decidedBy: Id.nullable(),
  createdAt: IsoDateTime,
  decidedAt: IsoDateTime.nullable(),
});
export type ChangeRequest = z.infer<typeof ChangeRequest>;
export const ChangeRequestList = z.object({ items: z.array(ChangeRequest) });

// ---- monthly 调度 ----
export const ProjectReportBody = z.object({
  periodId: Id,
  investment: Yuan,
  progressText: Text.default(''),
  progressPct: z.number().int().min(0, { error: '形象进度应在 0–100 之间' }).max(100, { error: '形象进度应在 0–100 之间' }),
  problems: Text.default(''),
  started: z.boolean(),
  /** Money arrived this month per funding source (资金到位, integer 元); counts for the period's year. */
  arrivals: z
    .array(z.object({ sourceCode: Code, amount: Yuan }))
    .max(20)
    .default([]),
  submit: z.boolean().default(false),
});
export type ProjectReportBody = z.infer<typeof ProjectReportBody>;
export const ReviewProjectReportBody = z.object({ version: Version, decision: z.enum(['approve', 'return']), note: Text.default('') });
export const ProjectReport = z.object({
  id: Id,
  projectId: Id,
  projectName: z.string(),
  periodId: Id,
  periodEnd: CalendarDate,
  orgId: Id,
  investment: z.number().int(),
  progressText: z.string(),
  progressPct: z.number().int(),
  problems: z.string(),
  started: z.boolean(),
  status: z.enum(REPORT_STATUSES),
  reviewNote: z.string().nullable(),
  arrivals: z.array(z.object({ sourceCode: z.string(), amount: z.number().int() })),
  /** Cumulative through this report (submitted and approved reports): this year and since start. */
  cumulativeYear: z.number().int(),
  cumulativeTotal: z.number().int(),
  /** Per cent, one decimal; null when the base is 0. */
  pctOfAnnualPlan: z.number().nullable(),
  pctOfTotal: z.number().nullable(),
  version: Version,
  updatedAt: IsoDateTime,
});
export type ProjectReport = z.infer<typeof ProjectReport>;
export const ProjectReportList = z.object({ items: z.array(ProjectReport) });
export const ProjectReportQueueQuery = z.object({ periodId: Id.optional(), status: z.enum(REPORT_STATUSES).optional() });

// ---- rates and balance ----
export const YearQuery = z.object({ planYear: z.coerce.number().int().min(2000).max(2100), asOf: CalendarDate.optional() });
export const RateRow = z.object({
  orgId: Id,
  orgName: z.string(),
  categoryCode: z.string().nullable(),
  projects: z.number().int(),
  started: z.number().int(),
  annualPlan: z.number().int(),
  invested: z.number().int(),
  fundsPlanned: z.number().int(),
  fundsArrived: z.number().int(),
  dueByAsOf: z.number().int(),
  completedOnTime: z.number().int(),
  /** 开工率, 投资完成率, 资金到位率, 按期竣工率 in per cent (one decimal); null when nothing to divide by. */
  startRate: z.number().nullable(),
  investmentRate: z.number().nullable(),
  fundsRate: z.number().nullable(),
  onTimeRate: z.number().nullable(),
});
export type RateRow = z.infer<typeof RateRow>;
export const RateList = z.object({ items: z.array(RateRow) });
export type RateList = z.infer<typeof RateList>;

export const BalanceQuery = z.object({ planYear: z.coerce.number().int().min(2000).max(2100), orgId: Id.optional() });
export const FundingBalance = z.object({
  planYear: z.number().int(),
  counties: z.array(
    z.object({
      orgId: Id,
      orgName: z.string(),
      /** Σ annual plan investment of its library projects of the year. */
      needs: z.number().int(),
      planned: z.number().int(),
      arrived: z.number().int(),
      /** needs − planned: 0 when every project's sources cover its year (the balance check). */
      gap: z.number().int(),
      balanced: z.boolean(),
      /** needs − arrived (not below 0): money still to arrive for the year's plan. */
      outstanding: z.number().int(),
      bySource: z.array(z.object({ sourceCode: z.string(), sourceName: z.string(), planned: z.number().int(), arrived: z.number().int() })),
      pivot: z.array(z.object({ categoryCode: z.string(), sourceCode: z.string(), planned: z.number().int() })),
    }),
  ),
});
export type FundingBalance = z.infer<typeof FundingBalance>;

export const TargetProjects = z.object({
  targetId: Id,
  metric: z.string(),
  unit: z.string(),
  value: z.number(),
  counts: z.enum(['completed', 'started']),
  fromProjects: z.number(),
  missing: z.number(),
  items: z.array(
    z.object({
      projectId: Id,
      name: z.string(),
      orgName: z.string(),
      status: z.enum(PROJECT_STATUSES),
      contribution: z.number(),
      counted: z.boolean(),
    }),
  ),
});
export type TargetProjects = z.infer<typeof TargetProjects>;
export const TargetRuleBody = z.object({ counts: z.enum(['completed', 'started']) });

export const ProjectImportResult = z.object({
  dryRun: z.boolean(),
  rows: z.number().int(),
  created: z.number().int(),
  problems: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
});
export type ProjectImportResult = z.infer<typeof ProjectImportResult>;
export const ImportQuery = z.object({ dryRun: z.enum(['true', 'false']).default('true') });
export const GeoBoundary = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });

// ---- annual plans (年度项目计划), 年度结转 and next year's intake ----
export const RolloverQuery = z.object({ fromYear: z.coerce.number().int().min(2000).max(2099) });
export const RolloverItem = z.object({
  projectId: Id,
  name: z.string(),
  orgId: Id,
  orgName: z.string(),
  status: z.enum(PROJECT_STATUSES),
  totalInvestment: z.number().int(),
  /** The from-year's 年度计划投资. */
  annualPlan: z.number().int(),
  /** Σ investment of submitted/approved monthly reports since start. */
  invested: z.number().int(),
  /** 总投资 − invested: the next year's 年度计划投资 after 结转. */
  remaining: z.number().int(),
});
export const RolloverResult = z.object({
  fromYear: z.number().int(),
  toYear: z.number().int(),
  /** false for the preview, true once carried. */
  applied: z.boolean(),
  count: z.number().int(),
  remaining: z.number().int(),
  items: z.array(RolloverItem),
});
export type RolloverResult = z.infer<typeof RolloverResult>;
export const RolloverBody = z.object({ fromYear: z.number().int().min(2000).max(2099), note: Text.default('') });

export const IntakeQuery = z.object({ planYear: z.coerce.number().int().min(2000).max(2100) });
export const IntakeDeadlineBody = z.object({ planYear: z.number().int().min(2000).max(2100), deadline: CalendarDate });
export const IntakeProgress = z.object({
  planYear: z.number().int(),
  /** 谋划 deadline (the office's, default 11-30 of the year before). */
  deadline: CalendarDate,
  deadlineSet: z.boolean(),
  today: CalendarDate,
  counties: z.array(
    z.object({
      orgId: Id,
      orgName: z.string(),
      /** Newly entered for the year, by where they are. */
      drafting: z.number().int(),
      submitted: z.number().int(),
      returned: z.number().int(),
      admitted: z.number().int(),
      reserve: z.number().int(),
      /** Carried in from the year before by 年度结转. */
      carried: z.number().int(),
      /** Σ 年度计划投资 of the year's new projects (integer 元). */
      newInvestment: z.number().int(),
      /** Every new project has left 谋划/退回 (and there is at least one). */
      done: z.boolean(),
      /** Past the deadline and not done. */
      overdue: z.boolean(),
    }),
  ),
});
export type IntakeProgress = z.infer<typeof IntakeProgress>;

// ---- dashboard ----
export const ProjectSummaryQuery = z.object({ planYear: z.coerce.number().int().min(2000).max(2100) });
export const ProjectSummary = z.object({
  planYear: z.number().int(),
  /** Projects of the year's list the caller may see, per county and status. */
  byCounty: z.array(
    z.object({ orgId: Id, orgName: z.string(), total: z.number().int(), byStatus: z.record(z.string(), z.number().int()) }),
  ),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

// ---- files on projects (附件) and photos of monthly reports (现场照片) ----
export const PROJECT_FILE_KINDS = ['document', 'photo'] as const;
export const ProjectFileKind = z.enum(PROJECT_FILE_KINDS);
export type ProjectFileKind = z.infer<typeof ProjectFileKind>;

/** A file on a project: a document (reportId null) or a photo of one of its monthly reports. */
export const ProjectFile = z.object({
  id: Id,
  projectId: Id,
  /** The monthly report the photo belongs to; null for a document of the project. */
  reportId: Id.nullable(),
  kind: ProjectFileKind,
  /** The name it was uploaded with (extension set by the bytes); the download carries it back (RFC 5987). */
  filename: z.string(),
  /** Sniffed from the bytes, not taken from the client. */
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdBy: Id.nullable(),
  createdAt: IsoDateTime,
  /** Whether the caller may delete it now (the uploader while editable, or the office). */
  canDelete: z.boolean(),
});
export type ProjectFile = z.infer<typeof ProjectFile>;
export const ProjectFileList = z.object({ items: z.array(ProjectFile) });
