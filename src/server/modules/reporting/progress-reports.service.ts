import type { z } from 'zod';
import { checkCompletionPercent, checkReportValue } from '../../../shared/report-value.rule.ts';
import type {
  MyReportList,
  ProgressReport,
  ReportActionBody,
  ReportListQuery,
  SaveReportBody,
} from '../../../shared/schemas/reporting.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/db-errors.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { type AuditInput, appendAudit, appendAuditBatch } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { notifyOrgs, reportsLink } from '../notifications/notifications.service.ts';
import { listOrganisationNames } from '../organisations/organisations.service.ts';
import { newSortableId } from '../../core/ids.ts';
import { lastOnTimeDate } from './period-calendar.rule.ts';
import { chinaDate } from '../../../shared/china-date.ts';
import { getPeriod } from './periods.service.ts';
import { loadPlanReporting, loadRowsReporting } from './report-rows.service.ts';
import {
  assertCanFileReport,
  assertCanReviewReport,
  assertOwnsReport,
  canReadReport,
  filedRowsOf,
  readableReportIds,
} from './reporting.policy.ts';
import { toReport } from './reporting-dto.mapping.ts';
import { assertPlanInScope } from './reporting-tenancy.policy.ts';
import {
  findReportItemName,
  listFilingTargets,
  listFilingTasks,
  listReportTargetRows,
  listReportTaskRows,
} from '../plans/plan-status.queries.ts';
import {
  findReportByKey as findStoredReportByKey,
  countReportsOnTaskRows,
  findReportRow as findStoredReportRow,
  type DraftUpdate,
  hasSubmittedReportRow,
  insertReportRows,
  listReportRowsById,
  listOrgReportRows as listStoredOrgReportRows,
  listLatestProgress,
  listReportRows as listStoredReportRows,
  type ReportFilter,
  type ReportRow,
  type StoredReportRow,
  updateDraftRows,
  updateReportRow,
} from './reporting.repository.ts';
import { loadPlanStatusData, type PlanStatusData, recomputeStatuses } from './status-recompute.service.ts';

/**
 * Names the organisations of report rows with one call to organisations' service for the batch
 * (organisations owns the table; reporting no longer joins it). Order is kept; a row whose
 * organisation is missing is dropped, as the inner join this replaces did.
 */
async function withOrgNames(db: DbOrTrx, rows: readonly StoredReportRow[]): Promise<ReportRow[]> {
  if (rows.length === 0) return [];
  const names = await listOrganisationNames(
    db,
    rows.map((r) => r.org_id),
  );
  return rows.flatMap((r) => {
    const orgName = names.get(r.org_id);
    return orgName === undefined ? [] : [{ ...r, org_name: orgName }];
  });
}

async function withOrgName(db: DbOrTrx, row: StoredReportRow | undefined): Promise<ReportRow | undefined> {
  return row ? (await withOrgNames(db, [row]))[0] : undefined;
}

async function findReportRow(db: DbOrTrx, reportId: string): Promise<ReportRow | undefined> {
  return withOrgName(db, await findStoredReportRow(db, reportId));
}

async function listReportRows(db: DbOrTrx, filter: ReportFilter): Promise<ReportRow[]> {
  return withOrgNames(db, await listStoredReportRows(db, filter));
}

async function listOrgReportRows(db: DbOrTrx, periodId: string, orgId: string): Promise<ReportRow[]> {
  return withOrgNames(db, await listStoredOrgReportRows(db, periodId, orgId));
}

type MyReportListDto = z.infer<typeof MyReportList>;
type MyReportRowDto = MyReportListDto['items'][number];

function keyOf(taskId: string, targetId: string | null): string {
  return `${taskId}/${targetId ?? ''}`;
}

/**
 * "My reports" for a period: every row the caller's organisation files in its role, with its
 * report if one exists — who files what is target-reporters.rule.ts (via loadPlanReporting): a
 * unit the targets whose jurisdiction names it (groups expanded) and each task it is responsible
 * for with the task's targets no jurisdiction names; a lead unit the task-level summary and those
 * unnamed targets of each task it leads. Admin files nothing, so gets no rows.
 */
