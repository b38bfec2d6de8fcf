import { expect, it } from 'vitest';
import { describeEachDialect } from './helpers/dialects.ts';
import { useDemoApp } from './helpers/demo-app.ts';

// The README says who reviews what on the demo: the office (admin) reviews every report; the lead
// department (zhujian, 市住建局) reviews the reports on the tasks it leads, and no others. This walks
// 淇县's rows of 2018年6月 and checks the review queue agrees, so the README and the product cannot
// drift apart again (issue 11: zhujian had nothing to review after 淇县 submitted ten reports).
describeEachDialect('who reviews the demo reports (README)', (ctx) => {
  const d = useDemoApp(ctx, { today: '2018-06-20' });

  it('a report on a task 市住建局 leads reaches zhujian; one on another department’s task reaches only the office', async () => {
    const qixian = await d().login('qixian');
    const periods = (await qixian.get(`/api/plans/${d().planId}/periods`)).json().items as { id: string; status: string }[];
    const period = periods.find((p) => p.status === 'open')!;
    const rows = (await qixian.get(`/api/periods/${period.id}/my-reports`)).json().items as { taskId: string; targetId: string | null }[];
    const zhujianOrg = d().org('市住房和城乡建设局');
    const led = new Set(
      (await d().db.selectFrom('assignments').select('task_id').where('org_id', '=', zhujianOrg).where('role', '=', 'lead').execute()).map(
        (r) => r.task_id,
      ),
    );
    const ledRows = rows.filter((r) => led.has(r.taskId));
    const otherRows = rows.filter((r) => !led.has(r.taskId));
    expect(ledRows.length).toBeGreaterThan(0);
    expect(otherRows.length).toBeGreaterThan(0);

    const file = async (row: { taskId: string; targetId: string | null }) => {
      const saved = await qixian.put(`/api/periods/${period.id}/reports`, {
        taskId: row.taskId,
        targetId: row.targetId,
        ...(row.targetId ? { value: 1 } : { completionPercent: 10 }),
        narrative: '按计划推进（README 审核分工测试）',
        confirmOutlier: true,
      });
      expect(saved.statusCode, saved.body).toBeLessThan(300);
      const report = saved.json();
      const submitted = await qixian.post(`/api/reports/${report.id}/submit`, { version: report.version });
      expect(submitted.statusCode, submitted.body).toBe(200);
      return report.id as string;
    };
    const ledId = await file(ledRows[0]!);
    const otherId = await file(otherRows[0]!);

    const queue = async (user: 'zhujian' | 'admin') =>
      ((await (await d().login(user)).get(`/api/periods/${period.id}/reports?status=submitted`)).json().items as { id: string }[]).map(
        (r) => r.id,
      );
    const zhujian = await queue('zhujian');
    expect(zhujian).toContain(ledId);
    expect(zhujian).not.toContain(otherId);
    const admin = await queue('admin');
    expect(admin).toEqual(expect.arrayContaining([ledId, otherId]));

    // And the lead department may approve the one it leads, not the other.
    const lead = await d().login('zhujian');
    const version = async (id: string) => (await lead.get(`/api/reports/${id}`)).json().version;
    expect((await lead.post(`/api/reports/${ledId}/approve`, { version: await version(ledId) })).statusCode).toBe(200);
    const other = await lead.post(`/api/reports/${otherId}/approve`, { version: 2 });
    expect([403, 404]).toContain(other.statusCode);

    // The task's history names the reviewer by name, not by the id stored in the report.
    const history = (await qixian.get(`/api/tasks/${ledRows[0]!.taskId}/history`)).json();
    const reviewerId = await d()
      .db.selectFrom('users')
      .select(['id', 'display_name'])
      .where('username', '=', 'zhujian')
      .executeTakeFirstOrThrow();
    expect(history.names[reviewerId.id]).toBe(reviewerId.display_name);
  });
});
