import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../src/server/core/actor.ts';
import { cachedPerPlan } from '../src/server/core/read-cache.ts';
import type { Db } from '../src/server/db/database.ts';
import { getDashboard } from '../src/server/modules/ledger/dashboard.service.ts';
import { closePeriod } from '../src/server/modules/reporting/period-close.service.ts';
import { LedgerPageResponse, LedgerResponse } from '../src/shared/schemas/ledger.schema.ts';
import { ledgerBasedDashboard } from './helpers/dashboard-oracle.ts';
import { useDemoApp } from './helpers/demo-app.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { HEBI_TEXT } from './helpers/plan-import.helper.ts';
import { makePeriod, makePlan, makeUser, makeReport, makeReportingPlan, makeSchedule, type ReportingFixture } from './helpers/factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

/**
 * The ledger page and the dashboards read each plan's rows from a cache kept between requests
 * (ledger/ledger-cache.service.ts, ADR 0009), rebuilt when a write lands in the plan or the
 * installation. Here the cache is warm before every kind of write the rows depend on (a report
 * saved, submitted, approved, returned; a period closed; a task, its units, deadlines and targets
 * edited; a section and the plan renamed; an organisation renamed and a group's members changed),
 * and after each the page's rows must equal the ledger built from scratch (GET /api/ledger, which
 * does not use the cache), and the dashboard the ledger-based oracle, for every kind of reader.
 */

const AS_OF = '2026-07-01';

async function actorOf(db: Db, username: string): Promise<Actor> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'org_id', 'role', 'display_name'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return { userId: u.id, orgId: u.org_id, role: u.role, displayName: u.display_name };
}

const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code);
  return res.json() as T;
};