export async function listMyReports(db: DbOrTrx, periodId: string, actor: Actor): Promise<MyReportListDto> {
  const period = await getPeriod(db, periodId, actor);
  const rows: MyReportRowDto[] = [];
  if (actor.role === 'unit' || actor.role === 'lead') {
    const [reporting, tasks, targets] = await Promise.all([
      loadPlanReporting(db, period.planId),
      listReportTaskRows(db, period.planId),
      listReportTargetRows(db, period.planId),
    ]);
    const taskById = new Map(tasks.map((t) => [t.task_id, t]));
    const targetById = new Map(targets.map((t) => [t.target_id, t]));
    for (const r of reporting.rowsFor(actor.orgId, actor.role)) {
      const task = taskById.get(r.taskId);
      if (!task) continue;
      const t = r.targetId === null ? undefined : targetById.get(r.targetId);
      if (r.targetId !== null && !t) continue;
      rows.push({
        taskId: task.task_id,
        taskSeq: task.task_seq,
        taskText: task.task_text,
        targetId: t?.target_id ?? null,
        metric: t?.metric ?? null,
        unit: t?.unit ?? null,
        targetValue: t ? Number(t.target_value) : null,
        jurisdictionLabel: t?.jurisdiction_label ?? null,
        basis: r.basis,
        report: null,
      });
    }
  }
  const reports = new Map((await listOrgReportRows(db, periodId, actor.orgId)).map((r) => [keyOf(r.task_id, r.target_id), r]));
  for (const row of rows) {
    const report = reports.get(keyOf(row.taskId, row.targetId));
    if (report) row.report = toReport(report);
  }
  // Document order; within a task its summary row first.
  rows.sort((a, b) => a.taskSeq - b.taskSeq || a.taskId.localeCompare(b.taskId) || (a.targetId ?? '').localeCompare(b.targetId ?? ''));
  return { period, items: rows };
}

/**
 * The period's reports the caller may see: admin all; leader all but drafts; a lead unit the
 * reports on the tasks it leads (drafts excepted) and its own; a unit only its own organisation's.
 */
export async function listReports(
  db: DbOrTrx,
  periodId: string,
  query: ReportListQuery,
  actor: Actor,
): Promise<{ items: ProgressReport[] }> {
  await getPeriod(db, periodId, actor);
  const readableIds = readableReportIds(db, actor, { periodId }) ?? undefined;
  const filter: ReportFilter = { periodId, status: query.status, taskId: query.taskId, orgId: query.orgId, readableIds };
  return { items: (await listReportRows(db, filter)).map(toReport) };
}

// The report and its period (read once: a transition checks the period is open too).
async function loadReadableWithPeriod(db: DbOrTrx, reportId: string, actor: Actor, mode: 'read' | 'administer' = 'read') {
  const row = await findReportRow(db, reportId);
  // Not yours to see and not there look the same: another county's draft, or another city's report, does not exist for you.
  if (!row) throw new AppError('not_found', 'report not found');
  const period = await getPeriod(db, row.period_id);
  await assertPlanInScope(db, actor, period.planId, mode, 'report not found');
  if (!(await canReadReport(db, actor, row))) throw new AppError('not_found', 'report not found');
  return { row, period };
}

async function loadReadable(db: DbOrTrx, reportId: string, actor: Actor, mode: 'read' | 'administer' = 'read'): Promise<ReportRow> {
  return (await loadReadableWithPeriod(db, reportId, actor, mode)).row;
}

/**
 * One report the caller may see, or 404 (also when its plan is another jurisdiction's). With
 * `mode` 'administer' (for changes hanging off the report, such as its evidence), 403 when its
 * plan's tenant is read but not administered by the caller.
 */
