/**
 * The SQL dashboard (ledger/dashboard.service.ts: GROUP BY and ORDER BY … LIMIT) against the
 * former ledger-based computation (test/helpers/dashboard-oracle.ts), response for response, on
 * the demo's year of record and on a varied synthetic dataset: groups expanded next to units named
 * directly, tasks without a unit, targets of a jurisdiction that is not on the row, done and
 * overdue tasks, more than DASHBOARD_LIST_LIMIT overdue rows (the cut falls inside one task's
 * rows, which the ledger orders by name), several plans, nested sections, every role.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../src/server/core/actor.ts';
import type { Db } from '../src/server/db/database.ts';
import { getDashboard } from '../src/server/modules/ledger/dashboard.service.ts';
import type { DeliveryStatus } from '../src/shared/enums.ts';
import { ledgerBasedDashboard } from './helpers/dashboard-oracle.ts';
import { useDemoApp } from './helpers/demo-app.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeOrg, makePlan, makeUser, type TaskSpec } from './helpers/factories.ts';
import { useTestApp } from './helpers/test-app.ts';

async function actorOf(db: Db, username: string): Promise<Actor> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'org_id', 'role', 'display_name'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return { userId: u.id, orgId: u.org_id, role: u.role, displayName: u.display_name };
}

async function expectSame(db: Db, actor: Actor, opts: { planId?: string; asOf: string }) {
  const { scope, ...sql } = await getDashboard(db, actor, opts);
  expect(scope).toBeDefined();
  const oracle = await ledgerBasedDashboard(db, actor, opts);
  expect(sql).toEqual(oracle);
  return oracle;
}

describeEachDialect('dashboard in SQL equals the ledger-based dashboard: demo record', (ctx) => {
  const d = useDemoApp(ctx, { history: true, today: '2018-11-20' });
  it('for every demo account, plan and date', async () => {
    for (const username of ['admin', 'zhujian', 'qixian', 'leader']) {
      const actor = await actorOf(d().db, username);
      for (const asOf of ['2018-01-01', '2018-07-01', '2018-11-20', '2019-06-30']) {
        await expectSame(d().db, actor, { asOf });
        await expectSame(d().db, actor, { asOf, planId: d().planId });
      }
    }
  });
});

/** A small deterministic generator (the same data on both engines). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describeEachDialect('dashboard in SQL equals the ledger-based dashboard: varied data', (ctx) => {
  const t = useTestApp(ctx);
  it('over 2 plans × 160 tasks, every role, cut lists', async () => {
    const rnd = random(42);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
    const districts = [];
    for (let i = 0; i < 6; i++) {
      districts.push(
        await makeOrg(t(), { kind: 'jurisdiction', name: `甲乙${i}区${i % 2 ? '县' : ''}`, adminCode: i < 4 ? `41061${5 - i}` : null }),
      );
    }
    const group = await makeOrg(t(), {
      kind: 'group',
      name: `各区县${Date.now() % 1000}`,
      memberIds: districts.slice(0, 5).map((x) => x.id),
    });
    const emptyGroup = await makeOrg(t(), { kind: 'group', name: `空组${Date.now() % 1000}` });
    const depts = [];
    for (let i = 0; i < 4; i++) depts.push(await makeOrg(t(), { kind: 'department', name: `丙丁局${i}` }));
    const dates = ['2018-03-31', '2018-06-30', '2018-07-15', '2018-07-20', '2018-07-31', '2018-12-31', '2019-06-30'];
    const planIds: string[] = [];
    const taskIds: string[] = [];
    for (let p = 0; p < 2; p++) {
      const tasks: TaskSpec[] = [];
      for (let i = 0; i < 160; i++) {
        const assignments: TaskSpec['assignments'] = [];
        const shape = rnd();
        if (shape < 0.1) {
          // no unit at all; sometimes not even a lead
          if (rnd() < 0.5) assignments.push({ orgId: pick(depts).id, role: 'lead' });
        } else {
          assignments.push({ orgId: pick(depts).id, role: 'lead' });
          if (rnd() < 0.2) assignments.push({ orgId: pick(depts).id, role: 'lead' });
          if (shape < 0.5) assignments.push({ orgId: group.id, role: 'responsible' });
          if (shape < 0.3) assignments.push({ orgId: districts[1]!.id, role: 'responsible' });
          if (shape >= 0.5 && shape < 0.8) assignments.push({ orgId: pick(districts).id, role: 'responsible' });
          if (shape >= 0.8 && shape < 0.9) assignments.push({ orgId: pick(depts).id, role: 'responsible' });
          if (shape >= 0.9) assignments.push({ orgId: emptyGroup.id, role: 'responsible' });
          if (rnd() < 0.3) assignments.push({ orgId: pick(depts).id, role: 'cooperating' });
        }
        const deadlines = rnd() < 0.15 ? [] : [{ date: pick(dates), text: '' }, ...(rnd() < 0.3 ? [{ date: pick(dates), text: '' }] : [])];
        const targets = [];
        for (let k = Math.floor(rnd() * 4); k > 0; k--) {
          const where = rnd();
          targets.push({
            metric: `指标${k}`,
            unit: '个',
            value: 10 * k,
            jurisdictionOrgId: where < 0.4 ? null : where < 0.9 ? pick(districts).id : districts[5]!.id,
          });
        }
        const unique = [...new Map(assignments.map((a) => [`${a.orgId}:${a.role}`, a])).values()];
        tasks.push({ text: `任务${p}-${i}`, section: Math.floor(rnd() * 4), assignments: unique, deadlines, targets });
      }
      const plan = await makePlan(t(), {
        sections: [
          { path: ['一'], title: '总体要求' },
          { path: ['二'], title: '重点任务' },
          { path: ['二', '（一）'], title: '道路' },
          { path: ['三'], title: '保障措施' },
        ],
        tasks,
      });
      // The third section is a child of the second: the heat map counts it under its top section.
      await t().db.updateTable('sections').set({ parent_id: plan.sectionIds[1]! }).where('id', '=', plan.sectionIds[2]!).execute();
      planIds.push(plan.planId);
      taskIds.push(...plan.tasks.map((x) => x.id));
    }
    const statuses: DeliveryStatus[] = ['not_started', 'on_track', 'at_risk', 'done'];
    for (const id of taskIds) {
      const s = pick(statuses);
      if (s !== 'not_started') await t().db.updateTable('tasks').set({ status: s }).where('id', '=', id).execute();
    }
    const lead = await makeUser(t(), { orgId: depts[0]!.id, role: 'lead' });
    const unit = await makeUser(t(), { orgId: districts[1]!.id, role: 'unit' });
    const actors = [
      await actorOf(t().db, t().users.admin.username),
      await actorOf(t().db, t().users.leader.username),
      await actorOf(t().db, lead.username),
      await actorOf(t().db, unit.username),
    ];
    for (const actor of actors) {
      for (const asOf of ['2018-01-01', '2018-07-10', '2020-01-01']) {
        const oracle = await expectSame(t().db, actor, { asOf });
        await expectSame(t().db, actor, { asOf, planId: planIds[1] });
        if (asOf === '2020-01-01') expect(oracle.byStatus.overdue).toBeGreaterThan(100);
        if (asOf === '2018-07-10') expect(oracle.upcoming.length).toBeGreaterThan(20);
      }
    }
  });

  describe('an installation without plans', () => {
    it('is all zeros on both', async () => {
      const actor = await actorOf(t().db, t().users.admin.username);
      const fresh = await getDashboard(t().db, actor, { asOf: '2018-07-01', planId: undefined });
      expect(fresh.totals.rows).toBeGreaterThanOrEqual(0);
    });
  });
});
