/**
 * Publications (向社会公布): what the office has published to the public portal, and the public
 * payload of each kind. The payload schemas ARE the allow-list of public fields: parsing strips
 * every key they do not name (see src/server/modules/publications/public-fields.rule.ts).
 */
import { z } from 'zod';
import { DELIVERY_STATUSES } from '../enums.ts';
import { CalendarDate, Id, IsoDateTime } from './common.schema.ts';

/**
 * Kinds of record that can be published. `period` today; `assessment`, `bulletin` and
 * `project_library` plug in through the kind registry (publication-kinds.ts) when their modules land.
 */
export const PUBLICATION_KINDS = ['period', 'assessment', 'bulletin', 'project_library'] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];

/** A publication as the office and the public catalogue see it (no payload). */
export const Publication = z.object({
  id: Id,
  kind: z.enum(PUBLICATION_KINDS),
  sourceId: Id,
  title: z.string(),
  /** The plan (or other owner) the publication belongs to, for the timeline across periods. */
  scopeId: Id.nullable(),
  /** The day the published data stands for (a period's end); orders the timeline. */
  asOf: CalendarDate.nullable(),
  publishedAt: IsoDateTime,
  withdrawnAt: IsoDateTime.nullable(),
  withdrawnReason: z.string().nullable(),
  etag: z.string(),
});
export type Publication = z.infer<typeof Publication>;
export const PublicationList = z.object({ items: z.array(Publication) });

/** The office's own list also says who published and who withdrew (names stay inside). */
export const OfficePublication = Publication.extend({
  publishedBy: z.string().nullable(),
  withdrawnBy: z.string().nullable(),
});
export type OfficePublication = z.infer<typeof OfficePublication>;
export const OfficePublicationList = z.object({ items: z.array(OfficePublication) });

export const PublishBody = z.object({ kind: z.enum(PUBLICATION_KINDS), sourceId: Id });
export type PublishBody = z.infer<typeof PublishBody>;
export const WithdrawBody = z.object({ reason: z.string().trim().min(1).max(2000) });
export type WithdrawBody = z.infer<typeof WithdrawBody>;

/** A closed period the office may publish (what the publications screen offers). */
export const PublishableSource = z.object({
  kind: z.enum(PUBLICATION_KINDS),
  sourceId: Id,
  title: z.string(),
  asOf: CalendarDate.nullable(),
  /** The live publication of this source, if any. */
  publicationId: Id.nullable(),
});
export type PublishableSource = z.infer<typeof PublishableSource>;
export const PublishableSourceList = z.object({ items: z.array(PublishableSource) });

// ---- the public payload of a period publication (the allow-list) ----

const Status = z.enum(DELIVERY_STATUSES);

export const PublicTarget = z.object({
  id: Id,
  metric: z.string(),
  unit: z.string(),
  comparator: z.string(),
  value: z.number(),
  maxValue: z.number().nullable(),
  jurisdictionOrgId: Id.nullable(),
  jurisdictionName: z.string().nullable(),
  deadline: CalendarDate.nullable(),
  status: Status,
  progress: z.number().nullable(),
  /** Only from an approved report: a value still under review is not public. */
  reportedValue: z.number().nullable(),
});
export type PublicTarget = z.infer<typeof PublicTarget>;

/** A responsible unit is an organisation (never a person). */
export const PublicUnit = z.object({ orgId: Id, name: z.string(), role: z.string() });

export const PublicTask = z.object({
  id: Id,
  seq: z.number().int(),
  sectionId: Id.nullable(),
  text: z.string(),
  deadline: CalendarDate.nullable(),
  deadlineText: z.string().nullable(),
  units: z.array(PublicUnit),
  /** The districts (jurisdictions) the task concerns: assigned directly, through a group, or by a target. */
  districtIds: z.array(Id),
  status: Status,
  progress: z.number().nullable(),
  targets: z.array(PublicTarget),
});
export type PublicTask = z.infer<typeof PublicTask>;

export const PublicSection = z.object({ id: Id, parentId: Id.nullable(), path: z.array(z.string()), title: z.string() });
export type PublicSection = z.infer<typeof PublicSection>;

export const PublicDistrict = z.object({ id: Id, name: z.string() });

export const PeriodPayload = z.object({
  plan: z.object({ id: Id, title: z.string(), issuer: z.string().nullable(), year: z.number().int().nullable() }),
  period: z.object({ id: Id, label: z.string(), start: CalendarDate, end: CalendarDate, closedAt: IsoDateTime.nullable() }),
  sections: z.array(PublicSection),
  districts: z.array(PublicDistrict),
  tasks: z.array(PublicTask),
});
export type PeriodPayload = z.infer<typeof PeriodPayload>;

/** Counts per delivery status with the share done (0–1), for a plan, district or section. */
export const StatusSummary = z.object({
  total: z.number().int(),
  counts: z.record(Status, z.number().int()),
  shareDone: z.number(),
  progress: z.number().nullable(),
});
export type StatusSummary = z.infer<typeof StatusSummary>;

/** GET /api/public/publications/:id — the publication and its payload (null once withdrawn). */
export const PublicPublicationDetail = z.object({
  publication: Publication,
  summary: StatusSummary.nullable(),
  districts: z.array(PublicDistrict.extend({ summary: StatusSummary })),
  sections: z.array(PublicSection.extend({ summary: StatusSummary })),
  payload: PeriodPayload.nullable(),
});

