/**
 * Project-library measures in an assessment scheme (issue 15): 开工率, 投资完成率, 资金到位率 and
 * 按期竣工率 of a unit's library projects, read into the assessment's frozen record through the
 * projects service and scored like the other measures; verify recomputes the record and result
 * byte for byte, whatever is entered after the range; a scheme without project rules keeps its
 * record as it was (no `projects` key), one without the two later rules keeps its facts as they were.
 */
import { beforeAll, expect, it, vi } from 'vitest';
import type { Assessment, ScoreSheet } from '../src/shared/schemas/assessment.schema.ts';
import type { ProjectDetail } from '../src/shared/schemas/project.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makeReportingPlan } from './helpers/factories.ts';
import { makeProject } from './helpers/project-factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code);
  return res.json() as T;
};

/** A scheme of one 项目建设 category over `rules`, the two counties in one group (良好 from 15). */
async function createProjectScheme(admin: TestClient, name: string, rules: unknown[], orgIds: string[]): Promise<string> {
  return ok<{ id: string }>(
    await admin.post('/api/assessment-schemes', {
      name,
      scheme: {
        categories: [{ id: 'proj', label: '项目建设', points: 0, maxAddition: 100 }],
        rules,
        vetoes: [],
        multipliers: [],
        tiers: {
          mode: 'threshold',
          tiers: [
            { id: 'good', label: '良好', min: 15 },
            { id: 'fair', label: '一般' },
          ],
        },
        groups: [{ id: 'counties', label: '县区', orgIds }],
        honourCount: 1,
      },
    }),
    201,
  ).id;
}