export async function getReport(
  db: DbOrTrx,
  reportId: string,
  actor: Actor,
  mode: 'read' | 'administer' = 'read',
): Promise<ProgressReport> {
  return toReport(await loadReadable(db, reportId, actor, mode));
}

function assertOpen<P extends { status: string; label: string }>(period: P): P {
  if (period.status !== 'open') throw new AppError('conflict', `the reporting period ${period.label} is ${period.status}, not open`);
  return period;
}

function versionConflict(current: ReportRow): AppError {
  return new AppError('version_conflict', 'the report was changed by someone else; reload it', { current: toReport(current) });
}

/**
 * Refuses impossible values (negative, a share outside 0–100) and, unless confirmed, values far
 * outside the target's range: 422 with the reason in Chinese and `reason` invalid_value or
 * value_outlier (the web turns the latter into a confirm dialog). One rule: report-value.rule.ts.
 * `target`: the body's target as read (its unit, value and upper bound).
 */
function assertReportValues(
  body: SaveReportBody,
  target: { unit: string | null; value: number | string | null; max_value: number | string | null } | undefined,
): void {
  const percent = checkCompletionPercent(body.completionPercent);
  if (!percent.ok)
    throw new AppError('unprocessable', percent.reason, {
      reason: 'invalid_value',
      errors: [{ path: 'completionPercent', message: percent.reason }],
    });
  if (body.targetId === null || body.value === null) return;
  if (!target) return;
  const verdict = checkReportValue(
    body.value,
    {
      unit: target.unit,
      value: target.value === null ? null : Number(target.value),
      maxValue: target.max_value === null ? null : Number(target.max_value),
    },
    body.confirmOutlier === true,
  );
  if (!verdict.ok) {
    throw new AppError('unprocessable', verdict.reason, {
      reason: verdict.kind === 'outlier' ? 'value_outlier' : 'invalid_value',
      errors: [{ path: 'value', message: verdict.reason }],
    });
  }
}

/**
 * Saves the caller's organisation's draft of a report on a task (targetId null) or target in an
 * open period: creates it, or updates it at the version read (409 when stale). A submitted or
 * approved report cannot be edited (409); a returned one can, and stays returned until resubmitted.
 */
export async function saveReport(db: Db, periodId: string, body: SaveReportBody, actor: Actor): Promise<ProgressReport> {
  return writeTx(db, async (trx) => (await saveReportRows(trx, periodId, [body], actor))[0]!);
}

/**
 * Saves many drafts of the caller's organisation in one period (an uploaded 进展填报表), in the
 * caller's transaction or a new one: each body under exactly saveReport's rules and with its
 * audit event, but set-based — the facts of all rows read once, the new rows in multi-row
 * INSERTs, the changed ones in `UPDATE … FROM (VALUES …)`, the events appended as one batch.
 * The first row that breaks a rule fails the whole call (nothing is saved). A row named twice is
 * a version conflict (its second body was not written against the first's result).
 */
export async function saveReports(
  db: DbOrTrx,
  periodId: string,
  bodies: readonly SaveReportBody[],
  actor: Actor,
): Promise<ProgressReport[]> {
  if (bodies.length === 0) return [];
  return writeTx(db, (trx) => saveReportRows(trx, periodId, bodies, actor));
}

const unique = (ids: Iterable<string>) => [...new Set(ids)];