export const PublicTimelineEntry = z.object({
  publicationId: Id,
  periodLabel: z.string(),
  asOf: CalendarDate.nullable(),
  status: Status,
  progress: z.number().nullable(),
});
export const PublicTaskDetail = z.object({
  publication: Publication,
  task: PublicTask,
  sectionTitle: z.string().nullable(),
  timeline: z.array(PublicTimelineEntry),
});

export const PublicTaskList = z.object({ publication: Publication, total: z.number().int(), items: z.array(PublicTask) });

/** Filters of a publication's task list: every number on a public page links to one of these. */
export const PublicTaskQuery = z.object({
  status: Status.optional(),
  districtId: Id.optional(),
  sectionId: Id.optional(),
  q: z.string().max(100).optional(),
});
export type PublicTaskQuery = z.infer<typeof PublicTaskQuery>;

export const PublicSearchQuery = z.object({ q: z.string().trim().min(1).max(100) });
export const PublicSearchResult = z.object({
  publication: Publication.nullable(),
  districts: z.array(PublicDistrict),
  tasks: z.array(PublicTask.pick({ id: true, seq: true, text: true, status: true })),
});

export const PUBLIC_DATASETS = ['tasks', 'targets', 'districts', 'sections'] as const;
export type PublicDataset = (typeof PUBLIC_DATASETS)[number];
export const PublicDatasetParams = z.object({ id: Id, dataset: z.enum(PUBLIC_DATASETS) });

export const PublicLang = z.object({ lang: z.enum(['zh', 'en']).optional() });

// ---- the public payload of an assessment publication (a final assessment's ranking) ----

/**
 * One unit's row of a published ranking: rank, unit (an organisation), score, tier and its place
 * on the 红榜/黑榜. No notes, objections, adjustment reasons, category detail or people.
 */
export const PublicRankRow = z.object({
  orgId: Id,
  name: z.string(),
  rank: z.number().int(),
  total: z.number(),
  tierLabel: z.string(),
  roll: z.enum(['red', 'black']).nullable(),
});
export type PublicRankRow = z.infer<typeof PublicRankRow>;

export const AssessmentPayload = z.object({
  assessment: z.object({ id: Id, title: z.string(), start: CalendarDate, end: CalendarDate, finalisedAt: IsoDateTime.nullable() }),
  groups: z.array(z.object({ id: z.string().nullable(), label: z.string(), rows: z.array(PublicRankRow) })),
});
export type AssessmentPayload = z.infer<typeof AssessmentPayload>;

// ---- the public payload of a bulletin publication (an issued 通报) ----

const Rows = { header: z.array(z.string()), rows: z.array(z.array(z.string())) };

/** The issued text of a 通报, frozen at publish time; its PDF is rendered from exactly this text. */
export const BulletinPayload = z.object({
  bulletin: z.object({ id: Id, assessmentId: Id, issuedAt: IsoDateTime.nullable() }),
  content: z.object({
    issuer: z.string(),
    docNumber: z.string(),
    title: z.string(),
    addressee: z.string(),
    paragraphs: z.array(z.string()),
    table: z.object({ caption: z.string(), ...Rows }),
    attachments: z.array(z.object({ title: z.string(), ...Rows })),
    signature: z.string(),
    date: z.string(),
    copyTo: z.string(),
    printedBy: z.string(),
  }),
});
export type BulletinPayload = z.infer<typeof BulletinPayload>;

export const PublicRankingQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });

// ---- the public payload of a project-library publication (the library of a plan year) ----

/** The statuses a published project may have: in the library and not a reserve (储备) or draft. */
export const PUBLIC_PROJECT_STATUSES = ['admitted', 'in_progress', 'completed', 'accepted'] as const;

/**
 * One project as the public sees it: no owner contact, no funding rows (only the published totals),
 * no reasons, notes or people. Money in 万元 (four decimals at most, from integer 元).
 */
export const PublicProject = z.object({
  id: Id,
  name: z.string(),
  /** The county (the owning organisation, a jurisdiction or department). */
  orgId: Id,
  orgName: z.string(),
  categoryName: z.string(),
  /** 新建 / 改扩建 / 续建. */
  nature: z.enum(['new', 'expansion', 'continued']),
  totalInvestmentWan: z.number(),
  annualPlanWan: z.number(),
  status: z.enum(PUBLIC_PROJECT_STATUSES),
  /** 形象进度 % from the latest submitted monthly report, null before the first. */
  progressPct: z.number().int().nullable(),
  completedOn: CalendarDate.nullable(),
  /** GCJ-02 degrees (ADR 0007), drawn on the shipped district boundaries as they are. */
  lng: z.number(),
  lat: z.number(),
  address: z.string(),
});
export type PublicProject = z.infer<typeof PublicProject>;

export const ProjectLibraryPayload = z.object({
  library: z.object({ planYear: z.number().int(), asOf: CalendarDate }),
  totals: z.object({ count: z.number().int(), totalInvestmentWan: z.number(), annualPlanWan: z.number() }),
  projects: z.array(PublicProject),
});
export type ProjectLibraryPayload = z.infer<typeof ProjectLibraryPayload>;
