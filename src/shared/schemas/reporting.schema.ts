import { z } from 'zod';
import { DELIVERY_STATUSES } from '../enums.ts';
import { CalendarDate, Id, IsoDateTime, Text, Version } from './common.schema.ts';

/** 月报 / 季报 / 半年报. */
export const REPORTING_FREQUENCIES = ['monthly', 'quarterly', 'half_yearly'] as const;
export type ReportingFrequency = (typeof REPORTING_FREQUENCIES)[number];

/** pending: created, not yet accepting reports; open: units report; closed: frozen in a snapshot. */
export const PERIOD_STATUSES = ['pending', 'open', 'closed'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];

/** draft → submitted → approved, or submitted → returned → (edited) → submitted. */
export const REPORT_STATUSES = ['draft', 'submitted', 'returned', 'approved'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Re-exported for the CLI's --as-of checks: the one date type lives in common.schema. */
export { CalendarDate };

export const ReportingSchedule = z.object({
  planId: Id,
  frequency: z.enum(REPORTING_FREQUENCIES),
  /** Reports are due on this day of the month after the period ends (1–28). */
  dueDay: z.number().int().min(1).max(28),
  /** Days after the due date still counted on time. */
  graceDays: z.number().int().min(0).max(60),
  /** Days after due date + grace when the scheduled job closes the period (late reports are accepted until then). */
  closeAfterDays: z.number().int().min(0).max(120),
  /** First period start; null = the plan's creation date. */
  startDate: CalendarDate.nullable(),
  /** false when nothing is stored and these are the defaults. */
  isStored: z.boolean(),
  /** 0 when not stored yet. */
  version: z.number().int().min(0),
});
export type ReportingSchedule = z.infer<typeof ReportingSchedule>;

export const PutReportingScheduleBody = z.object({
  /** The version you read; omit when creating the schedule. */
  version: Version.optional(),
  frequency: z.enum(REPORTING_FREQUENCIES),
  dueDay: z.number().int().min(1).max(28).default(5),
  graceDays: z.number().int().min(0).max(60).default(0),
  closeAfterDays: z.number().int().min(0).max(120).default(10),
  startDate: CalendarDate.nullable().default(null),
});
export type PutReportingScheduleBody = z.infer<typeof PutReportingScheduleBody>;

export const ReportingPeriod = z.object({
  id: Id,
  planId: Id,
  /** 2018年6月, 2018年第二季度, 2018年上半年. */
  label: z.string(),
  frequency: z.enum(REPORTING_FREQUENCIES),
  start: CalendarDate,
  end: CalendarDate,
  dueDate: CalendarDate,
  graceDays: z.number().int(),
  /** When the scheduled job closes it; null = the administrator closes it. */
  closeDate: CalendarDate.nullable(),
  status: z.enum(PERIOD_STATUSES),
  openedAt: IsoDateTime.nullable(),
  closedAt: IsoDateTime.nullable(),
  version: Version,
});
export type ReportingPeriod = z.infer<typeof ReportingPeriod>;
export const ReportingPeriodList = z.object({ items: z.array(ReportingPeriod) });

/**
 * A period of the plan's schedule. With `start` alone, the schedule's period containing that day
 * (label, end, due date and grace from the schedule); the other fields override.
 */
export const CreatePeriodBody = z.object({
  start: CalendarDate,
  end: CalendarDate.optional(),
  label: z.string().trim().min(1).max(50).optional(),
  dueDate: CalendarDate.optional(),
  graceDays: z.number().int().min(0).max(60).optional(),
  closeDate: CalendarDate.nullable().optional(),
  /** Open it at once. */
  open: z.boolean().default(false),
});
export type CreatePeriodBody = z.infer<typeof CreatePeriodBody>;

export const PeriodActionBody = z.object({ version: Version });

const ReportFields = {
  /** Value reached, cumulative, in the target's unit (target rows). */
  value: z.number().finite().min(-1e12).max(1e12).nullable(),
  completionPercent: z.number().finite().min(0).max(100).nullable(),
  /** The unit's own word on its status. */
  reportedStatus: z.enum(DELIVERY_STATUSES).nullable(),
  /** 进展情况. */
  narrative: Text,
  /** 存在问题. */
  problems: Text,
  /** 下步打算. */
  nextSteps: Text,
};

export const ProgressReport = z.object({
  id: Id,
  periodId: Id,
  taskId: Id,
  /** null: a task-level report (qualitative task, or a lead unit's summary). */
  targetId: Id.nullable(),
  /** The reporting organisation. */
  orgId: Id,
  orgName: z.string(),
  ...ReportFields,
  status: z.enum(REPORT_STATUSES),
  /** Submitted after the due date + grace days. */
  isLate: z.boolean(),
  submittedAt: IsoDateTime.nullable(),
  reviewedAt: IsoDateTime.nullable(),
  reviewedBy: Id.nullable(),
  reviewComment: z.string().nullable(),
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type ProgressReport = z.infer<typeof ProgressReport>;
export const ProgressReportList = z.object({ items: z.array(ProgressReport) });

export const ReportListQuery = z.object({
  status: z.enum(REPORT_STATUSES).optional(),
  taskId: Id.optional(),
  orgId: Id.optional(),
});
export type ReportListQuery = z.infer<typeof ReportListQuery>;

/** Save a draft of the caller's organisation's report on a task (targetId null) or target; send the version to update one. */
export const SaveReportBody = z.object({
  version: Version.optional(),
  taskId: Id,
  targetId: Id.nullable().default(null),
  value: ReportFields.value.default(null),
  completionPercent: ReportFields.completionPercent.default(null),
  reportedStatus: ReportFields.reportedStatus.default(null),
  narrative: ReportFields.narrative.default(''),
  problems: ReportFields.problems.default(''),
  nextSteps: ReportFields.nextSteps.default(''),
  /** true: the reporter confirmed a value far outside the target's range (else 422, reason value_outlier). */
  confirmOutlier: z.boolean().optional(),
});
export type SaveReportBody = z.infer<typeof SaveReportBody>;

export const ReportActionBody = z.object({ version: Version, comment: z.string().trim().max(2000).optional() });
export type ReportActionBody = z.infer<typeof ReportActionBody>;
export const ReturnReportBody = z.object({ version: Version, comment: z.string().trim().min(1).max(2000) });

/** One row of "my reports": a target or task the caller's organisation reports on, with its report if any. */
export const MyReportRow = z.object({
  taskId: Id,
  taskSeq: z.number().int(),
  taskText: z.string(),
  targetId: Id.nullable(),
  metric: z.string().nullable(),
  unit: z.string().nullable(),
  targetValue: z.number().nullable(),
  /**
   * Whom the target is for, as the plan writes it (淇县, 市各城区、浚县); null = no one named. Two
   * targets of one task can share a metric (淇县 70%, 市各城区、浚县 50% of 断头路): this tells them apart.
   */
  jurisdictionLabel: z.string().nullable(),
  /** Why this row is the caller's: jurisdiction (a target in its area), responsible, lead (task summary). */
  basis: z.enum(['jurisdiction', 'responsible', 'lead']),
  report: ProgressReport.nullable(),
});
export const MyReportList = z.object({ period: ReportingPeriod, items: z.array(MyReportRow) });

export const SnapshotAmendment = z.object({
  id: Id,
  snapshotId: Id,
  actorId: Id.nullable(),
  /** Who amended, by name (the record outlives account lists); null when a job or a deleted account did. */
  actorName: z.string().nullable(),
  reason: z.string(),
  before: z.record(z.string(), z.unknown()),
  after: z.record(z.string(), z.unknown()),
  createdAt: IsoDateTime,
});

const SnapshotValues = {
  reportedValue: z.number().nullable(),
  reportedStatus: z.enum(DELIVERY_STATUSES).nullable(),
  completionPercent: z.number().nullable(),
  computedStatus: z.enum(DELIVERY_STATUSES),
  reason: z.string(),
};

export const PeriodSnapshot = z.object({
  id: Id,
  periodId: Id,
  taskId: Id,
  targetId: Id.nullable(),
  orgId: Id.nullable(),
  reportId: Id.nullable(),
  reportStatus: z.enum(REPORT_STATUSES).nullable(),
  isLate: z.boolean(),
  ...SnapshotValues,
  /** Completion share 0–1 from the status engine. */
  progress: z.number().nullable(),
  createdAt: IsoDateTime,
  amendments: z.array(SnapshotAmendment),
  /** The frozen values with the amendments applied in order: what assessments read. */
  effective: z.object(SnapshotValues),
});
export type PeriodSnapshot = z.infer<typeof PeriodSnapshot>;
export const PeriodSnapshotList = z.object({ items: z.array(PeriodSnapshot) });

export const CreateAmendmentBody = z
  .object({
    reason: z.string().trim().min(1).max(2000),
    reportedValue: SnapshotValues.reportedValue.optional(),
    reportedStatus: SnapshotValues.reportedStatus.optional(),
    completionPercent: z.number().finite().min(0).max(100).nullable().optional(),
    computedStatus: SnapshotValues.computedStatus.optional(),
    reasonText: z.string().trim().min(1).max(2000).optional(),
  })
  .refine(
    (b) =>
      ['reportedValue', 'reportedStatus', 'completionPercent', 'computedStatus', 'reasonText'].some(
        (k) => k in b && (b as Record<string, unknown>)[k] !== undefined,
      ),
    'change at least one value',
  );
export type CreateAmendmentBody = z.infer<typeof CreateAmendmentBody>;

export const PeriodTickResult = z.object({ opened: z.array(Id), closed: z.array(Id) });

/** A jurisdiction label of a plan's targets (or a part of one) and whom it names (target-reporters rule). */
export const JurisdictionLabel = z.object({
  label: z.string(),
  /** Targets whose label is, or contains, this label. */
  targetCount: z.number().int(),
  /** The office's resolution (organisation ids), or null when the registry's reading stands. */
  resolution: z.array(Id).nullable(),
  /** The organisations that report a target with this label (groups expanded); empty: the task's responsible units do. */
  reporterOrgIds: z.array(Id),
  /** Parts of the label that name no organisation. */
  unresolved: z.array(z.string()),
});
export type JurisdictionLabel = z.infer<typeof JurisdictionLabel>;
export const JurisdictionLabelList = z.object({ items: z.array(JurisdictionLabel) });
export type JurisdictionLabelList = z.infer<typeof JurisdictionLabelList>;

export const PutJurisdictionLabelBody = z.object({
  label: z.string().trim().min(1).max(200),
  /** The organisations the label names; [] removes the office's resolution. */
  orgIds: z.array(Id).max(200),
});
export type PutJurisdictionLabelBody = z.infer<typeof PutJurisdictionLabelBody>;
