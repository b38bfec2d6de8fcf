/** Row → DTO mapping for reporting (snake_case rows, camelCase DTOs). */
import type { Selectable } from 'kysely';
import type { PeriodSnapshot, ProgressReport, ReportingPeriod, ReportingSchedule } from '../../../shared/schemas/reporting.schema.ts';
import type {
  PeriodSnapshotsTable,
  ReportingPeriodsTable,
  ReportingSchedulesTable,
  SnapshotAmendmentsTable,
} from '../../db/database.types.ts';
import type { ReportRow } from './reporting.repository.ts';

export function toSchedule(row: Selectable<ReportingSchedulesTable>): ReportingSchedule {
  return {
    planId: row.plan_id,
    frequency: row.frequency,
    dueDay: row.due_day,
    graceDays: row.grace_days,
    closeAfterDays: row.close_after_days,
    startDate: row.start_date,
    isStored: true,
    version: row.version,
  };
}

export function toPeriod(row: Selectable<ReportingPeriodsTable>): ReportingPeriod {
  return {
    id: row.id,
    planId: row.plan_id,
    label: row.label,
    frequency: row.frequency,
    start: row.start_date,
    end: row.end_date,
    dueDate: row.due_date,
    graceDays: row.grace_days,
    closeDate: row.close_date,
    status: row.status,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    version: row.version,
  };
}

function numberOrNull(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}

export function toReport(row: ReportRow): ProgressReport {
  return {
    id: row.id,
    periodId: row.period_id,
    taskId: row.task_id,
    targetId: row.target_id,
    orgId: row.org_id,
    orgName: row.org_name,
    value: numberOrNull(row.value),
    completionPercent: numberOrNull(row.completion_percent),
    reportedStatus: row.reported_status,
    narrative: row.narrative,
    problems: row.problems,
    nextSteps: row.next_steps,
    status: row.status,
    isLate: Number(row.is_late) === 1,
    submittedAt: row.submitted_at,
    reviewedAt: row.reviewed_at,
    reviewedBy: row.reviewed_by,
    reviewComment: row.review_comment,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type Amendment = PeriodSnapshot['amendments'][number];

export function toAmendment(row: Selectable<SnapshotAmendmentsTable> & { actor_name: string | null }): Amendment {
  return {
    id: row.id,
    snapshotId: row.snapshot_id,
    actorId: row.actor_id,
    actorName: row.actor_name,
    reason: row.reason,
    before: JSON.parse(row.before_json) as Record<string, unknown>,
    after: JSON.parse(row.after_json) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

export function toSnapshot(row: Selectable<PeriodSnapshotsTable>, amendments: Amendment[]): PeriodSnapshot {
  const frozen = {
    reportedValue: numberOrNull(row.reported_value),
    reportedStatus: row.reported_status,
    completionPercent: numberOrNull(row.completion_percent),
    computedStatus: row.computed_status,
    reason: row.reason,
  };
  // Amendments store the changed fields under the same names as `effective`.
  const effective = { ...frozen };
  for (const a of amendments) Object.assign(effective, a.after);
  return {
    id: row.id,
    periodId: row.period_id,
    taskId: row.task_id,
    targetId: row.target_id,
    orgId: row.org_id,
    reportId: row.report_id,
    reportStatus: row.report_status,
    isLate: Number(row.is_late) === 1,
    ...frozen,
    progress: numberOrNull(row.progress),
    createdAt: row.created_at,
    amendments,
    effective,
  };
}
