import { beforeAll, expect, it } from 'vitest';
import type {
  FundingBalance,
  IntakeProgress,
  ProjectDetail,
  ProjectList,
  ProjectReport,
  ProjectSummary,
  RateList,
  RolloverResult,
} from '../src/shared/schemas/project.schema.ts';
import { refreshYearFigures } from '../src/server/modules/projects/projects.repository.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makePlan, makeUser } from './helpers/factories.ts';
import { makeProject, okJson, projectBody } from './helpers/project-factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

// Issue 14 items 2 and 3: the annual rolling plan (年度结转, next year's intake against its
// deadline) and money arrived per year and source. Each case uses its own years and county.
describeEachDialect('project annual plans and yearly arrived funds', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let planId: string;

  beforeAll(async () => {
    admin = await t().login('admin');
    planId = (await makePlan(t(), { title: '年度计划测试方案', tasks: [{ text: '项目建设', assignments: [] }] })).planId;
  });

  /** A fresh county with its own unit account. */
  async function county(name: string) {
    const org = okJson<{ id: string }>(await admin.post('/api/organisations', { name, kind: 'jurisdiction' }), 201);
    const u = await (await makeUser(t(), { orgId: org.id, role: 'unit' })).login();
    return { id: org.id, u };
  }

  const dates = (year: number) => ({ startDate: `${year}-03-01`, endDate: `${year + 1}-12-31` });

  it('carries continuing projects into the next year with their remaining investment: previewed, audited, idempotent', async () => {
    const c = await county('结转测试县');
    // a: started, 300,000 of 1,000,000 invested → carries 700,000. d: admitted, nothing reported → 500,000.
    const a = await makeProject(c.u, admin, { planYear: 2033, annualPlan: 400_000, ...dates(2033) });
    const d = await makeProject(c.u, admin, {
      planYear: 2033,
      ...dates(2033),
      totalInvestment: 500_000,
      annualPlan: 500_000,
      funding: [{ sourceCode: 'county', planned: 500_000, arrived: 0 }],
    });
    // b completes in 2033 and a draft is not in the library: neither carries.
    const b = await makeProject(c.u, admin, { planYear: 2033, startDate: '2033-03-01', endDate: '2033-06-30' });
    await makeProject(c.u, admin, { planYear: 2033, ...dates(2033) }, 'draft');
    const period = await makePeriod(t(), planId, { start: '2033-05-01', open: true });
    for (const [p, investment] of [
      [a, 300_000],
      [b, 1_000_000],
    ] as const)
      okJson(
        await c.u.post(`/api/projects/${p.id}/reports`, { periodId: period.id, investment, progressPct: 50, started: true, submit: true }),
      );
    const bNow = okJson<ProjectDetail>(await c.u.get(`/api/projects/${b.id}`));
    okJson(await c.u.post(`/api/projects/${b.id}/complete`, { version: bNow.version, completedOn: '2033-06-20' }));

    // Only the office previews or runs it.
    expect((await c.u.get('/api/project-plans/rollover?fromYear=2033')).statusCode).toBe(403);
    expect((await c.u.post('/api/project-plans/rollover', { fromYear: 2033 })).statusCode).toBe(403);
    const preview = okJson<RolloverResult>(await admin.get('/api/project-plans/rollover?fromYear=2033'));
    const mine = (r: RolloverResult) => r.items.filter((i) => i.orgId === c.id);
    expect(preview).toMatchObject({ fromYear: 2033, toYear: 2034, applied: false });
    expect(
      mine(preview)
        .map((i) => [i.projectId, i.invested, i.remaining, i.annualPlan])
        .sort(),
    ).toEqual(
      [
        [a.id, 300_000, 700_000, 400_000],
        [d.id, 0, 500_000, 500_000],
      ].sort(),
    );
    // The preview wrote nothing.
    expect(okJson<ProjectDetail>(await admin.get(`/api/projects/${a.id}`)).planYear).toBe(2033);

    const done = okJson<RolloverResult>(await admin.post('/api/project-plans/rollover', { fromYear: 2033, note: '年底结转' }));
    expect(done).toMatchObject({ applied: true });
    expect(mine(done)).toHaveLength(2);
    const aNow = okJson<ProjectDetail>(await c.u.get(`/api/projects/${a.id}`));
    expect(aNow).toMatchObject({ planYear: 2034, annualPlan: 700_000, status: 'in_progress', version: a.version + 2 });
    expect(aNow.timeline.at(-1)).toMatchObject({ from: 'in_progress', to: 'in_progress' });
    expect(aNow.timeline.at(-1)!.note).toContain('年度结转');
    expect(aNow.timeline.at(-1)!.note).toContain('70万元');
    // Audited once per carried project.
    const events = await t()
      .db.selectFrom('audit_events')
      .select(['entity_id', 'after_json'])
      .where('action', '=', 'project.rollover')
      .where('entity_id', 'in', [a.id, d.id, b.id])
      .execute();
    expect(events.map((e) => e.entity_id).sort()).toEqual([a.id, d.id].sort());
    expect(JSON.parse(events.find((e) => e.entity_id === a.id)!.after_json!)).toMatchObject({ planYear: 2034, annualPlan: 700_000 });

    // Running it again carries nothing more.
    const again = okJson<RolloverResult>(await admin.post('/api/project-plans/rollover', { fromYear: 2033 }));
    expect(mine(again)).toEqual([]);
    expect(okJson<ProjectDetail>(await c.u.get(`/api/projects/${a.id}`)).version).toBe(aNow.version);

    // Both years' lists hold the carried projects; the new year's figures use the carried amounts.
    const list = async (y: number) =>
      okJson<ProjectList>(await admin.get(`/api/projects?planYear=${y}&orgId=${c.id}&limit=50`))
        .items.map((p) => p.id)
        .sort();
    expect(await list(2033)).toHaveLength(4);
    expect(await list(2034)).toEqual([a.id, d.id].sort());
    const bal = okJson<FundingBalance>(await admin.get(`/api/funding-balance?planYear=2034&orgId=${c.id}`)).counties[0]!;
    expect(bal).toMatchObject({ needs: 1_200_000, planned: 1_200_000, balanced: true });
    const old = okJson<FundingBalance>(await admin.get(`/api/funding-balance?planYear=2033&orgId=${c.id}`)).counties[0]!;
    expect(old.needs).toBe(400_000 + 500_000 + 1_000_000);
    const rates = okJson<RateList>(await admin.get('/api/project-rates?planYear=2034&asOf=2034-12-31')).items.find(
      (r) => r.orgId === c.id,
    )!;
    expect(rates).toMatchObject({ projects: 2, started: 1, annualPlan: 1_200_000, invested: 0 });
  });

  it('shows next year’s intake per county against the office’s deadline, overdue counties first', async () => {
    const x = await county('谋划甲县');
    const y = await county('谋划乙县');
    await makeProject(x.u, admin, { planYear: 2035, ...dates(2035) }, 'draft');
    await makeProject(x.u, admin, { planYear: 2035, ...dates(2035) }, 'submitted');
    await makeProject(y.u, admin, { planYear: 2035, ...dates(2035) }, 'submitted');
    await makeProject(y.u, admin, { planYear: 2035, ...dates(2035), totalInvestment: 1_000_000 });

    const row = (p: IntakeProgress, id: string) => p.counties.find((c) => c.orgId === id);
    let p = okJson<IntakeProgress>(await admin.get('/api/project-intake?planYear=2035'));
    expect(p).toMatchObject({ planYear: 2035, deadline: '2034-11-30', deadlineSet: false });
    expect(row(p, x.id)).toMatchObject({ drafting: 1, submitted: 1, done: false, newInvestment: 2_000_000 });
    expect(row(p, y.id)).toMatchObject({ drafting: 0, submitted: 1, admitted: 1, done: true, overdue: false });

    // The office moves the deadline into the past: the county still drafting is overdue and listed first.
    expect((await x.u.put('/api/project-intake/deadline', { planYear: 2035, deadline: '2020-01-01' })).statusCode).toBe(403);
    const late = await admin.put('/api/project-intake/deadline', { planYear: 2035, deadline: '2036-01-01' });
    expect(late.statusCode).toBe(400);
    expect(late.json().detail).toContain('不能晚于');
    p = okJson<IntakeProgress>(await admin.put('/api/project-intake/deadline', { planYear: 2035, deadline: '2020-01-01' }));
    expect(p).toMatchObject({ deadline: '2020-01-01', deadlineSet: true });
    expect(row(p, x.id)).toMatchObject({ overdue: true });
    expect(row(p, y.id)).toMatchObject({ overdue: false });
    expect(p.counties.findIndex((c) => c.orgId === x.id)).toBeLessThan(p.counties.findIndex((c) => c.orgId === y.id));
    // A county sees its own row only.
    const own = okJson<IntakeProgress>(await x.u.get('/api/project-intake?planYear=2035'));
    expect(own.counties.map((c) => c.orgId)).toEqual([x.id]);
    expect(
      await t()
        .db.selectFrom('audit_events')
        .select('entity_id')
        .where('action', '=', 'project.intake_deadline')
        .where('entity_id', '=', '2035')
        .execute(),
    ).toHaveLength(1);
  });

  it('counts arrived money per plan year and source from the monthly reports', async () => {
    const c = await county('到位测试县');
    // 总投资 1,000,000 (central 600,000 with 300,000 arrived before; county 400,000 with 100,000), 2037 plans 500,000.
    const p = await makeProject(c.u, admin, { planYear: 2037, annualPlan: 500_000, ...dates(2037) });
    const p37 = await makePeriod(t(), planId, { start: '2037-04-01', open: true });
    const report = (periodId: string, arrivals: unknown[], submit = true) =>
      c.u.post(`/api/projects/${p.id}/reports`, { periodId, investment: 100_000, progressPct: 20, started: true, arrivals, submit });
    // Sources the project does not have, or more than a source plans, are refused.
    const bad = await report(p37.id, [{ sourceCode: 'social', amount: 1 }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('没有这一资金来源');
    expect((await report(p37.id, [{ sourceCode: 'central', amount: 600_001 }])).statusCode).toBe(400);
    const r = okJson<ProjectReport>(await report(p37.id, [{ sourceCode: 'central', amount: 50_000 }]));
    expect(r.arrivals).toEqual([{ sourceCode: 'central', amount: 50_000 }]);
    // A draft report's arrivals do not count yet.
    const p37b = await makePeriod(t(), planId, { start: '2037-05-01', open: true });
    okJson(await report(p37b.id, [{ sourceCode: 'county', amount: 30_000 }], false));

    const bal37 = okJson<FundingBalance>(await admin.get(`/api/funding-balance?planYear=2037&orgId=${c.id}`)).counties[0]!;
    expect(bal37.arrived).toBe(300_000 + 100_000 + 50_000);
    expect(bal37.bySource.map((s) => [s.sourceCode, s.arrived])).toEqual([
      ['central', 350_000],
      ['county', 100_000],
    ]);
    const rate37 = okJson<RateList>(await admin.get('/api/project-rates?planYear=2037&asOf=2037-12-31')).items.find(
      (x) => x.orgId === c.id,
    )!;
    expect(rate37).toMatchObject({ fundsPlanned: 500_000, fundsArrived: 450_000, fundsRate: 90 });

    // Carried into 2038, the project starts the year with nothing arrived; a 2038 report adds to 2038 only.
    okJson(await admin.post('/api/project-plans/rollover', { fromYear: 2037 }));
    const p38 = await makePeriod(t(), planId, { start: '2038-02-01', open: true });
    okJson(await report(p38.id, [{ sourceCode: 'county', amount: 70_000 }]));
    const bal38 = okJson<FundingBalance>(await admin.get(`/api/funding-balance?planYear=2038&orgId=${c.id}`)).counties[0]!;
    expect(bal38).toMatchObject({ needs: 900_000, arrived: 70_000, outstanding: 830_000 });
    const rate38 = okJson<RateList>(await admin.get('/api/project-rates?planYear=2038&asOf=2038-12-31')).items.find(
      (x) => x.orgId === c.id,
    )!;
    expect(rate38).toMatchObject({ fundsPlanned: 900_000, fundsArrived: 70_000 });
    // 2037's figures are unchanged by 2038's money.
    expect(okJson<FundingBalance>(await admin.get(`/api/funding-balance?planYear=2037&orgId=${c.id}`)).counties[0]!.arrived).toBe(450_000);
  });

  it('keeps the year figures the rates and the balance read equal to a rebuild after every kind of write', async () => {
    const c = await county('年度数字测试县');
    const p = await makeProject(c.u, admin, { planYear: 2043, annualPlan: 500_000, ...dates(2043) });
    const ids = [p.id];
    /** The maintained rows of the county's projects, then the same rows rebuilt from the reports: they must agree. */
    const agrees = async (step: string) => {
      const read = async () => ({
        years: await t()
          .db.selectFrom('project_year_plans')
          .select(['project_id', 'plan_year', 'annual_plan', 'invested', 'arrived'])
          .where('project_id', 'in', ids)
          .orderBy('project_id')
          .orderBy('plan_year')
          .execute(),
        sources: await t()
          .db.selectFrom('project_year_sources')
          .selectAll()
          .where('project_id', 'in', ids)
          .orderBy('project_id')
          .orderBy('plan_year')
          .orderBy('seq')
          .execute(),
      });
      const kept = await read();
      await refreshYearFigures(t().db, ids);
      expect(await read(), step).toEqual(kept);
      return kept;
    };
    const rate = async (year: number) =>
      okJson<RateList>(await admin.get(`/api/project-rates?planYear=${year}&asOf=${year}-12-31`)).items.find((x) => x.orgId === c.id)!;
    await agrees('admitted');
    const april = await makePeriod(t(), planId, { start: '2043-04-01', open: true });
    const body = {
      periodId: april.id,
      investment: 120_000,
      progressPct: 20,
      started: true,
      arrivals: [{ sourceCode: 'central', amount: 40_000 }],
    };
    okJson(await c.u.post(`/api/projects/${p.id}/reports`, { ...body, submit: false }));
    expect((await agrees('draft report')).years[0]).toMatchObject({ invested: 0 });
    const sent = okJson<ProjectReport>(await c.u.post(`/api/projects/${p.id}/reports`, { ...body, submit: true }));
    expect((await agrees('submitted report')).years[0]).toMatchObject({ invested: 120_000 });
    expect(await rate(2043)).toMatchObject({ invested: 120_000, fundsArrived: 300_000 + 100_000 + 40_000 });
    // The office returns it: the month's investment and money leave the year again.
    okJson(await admin.post(`/api/project-reports/${sent.id}/review`, { version: sent.version, decision: 'return', note: '数据有误' }));
    expect((await agrees('returned report')).years[0]).toMatchObject({ invested: 0 });
    expect(await rate(2043)).toMatchObject({ invested: 0, fundsArrived: 400_000 });
    const again = okJson<ProjectReport>(await c.u.post(`/api/projects/${p.id}/reports`, { ...body, investment: 150_000, submit: true }));
    okJson(await admin.post(`/api/project-reports/${again.id}/review`, { version: again.version, decision: 'approve', note: '' }));
    expect((await agrees('approved report')).years[0]).toMatchObject({ invested: 150_000 });
    // An approved change request moves the annual plan and the sources' year shares.
    const cr = okJson<{ id: string }>(
      await c.u.post(`/api/projects/${p.id}/change-requests`, { what: '调整年度计划', why: '进度加快', patch: { annualPlan: 800_000 } }),
      201,
    );
    okJson(await admin.post(`/api/project-change-requests/${cr.id}/decision`, { decision: 'approve', note: '同意' }));
    const changed = await agrees('change request');
    expect(changed.sources.map((s) => Number(s.planned))).toEqual([480_000, 320_000]);
    // 年度结转 carries the remainder into 2044 with nothing arrived yet.
    okJson(await admin.post('/api/project-plans/rollover', { fromYear: 2043 }));
    const carried = await agrees('rollover');
    expect(carried.years.map((y) => [y.plan_year, Number(y.annual_plan), Number(y.invested), Number(y.arrived)])).toEqual([
      [2043, 800_000, 150_000, 440_000],
      [2044, 850_000, 0, 0],
    ]);
    expect(await rate(2044)).toMatchObject({ annualPlan: 850_000, invested: 0, fundsArrived: 0 });
  });

  it('counts a year’s projects per county and status for the dashboard, and a draft moved to another year leaves the first', async () => {
    const c = await county('看板测试县');
    await makeProject(c.u, admin, { planYear: 2039, ...dates(2039) });
    await makeProject(c.u, admin, { planYear: 2039, ...dates(2039) }, 'submitted');
    const moved = await makeProject(c.u, admin, { planYear: 2039, ...dates(2039) }, 'draft');
    okJson(await c.u.put(`/api/projects/${moved.id}`, { ...projectBody({ planYear: 2040, ...dates(2040) }), version: moved.version }));
    const mine = (s: ProjectSummary) => s.byCounty.find((x) => x.orgId === c.id);
    const s39 = okJson<ProjectSummary>(await admin.get('/api/project-summary?planYear=2039'));
    expect(mine(s39)).toMatchObject({ orgName: '看板测试县', total: 2, byStatus: { admitted: 1, submitted: 1 } });
    expect(mine(okJson<ProjectSummary>(await admin.get('/api/project-summary?planYear=2040')))).toMatchObject({
      total: 1,
      byStatus: { draft: 1 },
    });
    // Another county's unit sees none of these.
    const other = await county('看板他县');
    expect(mine(okJson<ProjectSummary>(await other.u.get('/api/project-summary?planYear=2039')))).toBeUndefined();
    expect((await admin.get('/api/project-summary?planYear=abc')).statusCode).toBe(400);
  });
});
