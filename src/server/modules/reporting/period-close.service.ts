import type { DeliveryStatus } from '../../../shared/enums.ts';
import type { Insertable } from 'kysely';
import type { CreateAmendmentBody, PeriodSnapshot, ReportingPeriod } from '../../../shared/schemas/reporting.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import type { PeriodSnapshotsTable } from '../../db/database.types.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { newSortableId } from '../../core/ids.ts';
import { getPeriod } from './periods.service.ts';
import { loadPlanReporting } from './report-rows.service.ts';
import { assertPlanInScope } from './reporting-tenancy.policy.ts';
import { toAmendment, toSnapshot } from './reporting-dto.mapping.ts';
import {
  findSnapshotRow,
  insertAmendmentRow,
  insertSnapshotRows,
  listAmendmentRows,
  listPeriodReportsForSnapshot,
  listPeriodsToClose,
  listSnapshotFactRows,
  listSnapshotRows,
  updatePeriodRow,
} from './reporting.repository.ts';
import { evaluatePlan, loadPlanStatusData, type PlanStatusData, recomputeStatuses } from './status-recompute.service.ts';
import { displayNamesOf } from '../users/users.service.ts';

type PeriodReport = Awaited<ReturnType<typeof listPeriodReportsForSnapshot>>[number];

const REPORT_RANK: Record<string, number> = { approved: 3, submitted: 2, returned: 1 };

// The report a snapshot row freezes: an approved one over one awaiting review over a returned one;
// within a rank the latest change.
function isBetter(a: PeriodReport, b: PeriodReport): boolean {
  const ra = REPORT_RANK[a.status] ?? 0;
  const rb = REPORT_RANK[b.status] ?? 0;
  if (ra !== rb) return ra > rb;
  return a.updated_at > b.updated_at;
}

/**
 * Closes a period and freezes its snapshot in one transaction: one row per target and per task of
 * the plan × each organisation that reports it (target-reporters.rule.ts), with that
 * organisation's report for the period (value, status, completion, late flag; none: it missed) and
 * the status the engine computes for the row at the period's end from approved reports. Then recomputes the live statuses.
 * `version` as read (409 when stale); closing a closed period is 409.
 */
export async function closePeriod(
  db: Db,
  periodId: string,
  version: number,
  actor: Actor | null,
  clock: { now?: Date; today?: string } = {},
): Promise<ReportingPeriod> {
  const now = clock.now ?? new Date();
  return writeTx(db, async (trx) => {
    const before = await getPeriod(trx, periodId, actor, 'administer');
    if (before.status === 'closed') throw new AppError('conflict', 'the period is already closed');
    const at = now.toISOString();
    if ((await updatePeriodRow(trx, periodId, version, { status: 'closed', closed_at: at, updated_at: at })) === 0) {
      throw new AppError('version_conflict', 'the period was changed by someone else; reload it', { current: before });
    }
    const { count, data } = await freezeSnapshot(trx, before, at);
    const after = await getPeriod(trx, periodId);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'reporting_period.close',
      entityType: 'reporting_period',
      entityId: periodId,
      before,
      after: { ...after, snapshotRows: count },
    });
    // The statuses and approved reports the snapshot was judged from: nothing in this transaction changed them since.
    await recomputeStatuses(trx, before.planId, actor, { today: clock.today, data });
    return after;
  });
}