async function saveReportRows(trx: DbOrTrx, periodId: string, bodies: readonly SaveReportBody[], actor: Actor): Promise<ProgressReport[]> {
  const period = assertOpen(await getPeriod(trx, periodId, actor, 'administer'));
  // The facts every row's checks decide over, read once for all rows: their tasks (with the
  // plan's tenant) and targets, then the reporting rule over just those rows.
  const tasks = new Map((await listFilingTasks(trx, unique(bodies.map((b) => b.taskId)))).map((t) => [t.id, t]));
  const targets = new Map(
    (await listFilingTargets(trx, unique(bodies.flatMap((b) => (b.targetId === null ? [] : [b.targetId]))))).map((t) => [t.id, t]),
  );
  const onPlan = (taskId: string) => {
    const task = tasks.get(taskId);
    return task && task.plan_id === period.planId ? task : undefined;
  };
  for (const body of bodies) {
    if (!onPlan(body.taskId)) throw new AppError('not_found', 'task not found in this period’s plan');
  }
  const owner = onPlan(bodies[0]!.taskId)!.owner_org_id;
  const reporterTargets = [...targets.values()]
    .filter((t) => onPlan(t.task_id))
    .map((t) => ({ id: t.id, taskId: t.task_id, jurisdictionOrgId: t.jurisdiction_org_id, jurisdictionLabel: t.jurisdiction_label }));
  const reporting = await loadRowsReporting(
    trx,
    { id: period.planId, ownerOrgId: owner },
    unique(bodies.map((b) => b.taskId)),
    reporterTargets,
  );
  const filed = filedRowsOf(reporting, actor.orgId, actor.role);
  let orgName = reporting.orgNames.get(actor.orgId);
  if (orgName === undefined) orgName = (await listOrganisationNames(trx, [actor.orgId])).get(actor.orgId) ?? '';
  const named = (r: StoredReportRow): ReportRow => ({ ...r, org_name: orgName });

  const keyOfBody = (b: SaveReportBody) => keyOf(b.taskId, b.targetId);
  // The stored reports of these rows: one keyed lookup for one row, the organisation's period otherwise.
  const stored = new Map<string, StoredReportRow>();
  if (bodies.length === 1) {
    const b = bodies[0]!;
    const row = await findStoredReportByKey(trx, { periodId, taskId: b.taskId, targetKey: b.targetId ?? '', orgId: actor.orgId });
    if (row) stored.set(keyOfBody(b), row);
  } else {
    for (const row of await listStoredOrgReportRows(trx, periodId, actor.orgId)) stored.set(keyOf(row.task_id, row.target_id), row);
  }

  const now = new Date().toISOString();
  const inserts: StoredReportRow[] = [];
  const updates: DraftUpdate[] = [];
  const seen = new Set<string>();
  const out: ProgressReport[] = [];
  const events: AuditInput[] = [];
  for (const body of bodies) {
    assertCanFileReport(actor, body.taskId, body.targetId, {
      task: onPlan(body.taskId),
      target: body.targetId === null ? undefined : targets.get(body.targetId),
      filed,
      reporting,
    });
    if (body.targetId === null && body.value !== null) {
      throw new AppError('unprocessable', 'a task-level report has no value; report values on the task’s targets');
    }
    assertReportValues(body, body.targetId === null ? undefined : targets.get(body.targetId));
    const key = keyOfBody(body);
    const existingRow = stored.get(key);
    const existing = existingRow ? named(existingRow) : undefined;
    if (seen.has(key)) {
      throw new AppError('version_conflict', 'the report is named twice in one save; reload it', {
        current: existing ? toReport(existing) : null,
      });
    }
    seen.add(key);
    const fields = {
      value: body.value ?? null,
      completion_percent: body.completionPercent ?? null,
      reported_status: body.reportedStatus ?? null,
      narrative: body.narrative,
      problems: body.problems,
      next_steps: body.nextSteps,
      updated_at: now,
    };
    // The row as written, built from what was written (not read back).
    let written: ReportRow;
    if (existing) {
      if (existing.status !== 'draft' && existing.status !== 'returned') {
        throw new AppError('conflict', `the report is ${existing.status} and can no longer be edited`);
      }
      if (body.version !== existing.version) throw versionConflict(existing);
      updates.push({ id: existing.id, version: existing.version, ...fields });
      written = { ...existing, ...fields, version: existing.version + 1 };
    } else {
      if (body.version !== undefined)
        throw new AppError('version_conflict', 'the report does not exist yet; send no version', { current: null });
      const row: StoredReportRow = {
        id: newSortableId(),
        period_id: periodId,
        task_id: body.taskId,
        target_id: body.targetId,
        target_key: body.targetId ?? '',
        org_id: actor.orgId,
        ...fields,
        status: 'draft',
        is_late: 0,
        submitted_at: null,
        submitted_by: null,
        reviewed_at: null,
        reviewed_by: null,
        review_comment: null,
        created_by: actor.userId,
        version: 1,
        created_at: now,
      };
      inserts.push(row);
      written = named(row);
    }
    const after = toReport(written);
    out.push(after);
    events.push({
      actorId: actor.userId,
      action: existing ? 'progress_report.update' : 'progress_report.create',
      entityType: 'progress_report',
      entityId: written.id,
      taskId: body.taskId,
      planId: period.planId,
      before: existing ? toReport(existing) : null,
      after,
    });
  }
  if ((await updateDraftRows(trx, updates, now)) !== updates.length) {
    // Changed by someone else since read: name the first stale row, as a save of it alone would.
    const current = new Map(
      (
        await listReportRowsById(
          trx,
          updates.map((u) => u.id),
        )
      ).map((r) => [r.id, r]),
    );
    const stale = updates.find((u) => current.get(u.id)?.version !== u.version);
    const row = stale ? current.get(stale.id) : undefined;
    throw row ? versionConflict(named(row)) : new AppError('version_conflict', 'the report was changed by someone else; reload it');
  }
  try {
    await insertReportRows(trx, inserts);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('version_conflict', 'the report was created by someone else; reload it');
    throw err;
  }
  await appendAuditBatch(trx, events);
  return out;
}

