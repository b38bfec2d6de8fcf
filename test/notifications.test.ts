import { beforeAll, expect, it } from 'vitest';
import type { ProgressReport } from '../src/shared/schemas/reporting.schema.ts';
import type { Notification } from '../src/shared/schemas/supervision.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeNotice, makePeriod, makeReportingPlan, makeTaskPlan, makeUser } from './helpers/factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

describeEachDialect('notifications: read-all and report review', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let lead: TestClient;
  let unit: TestClient;
  let unitB: TestClient;
  let unit2: TestClient;

  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
    expect(res.statusCode, res.body).toBe(code);
    return res.json() as T;
  };
  const notificationsOf = async (c: TestClient) => ok<{ items: Notification[]; unread: number }>(await c.get('/api/notifications'));

  /** A fresh plan with an open period due far ahead (reports in it are on time). */
  const reportingPlan = async () => {
    const f = await makeReportingPlan(t(), { title: '审核通知测试方案' });
    const period = await makePeriod(t(), f.planId, { start: '2026-03-01', dueDate: '2099-04-05', open: true });
    return { f, period };
  };

  beforeAll(async () => {
    admin = await t().login('admin');
    lead = await t().login('lead');
    unit = await t().login('unit');
    unitB = await (await makeUser(t(), { orgId: t().orgs.county.id, role: 'unit', displayName: '淇县第二填报员' })).login();
    unit2 = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit', displayName: '浚县填报员' })).login();
  });

  it('marks all the caller’s unread notifications read, and only the caller’s', async () => {
    // A notice on a ledger row of each county: both counties' users are notified.
    const a = await makeTaskPlan(t(), 'assigned');
    const b = await makeTaskPlan(t(), 'other');
    for (const row of [
      { taskId: a.taskId, orgId: t().orgs.county.id },
      { taskId: b.taskId, orgId: t().orgs.county2.id },
    ]) {
      await makeNotice(admin, { rows: [row], reason: '全部已读测试', requiredAction: '说明情况', dueDate: '2026-12-10' });
    }
    const before = await notificationsOf(unit);
    const otherBefore = await notificationsOf(unit2);
    const sameOrgBefore = await notificationsOf(unitB);
    expect(before.unread).toBeGreaterThan(0);
    expect(otherBefore.unread).toBeGreaterThan(0);
    // One already read stays as it was (its read time is not moved).
    const first = before.items[0]!;
    const readOne = ok<Notification>(await unit.post(`/api/notifications/${first.id}/read`));

    const res = ok<{ marked: number }>(await unit.post('/api/notifications/read-all'));
    expect(res).toEqual({ marked: before.unread - 1 });
    const after = await notificationsOf(unit);
    expect(after.unread).toBe(0);
    expect(after.items.every((n) => n.readAt !== null)).toBe(true);
    expect(after.items.find((n) => n.id === first.id)?.readAt).toBe(readOne.readAt);
    // Another county's user and another user of the same county keep theirs unread.
    expect((await notificationsOf(unit2)).unread).toBe(otherBefore.unread);
    expect((await notificationsOf(unitB)).unread).toBe(sameOrgBefore.unread);

    expect(ok<{ marked: number }>(await unit.post('/api/notifications/read-all'))).toEqual({ marked: 0 });
    expect((await t().anonymous.post('/api/notifications/read-all')).statusCode).toBe(401);
    expect((await unit.request({ method: 'POST', url: '/api/notifications/read-all', csrf: false })).statusCode).toBe(403);
  });

  it('tells the reporting organisation’s users when a report is returned and when it is approved, linking to the period’s reports', async () => {
    const { f, period } = await reportingPlan();
    const link = `/reports?planId=${f.planId}&periodId=${period.id}`;
    const reviewNotes = async (c: TestClient) =>
      (await notificationsOf(c)).items.filter((n) => n.kind.startsWith('report.') && n.link === link);

    const draft = ok<ProgressReport>(
      await unit.put(`/api/periods/${period.id}/reports`, {
        taskId: f.taskB,
        targetId: null,
        reportedStatus: 'on_track',
        narrative: '规划修编已启动',
      }),
    );
    const sent = ok<ProgressReport>(await unit.post(`/api/reports/${draft.id}/submit`, { version: draft.version }));
    // Submitting tells nobody in the county (the review queue is where the lead unit looks).
    expect(await reviewNotes(unit)).toEqual([]);

    const returned = ok<ProgressReport>(
      await lead.post(`/api/reports/${sent.id}/return`, { version: sent.version, comment: '请补充现场照片' }),
    );
    for (const c of [unit, unitB]) {
      expect(await reviewNotes(c)).toEqual([
        expect.objectContaining({
          kind: 'report.returned',
          title: '进展报告被退回',
          body: '第2项 任务总体进展：请补充现场照片',
          link,
          readAt: null,
        }),
      ]);
    }
    // Not the other county, not the reviewer.
    expect(await reviewNotes(unit2)).toEqual([]);
    expect(await reviewNotes(lead)).toEqual([]);
    const returnedNote = (await reviewNotes(unit))[0]!;
    const outbox = await t().db.selectFrom('outbox').selectAll().where('notification_id', '=', returnedNote.id).execute();
    expect(outbox).toEqual([
      expect.objectContaining({
        channel: 'email',
        status: 'pending',
        subject: '进展报告被退回',
        recipient: `user:${t().users.unit.user.id}`,
      }),
    ]);

    const resent = ok<ProgressReport>(await unit.post(`/api/reports/${returned.id}/submit`, { version: returned.version }));
    ok(await lead.post(`/api/reports/${resent.id}/approve`, { version: resent.version }));
    for (const c of [unit, unitB]) {
      const notes = await reviewNotes(c);
      expect(notes.map((n) => n.kind).sort()).toEqual(['report.approved', 'report.returned']);
      expect(notes.find((n) => n.kind === 'report.approved')).toMatchObject({ title: '进展报告已通过', body: '第2项 任务总体进展', link });
    }
    expect(await reviewNotes(unit2)).toEqual([]);
  });

  it('notifies nobody when a review is refused', async () => {
    const { f, period } = await reportingPlan();
    const draft = ok<ProgressReport>(
      await unit.put(`/api/periods/${period.id}/reports`, { taskId: f.taskA, targetId: f.targetCounty, value: 5, narrative: '已建成5座' }),
    );
    const sent = ok<ProgressReport>(await unit.post(`/api/reports/${draft.id}/submit`, { version: draft.version }));
    const count = async () =>
      (await t().db.selectFrom('notifications').select('id').where('kind', 'in', ['report.returned', 'report.approved']).execute()).length;
    const before = await count();
    // A stale version: the review is refused, and nobody is told of a review that did not happen.
    expect((await lead.post(`/api/reports/${sent.id}/return`, { version: draft.version, comment: '过期版本' })).statusCode).toBe(409);
    expect(await count()).toBe(before);
  });
});
