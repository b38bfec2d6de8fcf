import { beforeAll, expect, it } from 'vitest';
import type { PeriodSnapshot, ProgressReport, ReportingPeriod } from '../src/shared/schemas/reporting.schema.ts';
import { runPeriodTick } from '../src/server/jobs/period.job.ts';
import { closeExpiredPeriods } from '../src/server/modules/reporting/period-close.service.ts';
import { openDuePeriods } from '../src/server/modules/reporting/periods.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makeReport, makeReportingPlan, makeSchedule, makeUser, type ReportingFixture } from './helpers/factories.ts';
import { type TestApp, type TestClient, useTestApp } from './helpers/test-app.ts';

async function statusOf(t: TestApp, table: 'tasks' | 'targets', id: string): Promise<{ status: string; version: number }> {
  return t.db.selectFrom(table).select(['status', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
}

describeEachDialect('reporting: periods, reports, review, snapshots, status', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let lead: TestClient;
  let unit: TestClient;
  let unit2: TestClient;
  let leader: TestClient;

  const save = (c: TestClient, period: ReportingPeriod, body: Record<string, unknown>) => c.put(`/api/periods/${period.id}/reports`, body);
  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
    expect(res.statusCode, res.body).toBe(code);
    return res.json() as T;
  };
  /** Draft, submit and have the lead approve a report; returns the approved report. */
  const fileApproved = (c: TestClient, period: ReportingPeriod, body: Record<string, unknown>): Promise<ProgressReport> =>
    makeReport(c, period.id, body, { approveBy: lead });

  /**
   * A fresh reporting plan with the schedule of the first case (monthly, due on the 5th, 2 days'
   * grace) and its three open periods: January and February (long past due), March (due in 2099).
   */
  const scheduledPlan = async (): Promise<{ f: ReportingFixture; jan: ReportingPeriod; feb: ReportingPeriod; mar: ReportingPeriod }> => {
    const f = await makeReportingPlan(t());
    await makeSchedule(t(), f.planId, { frequency: 'monthly', dueDay: 5, graceDays: 2 });
    const jan = await makePeriod(t(), f.planId, { start: '2026-01-15', open: true });
    const feb = await makePeriod(t(), f.planId, { start: '2026-02-01', open: true });
    const mar = await makePeriod(t(), f.planId, { start: '2026-03-01', dueDate: '2099-04-05', open: true });
    return { f, jan, feb, mar };
  };
  /** 淇县's January report on its target, approved at 12 (as the review journey leaves it). */
  const januaryApproved = (p: { f: ReportingFixture; jan: ReportingPeriod }) =>
    fileApproved(unit, p.jan, { taskId: p.f.taskA, targetId: p.f.targetCounty, value: 12, narrative: '已建成12座' });

  beforeAll(async () => {
    admin = await t().login('admin');
    lead = await t().login('lead');
    unit = await t().login('unit');
    leader = await t().login('leader');
    unit2 = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit', displayName: '浚县填报员' })).login();
  });

  it('keeps a schedule on the plan and creates, opens and lists its periods (admin only)', async () => {
    const f = await makeReportingPlan(t());
    const defaults = ok<{ frequency: string; isStored: boolean; version: number }>(
      await leader.get(`/api/plans/${f.planId}/reporting-schedule`),
    );
    expect(defaults).toMatchObject({ frequency: 'monthly', dueDay: 5, isStored: false, version: 0 });
    expect((await lead.put(`/api/plans/${f.planId}/reporting-schedule`, { frequency: 'monthly' })).statusCode).toBe(403);
    // Starting in 2099, saving it opens no period of its own (saving opens the period containing
    // today: test/schedule-enable.test.ts), so this case lists only the periods it creates.
    const schedule = ok(
      await admin.put(`/api/plans/${f.planId}/reporting-schedule`, {
        frequency: 'monthly',
        dueDay: 5,
        graceDays: 2,
        startDate: '2099-01-01',
      }),
    );
    expect(schedule).toMatchObject({ isStored: true, version: 1, graceDays: 2, closeAfterDays: 10 });
    expect((await admin.put(`/api/plans/${f.planId}/reporting-schedule`, { frequency: 'quarterly' })).statusCode).toBe(409);

    const jan = ok<ReportingPeriod>(await admin.post(`/api/plans/${f.planId}/periods`, { start: '2026-01-15', open: true }), 201);
    expect(jan).toMatchObject({
      label: '2026年1月',
      start: '2026-01-01',
      end: '2026-01-31',
      dueDate: '2026-02-05',
      graceDays: 2,
      closeDate: '2026-02-17',
      status: 'open',
    });
    expect((await admin.post(`/api/plans/${f.planId}/periods`, { start: '2026-01-01' })).statusCode).toBe(409);
    expect((await lead.post(`/api/plans/${f.planId}/periods`, { start: '2026-02-01' })).statusCode).toBe(403);

    let feb = ok<ReportingPeriod>(await admin.post(`/api/plans/${f.planId}/periods`, { start: '2026-02-01' }), 201);
    expect(feb).toMatchObject({ label: '2026年2月', end: '2026-02-28', status: 'pending' });
    expect((await save(unit, feb, { taskId: f.taskA, targetId: f.targetCounty, value: 1 })).statusCode).toBe(409);
    expect((await admin.post(`/api/periods/${feb.id}/open`, { version: 99 })).statusCode).toBe(409);
    feb = ok<ReportingPeriod>(await admin.post(`/api/periods/${feb.id}/open`, { version: feb.version }));
    expect(feb.status).toBe('open');
    expect((await admin.post(`/api/periods/${feb.id}/open`, { version: feb.version })).statusCode).toBe(409);

    // Due far ahead: reports in it are on time whatever today is.
    const mar = ok<ReportingPeriod>(
      await admin.post(`/api/plans/${f.planId}/periods`, { start: '2026-03-01', dueDate: '2099-04-05', open: true }),
      201,
    );
    expect(mar).toMatchObject({ label: '2026年3月', end: '2026-03-31', dueDate: '2099-04-05' });
    const list = ok<{ items: ReportingPeriod[] }>(await unit.get(`/api/plans/${f.planId}/periods`));
    expect(list.items.map((p) => p.label)).toEqual(['2026年1月', '2026年2月', '2026年3月']);
  });

  it('lists each organisation its own rows: targets in its jurisdiction, tasks it is responsible for or leads', async () => {
    const { f, jan } = await scheduledPlan();
    const mine = ok<{ items: Array<{ taskId: string; targetId: string | null; basis: string }> }>(
      await unit.get(`/api/periods/${jan.id}/my-reports`),
    );
    expect(mine.items.map((r) => [r.taskId, r.targetId, r.basis])).toEqual([
      [f.taskA, null, 'responsible'],
      [f.taskA, f.targetCounty, 'jurisdiction'],
      [f.taskB, null, 'responsible'],
    ]);
    const county2 = ok<{ items: Array<{ taskId: string; targetId: string | null }> }>(await unit2.get(`/api/periods/${jan.id}/my-reports`));
    expect(county2.items.map((r) => [r.taskId, r.targetId])).toEqual([
      [f.taskA, null],
      [f.taskA, f.targetCounty2],
    ]);
    const led = ok<{ items: Array<{ taskId: string; targetId: string | null; basis: string }> }>(
      await lead.get(`/api/periods/${jan.id}/my-reports`),
    );
    expect(led.items.map((r) => [r.taskId, r.targetId, r.basis])).toEqual([
      [f.taskA, null, 'lead'],
      [f.taskB, null, 'lead'],
    ]);
    expect((await leader.get(`/api/periods/${jan.id}/my-reports`)).statusCode).toBe(403);
  });

  it('runs draft → submit → return → resubmit → approve with versions, flags a late report and recomputes the status', async () => {
    const { f, jan, mar } = await scheduledPlan();
    const draft = ok<ProgressReport>(
      await save(unit, jan, {
        taskId: f.taskA,
        targetId: f.targetCounty,
        value: 10,
        narrative: '已建成10座',
        problems: '用地紧张',
        nextSteps: '加快选址',
      }),
    );
    expect(draft).toMatchObject({ status: 'draft', version: 1, value: 10, orgId: t().orgs.county.id, isLate: false, problems: '用地紧张' });
    const stale = await save(unit, jan, { taskId: f.taskA, targetId: f.targetCounty, value: 11 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'version_conflict', current: { version: 1 } });
    const edited = ok<ProgressReport>(
      await save(unit, jan, { version: 1, taskId: f.taskA, targetId: f.targetCounty, value: 11, narrative: '已建成11座' }),
    );
    expect(edited.version).toBe(2);

    // A draft is its organisation's own: the lead unit and the other county do not see it.
    expect((await lead.get(`/api/reports/${draft.id}`)).statusCode).toBe(404);
    expect((await unit2.get(`/api/reports/${draft.id}`)).statusCode).toBe(404);
    expect((await lead.post(`/api/reports/${draft.id}/submit`, { version: 2 })).statusCode).toBe(404);

    const submitted = ok<ProgressReport>(await unit.post(`/api/reports/${draft.id}/submit`, { version: 2 }));
    // Due 2026-02-05 with 2 days' grace: long past.
    expect(submitted).toMatchObject({ status: 'submitted', isLate: true, version: 3 });
    expect((await save(unit, jan, { version: 3, taskId: f.taskA, targetId: f.targetCounty, value: 12 })).statusCode).toBe(409);
    expect((await unit.post(`/api/reports/${draft.id}/approve`, { version: 3 })).statusCode).toBe(403);
    expect((await leader.post(`/api/reports/${draft.id}/approve`, { version: 3 })).statusCode).toBe(403);
    expect((await unit2.post(`/api/reports/${draft.id}/approve`, { version: 3 })).statusCode).toBe(404);
    expect((await lead.post(`/api/reports/${draft.id}/return`, { version: 3 })).statusCode).toBe(400);

    const returned = ok<ProgressReport>(
      await lead.post(`/api/reports/${draft.id}/return`, { version: 3, comment: '数据与台账不符，请核实' }),
    );
    expect(returned).toMatchObject({ status: 'returned', reviewComment: '数据与台账不符，请核实', reviewedBy: t().users.lead.user.id });
    const fixed = ok<ProgressReport>(
      await save(unit, jan, { version: returned.version, taskId: f.taskA, targetId: f.targetCounty, value: 12, narrative: '已建成12座' }),
    );
    expect(fixed).toMatchObject({ status: 'returned', value: 12 });
    const resubmitted = ok<ProgressReport>(await unit.post(`/api/reports/${draft.id}/submit`, { version: fixed.version }));
    expect(resubmitted.status).toBe('submitted');

    const before = await statusOf(t(), 'targets', f.targetCounty);
    const approved = ok<ProgressReport>(
      await lead.post(`/api/reports/${draft.id}/approve`, { version: resubmitted.version, comment: '同意' }),
    );
    expect(approved).toMatchObject({ status: 'approved', value: 12, reviewComment: '同意' });
    expect((await lead.post(`/api/reports/${draft.id}/approve`, { version: approved.version })).statusCode).toBe(409);
    const after = await statusOf(t(), 'targets', f.targetCounty);
    expect(after.status).not.toBe('not_started');
    expect(after.version).toBe(before.version + 1);
    const history = ok<{ items: Array<{ action: string; entityId: string }> }>(await admin.get(`/api/tasks/${f.taskA}/history`));
    expect(history.items.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'progress_report.create',
        'progress_report.submit',
        'progress_report.return',
        'progress_report.approve',
        'target.update',
      ]),
    );
    expect(ok<{ ok: boolean }>(await admin.get('/api/audit/verify')).ok).toBe(true);

    // On time: the March period is due in 2099.
    const onTime = ok<ProgressReport>(
      await save(unit, mar, { taskId: f.taskB, reportedStatus: 'on_track', completionPercent: 30, narrative: '修编已启动' }),
    );
    expect(ok<ProgressReport>(await unit.post(`/api/reports/${onTime.id}/submit`, { version: onTime.version })).isLate).toBe(false);
  });

  it('keeps counties apart, lets the lead unit see its tasks’ reports, and never lets leader or admin file', async () => {
    const p = await scheduledPlan();
    const { f, jan } = p;
    await januaryApproved(p);
    expect((await save(unit2, jan, { taskId: f.taskA, targetId: f.targetCounty, value: 5 })).statusCode).toBe(403);
    expect((await save(unit2, jan, { taskId: f.taskB })).statusCode).toBe(403);
    expect((await save(leader, jan, { taskId: f.taskA, targetId: f.targetCounty2, value: 5 })).statusCode).toBe(403);
    expect((await save(admin, jan, { taskId: f.taskA, targetId: f.targetCounty2, value: 5 })).statusCode).toBe(403);
    expect((await save(lead, jan, { taskId: f.taskA, targetId: f.targetCounty, value: 5 })).statusCode).toBe(403);

    const county2Draft = ok<ProgressReport>(await save(unit2, jan, { taskId: f.taskA, targetId: f.targetCounty2, value: 20 }));
    expect((await unit.get(`/api/reports/${county2Draft.id}`)).statusCode).toBe(404);
    const unitList = ok<{ items: ProgressReport[] }>(await unit.get(`/api/periods/${jan.id}/reports`));
    expect(unitList.items.every((r) => r.orgId === t().orgs.county.id)).toBe(true);
    expect(ok<{ items: ProgressReport[] }>(await unit.get(`/api/periods/${jan.id}/reports?orgId=${t().orgs.county2.id}`)).items).toEqual(
      [],
    );

    const summary = ok<ProgressReport>(await save(lead, jan, { taskId: f.taskA, completionPercent: 20, narrative: '两县均已开工' }));
    expect(summary).toMatchObject({ targetId: null, orgId: t().orgs.leadDept.id });
    expect((await save(lead, jan, { taskId: f.taskA, value: 3 })).statusCode).toBe(422);

    const leadList = ok<{ items: ProgressReport[] }>(await lead.get(`/api/periods/${jan.id}/reports`));
    const seen = leadList.items.map((r) => `${r.orgId}/${r.status}`);
    expect(seen).toContain(`${t().orgs.county.id}/approved`);
    expect(seen).toContain(`${t().orgs.leadDept.id}/draft`);
    expect(leadList.items.some((r) => r.id === county2Draft.id)).toBe(false);
    const sent = ok<ProgressReport>(await unit2.post(`/api/reports/${county2Draft.id}/submit`, { version: county2Draft.version }));
    const leadAgain = ok<{ items: ProgressReport[] }>(await lead.get(`/api/periods/${jan.id}/reports?status=submitted`));
    expect(leadAgain.items.map((r) => r.id)).toEqual([sent.id]);
    const leaderList = ok<{ items: ProgressReport[] }>(await leader.get(`/api/periods/${jan.id}/reports`));
    expect(leaderList.items.some((r) => r.status === 'draft')).toBe(false);
    // The lead unit's own summary is reviewed by the office, not by itself.
    const summarySent = ok<ProgressReport>(await lead.post(`/api/reports/${summary.id}/submit`, { version: summary.version }));
    expect((await lead.post(`/api/reports/${summary.id}/approve`, { version: summarySent.version })).statusCode).toBe(403);
    ok(await admin.post(`/api/reports/${summary.id}/approve`, { version: summarySent.version }));
    ok(await lead.post(`/api/reports/${sent.id}/return`, { version: sent.version, comment: '请补充照片' }));
  });

  it('recomputes statuses on approval: a target that reaches its value is done, a lagging series is at risk', async () => {
    const p = await scheduledPlan();
    const { f, feb } = p;
    await januaryApproved(p);
    await fileApproved(unit2, feb, { taskId: f.taskA, targetId: f.targetCounty2, value: 50 });
    expect((await statusOf(t(), 'targets', f.targetCounty2)).status).toBe('done');

    // 12 by January, 13 by February: the trend reaches about 76 of 100 by 2030.
    await fileApproved(unit, feb, { taskId: f.taskA, targetId: f.targetCounty, value: 13 });
    expect((await statusOf(t(), 'targets', f.targetCounty)).status).toBe('at_risk');
    // The task rolls up its targets: the worst signal wins.
    expect((await statusOf(t(), 'tasks', f.taskA)).status).toBe('at_risk');
    const task = ok<{ status: string }>(await leader.get(`/api/tasks/${f.taskA}`));
    expect(task.status).toBe('at_risk');

    // A qualitative task follows its latest approved task-level report.
    await fileApproved(unit, feb, { taskId: f.taskB, reportedStatus: 'done', completionPercent: 100, narrative: '规划修编已获批复' });
    expect((await statusOf(t(), 'tasks', f.taskB)).status).toBe('done');
  });

  it('closes a period into a frozen snapshot, and corrects it only by amendments', async () => {
    const p = await scheduledPlan();
    const { f } = p;
    await januaryApproved(p);
    // February as the status case leaves it: 浚县 done at 50, 淇县 at 13 (at risk), taskB done.
    await fileApproved(unit2, p.feb, { taskId: f.taskA, targetId: f.targetCounty2, value: 50 });
    await fileApproved(unit, p.feb, { taskId: f.taskA, targetId: f.targetCounty, value: 13 });
    await fileApproved(unit, p.feb, { taskId: f.taskB, reportedStatus: 'done', completionPercent: 100, narrative: '规划修编已获批复' });
    const feb = ok<ReportingPeriod>(await admin.get(`/api/periods/${p.feb.id}`));
    expect((await lead.post(`/api/periods/${feb.id}/close`, { version: feb.version })).statusCode).toBe(403);
    expect((await admin.post(`/api/periods/${feb.id}/close`, { version: 99 })).statusCode).toBe(409);
    const closed = ok<ReportingPeriod>(await admin.post(`/api/periods/${feb.id}/close`, { version: feb.version }));
    expect(closed).toMatchObject({ status: 'closed', version: feb.version + 1 });
    expect((await admin.post(`/api/periods/${feb.id}/close`, { version: closed.version })).statusCode).toBe(409);
    expect((await save(unit, feb, { taskId: f.taskB, narrative: '补报' })).statusCode).toBe(409);

    const snap = ok<{ items: PeriodSnapshot[] }>(await leader.get(`/api/periods/${feb.id}/snapshots`));
    // One row per row × reporting organisation (issue 11 item 7): taskA × 淇县, 浚县 (via 两县) and
    // the lead unit; each county's target × its county; taskB × 淇县 and the lead unit.
    expect(snap.items).toHaveLength(7);
    expect(
      snap.items
        .filter((s) => s.taskId === f.taskA && s.targetId === null)
        .map((s) => s.orgId)
        .sort(),
    ).toEqual([t().orgs.county.id, t().orgs.county2.id, t().orgs.leadDept.id].sort());
    const county = snap.items.find((s) => s.targetId === f.targetCounty)!;
    expect(county).toMatchObject({
      reportedValue: 13,
      reportStatus: 'approved',
      computedStatus: 'at_risk',
      orgId: t().orgs.county.id,
      isLate: true,
    });
    expect(county.reason).toMatch(/^按当前进度推算，到2030-12-31约为7\d(\.\d+)?，达不到目标不低于100$/);
    expect(snap.items.find((s) => s.targetId === f.targetCounty2)).toMatchObject({ reportedValue: 50, computedStatus: 'done' });
    expect(snap.items.find((s) => s.taskId === f.taskA && s.targetId === null)).toMatchObject({ computedStatus: 'at_risk' });
    expect(snap.items.find((s) => s.taskId === f.taskB && s.targetId === null && s.orgId === t().orgs.county.id)).toMatchObject({
      reportedStatus: 'done',
      computedStatus: 'done',
      completionPercent: 100,
    });
    // The lead unit filed no summary for taskB: its row says so (missed), with the row's status.
    expect(snap.items.find((s) => s.taskId === f.taskB && s.targetId === null && s.orgId === t().orgs.leadDept.id)).toMatchObject({
      reportId: null,
      reportStatus: null,
      computedStatus: 'done',
    });

    expect((await lead.post(`/api/snapshots/${county.id}/amendments`, { reason: '更正', reportedValue: 15 })).statusCode).toBe(403);
    expect((await admin.post(`/api/snapshots/${county.id}/amendments`, { reason: '无变化', reportedValue: 13 })).statusCode).toBe(422);
    const amended = ok<PeriodSnapshot>(
      await admin.post(`/api/snapshots/${county.id}/amendments`, { reason: '县里更正了统计口径', reportedValue: 15 }),
      201,
    );
    expect(amended.reportedValue).toBe(13);
    expect(amended.effective.reportedValue).toBe(15);
    expect(amended.amendments).toMatchObject([
      {
        reason: '县里更正了统计口径',
        before: { reportedValue: 13 },
        after: { reportedValue: 15 },
        actorId: t().users.admin.user.id,
        actorName: t().users.admin.user.displayName,
      },
    ]);

    const again = ok<{ items: PeriodSnapshot[] }>(await unit.get(`/api/periods/${feb.id}/snapshots`));
    const row = again.items.find((s) => s.id === county.id)!;
    expect(row).toMatchObject({
      reportedValue: 13,
      computedStatus: 'at_risk',
      createdAt: county.createdAt,
      effective: { reportedValue: 15 },
    });
    expect(row.amendments).toHaveLength(1);
    expect(ok<PeriodSnapshot>(await leader.get(`/api/snapshots/${county.id}`)).amendments).toHaveLength(1);
    const stored = await t()
      .db.selectFrom('period_snapshots')
      .select('reported_value')
      .where('id', '=', county.id)
      .executeTakeFirstOrThrow();
    expect(Number(stored.reported_value)).toBe(13);
  });

  it('opens due periods and closes expired ones for the scheduled job', async () => {
    const p = await scheduledPlan();
    const { f, jan, mar } = p;
    await januaryApproved(p);
    // 浚县's January report, returned for more photos and never resubmitted.
    await makeReport(
      unit2,
      jan.id,
      { taskId: f.taskA, targetId: f.targetCounty2, value: 20 },
      { returnBy: { client: lead, comment: '请补充照片' } },
    );
    const opened = await openDuePeriods(t().db, '2026-05-10');
    const periods = ok<{ items: ReportingPeriod[] }>(await admin.get(`/api/plans/${f.planId}/periods`));
    const may = periods.items.find((p) => p.label === '2026年5月')!;
    expect(may).toMatchObject({ start: '2026-05-01', end: '2026-05-31', dueDate: '2026-06-05', closeDate: '2026-06-17', status: 'open' });
    expect(opened).toContain(may.id);
    // January (closes 02-17) is long expired; March is not yet due to close.
    expect(await openDuePeriods(t().db, '2026-05-10')).toEqual([]);
    const closed = await closeExpiredPeriods(t().db, '2026-06-17');
    expect(closed).toContain(jan.id);
    expect(closed).toContain(may.id);
    expect(closed).not.toContain(mar.id);
    const janSnap = ok<{ items: PeriodSnapshot[] }>(await admin.get(`/api/periods/${jan.id}/snapshots`));
    expect(janSnap.items.find((s) => s.targetId === f.targetCounty)).toMatchObject({ reportedValue: 12, reportStatus: 'approved' });
    // 浚县's January report was returned and never resubmitted: frozen as returned.
    expect(janSnap.items.find((s) => s.targetId === f.targetCounty2)).toMatchObject({ reportedValue: 20, reportStatus: 'returned' });
    expect(await closeExpiredPeriods(t().db, '2026-06-17')).toEqual([]);
    // The job's tick: nothing left to close; June is created and opened.
    const tick = await runPeriodTick(t().db, '2026-06-17');
    expect(tick).toMatchObject({ asOf: '2026-06-17', closed: [] });
    // Every scheduled plan in the database gets its June; this plan gets exactly one.
    const ours = ok<{ items: ReportingPeriod[] }>(await admin.get(`/api/plans/${f.planId}/periods`)).items.filter((x) =>
      tick.opened.includes(x.id),
    );
    expect(ours).toHaveLength(1);
    expect(ok<ReportingPeriod>(await admin.get(`/api/periods/${ours[0]!.id}`))).toMatchObject({ label: '2026年6月', status: 'open' });
  });
});