type Transition = 'submit' | 'approve' | 'return';

/** What findReportItemName reads, from a task's status inputs already loaded (the task's number, the target's metric and label). */
function itemNameIn(data: PlanStatusData, taskId: string, targetId: string | null) {
  const task = data.tasks.find((t) => t.id === taskId);
  if (!task) return undefined;
  const target = targetId === null ? undefined : data.targets.find((t) => t.id === targetId && t.task_id === taskId);
  return { seq: task.seq, metric: target?.metric ?? null, jurisdiction_label: target?.jurisdiction_label ?? null };
}

/** When a transition happens: `today` (YYYY-MM-DD, LUOSHI_TODAY in demos) overrides the date in China for lateness and status. */
export interface ReportClock {
  now?: Date;
  today?: string;
}

async function transition(
  db: Db,
  reportId: string,
  body: ReportActionBody,
  actor: Actor,
  kind: Transition,
  clock: ReportClock,
): Promise<ProgressReport> {
  const now = clock.now ?? new Date();
  const today = clock.today ?? chinaDate(now);
  return writeTx(db, async (trx) => {
    const { row: before, period: read } = await loadReadableWithPeriod(trx, reportId, actor, 'administer');
    if (kind === 'submit') assertOwnsReport(actor, before);
    else await assertCanReviewReport(trx, actor, before);
    const period = assertOpen(read);
    const allowedFrom = kind === 'submit' ? ['draft', 'returned'] : ['submitted'];
    if (!allowedFrom.includes(before.status))
      throw new AppError('conflict', `a ${before.status} report cannot be ${kind === 'submit' ? 'submitted' : 'reviewed'}`);
    if (body.version !== before.version) throw versionConflict(before);
    const at = now.toISOString();
    let patch: Parameters<typeof updateReportRow>[3];
    if (kind === 'submit') {
      if (before.target_id !== null && before.value === null)
        throw new AppError('report_value_missing', 'report the value reached before submitting');
      patch = {
        status: 'submitted',
        submitted_at: at,
        submitted_by: actor.userId,
        is_late: today > lastOnTimeDate(period.dueDate, period.graceDays) ? 1 : 0,
        updated_at: at,
      };
    } else {
      patch = {
        status: kind === 'approve' ? 'approved' : 'returned',
        reviewed_at: at,
        reviewed_by: actor.userId,
        review_comment: body.comment ?? null,
        updated_at: at,
      };
    }
    if ((await updateReportRow(trx, reportId, before.version, patch)) === 0) throw versionConflict((await findReportRow(trx, reportId))!);
    // The row as written (not read back): the row read under this transaction, the patch, the version bump.
    const after = toReport({ ...before, ...patch, version: before.version + 1 } as ReportRow);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: `progress_report.${kind}`,
      entityType: 'progress_report',
      entityId: reportId,
      taskId: before.task_id,
      planId: period.planId,
      before: toReport(before),
      after,
    });
    // The task's status inputs, read once: the recompute's, and the row's name in the notification.
    const data = kind === 'approve' ? await loadPlanStatusData(trx, period.planId, [before.task_id]) : undefined;
    if (data) await recomputeStatuses(trx, period.planId, actor, { taskIds: [before.task_id], today, data });
    // The reporting organisation learns the review's outcome with the report (same transaction).
    if (kind !== 'submit') {
      // The body names the row (第3项 断头路打通比例（甲县）), so a county with 80 rows knows which one.
      const item = data
        ? itemNameIn(data, before.task_id, before.target_id)
        : await findReportItemName(trx, before.task_id, before.target_id);
      const itemName = item
        ? `第${item.seq}项${item.metric ? ` ${item.metric}${item.jurisdiction_label ? `（${item.jurisdiction_label}）` : ''}` : ' 任务总体进展'}`
        : '';
      await notifyOrgs(
        trx,
        [before.org_id],
        {
          kind: kind === 'approve' ? 'report.approved' : 'report.returned',
          title: kind === 'approve' ? '进展报告已通过' : '进展报告被退回',
          body: body.comment ? `${itemName}：${body.comment}` : itemName,
          link: reportsLink(period.planId, period.id),
        },
        { planId: period.planId },
      );
    }
    return after;
  });
}

