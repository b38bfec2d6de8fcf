import type { DeliveryStatus } from '../../../shared/enums.ts';
import { computeStatus, type Observation, rollUp, type StatusResult } from '../../../status-engine/index.ts';
import type { DbOrTrx } from '../../db/database.ts';
import type { Actor } from '../../core/actor.ts';
import { writeTx } from '../../core/transaction.ts';
import { chinaDate } from '../../../shared/china-date.ts';
import {
  findPlanBasics,
  listLastDeadlines,
  listLeadAssignments,
  listStatusTargets,
  listStatusTasks,
} from '../plans/plan-status.queries.ts';
import { applyComputedStatuses, type ComputedStatusChange } from '../plans/tasks.service.ts';
import { findFirstPeriodStart, listApprovedReports } from './reporting.repository.ts';

type StatusTarget = Awaited<ReturnType<typeof listStatusTargets>>[number];
type StatusTask = Awaited<ReturnType<typeof listStatusTasks>>[number];
type ApprovedReport = Awaited<ReturnType<typeof listApprovedReports>>[number];

/** Everything the status engine needs about a plan (or some of its tasks), loaded in a handful of queries. */
export interface PlanStatusData {
  /** The plan's first period start, or its creation date: where elapsed time is measured from. */
  startDate: string;
  tasks: StatusTask[];
  targets: StatusTarget[];
  lastDeadlineByTask: Map<string, string>;
  approved: ApprovedReport[];
  /** The lead units of the tasks without targets (the only tasks the engine asks them for). */
  leadOrgsByTask: Map<string, Set<string>>;
}

export interface TaskEvaluation {
  status: DeliveryStatus;
  reason: string;
  progress: number | null;
}

export interface PlanEvaluation {
  targets: Map<string, StatusResult>;
  tasks: Map<string, TaskEvaluation>;
}

/**
 * Loads the plan's tasks, targets, deadlines and approved reports for {@link evaluatePlan}; `taskIds` narrows it to those tasks.
 * Read only when the engine will use them: the plan's creation date when it has no period yet,
 * the lead units of the tasks without targets (a task with targets rolls them up instead).
 */
export async function loadPlanStatusData(db: DbOrTrx, planId: string, taskIds?: string[]): Promise<PlanStatusData> {
  const [first, tasks, targets, deadlines, approved] = await Promise.all([
    findFirstPeriodStart(db, planId),
    listStatusTasks(db, planId, taskIds),
    listStatusTargets(db, planId, taskIds),
    listLastDeadlines(db, planId, taskIds),
    listApprovedReports(db, planId, taskIds),
  ]);
  const withTargets = new Set(targets.map((t) => t.task_id));
  const bare = tasks.filter((t) => !withTargets.has(t.id)).map((t) => t.id);
  const firstStart = first?.first_start ? String(first.first_start) : null;
  const [plan, leads] = await Promise.all([
    firstStart === null ? findPlanBasics(db, planId) : undefined,
    // Many such tasks (a whole plan's): all of the plan's leads, not a list of thousands of ids.
    bare.length === 0 ? [] : listLeadAssignments(db, planId, bare.length > 1000 ? taskIds : bare),
  ]);
  const leadOrgsByTask = new Map<string, Set<string>>();
  for (const a of leads) {
    const set = leadOrgsByTask.get(a.task_id) ?? new Set<string>();
    set.add(a.org_id);
    leadOrgsByTask.set(a.task_id, set);
  }
  return {
    startDate: firstStart ?? (plan ? plan.created_at.slice(0, 10) : '1970-01-01'),
    tasks,
    targets,
    lastDeadlineByTask: new Map(deadlines.map((d) => [d.task_id, String(d.last_date)])),
    approved,
    leadOrgsByTask,
  };
}

// Later period first; within a period the last review wins (a report approved, returned and
// re-approved has one row, but two units may report one unscoped target).
function isLater(a: ApprovedReport, b: ApprovedReport): boolean {
  if (a.end_date !== b.end_date) return a.end_date > b.end_date;
  return (a.reviewed_at ?? '') > (b.reviewed_at ?? '');
}

function targetLabel(t: StatusTarget): string {
  return t.jurisdiction_label ? `${t.metric}（${t.jurisdiction_label}）` : t.metric;
}

// The worst signal wins (rollUp); the reason names the target that gives it.
function rolledUp(results: Array<{ t: StatusTarget; r: StatusResult }>): StatusResult {
  const rolled = rollUp(results.map(({ r }) => ({ status: r.status, progress: r.progress })));
  const worst = results.find(({ r }) => r.status === rolled.status);
  const reason =
    rolled.status === 'done'
      ? `全部${results.length}项指标已完成`
      : worst
        ? `${targetLabel(worst.t)}：${worst.r.reason}`
        : `${results.length}项指标推进中`;
  return { status: rolled.status, reason, progress: rolled.progress, projected: null };
}

/**
 * The status of every target and task in `data` at `asOf`, from the approved reports of periods
 * ending on or before `asOf`. A target's series is its approved values by period end date (a city
 * total with no reports of its own rolls up its district shares); a task rolls up its targets
 * (the shares standing for their total, so nothing counts twice); a task
 * without targets is judged on its latest approved task-level report, the lead unit's first.
 */