describeEachDialect('assessment: project-library measures', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let unit: TestClient;
  let planId = '';
  let schemeId = '';
  let started = '';
  let notStarted = '';

  beforeAll(async () => {
    admin = await t().login('admin');
    unit = await t().login('unit');
    const f = await makeReportingPlan(t(), { title: '项目考核方案' });
    planId = f.planId;
    await makePeriod(t(), planId, { start: '2026-10-01', close: true });
    const nov = await makePeriod(t(), planId, { start: '2026-11-01', open: true });
    // 淇县: two projects due to start (one started, 25万 of its 100万 plan done), one due later.
    const a = await makeProject(unit, admin, { name: '已开工项目' });
    started = a.id;
    notStarted = (await makeProject(unit, admin, { name: '未开工项目' })).id;
    await makeProject(unit, admin, { name: '明年开工项目', startDate: '2026-12-15', endDate: '2027-06-30' });
    // A draft is not in the library: it counts for nothing.
    await makeProject(unit, admin, { name: '草稿项目' }, 'draft');
    ok(
      await unit.post(`/api/projects/${a.id}/reports`, {
        periodId: nov.id,
        investment: 250_000,
        progressPct: 25,
        started: true,
        submit: true,
      }),
    );
    schemeId = await createProjectScheme(
      admin,
      '项目考核',
      [
        { id: 'start', categoryId: 'proj', kind: 'project_start_rate', label: '开工率', points: 10 },
        { id: 'invest', categoryId: 'proj', kind: 'project_investment_rate', label: '投资完成率', points: 12 },
      ],
      [t().orgs.county.id, t().orgs.county2.id],
    );
  });

  it('scores 开工率 and 投资完成率 from the frozen record, shows the projects behind a line, and verifies byte for byte', async () => {
    const run = ok<Assessment>(
      await admin.post('/api/assessments', { schemeId, planId, title: '2026年项目考核', start: '2026-10-01', end: '2026-11-30' }),
      201,
    );
    const county = run.units.find((u) => u.orgId === t().orgs.county.id)!;
    const county2 = run.units.find((u) => u.orgId === t().orgs.county2.id)!;
    // 淇县: 开工率 1/2 × 10 = 5; 投资完成率 25万 / 300万 × 12 = 1. 浚县 has no project due: full points.
    expect(county.total).toBe(6);
    expect(county2.total).toBe(22);
    const sheet = ok<ScoreSheet>(await admin.get(`/api/assessments/${run.id}/sheet?orgId=${t().orgs.county.id}`));
    const start = sheet.lines.find((l) => l.ruleId === 'start')!;
    expect(start).toMatchObject({ count: 2, computed: 5 });
    expect([...start.eventIds].sort()).toEqual([started, notStarted].sort());
    expect(sheet.lines.find((l) => l.ruleId === 'invest')).toMatchObject({ count: 3, computed: 1 });
    const event = sheet.events.find((e) => e.id === started)!;
    expect(event.kind).toBe('project');
    expect(event.text).toContain('已开工');
    expect(event.text).toContain('25万元');

    // A report after the range end changes nothing; verify recomputes the same bytes.
    const dec = await makePeriod(t(), planId, { start: '2026-12-01', open: true });
    ok(
      await unit.post(`/api/projects/${notStarted}/reports`, {
        periodId: dec.id,
        investment: 900_000,
        progressPct: 50,
        started: true,
        submit: true,
      }),
    );
    const v = ok<{ identical: boolean; recordSha256: string; recomputedSha256: string }>(
      await admin.get(`/api/assessments/${run.id}/verify`),
    );
    expect(v.identical).toBe(true);
    expect(v.recomputedSha256).toBe(v.recordSha256);
    // A scheme without 资金到位率 / 按期竣工率 stores the facts it stored before those rules existed.
    const row = await t().db.selectFrom('assessments').select('record_json').where('id', '=', run.id).executeTakeFirstOrThrow();
    const fact = (JSON.parse(row.record_json) as { projects: Record<string, unknown>[] }).projects[0]!;
    expect(Object.keys(fact)).toEqual(['id', 'orgId', 'name', 'startDate', 'started', 'annualPlan', 'investedYear']);
  });

  it('a scheme without project rules stores no project facts (older records stay byte-identical)', async () => {
    const plain = ok<{ id: string }>(
      await admin.post('/api/assessment-schemes', {
        name: '无项目考核',
        scheme: {
          categories: [{ id: 'rep', label: '报送', points: 100, maxDeduction: 60 }],
          rules: [{ id: 'missing', categoryId: 'rep', kind: 'report_missing', label: '未报', points: -5 }],
          vetoes: [],
          multipliers: [],
          tiers: {
            mode: 'threshold',
            tiers: [
              { id: 'good', label: '良好', min: 85 },
              { id: 'fair', label: '一般' },
            ],
          },
          groups: [{ id: 'counties', label: '县区', orgIds: [t().orgs.county.id] }],
          honourCount: 1,
        },
      }),
      201,
    ).id;
    const run = ok<Assessment>(
      await admin.post('/api/assessments', { schemeId: plain, planId, title: '无项目考核', start: '2026-10-01', end: '2026-11-30' }),
      201,
    );
    const row = await t().db.selectFrom('assessments').select('record_json').where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.record_json)).not.toHaveProperty('projects');
    expect(ok<{ identical: boolean }>(await admin.get(`/api/assessments/${run.id}/verify`)).identical).toBe(true);
  });
});