/** Submits the caller's organisation's draft or returned report (flagged late after the due date + grace, Beijing time). */
export function submitReport(
  db: Db,
  reportId: string,
  body: ReportActionBody,
  actor: Actor,
  clock: ReportClock = {},
): Promise<ProgressReport> {
  return transition(db, reportId, body, actor, 'submit', clock);
}

/** Approves a submitted report (admin or a lead unit of its task) and recomputes the task's and its targets' statuses. */
export function approveReport(
  db: Db,
  reportId: string,
  body: ReportActionBody,
  actor: Actor,
  clock: ReportClock = {},
): Promise<ProgressReport> {
  return transition(db, reportId, body, actor, 'approve', clock);
}

/** Returns a submitted report to its organisation with a comment, for editing and resubmission. */
export function returnReport(
  db: Db,
  reportId: string,
  body: ReportActionBody,
  actor: Actor,
  clock: ReportClock = {},
): Promise<ProgressReport> {
  return transition(db, reportId, body, actor, 'return', clock);
}

/**
 * The latest 进展情况 of each wanted ledger row (task × unit, or the task as a whole when `orgId`
 * is null) among submitted or approved reports that say something: keyed `taskId:orgId` / `taskId:-`.
 */
export function listLatestSubmittedProgress(
  db: DbOrTrx,
  planIds: readonly string[],
  wanted: readonly { taskId: string; orgId: string | null }[],
): Promise<Map<string, string>> {
  return listLatestProgress(db, planIds, wanted);
}

/** True when the organisation submitted (or had approved) a report on the task in the period. */
export function hasSubmittedReport(db: DbOrTrx, periodId: string, taskId: string, orgId: string): Promise<boolean> {
  return hasSubmittedReportRow(db, periodId, taskId, orgId);
}

/** Reports per task on `taskIds`, or on one of the targets `targetIds` selects: what a plan revision must not delete. */
export function countReportsOnTasks(db: DbOrTrx, taskIds: string[], targetIds: Parameters<typeof countReportsOnTaskRows>[2]) {
  return countReportsOnTaskRows(db, taskIds, targetIds);
}
