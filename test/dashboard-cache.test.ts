import { afterAll, beforeAll, expect, it } from 'vitest';
import { DashboardResponse } from '../src/shared/schemas/dashboard.schema.ts';
import { type DbHandle, openDatabase } from '../src/server/db/database.ts';
import { getDashboard } from '../src/server/modules/ledger/dashboard.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makeReport, makeReportingPlan, makeSchedule } from './helpers/factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

// ADR 0008: the dashboards are reused until a write lands in their plans or the installation;
// every write is audited, and the audit chains' heads are the version stamp. Two handles on one
// database stand for two server instances, each with its own entries.
describeEachDialect('the dashboard’s read cache', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let lead: TestClient;
  let qixian: TestClient;
  let second: DbHandle;

  beforeAll(async () => {
    admin = await t().login('admin');
    lead = await t().login('lead');
    qixian = await t().login('unit');
    second = openDatabase(t().config.databaseUrl);
  });
  afterAll(async () => {
    await second?.close();
  });

  const dashboard = async (client: TestClient, planId: string) => {
    const res = await client.get(`/api/dashboard?planId=${planId}&asOf=2030-12-15`);
    expect(res.statusCode, res.body).toBe(200);
    // The route serialises without zod (for speed): the contract is held here instead.
    return DashboardResponse.parse(res.json());
  };

  it('holds until an audited write lands in the plan, on every instance, and never serves one reader’s view to another', async () => {
    const f = await makeReportingPlan(t());
    await makeSchedule(t(), f.planId, { frequency: 'monthly', dueDay: 5, graceDays: 2 });
    const period = await makePeriod(t(), f.planId, { start: '2026-06-01', open: true });
    const adminActor = { userId: t().users.admin.user.id, orgId: t().users.admin.user.orgId, role: 'admin' as const, displayName: 'admin' };
    const onSecond = () => getDashboard(second.db, adminActor, { planId: f.planId, asOf: '2030-12-15' });

    const before = await dashboard(admin, f.planId);
    expect(before.byStatus.done).toBe(0);
    expect((await onSecond()).byStatus).toEqual(before.byStatus);

    // A change that bypasses the services (and so the audit log) is not seen: the entry holds.
    await t().db.updateTable('tasks').set({ status: 'done' }).where('id', '=', f.taskB).execute();
    expect((await dashboard(admin, f.planId)).byStatus).toEqual(before.byStatus);
    expect((await onSecond()).byStatus).toEqual(before.byStatus);

    // An audited write in the plan (a county's report, submitted) moves the plan's chain: both
    // instances compute again and see everything, the bypassing change included.
    await makeReport(qixian, period.id, { taskId: f.taskA, targetId: f.targetCounty, value: 10, narrative: '已开工' }, { submit: true });
    const after = await dashboard(admin, f.planId);
    expect(after.byStatus.done).toBe(before.byStatus.done + 1);
    const rowOf = (d: DashboardResponse) => d.upcoming.find((r) => r.taskId === f.taskA && r.responsible?.id === t().orgs.county.id);
    expect(rowOf(before)?.latestProgress).toBeNull();
    expect(rowOf(after)?.latestProgress).toBe('已开工');
    expect((await onSecond()).byStatus).toEqual(after.byStatus);

    // Readers of the same plan keep their own views ("mine" is the reader's): the office owns no
    // row, the lead department leads every task, the county is responsible for some.
    const listed = (d: DashboardResponse) => [...d.overdue, ...d.upcoming];
    const county = await dashboard(qixian, f.planId);
    const leadView = await dashboard(lead, f.planId);
    expect(listed(after).length).toBeGreaterThan(1);
    expect(listed(after).filter((r) => r.isMine)).toEqual([]);
    expect(listed(leadView).every((r) => r.isMine)).toBe(true);
    expect(listed(county).map((r) => r.isMine)).toEqual(listed(county).map((r) => r.responsible?.id === t().orgs.county.id));
    expect(listed(county).some((r) => r.isMine)).toBe(true);
    expect(listed(county).some((r) => !r.isMine)).toBe(true);
  });
});