async function freezeSnapshot(trx: DbOrTrx, period: ReportingPeriod, at: string): Promise<{ count: number; data: PlanStatusData }> {
  const [data, reporting, reports] = await Promise.all([
    loadPlanStatusData(trx, period.planId),
    loadPlanReporting(trx, period.planId),
    listPeriodReportsForSnapshot(trx, period.id),
  ]);
  // Judged at the period's end, so the frozen status can be recomputed to the same answer later.
  const evaluation = evaluatePlan(data, period.end);
  const rowKey = (taskId: string, targetId: string | null) => `${taskId}/${targetId ?? ''}`;
  // Each organisation's report on each row: the best of its reports (one per key, but a plan
  // revision can leave a row with reports from organisations that no longer report it).
  const reportsByRow = new Map<string, Map<string, PeriodReport>>();
  for (const r of reports) {
    const key = rowKey(r.task_id, r.target_id);
    const byOrg = reportsByRow.get(key) ?? new Map<string, PeriodReport>();
    const seen = byOrg.get(r.org_id);
    if (!seen || isBetter(r, seen)) byOrg.set(r.org_id, r);
    reportsByRow.set(key, byOrg);
  }
  // Who reports each row (target-reporters.rule.ts), in the rule's order, each organisation once.
  const reportersByRow = new Map<string, string[]>();
  for (const row of reporting.rows) {
    const key = rowKey(row.taskId, row.targetId);
    const list = reportersByRow.get(key) ?? [];
    if (!list.includes(row.orgId)) list.push(row.orgId);
    reportersByRow.set(key, list);
  }
  const rows: Insertable<PeriodSnapshotsTable>[] = [];
  const fromReport = (r: PeriodReport | undefined) => ({
    report_id: r?.id ?? null,
    report_status: r?.status ?? null,
    is_late: r ? Number(r.is_late) : 0,
    reported_value: r?.value ?? null,
    reported_status: r?.reported_status ?? null,
    completion_percent: r?.completion_percent ?? null,
  });
  // One row per reporting organisation (who reported what, who missed), plus one for any other
  // organisation's report on the row; a row nobody reports keeps one row with no organisation.
  const pushRows = (taskId: string, targetId: string | null, e: { status: DeliveryStatus; reason: string; progress: number | null }) => {
    const key = rowKey(taskId, targetId);
    const filed = reportsByRow.get(key) ?? new Map<string, PeriodReport>();
    const orgs = [...(reportersByRow.get(key) ?? [])];
    for (const orgId of [...filed.keys()].sort()) if (!orgs.includes(orgId)) orgs.push(orgId);
    const base = {
      period_id: period.id,
      task_id: taskId,
      target_id: targetId,
      target_key: targetId ?? '',
      computed_status: e.status,
      reason: e.reason,
      progress: e.progress,
      created_at: at,
    };
    if (orgs.length === 0) rows.push({ id: newSortableId(), ...base, org_id: null, org_key: '', ...fromReport(undefined) });
    for (const orgId of orgs) rows.push({ id: newSortableId(), ...base, org_id: orgId, org_key: orgId, ...fromReport(filed.get(orgId)) });
  };
  for (const task of data.tasks) pushRows(task.id, null, evaluation.tasks.get(task.id)!);
  for (const t of data.targets) pushRows(t.task_id, t.id, evaluation.targets.get(t.id)!);
  await insertSnapshotRows(trx, rows);
  return { count: rows.length, data };
}

/** For the scheduled job: closes every open period whose closing day has come. Returns the closed ids. */
export async function closeExpiredPeriods(db: Db, asOf: string): Promise<string[]> {
  const closed: string[] = [];
  for (const p of await listPeriodsToClose(db, asOf)) {
    try {
      await closePeriod(db, p.id, p.version, null, { today: asOf });
      closed.push(p.id);
    } catch (err) {
      // Closed meanwhile by an admin or another instance.
      if (!(err instanceof AppError && (err.code === 'conflict' || err.code === 'version_conflict'))) throw err;
    }
  }
  return closed;
}

/**
 * The amendments of these snapshot rows, each with its actor's display name (null when none or the
 * account is gone, as the left join this replaces gave) from one users' service call for the batch.
 */
async function listNamedAmendments(db: DbOrTrx, snapshotIds: string[]) {
  const rows = await listAmendmentRows(db, snapshotIds);
  const actorIds = rows.flatMap((r) => (r.actor_id === null ? [] : [r.actor_id]));
  const names = actorIds.length === 0 ? {} : await displayNamesOf(db, actorIds);
  return rows.map((r) => ({ ...r, actor_name: r.actor_id === null ? null : Object.hasOwn(names, r.actor_id) ? names[r.actor_id]! : null }));
}

/**
 * The frozen snapshot of a period with each row's amendments and effective values (empty until it
 * closes); 404 when the period's plan is not in `actor`'s jurisdictions (omitted: internal).
 */
export async function listSnapshots(db: DbOrTrx, periodId: string, actor?: Actor | null): Promise<{ items: PeriodSnapshot[] }> {
  await getPeriod(db, periodId, actor);
  const rows = await listSnapshotRows(db, periodId);
  const amendments = await listNamedAmendments(
    db,
    rows.map((r) => r.id),
  );
  const bySnapshot = new Map<string, ReturnType<typeof toAmendment>[]>();
  for (const a of amendments) {
    const list = bySnapshot.get(a.snapshot_id) ?? [];
    list.push(toAmendment(a));
    bySnapshot.set(a.snapshot_id, list);
  }
  return { items: rows.map((r) => toSnapshot(r, bySnapshot.get(r.id) ?? [])) };
}

/** A frozen snapshot row as an assessment scores it: the effective (amended) computed status. */
export interface SnapshotFact {
  id: string;
  periodId: string;
  taskId: string;
  targetId: string | null;
  orgId: string | null;
  reportId: string | null;
  reportStatus: PeriodSnapshot['reportStatus'];
  isLate: boolean;
  /** The computed status after the row's amendments, in their order (as `effective` in listSnapshots). */
  computedStatus: DeliveryStatus;
}

