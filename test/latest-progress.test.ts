import { beforeAll, expect, it } from 'vitest';
import type { LedgerResponse } from '../src/shared/schemas/ledger.schema.ts';
import { closePeriod } from '../src/server/modules/reporting/period-close.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makeReport, makeReportingPlan, makeSchedule, makeUser } from './helpers/factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

// The ledger's 进展情况 is the newest submitted narrative of each row. The lookup reads a plan's
// three newest periods first and the whole history only for rows with nothing there
// (reporting.repository listLatestProgress): a row last reported five months ago, a newer
// narrative replacing an older one, and a returned report that does not count.
describeEachDialect('the ledger’s latest 进展情况 over a long history', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let lead: TestClient;
  let qixian: TestClient;
  let xunxian: TestClient;

  beforeAll(async () => {
    admin = await t().login('admin');
    lead = await t().login('lead');
    qixian = await t().login('unit');
    xunxian = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit' })).login();
  });

  it('keeps each row’s newest submitted narrative, however old, and never a returned one', async () => {
    const f = await makeReportingPlan(t());
    await makeSchedule(t(), f.planId, { frequency: 'monthly', dueDay: 5, graceDays: 2 });
    const months = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01'];
    for (const [i, start] of months.entries()) {
      const period = await makePeriod(t(), f.planId, { start, open: true });
      if (i === 0) {
        await makeReport(
          qixian,
          period.id,
          { taskId: f.taskA, targetId: f.targetCounty, value: 10, narrative: '一月淇县' },
          { submit: true },
        );
        await makeReport(qixian, period.id, { taskId: f.taskB, targetId: null, narrative: '一月规划' }, { approveBy: lead });
        await makeReport(
          xunxian,
          period.id,
          { taskId: f.taskA, targetId: f.targetCounty2, value: 5, narrative: '一月浚县' },
          { submit: true },
        );
      }
      if (i === 3) {
        await makeReport(
          xunxian,
          period.id,
          { taskId: f.taskA, targetId: f.targetCounty2, value: 9, narrative: '四月浚县' },
          { submit: true },
        );
      }
      if (i === 4) {
        await makeReport(
          xunxian,
          period.id,
          { taskId: f.taskA, targetId: f.targetCounty2, value: 12, narrative: '五月被退回' },
          { returnBy: { client: lead, comment: '数字不对' } },
        );
        await makeReport(qixian, period.id, { taskId: f.taskA, targetId: f.targetCounty, value: 11, narrative: '' }, { submit: true });
      }
      await closePeriod(
        t().db,
        period.id,
        (await t().db.selectFrom('reporting_periods').select('version').where('id', '=', period.id).executeTakeFirstOrThrow()).version,
        null,
      );
    }

    const res = await admin.get(`/api/ledger?planId=${f.planId}`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = (res.json() as LedgerResponse).rows;
    const progressOf = (taskId: string, orgId: string) =>
      rows.find((r) => r.taskId === taskId && r.responsible?.id === orgId)?.latestProgress;
    // January is outside the three newest periods (March–May); May's empty narrative says nothing.
    expect(progressOf(f.taskA, t().orgs.county.id)).toBe('一月淇县');
    expect(progressOf(f.taskB, t().orgs.county.id)).toBe('一月规划');
    // April replaces January; May's returned report is the unit's own business.
    expect(progressOf(f.taskA, t().orgs.county2.id)).toBe('四月浚县');

    // The same rows on a page of the ledger (built for the page's tasks only) read the same.
    const page = await admin.get(`/api/ledger/page?planId=${f.planId}&page=1&pageSize=50`);
    expect(page.statusCode, page.body).toBe(200);
    const pageRows = (page.json() as LedgerResponse).rows;
    expect(pageRows.map((r) => [r.key, r.latestProgress]).sort()).toEqual(rows.map((r) => [r.key, r.latestProgress]).sort());
  });
});
