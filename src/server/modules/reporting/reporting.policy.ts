import type { DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import type { AuditWhere } from '../audit/audit.service.ts';
import type { Actor } from '../../core/actor.ts';
import { isOrgAssignedToTask, taskIdsAssignedTo } from '../../core/assignment-facts.ts';
import type { PlanReporting } from './report-rows.service.ts';
import type { ReportRow } from './reporting.repository.ts';
import type { ReportBasis } from './target-reporters.rule.ts';

/**
 * Who files, reads and reviews progress reports (on top of the route policies of
 * src/server/http/policy.ts):
 * - a report is filed by its organisation's lead or unit users, on the rows target-reporters.rule.ts
 *   gives it: a unit the targets whose jurisdiction names it (groups expanded), and the tasks (and
 *   their targets no jurisdiction names) it is responsible for, directly or through a group; a
 *   lead unit the task-level summary (and those unnamed targets) of the tasks it leads. Admin
 *   reviews but does not file; leader never writes;
 * - a draft is visible to its organisation (and admin) only; once submitted, also to the lead units
 *   of its task and to leader;
 * - a submitted report is reviewed by admin or a lead unit of its task, never by its own organisation.
 * Whose plan it is (tenancy) is decided first, in reporting-tenancy.policy.ts.
 */

/** What the filing check decides over, read once per request by the caller (progress-reports.service.ts). */
export interface FilingFacts {
  /** The row's task as read, if it exists. */
  task: { id: string } | undefined;
  /** The row's target as read, if it exists (undefined for a task-level row). */
  target: { task_id: string } | undefined;
  /** The rows the actor's organisation files in its role, by `taskId/targetId` (filedRowsOf). */
  filed: ReadonlyMap<string, ReportBasis>;
  /** The reporting rule over the rows being filed (loadRowsReporting). */
  reporting: PlanReporting;
}

/** The rows `orgId` files in `role`, keyed `taskId/targetId` (targetId empty for a task's summary), with why. */
export function filedRowsOf(reporting: PlanReporting, orgId: string, role: string): Map<string, ReportBasis> {
  const filed = new Map<string, ReportBasis>();
  for (const r of reporting.rowsFor(orgId, role)) {
    const key = `${r.taskId}/${r.targetId ?? ''}`;
    if (!filed.has(key)) filed.set(key, r.basis);
  }
  return filed;
}

/**
 * Why `actor`'s organisation may file a report on the task/target, or 403 (404 for an unknown
 * task or a target not on the task). Who files which row is target-reporters.rule.ts, the same
 * rule "my reports" lists by; the facts are read by the caller, once for all the rows it files.
 */
export function assertCanFileReport(actor: Actor, taskId: string, targetId: string | null, facts: FilingFacts): ReportBasis {
  if (actor.role !== 'unit' && actor.role !== 'lead') {
    throw new AppError('forbidden', 'reports are filed by the responsible or lead organisation');
  }
  if (!facts.task) throw new AppError('not_found', 'task not found');
  if (targetId && (!facts.target || facts.target.task_id !== taskId)) throw new AppError('not_found', 'target not found on this task');
  const basis = facts.filed.get(`${taskId}/${targetId ?? ''}`);
  if (basis) return basis;
  const jurisdictionTarget = targetId ? facts.reporting.reportersOf(targetId)?.basis === 'jurisdiction' : false;
  throw new AppError(
    'forbidden',
    jurisdictionTarget ? 'this target belongs to another jurisdiction' : 'your organisation does not report on this task',
  );
}

/**
 * The reports `actor` may read, as a subquery of their ids: the one statement of the read rule
 * above, so a single report (canReadReport), a period's list and a task's history decide alike.
 * null for admin, who reads every report. `within` narrows the scan to a task or period.
 */
export function readableReportIds(db: DbOrTrx, actor: Actor, within: { taskId?: string; periodId?: string } = {}) {
  if (actor.role === 'admin') return null;
  return db
    .selectFrom('progress_reports as rr')
    .select('rr.id')
    .$if(within.taskId !== undefined, (q) => q.where('rr.task_id', '=', within.taskId!))
    .$if(within.periodId !== undefined, (q) => q.where('rr.period_id', '=', within.periodId!))
    .where((eb) => {
      const own = eb('rr.org_id', '=', actor.orgId);
      const submitted = eb('rr.status', '!=', 'draft');
      if (actor.role === 'leader') return eb.or([own, submitted]);
      if (actor.role === 'lead') {
        // Lead units named directly, as "task write" does: a group never leads.
        const led = eb('rr.task_id', 'in', taskIdsAssignedTo(db, actor.orgId, 'lead', { viaGroups: false }));
        return eb.or([own, eb.and([submitted, led])]);
      }
      return own;
    });
}

/**
 * The condition on a task's audit events about reports and their evidence that keeps those of the
 * reports `actor` may read (readableReportIds): a draft's every version and its files stay its
 * organisation's. An evidence event names its report in its JSON (the file row may be deleted by
 * now). null for admin, who sees every event.
 */
export function reportEventsReadableBy(db: DbOrTrx, actor: Actor, taskId: string): AuditWhere | null {
  if (readableReportIds(db, actor) === null) return null;
  const ids = () => readableReportIds(db, actor, { taskId })!;
  return (eb, field) =>
    eb.or([
      eb.and([eb('a.entity_type', '=', 'progress_report'), eb('a.entity_id', 'in', ids())]),
      eb.and([
        eb('a.entity_type', '=', 'evidence_file'),
        eb(eb.fn.coalesce(field('after_json', 'reportId'), field('before_json', 'reportId')), 'in', ids()),
      ]),
    ]);
}

/** Whether `actor` may see the report (callers answer 404 when not, so other counties' drafts stay invisible). */
export async function canReadReport(db: DbOrTrx, actor: Actor, report: ReportRow): Promise<boolean> {
  // What the rule decides from the row alone, without asking the database again: every role reads
  // its own organisation's reports, and leader every report but a draft (readableReportIds).
  if (report.org_id === actor.orgId || (actor.role === 'leader' && report.status !== 'draft')) return true;
  const readable = readableReportIds(db, actor, { taskId: report.task_id });
  if (readable === null) return true;
  return (await readable.where('rr.id', '=', report.id).executeTakeFirst()) !== undefined;
}

/** 403 unless `actor` is admin or a lead unit of the report's task other than the reporting organisation. */
export async function assertCanReviewReport(db: DbOrTrx, actor: Actor, report: ReportRow): Promise<void> {
  if (actor.role === 'admin') return;
  if (
    actor.role === 'lead' &&
    report.org_id !== actor.orgId &&
    (await isOrgAssignedToTask(db, report.task_id, actor.orgId, 'lead', { viaGroups: false }))
  ) {
    return;
  }
  throw new AppError('forbidden', 'only the office or a lead unit of the task reviews this report');
}

/** 403 unless `actor` belongs to the reporting organisation. */
export function assertOwnsReport(actor: Actor, report: ReportRow): void {
  if (report.org_id !== actor.orgId || (actor.role !== 'unit' && actor.role !== 'lead')) {
    throw new AppError('forbidden', 'only the reporting organisation changes its report');
  }
}
