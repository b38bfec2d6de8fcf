/**
 * Period close and status recompute write set-based (issue 13 item 2): statuses in chunked
 * `UPDATE … FROM (VALUES …)`, audit events in one batch. This checks the close of a plan with a
 * few hundred snapshot rows against the per-row reference: the status engine run per row on the
 * same inputs (what the per-row path wrote, one versioned update and one audit event per changed
 * row), on both databases.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { AppError } from '../src/server/core/app-error.ts';
import { writeTx } from '../src/server/core/transaction.ts';
import type { Db } from '../src/server/db/database.ts';
import { verifyAuditChain } from '../src/server/modules/audit/audit.service.ts';
import { applyComputedStatuses } from '../src/server/modules/plans/tasks.service.ts';
import { closePeriod } from '../src/server/modules/reporting/period-close.service.ts';
import { evaluatePlan, liveAsOf, loadPlanStatusData } from '../src/server/modules/reporting/status-recompute.service.ts';
import type { ReportingPeriod } from '../src/shared/schemas/reporting.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { type MadePlan, makePeriod, makePlan } from './helpers/factories.ts';
import { useTestApp } from './helpers/test-app.ts';

interface Expected {
  statuses: Map<string, { status: string; version: number }>;
  events: Array<{ action: string; entityId: string; before: unknown; after: unknown }>;
  snapshot: Map<string, { status: string; reason: string; progress: number | null }>;
}

/** What the per-row path wrote for a close of `period` judged `today`: the engine per row, each change one event. */
async function perRowReference(db: Db, planId: string, period: ReportingPeriod, today: string): Promise<Expected> {
  const data = await loadPlanStatusData(db, planId);
  const live = evaluatePlan(data, liveAsOf(data, today));
  const atEnd = evaluatePlan(data, period.end);
  const statuses = new Map<string, { status: string; version: number }>();
  const events: Expected['events'] = [];
  const visit = (
    kind: 'target' | 'task',
    row: { id: string; status: string; version: number },
    next: { status: string; reason: string },
  ) => {
    if (next.status === row.status) {
      statuses.set(row.id, { status: row.status, version: row.version });
      return;
    }
    statuses.set(row.id, { status: next.status, version: row.version + 1 });
    events.push({
      action: `${kind}.update`,
      entityId: row.id,
      before: { status: row.status, version: row.version },
      after: { status: next.status, version: row.version + 1, reason: next.reason },
    });
  };
  for (const t of data.targets) visit('target', t, live.targets.get(t.id)!);
  for (const t of data.tasks) visit('task', t, live.tasks.get(t.id)!);
  const snapshot = new Map<string, { status: string; reason: string; progress: number | null }>();
  for (const t of data.tasks) snapshot.set(`${t.id}/`, atEnd.tasks.get(t.id)!);
  for (const t of data.targets) {
    const r = atEnd.targets.get(t.id)!;
    snapshot.set(`${t.task_id}/${t.id}`, { status: r.status, reason: r.reason, progress: r.progress });
  }
  return { statuses, events, snapshot };
}