export function evaluatePlan(data: PlanStatusData, asOf: string): PlanEvaluation {
  const approved = data.approved.filter((r) => r.end_date <= asOf);
  const byTarget = new Map<string, ApprovedReport[]>();
  const taskLevel = new Map<string, ApprovedReport[]>();
  for (const r of approved) {
    const map = r.target_id ? byTarget : taskLevel;
    const key = r.target_id ?? r.task_id;
    const list = map.get(key) ?? [];
    list.push(r);
    map.set(key, list);
  }

  const targets = new Map<string, StatusResult>();
  for (const t of data.targets) {
    const reports = byTarget.get(t.id) ?? [];
    const perDate = new Map<string, ApprovedReport>();
    let latest: ApprovedReport | undefined;
    for (const r of reports) {
      if (!latest || isLater(r, latest)) latest = r;
      if (r.value === null) continue;
      const seen = perDate.get(r.end_date);
      if (!seen || isLater(r, seen)) perDate.set(r.end_date, r);
    }
    const series: Observation[] = [...perDate.values()].map((r) => ({ date: r.end_date, value: Number(r.value) }));
    targets.set(
      t.id,
      computeStatus({
        target: { comparator: t.comparator, value: Number(t.value), baseline: t.baseline === null ? null : Number(t.baseline) },
        series,
        reportedStatus: latest?.reported_status ?? null,
        completionPercent: latest?.completion_percent ?? null,
        startDate: data.startDate,
        deadline: t.deadline ?? data.lastDeadlineByTask.get(t.task_id) ?? null,
        asOf,
      }),
    );
  }

  const sharesOf = new Map<string, StatusTarget[]>();
  for (const t of data.targets) {
    if (!t.parent_target_id) continue;
    const list = sharesOf.get(t.parent_target_id) ?? [];
    list.push(t);
    sharesOf.set(t.parent_target_id, list);
  }
  // A city total nobody reports directly is as far along as its district shares.
  for (const [totalId, shares] of sharesOf) {
    if (!targets.has(totalId) || (byTarget.get(totalId)?.length ?? 0) > 0) continue;
    targets.set(totalId, rolledUp(shares.map((t) => ({ t, r: targets.get(t.id)! }))));
  }
  const leavesByTask = new Map<string, StatusTarget[]>();
  for (const t of data.targets) {
    if (sharesOf.has(t.id)) continue;
    const list = leavesByTask.get(t.task_id) ?? [];
    list.push(t);
    leavesByTask.set(t.task_id, list);
  }

  const tasks = new Map<string, TaskEvaluation>();
  for (const task of data.tasks) {
    const leaves = leavesByTask.get(task.id);
    if (leaves && leaves.length > 0) {
      const { status, reason, progress } = rolledUp(leaves.map((t) => ({ t, r: targets.get(t.id)! })));
      tasks.set(task.id, { status, reason, progress });
      continue;
    }
    const reports = taskLevel.get(task.id) ?? [];
    let latest: ApprovedReport | undefined;
    const leads = data.leadOrgsByTask.get(task.id) ?? new Set<string>();
    for (const r of reports) {
      if (!latest) latest = r;
      else if (r.end_date !== latest.end_date) latest = r.end_date > latest.end_date ? r : latest;
      // The lead unit's summary speaks for the task over a single district's report of the same period.
      else if (leads.has(r.org_id) !== leads.has(latest.org_id)) latest = leads.has(r.org_id) ? r : latest;
      else if (isLater(r, latest)) latest = r;
    }
    const result = computeStatus({
      target: null,
      reportedStatus: latest?.reported_status ?? null,
      completionPercent: latest?.completion_percent ?? null,
      startDate: data.startDate,
      deadline: data.lastDeadlineByTask.get(task.id) ?? null,
      asOf,
    });
    tasks.set(task.id, { status: result.status, reason: result.reason, progress: result.progress });
  }
  return { targets, tasks };
}

/**
 * The date statuses are judged at: `today` (default: the date in China), or the end of the latest period with an
 * approved report if that is later, since a unit may report the current month before it ends and
 * the engine ignores observations dated after `asOf`.
 */
export function liveAsOf(data: PlanStatusData, today: string = chinaDate(new Date())): string {
  let asOf = today;
  for (const r of data.approved) if (r.end_date > asOf) asOf = r.end_date;
  return asOf;
}

export interface RecomputeResult {
  targetsChanged: number;
  tasksChanged: number;
}

/**
 * Recomputes and writes targets.status and tasks.status for the plan (or the given tasks): each
 * change bumps the row's version and is audited (`target.update` / `task.update`, with the
 * engine's reason), like any other edit. Rows whose status is unchanged are not touched. Joins
 * the caller's transaction. One pass in memory over set-based reads; the changed rows are
 * written set-based and their events appended as one batch (applyComputedStatuses). `data`:
 * the plan's status inputs when the caller has them already loaded in this transaction.
 */
export async function recomputeStatuses(
  db: DbOrTrx,
  planId: string,
  actor: Actor | null,
  options: { taskIds?: string[]; today?: string; data?: PlanStatusData } = {},
): Promise<RecomputeResult> {
  return writeTx(db, async (trx) => {
    // A caller that has just loaded the same rows (a period close) passes them in.
    const data = options.data ?? (await loadPlanStatusData(trx, planId, options.taskIds));
    const evaluation = evaluatePlan(data, liveAsOf(data, options.today));
    const targets: ComputedStatusChange[] = [];
    for (const t of data.targets) {
      const next = evaluation.targets.get(t.id)!;
      if (next.status !== t.status) {
        targets.push({ id: t.id, taskId: t.task_id, version: t.version, status: t.status, next: next.status, reason: next.reason });
      }
    }
    const tasks: ComputedStatusChange[] = [];
    for (const task of data.tasks) {
      const next = evaluation.tasks.get(task.id)!;
      if (next.status !== task.status) {
        tasks.push({ id: task.id, taskId: task.id, version: task.version, status: task.status, next: next.status, reason: next.reason });
      }
    }
    await applyComputedStatuses(trx, actor, { planId, targets, tasks });
    const targetsChanged = targets.length;
    const tasksChanged = tasks.length;
    return { targetsChanged, tasksChanged };
  });
}