describeEachDialect('cached ledger rows after every kind of write', (ctx) => {
  const t = useTestApp(ctx, { today: AS_OF });
  let admin: TestClient;
  let lead: TestClient;
  let unit: TestClient;
  let county2: TestClient;
  let f: ReportingFixture;
  let other: Awaited<ReturnType<typeof makePlan>>;
  let periodId: string;
  let day = 0;

  /** Page (cached) against the ledger from scratch, and the dashboard against its oracle, for each reader. */
  async function expectFresh(label: string): Promise<void> {
    // A new day each time as well: statuses and the dashboards' lists depend on it.
    const asOf = `2026-07-${String(1 + (day++ % 28)).padStart(2, '0')}`;
    for (const [client, username] of [
      [admin, t().users.admin.username],
      [lead, t().users.lead.username],
      [unit, t().users.unit.username],
    ] as const) {
      const page = LedgerPageResponse.parse(ok(await client.get(`/api/ledger/page?pageSize=500&asOf=${asOf}`)));
      const full = LedgerResponse.parse(ok(await client.get(`/api/ledger?asOf=${asOf}`)));
      expect(full.rows.length, label).toBeGreaterThan(3);
      expect(page.rows, `${label}: ${client.role}`).toEqual(full.rows);
      const actor = await actorOf(t().db, username);
      const { scope, ...dashboard } = await getDashboard(t().app.db, actor, { asOf });
      expect(scope).toBeDefined();
      expect(dashboard, `${label}: ${client.role} dashboard`).toEqual(await ledgerBasedDashboard(t().app.db, actor, { asOf }));
    }
  }

  /** Reads every reader's page and dashboard (warming the cache), runs `write`, then compares. */
  async function afterWrite(label: string, write: () => Promise<unknown>): Promise<void> {
    await expectFresh(`${label} (before)`);
    await write();
    await expectFresh(label);
  }

  beforeAll(async () => {
    admin = await t().login('admin');
    lead = await t().login('lead');
    unit = await t().login('unit');
    county2 = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit' })).login();
    f = await makeReportingPlan(t());
    other = await makePlan(t(), {
      title: '结构方案',
      sections: [{ path: ['一'], title: '重点任务' }],
      tasks: [
        {
          text: '道路改造',
          section: 0,
          assignments: [
            { orgId: t().orgs.leadDept.id, role: 'lead' },
            { orgId: t().orgs.group.id, role: 'responsible' },
          ],
          deadlines: [{ date: '2026-12-31', text: '年底前' }],
          targets: [{ metric: '道路', unit: '公里', value: 10, jurisdictionOrgId: t().orgs.county.id }],
        },
        { text: '公园建设', assignments: [{ orgId: t().orgs.county2.id, role: 'responsible' }] },
      ],
    });
    await makeSchedule(t(), f.planId, { frequency: 'monthly', dueDay: 5, graceDays: 2 });
    periodId = (await makePeriod(t(), f.planId, { start: '2026-06-01', open: true })).id;
  });

  it('reports saved, submitted, approved and returned; a period closed', async () => {
    let report = { id: '', version: 0 };
    await afterWrite('report saved', async () => {
      report = ok(await unit.put(`/api/periods/${periodId}/reports`, { taskId: f.taskB, targetId: null, narrative: '六月进展' }));
    });
    await afterWrite('report submitted', async () => {
      report = ok(await unit.post(`/api/reports/${report.id}/submit`, { version: report.version }));
    });
    await afterWrite('report approved (statuses recomputed)', async () => {
      ok(await lead.post(`/api/reports/${report.id}/approve`, { version: report.version }));
    });
    await afterWrite('report returned', async () => {
      await makeReport(
        unit,
        periodId,
        { taskId: f.taskA, targetId: f.targetCounty, value: 30, narrative: '淇县三十座' },
        { returnBy: { client: lead, comment: '请补充照片' } },
      );
    });
    await afterWrite('report submitted on a quantified target', async () => {
      await makeReport(
        county2,
        periodId,
        { taskId: f.taskA, targetId: f.targetCounty2, value: 40, narrative: '浚县四十座' },
        { submit: true },
      );
    });
    await afterWrite('period closed', async () => {
      const { version } = await t()
        .db.selectFrom('reporting_periods')
        .select('version')
        .where('id', '=', periodId)
        .executeTakeFirstOrThrow();
      await closePeriod(t().db, periodId, version, null);
    });
  });

  it('a task, its units, deadlines and targets edited; a section and the plan renamed', async () => {
    const taskId = other.tasks[0]!.id;
    const task = async () => ok<{ version: number; targets: { id: string; version: number }[] }>(await admin.get(`/api/tasks/${taskId}`));
    await afterWrite('task text and status', async () => {
      ok(await admin.patch(`/api/tasks/${taskId}`, { version: (await task()).version, text: '道路改造提升', status: 'at_risk' }));
    });
    let assignmentId = '';
    await afterWrite('responsible unit added', async () => {
      assignmentId = ok<{ id: string }>(
        await admin.post(`/api/tasks/${taskId}/assignments`, { orgId: t().orgs.county2.id, role: 'responsible' }),
        201,
      ).id;
    });
    await afterWrite('lead unit added', async () => {
      ok(await admin.post(`/api/tasks/${other.tasks[1]!.id}/assignments`, { orgId: t().orgs.leadDept.id, role: 'lead' }), 201);
    });
    await afterWrite('responsible unit removed', async () => {
      expect((await admin.delete(`/api/assignments/${assignmentId}`)).statusCode).toBeLessThan(300);
    });
    let deadlineId = '';
    await afterWrite('deadline added (now overdue)', async () => {
      deadlineId = ok<{ id: string }>(await admin.post(`/api/tasks/${taskId}/deadlines`, { date: '2026-03-31', text: '一季度' }), 201).id;
    });
    await afterWrite('deadline removed', async () => {
      expect((await admin.delete(`/api/deadlines/${deadlineId}`)).statusCode).toBeLessThan(300);
    });
    await afterWrite('target added', async () => {
      ok(
        await admin.post(`/api/tasks/${taskId}/targets`, {
          metric: '绿道',
          unit: '公里',
          value: 3,
          jurisdictionOrgId: t().orgs.county2.id,
        }),
        201,
      );
    });
    await afterWrite('target edited', async () => {
      const target = (await task()).targets[0]!;
      ok(await admin.patch(`/api/targets/${target.id}`, { version: target.version, metric: '城市道路', value: 12 }));
    });
    await afterWrite('target deleted', async () => {
      const target = (await task()).targets.at(-1)!;
      expect((await admin.delete(`/api/targets/${target.id}?version=${target.version}`)).statusCode).toBeLessThan(300);
    });
    await afterWrite('section renamed', async () => {
      const section = await t()
        .db.selectFrom('sections')
        .select(['id', 'version'])
        .where('id', '=', other.sectionIds[0]!)
        .executeTakeFirstOrThrow();
      ok(await admin.patch(`/api/sections/${section.id}`, { version: section.version, title: '重点任务（调整）' }));
    });
    await afterWrite('plan renamed', async () => {
      const plan = ok<{ version: number }>(await admin.get(`/api/plans/${other.planId}`));
      ok(await admin.patch(`/api/plans/${other.planId}`, { version: plan.version, title: '结构方案（修订）' }));
    });
  });

  it('an organisation renamed and a group’s members changed', async () => {
    const org = async (id: string) => ok<{ version: number; memberIds: string[] }>(await admin.get(`/api/organisations/${id}`));
    await afterWrite('organisation renamed', async () => {
      ok(
        await admin.patch(`/api/organisations/${t().orgs.county2.id}`, {
          version: (await org(t().orgs.county2.id)).version,
          name: '浚县人民政府',
        }),
      );
    });
    await afterWrite('group members changed', async () => {
      const group = await org(t().orgs.group.id);
      ok(await admin.patch(`/api/organisations/${t().orgs.group.id}`, { version: group.version, memberIds: [t().orgs.county.id] }));
    });
  });
});

