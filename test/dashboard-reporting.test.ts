import { expect, it } from 'vitest';
import { Dashboard, LedgerResponse } from '../src/shared/schemas/ledger.schema.ts';
import type { MyReportRow } from '../src/shared/schemas/reporting.schema.ts';
import type { z } from 'zod';
import { listMyReports } from '../src/server/modules/reporting/progress-reports.service.ts';
import { useDemoApp } from './helpers/demo-app.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import type { TestClient } from './helpers/test-app.ts';

type Row = z.infer<typeof MyReportRow>;

const TODAY = '2018-06-20';

async function dashboardOf(client: TestClient, planId: string) {
  const res = await client.get(`/api/dashboard?planId=${planId}&asOf=${TODAY}`);
  expect(res.statusCode, res.body).toBe(200);
  return Dashboard.parse(res.json());
}

async function ok<T>(res: Promise<{ statusCode: number; body: string; json: () => unknown }>, status = 200): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json() as T;
}

describeEachDialect('dashboard: reporting rate, escalations, latest progress', (ctx) => {
  const d = useDemoApp(ctx, { today: TODAY });

  it('counts each district’s reports against its own rows, and the ledger shows what was submitted', async () => {
    const { planId } = d();
    const [admin, qixian, zhujian] = [await d().login('admin'), await d().login('qixian'), await d().login('zhujian')];
    const qixianId = d().org('淇县政府');

    const periods = await ok<{ items: { id: string; label: string; status: string }[] }>(admin.get(`/api/plans/${planId}/periods`));
    const period = periods.items.find((p) => p.status === 'open')!;
    expect(period.label).toBe('2018年6月');
    const mine = await ok<{ items: Row[] }>(qixian.get(`/api/periods/${period.id}/my-reports`));
    expect(mine.items.length).toBeGreaterThan(10);

    const before = await dashboardOf(admin, planId);
    expect(before.reporting.periods).toEqual([{ id: period.id, planId, label: '2018年6月', status: 'open', dueDate: '2018-07-05' }]);
    const districtNames = before.reporting.byDistrict.map((x) => x.org.name);
    expect(districtNames).toEqual(before.byDistrict.map((x) => x.org.name));
    expect(districtNames).toContain('淇滨区政府');
    const q0 = before.reporting.byDistrict.find((x) => x.org.id === qixianId)!;
    expect(q0).toMatchObject({ expected: mine.items.length, submitted: 0, approved: 0, returned: 0, late: 0, rate: 0 });
    expect(before.reporting.totals.expected).toBe(before.reporting.byDistrict.reduce((n, x) => n + x.expected, 0));
    // Every district's "expected" is exactly the rows its own unit user is asked for (counted set-wise
    // for the dashboard, row by row for my-reports: the two must agree).
    for (const x of before.reporting.byDistrict) {
      const own = await listMyReports(d().db, period.id, { role: 'unit', orgId: x.org.id, userId: 'test', displayName: 'test' });
      expect(x.expected, x.org.name).toBe(own.items.length);
    }

    // 淇县 reports two target rows with a narrative and submits both.
    const targets = mine.items.filter((r) => r.targetId !== null).slice(0, 2);
    expect(targets).toHaveLength(2);
    const submitted = [];
    for (const [i, row] of targets.entries()) {
      const saved = await ok<{ id: string; version: number }>(
        qixian.put(`/api/periods/${period.id}/reports`, {
          taskId: row.taskId,
          targetId: row.targetId,
          value: 1 + i,
          completionPercent: 40,
          reportedStatus: 'on_track',
          narrative: `淇县第${i + 1}项：已开工，完成年度任务的四成`,
        }),
      );
      submitted.push(
        await ok<{ id: string; version: number; taskId: string }>(
          qixian.post(`/api/reports/${saved.id}/submit`, { version: saved.version }),
        ),
      );
    }
    const mid = (await dashboardOf(admin, planId)).reporting.byDistrict.find((x) => x.org.id === qixianId)!;
    expect(mid).toMatchObject({ expected: mine.items.length, submitted: 2, approved: 0, late: 0 });
    expect(mid.rate).toBeCloseTo(2 / mine.items.length, 10);
    // Every other district is unchanged.
    for (const x of before.reporting.byDistrict.filter((x) => x.org.id !== qixianId)) {
      expect((await dashboardOf(admin, planId)).reporting.byDistrict.find((y) => y.org.id === x.org.id)?.submitted).toBe(0);
    }

    await ok(admin.post(`/api/reports/${submitted[0].id}/approve`, { version: submitted[0].version }));
    await ok(admin.post(`/api/reports/${submitted[1].id}/return`, { version: submitted[1].version, comment: '请补充照片' }));
    const after = (await dashboardOf(admin, planId)).reporting.byDistrict.find((x) => x.org.id === qixianId)!;
    expect(after).toMatchObject({ submitted: 1, approved: 1, returned: 1 });

    // The ledger's 最新进展 on 淇县's row is the approved report's narrative; the returned one is not shown.
    const ledger = LedgerResponse.parse(await ok(admin.get(`/api/ledger?planId=${planId}&asOf=${TODAY}`)));
    const approvedRow = ledger.rows.find((r) => r.taskId === targets[0].taskId && r.responsible?.id === qixianId)!;
    expect(approvedRow.latestProgress).toBe('淇县第1项：已开工，完成年度任务的四成');
    if (targets[1].taskId !== targets[0].taskId) {
      expect(ledger.rows.find((r) => r.taskId === targets[1].taskId && r.responsible?.id === qixianId)?.latestProgress).toBeNull();
    }
    // Another county's row on the same task says nothing of 淇县's progress.
    for (const r of ledger.rows.filter((r) => r.taskId === targets[0].taskId && r.responsible && r.responsible.id !== qixianId)) {
      expect(r.latestProgress).toBeNull();
    }

    // 督办: counted by status, overdue and rung; a lead unit not addressed counts none.
    const row = ledger.rows.find((r) => r.responsible?.id === qixianId)!;
    const notice = await ok<{ id: string; version: number }>(
      admin.post('/api/supervision', {
        rows: [{ taskId: row.taskId, orgId: qixianId }],
        reason: '进度滞后',
        requiredAction: '说明原因',
        dueDate: '2018-06-10',
      }),
      201,
    );
    let s = (await dashboardOf(admin, planId)).supervision;
    expect(s).toMatchObject({ open: 1, answered: 0, closed: 0, overdue: 1 });
    expect(s.byStep.none).toBe(1);
    const escalated = await ok<{ version: number }>(
      admin.post(`/api/supervision/${notice.id}/escalations`, { version: notice.version, step: 'reminder', note: '' }),
    );
    s = (await dashboardOf(admin, planId)).supervision;
    expect(s.byStep).toMatchObject({ none: 0, reminder: 1 });
    expect((await dashboardOf(qixian, planId)).supervision.open).toBe(1);
    expect((await dashboardOf(zhujian, planId)).supervision.open).toBe(0);
    await ok(admin.post(`/api/supervision/${notice.id}/close`, { version: escalated.version }));
    s = (await dashboardOf(admin, planId)).supervision;
    expect(s).toMatchObject({ open: 0, closed: 1, overdue: 0 });
    expect(Object.values(s.byStep).reduce((n, v) => n + v, 0)).toBe(0);
  });
});