describeEachDialect('set-based period close', (ctx) => {
  const t = useTestApp(ctx);

  async function approved(plan: MadePlan, period: ReportingPeriod, pick: (task: number, target: number) => number | null) {
    const { county, county2, leadDept } = t().orgs;
    const now = new Date().toISOString();
    const rows = [];
    for (const [i, task] of plan.tasks.entries()) {
      if (task.targetIds.length === 0) {
        const status = (['on_track', 'at_risk', 'done', 'not_started'] as const)[i % 4];
        if (i % 5 === 4) continue;
        rows.push({ task: task.id, target: null, org: leadDept.id, value: null, reported: status, percent: (i * 7) % 100 });
        continue;
      }
      for (const [j, target] of task.targetIds.entries()) {
        const value = pick(i, j);
        if (value === null) continue;
        rows.push({ task: task.id, target, org: j % 2 === 0 ? county.id : county2.id, value, reported: null, percent: null });
      }
    }
    await t()
      .db.insertInto('progress_reports')
      .values(
        rows.map((r) => ({
          id: randomUUID(),
          period_id: period.id,
          task_id: r.task,
          target_id: r.target,
          target_key: r.target ?? '',
          org_id: r.org,
          value: r.value,
          completion_percent: r.percent,
          reported_status: r.reported,
          narrative: '',
          problems: '',
          next_steps: '',
          status: 'approved' as const,
          is_late: 0,
          submitted_at: now,
          submitted_by: null,
          reviewed_at: now,
          reviewed_by: null,
          review_comment: null,
          created_by: null,
          version: 1,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }

  async function closeAndCompare(planId: string, period: ReportingPeriod, today: string) {
    const db = t().db;
    const expected = await perRowReference(db, planId, period, today);
    const chain = `plan:${planId}`;
    const seqBefore = Number(
      (await db.selectFrom('audit_head').select('last_seq').where('chain', '=', chain).executeTakeFirst())?.last_seq ?? 0,
    );
    await closePeriod(db, period.id, period.version, null, { today });

    const targets = await db
      .selectFrom('targets')
      .innerJoin('tasks', 'tasks.id', 'targets.task_id')
      .select(['targets.id', 'targets.status', 'targets.version'])
      .where('tasks.plan_id', '=', planId)
      .execute();
    const tasks = await db.selectFrom('tasks').select(['id', 'status', 'version']).where('plan_id', '=', planId).execute();
    for (const r of [...targets, ...tasks])
      expect({ id: r.id, status: r.status, version: r.version }).toEqual({ id: r.id, ...expected.statuses.get(r.id)! });

    const events = await db
      .selectFrom('audit_events')
      .select(['action', 'entity_id', 'before_json', 'after_json'])
      .where('chain', '=', chain)
      .where('seq', '>', seqBefore)
      .where('action', 'in', ['target.update', 'task.update'])
      .orderBy('seq')
      .execute();
    expect(
      events.map((e) => ({
        action: e.action,
        entityId: e.entity_id,
        before: JSON.parse(e.before_json!),
        after: JSON.parse(e.after_json!),
      })),
    ).toEqual(expected.events);

    const snapshot = await db.selectFrom('period_snapshots').selectAll().where('period_id', '=', period.id).execute();
    expect(new Set(snapshot.map((s) => `${s.task_id}/${s.target_id ?? ''}`))).toEqual(new Set(expected.snapshot.keys()));
    for (const s of snapshot) {
      const e = expected.snapshot.get(`${s.task_id}/${s.target_id ?? ''}`)!;
      expect({ status: s.computed_status, reason: s.reason, progress: s.progress === null ? null : Number(s.progress) }).toEqual(e);
    }
    return { changed: expected.events.length, snapshotRows: snapshot.length };
  }

  it('freezes and recomputes exactly what the status engine gives per row, with one event per changed row', async () => {
    const { county, county2, group, leadDept } = t().orgs;
    const plan = await makePlan(t(), {
      tasks: Array.from({ length: 48 }, (_, i) => ({
        text: `任务${i + 1}`,
        assignments: [
          { orgId: leadDept.id, role: 'lead' as const },
          { orgId: group.id, role: 'responsible' as const },
        ],
        deadlines: [{ date: i % 3 === 0 ? '2026-06-30' : '2026-12-31', text: '年底前' }],
        // Every fifth task has no targets (judged on its lead unit's report).
        targets:
          i % 5 === 4
            ? []
            : Array.from({ length: 4 }, (_, j) => ({
                metric: `指标${j + 1}`,
                unit: j === 3 ? '%' : '个',
                value: 10 + ((i * 3 + j) % 40),
                comparator: (j === 2 ? '<=' : '>=') as '<=' | '>=',
                baseline: j === 2 ? 60 : 0,
                jurisdictionOrgId: j % 2 === 0 ? county.id : county2.id,
              })),
      })),
    });
    const jan = await makePeriod(t(), plan.planId, { start: '2026-01-01', open: true });
    const feb = await makePeriod(t(), plan.planId, { start: '2026-02-01', open: true });
    // January: most rows reported, values spread over behind / on track / reached.
    await approved(plan, jan, (i, j) => ((i + j) % 6 === 5 ? null : ((i * 5 + j * 11) % 50) + 1));
    const first = await closeAndCompare(
      plan.planId,
      { ...jan, version: (await periodVersion(t().db, jan.id)) ?? jan.version },
      '2026-02-10',
    );
    expect(first.changed).toBeGreaterThan(100);
    expect(first.snapshotRows).toBeGreaterThan(200);
    // February: some rows move on, the rest keep their status (no update, no event).
    await approved(plan, feb, (i, j) => ((i + j) % 3 === 0 ? ((i * 7 + j * 13) % 60) + 2 : null));
    const second = await closeAndCompare(
      plan.planId,
      { ...feb, version: (await periodVersion(t().db, feb.id)) ?? feb.version },
      '2026-03-10',
    );
    expect(second.changed).toBeGreaterThan(0);
    expect(second.changed).toBeLessThan(first.changed + 240);
    expect((await verifyAuditChain(t().db)).ok).toBe(true);
  });

  it('writes nothing when a row changed since its status was computed (version_conflict)', async () => {
    const plan = await makePlan(t(), {
      tasks: [
        {
          text: '任务',
          targets: [
            { metric: '甲', unit: '个', value: 10 },
            { metric: '乙', unit: '个', value: 10 },
          ],
        },
      ],
    });
    const [a, b] = plan.tasks[0]!.targetIds;
    const change = (id: string, version: number) => ({
      id,
      taskId: plan.tasks[0]!.id,
      version,
      status: 'not_started' as const,
      next: 'done' as const,
      reason: '已完成',
    });
    await expect(
      writeTx(t().db, (trx) =>
        applyComputedStatuses(trx, null, { planId: plan.planId, targets: [change(a!, 1), change(b!, 7)], tasks: [] }),
      ),
    ).rejects.toSatisfy((err: unknown) => err instanceof AppError && err.code === 'version_conflict');
    const rows = await t().db.selectFrom('targets').select(['status', 'version']).where('id', 'in', [a!, b!]).execute();
    expect(rows).toEqual([
      { status: 'not_started', version: 1 },
      { status: 'not_started', version: 1 },
    ]);
  });
});

async function periodVersion(db: Db, id: string): Promise<number | undefined> {
  return (await db.selectFrom('reporting_periods').select('version').where('id', '=', id).executeTakeFirst())?.version;
}