// The 管廊 clause of the Hebi plan with new figures: a revision confirmed in place (plan-imports).
const EDIT_FROM = '开工建设20公里地下综合管廊,其中淇滨区9公里、城乡一体化示范区5.5公里、开发区5.5公里';
const EDIT_TO = '开工建设24公里地下综合管廊,其中淇滨区11公里、城乡一体化示范区6.5公里、开发区6.5公里';

describeEachDialect('cached ledger rows after a plan revision is confirmed', (ctx) => {
  const d = useDemoApp(ctx);

  it('rebuilds the revised plan’s rows', async () => {
    const readers = [await d().login('admin'), await d().login('zhujian'), await d().login('qixian')];
    const planId = d().planId;
    const compare = async (label: string) => {
      for (const client of readers) {
        const page = LedgerPageResponse.parse(ok(await client.get(`/api/ledger/page?planId=${planId}&pageSize=500`)));
        const full = LedgerResponse.parse(ok(await client.get(`/api/ledger?planId=${planId}`)));
        expect(full.rows.length).toBeGreaterThan(20);
        expect(page.rows, `${label}: ${client.role}`).toEqual(full.rows);
      }
    };
    await compare('before');
    expect(HEBI_TEXT).toContain(EDIT_FROM);
    const admin = readers[0]!;
    const draft = ok<{ id: string }>(
      await admin.post('/api/plan-imports', {
        text: HEBI_TEXT.replace(EDIT_FROM, EDIT_TO),
        filename: 'hebi-revised.txt',
        revisesPlanId: planId,
      }),
      201,
    );
    ok(await admin.post(`/api/plan-imports/${draft.id}/confirm`));
    await compare('after the revision');
    const texts = LedgerResponse.parse(ok(await admin.get(`/api/ledger?planId=${planId}`))).rows.map((r) => r.text);
    expect(texts.some((text) => text.includes('开工建设24公里'))).toBe(true);
  });
});

describeEachDialect('cachedPerPlan', (ctx) => {
  const t = useTestApp(ctx);

  it('builds a plan once for concurrent readers, and again after a write to it', async () => {
    const admin = await t().login('admin');
    const { planId } = await makePlan(t(), { title: '缓存方案', tasks: [{ text: '任务' }] });
    let builds = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const compute = async (ids: string[]) => {
      builds += ids.length;
      const n = builds;
      await gate;
      return new Map(ids.map((id) => [id, { n }]));
    };
    const first = cachedPerPlan(t().db, 'test', [planId], compute);
    const second = cachedPerPlan(t().db, 'test', [planId], compute);
    // The first build is held until the second has read its stamp and found the first in progress.
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(builds).toBe(1);
    expect(b.get(planId)).toBe(a.get(planId));
    expect((await cachedPerPlan(t().db, 'test', [planId], compute)).get(planId)).toBe(a.get(planId));
    expect(builds).toBe(1);

    const plan = ok<{ version: number }>(await admin.get(`/api/plans/${planId}`));
    ok(await admin.patch(`/api/plans/${planId}`, { version: plan.version, title: '缓存方案（改）' }));
    expect((await cachedPerPlan(t().db, 'test', [planId], compute)).get(planId)).toEqual({ n: 2 });
    expect(builds).toBe(2);
  });
});