/**
 * The snapshot rows of `periodIds` (closed periods; internal, no actor: the assessment service
 * authorises its plan), per period in id order, with the amendments applied: listSnapshots's
 * `effective.computedStatus` for each row, read set-based (one query per period and one for the
 * amendments, whatever the number of rows).
 */
export async function listSnapshotFacts(db: DbOrTrx, periodIds: readonly string[]): Promise<Map<string, SnapshotFact[]>> {
  const byPeriod = new Map<string, SnapshotFact[]>(periodIds.map((id) => [id, []]));
  await forEachSnapshotFact(db, periodIds, (f) => byPeriod.get(f.periodId)!.push(f));
  return byPeriod;
}

/**
 * listSnapshotFacts as a stream: `visit` gets each row's fact in turn (periods in the order
 * given, rows in id order), so a reader that keeps its own shape (an assessment's record, 10⁵
 * rows) holds no second copy of them all.
 */
export async function forEachSnapshotFact(db: DbOrTrx, periodIds: readonly string[], visit: (fact: SnapshotFact) => void): Promise<void> {
  const { rows, amendments } = await listSnapshotFactRows(db, periodIds);
  const amended = new Map<string, string>();
  for (const a of amendments) {
    const after = JSON.parse(a.after_json) as Record<string, unknown>;
    if (typeof after.computedStatus === 'string') amended.set(a.snapshot_id, after.computedStatus);
  }
  for (const periodId of periodIds) {
    for (const packed of rows.get(periodId) ?? []) visit(unpackSnapshotFact(periodId, packed, amended));
    rows.delete(periodId);
  }
}

// The reader of listSnapshotFactRows's packed row: id|task|target|org|report|status|late|computed.
function unpackSnapshotFact(periodId: string, packed: string, amended: ReadonlyMap<string, string>): SnapshotFact {
  const [id, taskId, targetId, orgId, reportId, reportStatus, isLate, computed] = packed.split('|') as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    id,
    periodId,
    taskId,
    targetId: targetId === '' ? null : targetId,
    orgId: orgId === '' ? null : orgId,
    reportId: reportId === '' ? null : reportId,
    reportStatus: (reportStatus === '' ? null : reportStatus) as SnapshotFact['reportStatus'],
    isLate: isLate === '1',
    computedStatus: (amended.get(id) ?? computed) as DeliveryStatus,
  };
}

/**
 * One snapshot row with its amendments, or 404 — also when its period's plan is not in `actor`'s
 * jurisdictions (403 with `mode` 'administer' when read but not administered; omitted: internal).
 */
export async function getSnapshot(
  db: DbOrTrx,
  snapshotId: string,
  actor?: Actor | null,
  mode: 'read' | 'administer' = 'read',
): Promise<PeriodSnapshot> {
  const row = await findSnapshotRow(db, snapshotId);
  if (!row) throw new AppError('not_found', 'snapshot row not found');
  if (actor) {
    const period = await getPeriod(db, row.period_id);
    await assertPlanInScope(db, actor, period.planId, mode, 'snapshot row not found');
  }
  return toSnapshot(row, (await listNamedAmendments(db, [snapshotId])).map(toAmendment));
}

/**
 * Records a correction beside a frozen snapshot row: who, why, and the old and new values of the
 * fields changed. The snapshot row itself is never edited; readers see the amended values in
 * `effective`. 422 when nothing would change.
 */
export async function amendSnapshot(db: Db, snapshotId: string, body: CreateAmendmentBody, actor: Actor | null): Promise<PeriodSnapshot> {
  return writeTx(db, async (trx) => {
    const current = await getSnapshot(trx, snapshotId, actor, 'administer');
    const proposed: Record<string, unknown> = {
      reportedValue: body.reportedValue,
      reportedStatus: body.reportedStatus,
      completionPercent: body.completionPercent,
      computedStatus: body.computedStatus,
      reason: body.reasonText,
    };
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(proposed)) {
      const old = current.effective[k as keyof typeof current.effective];
      if (v === undefined || v === old) continue;
      before[k] = old;
      after[k] = v;
    }
    if (Object.keys(after).length === 0) throw new AppError('unprocessable', 'the amendment changes nothing');
    const id = newSortableId();
    await insertAmendmentRow(trx, {
      id,
      snapshot_id: snapshotId,
      actor_id: actor?.userId ?? null,
      reason: body.reason,
      before_json: JSON.stringify(before),
      after_json: JSON.stringify(after),
      created_at: new Date().toISOString(),
    });
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'snapshot.amend',
      entityType: 'period_snapshot',
      entityId: snapshotId,
      taskId: current.taskId,
      before,
      after: { ...after, why: body.reason, amendmentId: id },
    });
    return getSnapshot(trx, snapshotId);
  });
}
