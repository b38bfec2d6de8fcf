/**
 * Project-library measures in an assessment scheme (issue 15): 开工率 and 投资完成率 of a unit's
 * library projects, read into the assessment's frozen record through the projects service and
 * scored like the other measures; verify recomputes the record and result byte for byte; a
 * scheme without project rules keeps its record as it was (no `projects` key).
 */
import { beforeAll, expect, it } from 'vitest';
import type { Assessment, ScoreSheet } from '../src/shared/schemas/assessment.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makeReportingPlan } from './helpers/factories.ts';
import { makeProject } from './helpers/project-factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code);
  return res.json() as T;
};

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
    schemeId = ok<{ id: string }>(
      await admin.post('/api/assessment-schemes', {
        name: '项目考核',
        scheme: {
          categories: [{ id: 'proj', label: '项目建设', points: 0, maxAddition: 100 }],
          rules: [
            { id: 'start', categoryId: 'proj', kind: 'project_start_rate', label: '开工率', points: 10 },
            { id: 'invest', categoryId: 'proj', kind: 'project_investment_rate', label: '投资完成率', points: 12 },
          ],
          vetoes: [],
          multipliers: [],
          tiers: {
            mode: 'threshold',
            tiers: [
              { id: 'good', label: '良好', min: 15 },
              { id: 'fair', label: '一般' },
            ],
          },
          groups: [{ id: 'counties', label: '县区', orgIds: [t().orgs.county.id, t().orgs.county2.id] }],
          honourCount: 1,
        },
      }),
      201,
    ).id;
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
