/**
 * The province office's dashboard and the tenant filter of the city dashboard (issue 12 §3):
 * `GET /api/dashboard/province` has one row per city below the caller's province, each number
 * equal to what the city's own dashboard (`GET /api/dashboard?tenant=<city>`) shows; a city reads
 * only itself (another city is 404, the province view 404 too); every dashboard says whose data it is.
 */
import { expect, it } from 'vitest';
import { declareTenant } from '../src/server/modules/organisations/organisations.service.ts';
import { DashboardResponse, ProvinceDashboard } from '../src/shared/schemas/dashboard.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeNotice, makeOrg, makePeriod, makePlan, makeReport, makeSchedule, makeUser, unique } from './helpers/factories.ts';
import { type TestApp, type TestClient, useTestApp } from './helpers/test-app.ts';

const AS_OF = '2026-07-10';

async function makeCity(t: TestApp, provinceId: string, tasks: number) {
  const office = await makeOrg(t, { name: `城市办${unique()}`, kind: 'office' });
  await declareTenant(t.db, null, office.id, { level: 'city', parentOrgId: provinceId });
  const county = await makeOrg(t, { name: `县${unique()}`, kind: 'jurisdiction', parentId: office.id });
  const county2 = await makeOrg(t, { name: `区${unique()}`, kind: 'jurisdiction', parentId: office.id });
  const dept = await makeOrg(t, { name: `局${unique()}`, kind: 'department', parentId: office.id });
  const admin = await makeUser(t, { orgId: office.id, role: 'admin' });
  const unit = await makeUser(t, { orgId: county.id, role: 'unit' });
  const plan = await makePlan(t, {
    title: `城市方案${unique()}`,
    ownerOrgId: office.id,
    sections: [{ path: ['一'], title: '重点任务' }],
    tasks: Array.from({ length: tasks }, (_, i) => ({
      text: `任务${i}${unique()}`,
      section: 0,
      assignments: [
        { orgId: dept.id, role: 'lead' as const },
        { orgId: i % 2 ? county.id : county2.id, role: 'responsible' as const },
      ],
      // Every third task is past its deadline on AS_OF.
      deadlines: [{ date: i % 3 === 0 ? '2026-06-30' : '2026-12-31', text: '' }],
      targets: [{ metric: '公厕', unit: '座', value: 10 + i, baseline: 0, jurisdictionOrgId: i % 2 ? county.id : county2.id }],
    })),
  });
  return { office, county, admin, unit, plan };
}

const ok = async <T>(res: Promise<{ statusCode: number; body: string; json(): unknown }>) => {
  const r = await res;
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as T;
};
const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

