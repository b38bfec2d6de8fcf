/**
 * Assembles the frozen record an assessment is computed from, through the reporting and
 * supervision services only (never their repositories, never live report rows): the closed
 * periods' snapshots of the plan within the range, and the 督办 notices on the plan's tasks as they
 * stood at the range end (answers and escalation steps dated later are left out, so what happens
 * after the range changes nothing).
 */
import type { AssessmentRecord, LadderStep, NoticeFact, ReportFact } from '../../../assessment/index.ts';
import { chinaDate } from '../../../shared/china-date.ts';
import type { ReportingPeriod } from '../../../shared/schemas/reporting.schema.ts';
import type { SupervisionNotice } from '../../../shared/schemas/supervision.schema.ts';
import type { Actor } from '../../core/actor.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import { listOrganisations } from '../organisations/organisations.service.ts';
import { forEachSnapshotFact, type SnapshotFact } from '../reporting/period-close.service.ts';
import { listPeriods } from '../reporting/periods.service.ts';
import { listNotices } from '../supervision/supervision.service.ts';
import { listProjectAssessmentFacts, type ProjectFactParts } from '../projects/projects-assessment.service.ts';

/**
 * The one function that knows the snapshot's row shape: a closed period's row → its report fact.
 * Rows with no organisation (a task-level row nobody reported) are attributed to nobody today;
 * when snapshots carry one row per target × reporting organisation (issue 11 item 7) every row
 * has its organisation and this stays a one-to-one map.
 */
function reportFact(period: ReportingPeriod, r: SnapshotFact & { orgId: string }): ReportFact {
  return {
    id: r.id,
    orgId: r.orgId,
    periodId: period.id,
    frequency: period.frequency,
    periodEnd: period.end,
    taskId: r.taskId,
    targetId: r.targetId,
    reportId: r.reportId,
    reportStatus: r.reportStatus,
    isLate: r.isLate,
    // The amended values are what assessments read (a recorded correction of the frozen row).
    status: r.computedStatus,
  };
}

/** A notice as it stood on `asOf`, one fact per receiving organisation. */
export function noticeFacts(notice: SupervisionNotice, asOf: string): NoticeFact[] {
  if (chinaDate(new Date(notice.createdAt)) > asOf) return [];
  const orgIds = [...new Set(notice.rows.map((r) => r.orgId))].sort();
  const steps = notice.escalations.filter((e) => chinaDate(new Date(e.at)) <= asOf);
  return orgIds.map((orgId) => {
    const answers = notice.responses
      .filter((r) => r.orgId === orgId)
      .map((r) => chinaDate(new Date(r.at)))
      .filter((d) => d <= asOf)
      .sort();
    return {
      id: `${notice.id}:${orgId}`,
      noticeId: notice.id,
      orgId,
      dueDate: notice.dueDate,
      answeredOn: answers[0] ?? null,
      steps: steps.map((s, i) => ({
        step: s.step as LadderStep,
        on: chinaDate(new Date(s.at)),
        id: `${notice.id}:${orgId}:${i}:${s.step}`,
      })),
    };
  });
}

/**
 * Reads the record of `planId` over [start, end] for the assessed organisations (and, with
 * `projects`, their library projects of the end's year as they stood on the end day, with the
 * optional parts it names). `actor` is the
 * office user starting the assessment (supervision lists every notice to the office only).
 * Deterministic order (period end, row id; notice id), so the same stored data gives the same
 * record byte for byte.
 */
export async function readAssessmentRecord(
  db: DbOrTrx,
  input: { planId: string; start: string; end: string; orgIds: readonly string[]; projects?: ProjectFactParts | false },
  actor: Actor,
): Promise<AssessmentRecord> {
  const assessed = new Set(input.orgIds);
  const periods = (await listPeriods(db, input.planId)).items
    .filter((p) => p.status === 'closed' && p.end >= input.start && p.end <= input.end)
    .sort((a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : a.id < b.id ? -1 : 1));
  const reports: ReportFact[] = [];
  const taskIds = new Set<string>();
  // All periods' rows set-based (reporting's read: one query per period), each row mapped once
  // into its fact as it streams by (no list of reporting's rows held beside the record).
  const byId = new Map(periods.map((p) => [p.id, p]));
  let period: ReportingPeriod | null = null;
  let from = 0;
  let sorted = true;
  // The database's collation may order ids otherwise than code units: the record's order is JS's.
  const closePeriod = () => {
    if (sorted) return;
    const part = reports.slice(from).sort((a, b) => (a.id < b.id ? -1 : 1));
    for (let i = 0; i < part.length; i++) reports[from + i] = part[i]!;
  };
  await forEachSnapshotFact(
    db,
    periods.map((p) => p.id),
    (r) => {
      if (period?.id !== r.periodId) {
        closePeriod();
        period = byId.get(r.periodId)!;
        from = reports.length;
        sorted = true;
      }
      taskIds.add(r.taskId);
      if (r.orgId === null || !assessed.has(r.orgId)) return;
      const f = reportFact(period, r as SnapshotFact & { orgId: string });
      if (reports.length > from && reports[reports.length - 1]!.id > f.id) sorted = false;
      reports.push(f);
    },
  );
  closePeriod();
  const notices = (await listNotices(db, {}, actor)).items
    .filter((n) => n.rows.some((r) => taskIds.has(r.taskId)))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .flatMap((n) => noticeFacts(n, input.end))
    .filter((f) => assessed.has(f.orgId));
  const names = new Map((await listOrganisations(db)).items.map((o) => [o.id, o.name]));
  const units = [...assessed].sort().map((orgId) => {
    const name = names.get(orgId);
    if (name === undefined) throw new AppError('unprocessable', `考核方案中的单位 ${orgId} 不存在`);
    return { orgId, name };
  });
  // Project facts only for a scheme with a project rule: a record without them stays as it was.
  if (!input.projects) return { asOf: input.end, units, reports, notices };
  const projects = await listProjectAssessmentFacts(db, input.end, [...assessed].sort(), input.projects);
  return { asOf: input.end, units, reports, notices, projects };
}
