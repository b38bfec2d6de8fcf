import { expect, it } from 'vitest';
import type { ProjectDetail, ProjectReport } from '../src/shared/schemas/project.schema.ts';
import { generateReminders } from '../src/server/jobs/reminder.job.ts';
import { projectsAwaitingReport } from '../src/server/modules/projects/project-reports.service.ts';
import { closePeriod } from '../src/server/modules/reporting/period-close.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makePlan, makeUser } from './helpers/factories.ts';
import { DISTRICT_POINTS, makeProject, okJson } from './helpers/project-factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

// The reminder job also asks a unit for the monthly 调度 of its projects in implementation
// (PROJECT_REPORT_DUTY, wired by jobs/reminder.job.ts): same calendar, same once-per-user rule.
describeEachDialect('project report reminders', (ctx) => {
  const t = useTestApp(ctx);

  /** A project of `unit` admitted and started (its first report submitted) in the closed October. */
  async function startedProject(unit: TestClient, admin: TestClient, periodId: string, over: Record<string, unknown> = {}) {
    const p = await makeProject(unit, admin, over);
    const r = okJson<ProjectReport>(
      await unit.post(`/api/projects/${p.id}/reports`, {
        periodId,
        investment: 100_000,
        progressText: '开工建设',
        progressPct: 10,
        started: true,
        submit: true,
      }),
    );
    expect(r.status).toBe('submitted');
    return okJson<ProjectDetail>(await unit.get(`/api/projects/${p.id}`));
  }

  const projectReminders = (kind: string) =>
    t().db.selectFrom('notifications').select(['user_id', 'title', 'body', 'link']).where('kind', '=', kind).orderBy('user_id').execute();
  const unitUsersOf = async (orgId: string) =>
    (
      await t()
        .db.selectFrom('users')
        .select('id')
        .where('org_id', '=', orgId)
        .where('role', '=', 'unit')
        .where('is_active', '=', 1)
        .orderBy('id')
        .execute()
    ).map((u) => u.id);

  it('reminds each unit with a project in implementation and no report in the open period once, and not after it files', async () => {
    const admin = await t().login('admin');
    const unit = await t().login('unit');
    // A second 淇县 account: a unit's every active user is reminded, each once.
    const unitB = await (await makeUser(t(), { orgId: t().orgs.county.id, role: 'unit', displayName: '淇县填报员乙' })).login();
    const unit2 = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit', displayName: '浚县填报员' })).login();
    const plan = await makePlan(t(), {
      title: '项目调度提醒测试方案',
      tasks: [{ text: '完成老旧小区改造', assignments: [{ orgId: t().orgs.leadDept.id, role: 'lead' }] }],
    });
    const october = await makePeriod(t(), plan.planId, { start: '2026-10-01', open: true });
    const qixian = await startedProject(unit, admin, october.id);
    const xunxian = await startedProject(unit2, admin, october.id, { location: { ...DISTRICT_POINTS.浚县, datum: 'GCJ02' } });
    // Admitted but not started: owes no 调度, so it alone would remind nobody.
    await makeProject(unit2, admin, { name: '浚县未开工项目', location: { ...DISTRICT_POINTS.浚县, datum: 'GCJ02' } });
    await closePeriod(
      t().db,
      october.id,
      (await t().db.selectFrom('reporting_periods').select('version').where('id', '=', october.id).executeTakeFirstOrThrow()).version,
      null,
    );
    expect([qixian.status, xunxian.status]).toEqual(['in_progress', 'in_progress']);
    const november = await makePeriod(t(), plan.planId, { start: '2026-11-01', end: '2026-11-30', dueDate: '2026-12-05', open: true });

    // Before the reminder window nothing; three days before the due day one each to the units' users.
    await generateReminders(t().db, '2026-11-20');
    expect(await projectReminders('reminder.projects_due_soon')).toEqual([]);
    await generateReminders(t().db, '2026-12-02');
    const soon = await projectReminders('reminder.projects_due_soon');
    const qixianUsers = await unitUsersOf(t().orgs.county.id);
    const xunxianUsers = await unitUsersOf(t().orgs.county2.id);
    expect(qixianUsers).toHaveLength(2);
    expect(soon.map((n) => n.user_id)).toEqual([...qixianUsers, ...xunxianUsers].sort());
    expect(soon.every((n) => n.link === '/projects?status=in_progress')).toBe(true);
    expect(soon.find((n) => n.user_id === t().users.unit.user.id)).toMatchObject({
      title: `${november.label}项目调度将于2026-12-05截止`,
      body: '尚有 1 个实施中项目未报送本期调度。',
    });
    // The lead department (no projects) and the office are not asked.
    expect(soon.some((n) => n.user_id === t().users.lead.user.id || n.user_id === t().users.admin.user.id)).toBe(false);
    // A second tick the same day (or the next) creates no duplicate.
    const again = await generateReminders(t().db, '2026-12-02');
    expect(again.created).toBe(0);
    expect(again.skipped).toBeGreaterThanOrEqual(soon.length);
    await generateReminders(t().db, '2026-12-03');
    expect(await projectReminders('reminder.projects_due_soon')).toHaveLength(soon.length);
    // Each reminder waits in the outbox too, once.
    const outbox = await t()
      .db.selectFrom('outbox')
      .innerJoin('notifications', 'notifications.id', 'outbox.notification_id')
      .select('outbox.id')
      .where('notifications.kind', '=', 'reminder.projects_due_soon')
      .execute();
    expect(outbox).toHaveLength(soon.length);

    // 淇县 files November; 浚县 only saves a draft (still owed). Once late, only 浚县 is reminded.
    okJson(
      await unitB.post(`/api/projects/${qixian.id}/reports`, {
        periodId: november.id,
        investment: 200_000,
        progressText: '主体施工',
        progressPct: 30,
        started: true,
        submit: true,
      }),
    );
    okJson(
      await unit2.post(`/api/projects/${xunxian.id}/reports`, {
        periodId: november.id,
        investment: 50_000,
        progressPct: 20,
        started: true,
        submit: false,
      }),
    );
    await generateReminders(t().db, '2026-12-08');
    const late = await projectReminders('reminder.projects_late');
    expect(late.map((n) => n.user_id)).toEqual(xunxianUsers);
    expect(late[0]).toMatchObject({ title: `${november.label}项目调度报送已逾期`, body: '尚有 1 个实施中项目未报送本期调度。' });
    expect((await generateReminders(t().db, '2026-12-08')).created).toBe(0);
    expect(await projectReminders('reminder.projects_late')).toHaveLength(1);

    // Filed at last: nothing is owed by either unit, and a later tick reminds no one again.
    okJson(
      await unit2.post(`/api/projects/${xunxian.id}/reports`, {
        periodId: november.id,
        investment: 50_000,
        progressPct: 20,
        started: true,
        submit: true,
      }),
    );
    expect(await projectsAwaitingReport(t().db, november.id, null)).toEqual(new Map());
    expect((await generateReminders(t().db, '2026-12-09')).created).toBe(0);
    expect(await projectReminders('reminder.projects_late')).toHaveLength(1);
  });
});
