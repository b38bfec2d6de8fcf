import { expect, it } from 'vitest';
import type { ReportingPeriod, ReportingSchedule } from '../src/shared/schemas/reporting.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeReportingPlan } from './helpers/factories.ts';
import { useTestApp } from './helpers/test-app.ts';

/**
 * Issue 11.8: saving a schedule (保存并启用) opens the period containing today, so a new plan takes
 * reports without the admin finding the period steps. Today is LUOSHI_TODAY (config `today`).
 */
describeEachDialect('reporting schedule: saving it opens the current period', (ctx) => {
  const t = useTestApp(ctx, { today: '2026-03-15' });
  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
    expect(res.statusCode, res.body).toBe(code);
    return res.json() as T;
  };
  const periodsOf = async (planId: string): Promise<ReportingPeriod[]> =>
    ok<{ items: ReportingPeriod[] }>(await (await t().login('admin')).get(`/api/plans/${planId}/periods`)).items;

  it('creating a schedule opens the period containing today, audited under the admin', async () => {
    const admin = await t().login('admin');
    const f = await makeReportingPlan(t());
    ok<ReportingSchedule>(await admin.put(`/api/plans/${f.planId}/reporting-schedule`, { frequency: 'monthly', dueDay: 5 }));
    const periods = await periodsOf(f.planId);
    expect(periods.map((p) => [p.start, p.end, p.status])).toEqual([['2026-03-01', '2026-03-31', 'open']]);
    const audits = await t()
      .db.selectFrom('audit_events')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', periods[0]!.id)
      .orderBy('seq')
      .execute();
    expect(audits.map((a) => a.action)).toEqual(['reporting_period.create', 'reporting_period.open']);
    expect(new Set(audits.map((a) => a.actor_id))).toEqual(new Set([t().users.admin.user.id]));
  });

  it('saving the schedule again leaves the one period as it is', async () => {
    const admin = await t().login('admin');
    const f = await makeReportingPlan(t());
    const first = ok<ReportingSchedule>(await admin.put(`/api/plans/${f.planId}/reporting-schedule`, { frequency: 'monthly', dueDay: 5 }));
    const [opened] = await periodsOf(f.planId);
    ok<ReportingSchedule>(
      await admin.put(`/api/plans/${f.planId}/reporting-schedule`, { version: first.version, frequency: 'monthly', dueDay: 10 }),
    );
    const periods = await periodsOf(f.planId);
    expect(periods).toHaveLength(1);
    expect(periods[0]).toEqual(opened);
  });

  it('a schedule starting after today opens nothing yet; a refused save opens nothing', async () => {
    const admin = await t().login('admin');
    const later = await makeReportingPlan(t());
    ok(await admin.put(`/api/plans/${later.planId}/reporting-schedule`, { frequency: 'monthly', startDate: '2026-07-01' }));
    expect(await periodsOf(later.planId)).toEqual([]);
    const stale = await makeReportingPlan(t());
    expect((await admin.put(`/api/plans/${stale.planId}/reporting-schedule`, { version: 3, frequency: 'monthly' })).statusCode).toBe(409);
    expect(await periodsOf(stale.planId)).toEqual([]);
  });

  it('a quarterly schedule opens the quarter containing today', async () => {
    const admin = await t().login('admin');
    const f = await makeReportingPlan(t());
    ok(await admin.put(`/api/plans/${f.planId}/reporting-schedule`, { frequency: 'quarterly' }));
    expect((await periodsOf(f.planId)).map((p) => [p.start, p.end, p.status])).toEqual([['2026-01-01', '2026-03-31', 'open']]);
  });
});