describeEachDialect('assessment: 资金到位率 and 按期竣工率', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let unit: TestClient;
  let planId = '';
  let schemeId = '';
  const ids: Record<'onTime' | 'late' | 'open' | 'nextYear', string> = { onTime: '', late: '', open: '', nextYear: '' };

  /** Runs `fn` with the server's clock at `at` (the timeline stamps a completion with it). */
  async function at<T>(iso: string, fn: () => Promise<T>): Promise<T> {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(iso) });
    try {
      return await fn();
    } finally {
      vi.useRealTimers();
    }
  }
  const complete = async (id: string, completedOn: string) => {
    const p = ok<ProjectDetail>(await unit.get(`/api/projects/${id}`));
    ok(await unit.post(`/api/projects/${id}/complete`, { version: p.version, completedOn }));
  };
  const report = (periodId: string, sourceCode: string, amount: number) => ({
    periodId,
    investment: 100_000,
    progressPct: 50,
    started: true,
    arrivals: [{ sourceCode, amount }],
    submit: true,
  });

  beforeAll(async () => {
    admin = await t().login('admin');
    unit = await t().login('unit');
    planId = (await makeReportingPlan(t(), { title: '资金与竣工考核方案' })).planId;
    await makePeriod(t(), planId, { start: '2026-10-01', close: true });
    const nov = await makePeriod(t(), planId, { start: '2026-11-01', open: true });
    // 淇县's projects: 总投资 100万 each from 中央 60万 and 县级 40万 (30万 and 10万 typed as
    // arrived on the funding rows: undated, so never counted). Due to complete by 11-30: three.
    ids.onTime = (await makeProject(unit, admin, { name: '按期竣工项目', endDate: '2026-10-31' })).id;
    ids.late = (await makeProject(unit, admin, { name: '逾期竣工项目', endDate: '2026-10-31' })).id;
    ids.open = (await makeProject(unit, admin, { name: '未竣工项目', endDate: '2026-11-15' })).id;
    // A two-year project: this year's plan 50万, so its sources plan 30万 and 20万 this year.
    ids.nextYear = (await makeProject(unit, admin, { name: '明年竣工项目', endDate: '2027-06-30', annualPlan: 500_000 })).id;
    await makeProject(unit, admin, { name: '草稿项目', endDate: '2026-10-31' }, 'draft');
    // November's reports say 30万 + 20万 + 10万 arrived.
    ok(await unit.post(`/api/projects/${ids.onTime}/reports`, report(nov.id, 'central', 300_000)));
    ok(await unit.post(`/api/projects/${ids.late}/reports`, report(nov.id, 'county', 200_000)));
    ok(await unit.post(`/api/projects/${ids.open}/reports`, report(nov.id, 'central', 100_000)));
    // Completions declared on 11-20: one on 10-25 (on time), one on 11-10 (after its 10-31 end).
    await at('2026-11-20T02:00:00.000Z', async () => {
      await complete(ids.onTime, '2026-10-25');
      await complete(ids.late, '2026-11-10');
    });
    schemeId = await createProjectScheme(
      admin,
      '资金与竣工考核',
      [
        { id: 'funds', categoryId: 'proj', kind: 'project_funds_rate', label: '资金到位率', points: 14 },
        { id: 'ontime', categoryId: 'proj', kind: 'project_ontime_rate', label: '按期竣工率', points: 9 },
      ],
      [t().orgs.county.id, t().orgs.county2.id],
    );
  });

  it('scores both rates of a county as by hand and names the projects behind each line', async () => {
    const run = ok<Assessment>(
      await admin.post('/api/assessments', { schemeId, planId, title: '2026年资金与竣工考核', start: '2026-10-01', end: '2026-11-30' }),
      201,
    );
    const county = run.units.find((u) => u.orgId === t().orgs.county.id)!;
    // 资金到位率: 60万 arrived of 100万 × 3 + 50万 planned: 14 × 60/350 = 2.4.
    // 按期竣工率: of three due by 11-30 one on time: 9 × 1/3 = 3. 浚县 has nothing due: 14 + 9.
    expect(county.total).toBe(5.4);
    expect(run.units.find((u) => u.orgId === t().orgs.county2.id)!.total).toBe(23);
    const sheet = ok<ScoreSheet>(await admin.get(`/api/assessments/${run.id}/sheet?orgId=${t().orgs.county.id}`));
    const funds = sheet.lines.find((l) => l.ruleId === 'funds')!;
    expect(funds).toMatchObject({ count: 4, computed: 2.4 });
    expect([...funds.eventIds].sort()).toEqual([ids.onTime, ids.late, ids.open, ids.nextYear].sort());
    const ontime = sheet.lines.find((l) => l.ruleId === 'ontime')!;
    expect(ontime).toMatchObject({ count: 3, computed: 3 });
    expect([...ontime.eventIds].sort()).toEqual([ids.onTime, ids.late, ids.open].sort());
    const text = (id: string) => sheet.events.find((e) => e.id === id)!.text;
    expect(text(ids.onTime)).toContain('计划资金 100万元，已到位 30万元');
    expect(text(ids.onTime)).toContain('计划竣工 2026-10-31，2026-10-25 竣工');
    expect(text(ids.late)).toContain('2026-11-10 竣工');
    expect(text(ids.open)).toContain('计划竣工 2026-11-15，未竣工');
    expect(text(ids.nextYear)).toContain('计划资金 50万元，已到位 0万元');
  });

  it('live edits after the range change nothing: verify recomputes the same bytes, a new run the same scores', async () => {
    const run = ok<Assessment>(
      await admin.post('/api/assessments', { schemeId, planId, title: '冻结检查', start: '2026-10-01', end: '2026-11-30' }),
      201,
    );
    const before = ok<ScoreSheet>(await admin.get(`/api/assessments/${run.id}/sheet?orgId=${t().orgs.county.id}`));
    // December: 40万 more arrives on the open project, which is then declared complete on 12-01
    // with a completion day (11-10) backdated before its 11-15 end.
    const dec = await makePeriod(t(), planId, { start: '2026-12-01', open: true });
    ok(await unit.post(`/api/projects/${ids.open}/reports`, report(dec.id, 'central', 400_000)));
    await at('2026-12-01T02:00:00.000Z', () => complete(ids.open, '2026-11-10'));
    // The undated amounts on a funding row are raised by an approved change request.
    const cr = ok<{ id: string }>(
      await unit.post(`/api/projects/${ids.nextYear}/change-requests`, {
        what: '资金到位',
        why: '县级资金拨付',
        patch: {
          funding: [
            { sourceCode: 'central', planned: 600_000, arrived: 600_000 },
            { sourceCode: 'county', planned: 400_000, arrived: 400_000 },
          ],
        },
      }),
      201,
    );
    ok(await admin.post(`/api/project-change-requests/${cr.id}/decision`, { decision: 'approve', note: '同意' }));
    // The library's own (live) figures did move: the change is real.
    const live = ok<ProjectDetail>(await unit.get(`/api/projects/${ids.open}`));
    expect(live).toMatchObject({ status: 'completed', completedOn: '2026-11-10' });

    const v = ok<{ identical: boolean; recordSha256: string; recomputedSha256: string }>(
      await admin.get(`/api/assessments/${run.id}/verify`),
    );
    expect(v.identical).toBe(true);
    expect(v.recomputedSha256).toBe(v.recordSha256);
    const after = ok<ScoreSheet>(await admin.get(`/api/assessments/${run.id}/sheet?orgId=${t().orgs.county.id}`));
    expect(after.lines).toEqual(before.lines);
    const again = ok<Assessment>(
      await admin.post('/api/assessments', { schemeId, planId, title: '冻结检查（重算）', start: '2026-10-01', end: '2026-11-30' }),
      201,
    );
    expect(again.units.find((u) => u.orgId === t().orgs.county.id)!.total).toBe(5.4);
    // A range to the end of the year sees December: 100万 of 350万 arrived (14 × 100/350 = 4), and
    // the completion declared on 12-01 (11-10, before the 11-15 end) is on time: 9 × 2/3 = 6.
    const year = ok<Assessment>(
      await admin.post('/api/assessments', { schemeId, planId, title: '全年', start: '2026-10-01', end: '2026-12-31' }),
      201,
    );
    expect(year.units.find((u) => u.orgId === t().orgs.county.id)!.total).toBe(10);
  });
});