describeEachDialect('province dashboard and the tenant filter', (ctx) => {
  const t = useTestApp(ctx, { today: AS_OF });

  it('one row per city, each equal to that city’s own dashboard; drill-down says whose data it is', async () => {
    const office = await makeOrg(t(), { name: `省办${unique()}`, kind: 'office' });
    await declareTenant(t().db, null, office.id, { level: 'province', parentOrgId: null });
    const provinceAdmin = await makeUser(t(), { orgId: office.id, role: 'admin' });
    const a = await makeCity(t(), office.id, 5);
    const b = await makeCity(t(), office.id, 2);

    // City A: a period open with a report submitted, and one 督办 notice past due.
    await makeSchedule(t(), a.plan.planId, { frequency: 'monthly', dueDay: 5, graceDays: 0, closeAfterDays: 10 });
    const period = await makePeriod(t(), a.plan.planId, { start: '2026-06-01', open: true });
    const aUnit = await a.unit.login();
    const mine = await ok<{ items: { taskId: string; targetId: string | null }[] }>(aUnit.get(`/api/periods/${period.id}/my-reports`));
    expect(mine.items.length).toBeGreaterThan(0);
    const row = mine.items.find((r) => r.targetId !== null)!;
    await makeReport(aUnit, period.id, { taskId: row.taskId, targetId: row.targetId, value: 3, narrative: '已开工' }, { submit: true });
    const aAdmin = await a.admin.login();
    await makeNotice(aAdmin, { rows: [{ taskId: a.plan.tasks[1]!.id, orgId: a.county.id }], dueDate: '2026-07-01' });

    const province = await provinceAdmin.login();
    // The route serialises without zod (for speed): the contract is held here.
    const dash = ProvinceDashboard.parse(await ok<unknown>(province.get(`/api/dashboard/province?asOf=${AS_OF}`)));
    expect(dash.province.id).toBe(office.id);
    expect(dash.cities.map((c) => c.org.id).sort()).toEqual([a.office.id, b.office.id].sort());

    for (const [city, tasks] of [
      [a, 5],
      [b, 2],
    ] as const) {
      const row = dash.cities.find((c) => c.org.id === city.office.id)!;
      expect(row.org.name).toBe(city.office.name);
      expect(row.plans).toBe(1);
      expect(sum(row.tasksByStatus)).toBe(tasks);
      expect(row.overdue).toBe(Math.ceil(tasks / 3));
      expect(row.tasksByStatus.overdue).toBe(row.overdue);
      expect(sum(row.targetsByStatus)).toBe(tasks);

      const drill = DashboardResponse.parse(await ok<unknown>(province.get(`/api/dashboard?tenant=${city.office.id}&asOf=${AS_OF}`)));
      expect(drill.scope).toEqual({ tenantOrgId: city.office.id, name: city.office.name, level: 'city', drillDown: true });
      expect(drill.totals.tasks).toBe(tasks);
      // One row per task here (one responsible unit each): the city's row counts are its tasks.
      expect(drill.byStatus).toEqual(row.tasksByStatus);
      expect(row.reporting.expected).toBe(drill.reporting.totals.expected);
      expect(row.reporting.submitted).toBe(drill.reporting.totals.submitted);
      expect(row.notices.open).toBe(drill.supervision.open + drill.supervision.answered);
      expect(row.notices.overdue).toBe(drill.supervision.overdue);
    }
    const rowA = dash.cities.find((c) => c.org.id === a.office.id)!;
    // The plan's current period (the latest open one) is what both count: rows expected of A's counties.
    expect(rowA.reporting.expected).toBeGreaterThan(0);
    expect(rowA.reporting.rate).toBeCloseTo(rowA.reporting.submitted / rowA.reporting.expected);
    expect(rowA.notices).toEqual({ open: 1, overdue: 1 });
    const rowB = dash.cities.find((c) => c.org.id === b.office.id)!;
    expect(rowB.reporting).toEqual({ expected: 0, submitted: 0, rate: null });
    expect(rowB.notices).toEqual({ open: 0, overdue: 0 });

    // The province's own dashboard, without a tenant: its own name, both cities' plans.
    const all = await ok<DashboardResponse>(province.get(`/api/dashboard?asOf=${AS_OF}`));
    expect(all.scope).toEqual({ tenantOrgId: office.id, name: office.name, level: 'province', drillDown: false });
    expect(all.totals.tasks).toBe(7);

    // A city reads only itself: the other city is not there (404), the province view is not there for them (404).
    const cityA: TestClient = aAdmin;
    const own = await ok<DashboardResponse>(cityA.get(`/api/dashboard?asOf=${AS_OF}`));
    expect(own.scope).toEqual({ tenantOrgId: a.office.id, name: a.office.name, level: 'city', drillDown: false });
    expect(own.totals.tasks).toBe(5);
    expect((await cityA.get(`/api/dashboard?tenant=${a.office.id}`)).json().scope.drillDown).toBe(false);
    expect((await cityA.get(`/api/dashboard?tenant=${b.office.id}`)).statusCode).toBe(404);
    expect((await cityA.get(`/api/dashboard?tenant=${a.county.id}`)).statusCode).toBe(404);
    expect((await cityA.get('/api/dashboard/province')).statusCode).toBe(404);
    expect((await aUnit.get(`/api/dashboard?tenant=${b.office.id}`)).statusCode).toBe(404);
    expect((await aUnit.get('/api/dashboard/province')).statusCode).toBe(404);
    expect((await province.get('/api/dashboard?tenant=not-an-id')).statusCode).toBe(400);
  });

  it('an untenanted caller sees the installation’s name; the province view is not theirs', async () => {
    const admin = await t().login('admin');
    const dash = await ok<DashboardResponse>(admin.get(`/api/dashboard?asOf=${AS_OF}`));
    const settings = await ok<{ name: string }>(admin.get('/api/settings'));
    expect(dash.scope).toEqual({ tenantOrgId: null, name: settings.name, level: null, drillDown: false });
    expect((await admin.get('/api/dashboard/province')).statusCode).toBe(404);
  });
});
