import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import type {
  ChangeRequest,
  FundingBalance,
  ProjectDetail,
  ProjectList,
  ProjectReport,
  RateList,
  TargetProjects,
} from '../src/shared/schemas/project.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makePlan, makeUser } from './helpers/factories.ts';
import { buildZip, lyingXlsxBomb, millionRowXlsx } from './helpers/hostile-files.ts';
import { multipart } from './helpers/multipart.ts';
import { DISTRICT_POINTS, makeProject, okJson, projectBody } from './helpers/project-factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

describeEachDialect('project library', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let unit: TestClient;
  let unit2: TestClient;
  let lead: TestClient;
  let leader: TestClient;
  let planId: string;
  let ledTaskId: string;
  let otherTaskId: string;
  let targetId: string;

  beforeAll(async () => {
    admin = await t().login('admin');
    unit = await t().login('unit');
    lead = await t().login('lead');
    leader = await t().login('leader');
    unit2 = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit', displayName: '浚县填报员' })).login();
    const plan = await makePlan(t(), {
      title: '项目库测试方案',
      tasks: [
        {
          text: '全市建成区新建公厕70座',
          assignments: [
            { orgId: t().orgs.leadDept.id, role: 'lead' },
            { orgId: t().orgs.group.id, role: 'responsible' },
          ],
          targets: [{ metric: '新建公厕', unit: '座', value: 70, baseline: 0 }],
        },
        { text: '完成老旧小区改造', assignments: [{ orgId: t().orgs.county.id, role: 'responsible' }] },
      ],
    });
    planId = plan.planId;
    ledTaskId = plan.tasks[0]!.id;
    otherTaskId = plan.tasks[1]!.id;
    targetId = plan.tasks[0]!.targetIds[0]!;
  });

  const timeline = (p: ProjectDetail) => p.timeline.map((s) => `${s.from ?? '-'}>${s.to}`);

  it('takes a project through every transition, each by the only roles that may make it', async () => {
    const draft = await makeProject(unit, admin, { taskIds: [ledTaskId] }, 'draft');
    expect(draft).toMatchObject({ status: 'draft', orgId: t().orgs.county.id, orgName: '淇县', totalInvestment: 1_000_000, version: 1 });
    expect(draft.funding.map((f) => [f.sourceName, f.planned])).toEqual([
      ['中央财政', 600_000],
      ['县级财政', 400_000],
    ]);
    // Leadership only reads; another county cannot even see it.
    expect((await leader.post(`/api/projects/${draft.id}/submit`, { version: 1 })).statusCode).toBe(403);
    expect((await unit2.post(`/api/projects/${draft.id}/submit`, { version: 1 })).statusCode).toBe(404);
    expect((await admin.post(`/api/projects/${draft.id}/review`, { version: 1, decision: 'admit' })).statusCode).toBe(409);

    let p = okJson<ProjectDetail>(await unit.post(`/api/projects/${draft.id}/submit`, { version: 1 }));
    expect(p.status).toBe('submitted');
    // Locked for the unit once submitted.
    const locked = await unit.put(`/api/projects/${p.id}`, { ...projectBody(), version: p.version });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().detail).toContain('已报送');
    // Only the office reviews; returning needs reasons.
    expect((await unit.post(`/api/projects/${p.id}/review`, { version: p.version, decision: 'admit' })).statusCode).toBe(403);
    expect((await lead.post(`/api/projects/${p.id}/review`, { version: p.version, decision: 'admit' })).statusCode).toBe(403);
    const noReason = await admin.post(`/api/projects/${p.id}/review`, { version: p.version, decision: 'return' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().detail).toContain('退回须说明理由');
    p = okJson<ProjectDetail>(
      await admin.post(`/api/projects/${p.id}/review`, { version: p.version, decision: 'return', note: '资金来源未落实' }),
    );
    expect(p).toMatchObject({ status: 'returned', returnReason: '资金来源未落实' });

    // The unit fixes and resubmits.
    p = okJson<ProjectDetail>(
      await unit.put(`/api/projects/${p.id}`, {
        ...projectBody({ name: '城关镇新建公厕（修改）', taskIds: [ledTaskId] }),
        version: p.version,
      }),
    );
    expect(p.name).toBe('城关镇新建公厕（修改）');
    p = okJson<ProjectDetail>(await unit.post(`/api/projects/${p.id}/submit`, { version: p.version, note: '已补充' }));
    p = okJson<ProjectDetail>(await admin.post(`/api/projects/${p.id}/review`, { version: p.version, decision: 'admit' }));
    expect(p.status).toBe('admitted');
    // The lead department of the linked task reads it; leadership reads it.
    expect((await lead.get(`/api/projects/${p.id}`)).statusCode).toBe(200);
    expect((await leader.get(`/api/projects/${p.id}`)).statusCode).toBe(200);

    // A monthly report with work started moves it to 实施.
    const period = await makePeriod(t(), planId, { start: '2026-04-01', open: true });
    expect(
      (
        await unit2.post(`/api/projects/${p.id}/reports`, {
          periodId: period.id,
          investment: 1,
          progressPct: 1,
          started: true,
          submit: true,
        })
      ).statusCode,
    ).toBe(404);
    const report = okJson<ProjectReport>(
      await unit.post(`/api/projects/${p.id}/reports`, {
        periodId: period.id,
        investment: 250_000,
        progressText: '基础施工',
        progressPct: 25,
        started: true,
        submit: true,
      }),
    );
    expect(report).toMatchObject({
      status: 'submitted',
      cumulativeYear: 250_000,
      cumulativeTotal: 250_000,
      pctOfAnnualPlan: 25,
      pctOfTotal: 25,
    });
    p = okJson<ProjectDetail>(await unit.get(`/api/projects/${p.id}`));
    expect(p).toMatchObject({ status: 'in_progress', investedThisYear: 250_000, progressPct: 25 });
    // The office reviews the report like a progress report.
    expect((await unit.post(`/api/project-reports/${report.id}/review`, { version: report.version, decision: 'approve' })).statusCode).toBe(
      403,
    );
    expect(
      okJson<ProjectReport>(await admin.post(`/api/project-reports/${report.id}/review`, { version: report.version, decision: 'approve' }))
        .status,
    ).toBe('approved');

    // 完工 by the unit, 验收 by the office only.
    expect((await unit2.post(`/api/projects/${p.id}/complete`, { version: p.version, completedOn: '2026-10-20' })).statusCode).toBe(404);
    p = okJson<ProjectDetail>(await unit.post(`/api/projects/${p.id}/complete`, { version: p.version, completedOn: '2026-10-20' }));
    expect(p).toMatchObject({ status: 'completed', completedOn: '2026-10-20' });
    expect((await unit.post(`/api/projects/${p.id}/accept`, { version: p.version })).statusCode).toBe(403);
    p = okJson<ProjectDetail>(await admin.post(`/api/projects/${p.id}/accept`, { version: p.version, note: '验收合格' }));
    expect(p.status).toBe('accepted');
    expect(timeline(p)).toEqual([
      '->draft',
      'draft>submitted',
      'submitted>returned',
      'returned>submitted',
      'submitted>admitted',
      'admitted>in_progress',
      'in_progress>completed',
      'completed>accepted',
    ]);
    expect(p.timeline[2]).toMatchObject({ note: '资金来源未落实', actorId: t().users.admin.user.id });
    const audited = await t().db.selectFrom('audit_events').select('action').where('entity_id', '=', p.id).orderBy('seq').execute();
    expect(audited.map((a) => a.action)).toEqual([
      'project.create',
      'project.submitted',
      'project.returned',
      'project.update',
      'project.submitted',
      'project.admitted',
      'project.in_progress',
      'project.completed',
      'project.accepted',
    ]);
  });

  it('reserves a project for a later year and promotes it into that year’s plan', async () => {
    const p0 = await makeProject(unit, admin, {}, 'submitted');
    let p = okJson<ProjectDetail>(
      await admin.post(`/api/projects/${p0.id}/review`, { version: p0.version, decision: 'reserve', planYear: 2027 }),
    );
    expect(p).toMatchObject({ status: 'reserve', planYear: 2027 });
    expect((await unit.post(`/api/projects/${p.id}/promote`, { version: p.version, planYear: 2027 })).statusCode).toBe(403);
    p = okJson<ProjectDetail>(await admin.post(`/api/projects/${p.id}/promote`, { version: p.version, planYear: 2027 }));
    expect(p).toMatchObject({ status: 'admitted', planYear: 2027 });
  });

  it('keeps one county’s drafts from another county, and lets a lead department read only linked projects', async () => {
    const mine = await makeProject(unit, admin, { name: '淇县草稿项目', taskIds: [otherTaskId] }, 'draft');
    expect((await unit2.get(`/api/projects/${mine.id}`)).statusCode).toBe(404);
    expect((await unit2.put(`/api/projects/${mine.id}`, { ...projectBody(), version: 1 })).statusCode).toBe(404);
    expect((await unit2.get(`/api/projects/${mine.id}/reports`)).statusCode).toBe(404);
    expect((await unit2.get(`/api/projects/${mine.id}/change-requests`)).statusCode).toBe(404);
    const list2 = okJson<ProjectList>(await unit2.get('/api/projects?limit=500'));
    expect(list2.items.every((p) => p.orgId === t().orgs.county2.id)).toBe(true);
    expect(list2.items.some((p) => p.id === mine.id)).toBe(false);
    // The lead department leads ledTaskId, not otherTaskId.
    expect((await lead.get(`/api/projects/${mine.id}`)).statusCode).toBe(404);
    const leadList = okJson<ProjectList>(await lead.get('/api/projects?limit=500'));
    expect(leadList.items.some((p) => p.id === mine.id)).toBe(false);
    expect(leadList.items.every((p) => p.taskIds.includes(ledTaskId))).toBe(true);
    // A unit cannot create for another organisation: orgId is ignored.
    const created = okJson<ProjectDetail>(await unit.post('/api/projects', { ...projectBody(), orgId: t().orgs.county2.id }), 201);
    expect(created.orgId).toBe(t().orgs.county.id);
    const all = okJson<ProjectList>(await leader.get(`/api/projects?limit=500&orgId=${t().orgs.county.id}`));
    expect(all.items.some((p) => p.id === mine.id)).toBe(true);
    // The page carries the filtered total, on a middle page and past the last one alike.
    const one = okJson<ProjectList>(await leader.get(`/api/projects?limit=1&offset=1&orgId=${t().orgs.county.id}`));
    expect(one.items).toHaveLength(1);
    expect(one.total).toBe(all.total);
    expect(okJson<ProjectList>(await leader.get(`/api/projects?limit=10&offset=${all.total}&orgId=${t().orgs.county.id}`))).toEqual({
      items: [],
      total: all.total,
    });
  });

  it('refuses bad input with a Chinese message per rule and writes nothing', async () => {
    const before = await t()
      .db.selectFrom('projects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ funding: [{ sourceCode: 'central', planned: 600_000 }] }, '资金来源合计60万元，与总投资100万元不一致'],
      [{ startDate: '2026-10-01', endDate: '2026-03-01' }, '计划完工日期不能早于开工日期'],
      [{ location: { lng: 116.397, lat: 39.909, datum: 'GCJ02' } }, '项目位置不在本市行政区域内'],
      [{ categoryCode: 'spaceport' }, '未知的项目类别：spaceport'],
      [{ funding: [{ sourceCode: 'lottery', planned: 1_000_000 }] }, '未知的资金来源：lottery'],
      [{ annualPlan: 2_000_000 }, '年度计划投资不能超过总投资'],
      [{ totalInvestment: 1.5 }, '金额须为整数元'],
    ];
    for (const [over, message] of cases) {
      const res = await unit.post('/api/projects', projectBody(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toContain(message);
    }
    const after = await t()
      .db.selectFrom('projects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('stores GCJ-02, converting a WGS-84 point', async () => {
    const wgs = { lng: 114.2029, lat: 35.6238 };
    const p = await makeProject(unit, admin, { location: { ...wgs, datum: 'WGS84' } }, 'draft');
    expect(p.location.datum).toBe('GCJ02');
    // GCJ-02 shifts Hebi by a few hundred metres east and north.
    expect(p.location.lng - wgs.lng).toBeGreaterThan(0.004);
    expect(p.location.lng - wgs.lng).toBeLessThan(0.008);
    expect(p.location.lat).not.toBe(wgs.lat);
  });

  it('changes a library project only through an approved change request', async () => {
    const p = await makeProject(unit, admin);
    const direct = await unit.put(`/api/projects/${p.id}`, { ...projectBody(), version: p.version });
    expect(direct.statusCode).toBe(409);
    expect(direct.json().detail).toContain('调整申请');
    const bad = await unit.post(`/api/projects/${p.id}/change-requests`, {
      what: '增加投资',
      why: '扩大规模',
      patch: { totalInvestment: 1_200_000 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('资金来源合计100万元，与总投资120万元不一致');
    expect((await unit2.post(`/api/projects/${p.id}/change-requests`, { what: 'x', why: 'y', patch: { name: '别人的' } })).statusCode).toBe(
      404,
    );
    const cr = okJson<ChangeRequest>(
      await unit.post(`/api/projects/${p.id}/change-requests`, {
        what: '增加投资',
        why: '增建一座公厕',
        patch: {
          totalInvestment: 1_200_000,
          annualPlan: 1_200_000,
          funding: [
            { sourceCode: 'central', planned: 800_000 },
            { sourceCode: 'county', planned: 400_000 },
          ],
        },
      }),
      201,
    );
    expect(cr.status).toBe('pending');
    // Nothing changes until the office approves; a unit cannot approve.
    expect(okJson<ProjectDetail>(await unit.get(`/api/projects/${p.id}`)).totalInvestment).toBe(1_000_000);
    expect((await unit.post(`/api/project-change-requests/${cr.id}/decision`, { decision: 'approve' })).statusCode).toBe(403);
    const pending = okJson<{ items: ChangeRequest[] }>(await admin.get('/api/project-change-requests'));
    expect(pending.items.some((c) => c.id === cr.id)).toBe(true);
    expect(
      okJson<ChangeRequest>(await admin.post(`/api/project-change-requests/${cr.id}/decision`, { decision: 'approve', note: '同意' }))
        .status,
    ).toBe('approved');
    const after = okJson<ProjectDetail>(await unit.get(`/api/projects/${p.id}`));
    expect(after).toMatchObject({ status: 'admitted', totalInvestment: 1_200_000 });
    expect(after.timeline.at(-1)).toMatchObject({ from: 'admitted', to: 'admitted', note: '调整：增加投资' });
    expect((await admin.post(`/api/project-change-requests/${cr.id}/decision`, { decision: 'reject' })).statusCode).toBe(409);
  });

  it('computes the funding balance and the four rates of a county as by hand', async () => {
    // A fresh county so other cases' projects do not count.
    const org = (await admin.post('/api/organisations', { name: '测试县甲', kind: 'jurisdiction' })).json() as { id: string };
    const u = await (await makeUser(t(), { orgId: org.id, role: 'unit' })).login();
    const a = await makeProject(u, admin, { planYear: 2031, startDate: '2031-03-01', endDate: '2031-06-30' });
    // 总投资 900,000, this year 300,000 (a third): provincial 500,000 → 166,666 (+1 remainder), social 400,000 → 133,333.
    const b = await makeProject(u, admin, {
      planYear: 2031,
      categoryCode: 'park',
      startDate: '2031-01-01',
      endDate: '2033-12-31',
      totalInvestment: 900_000,
      annualPlan: 300_000,
      funding: [
        { sourceCode: 'provincial', planned: 500_000, arrived: 50_000 },
        { sourceCode: 'social', planned: 400_000, arrived: 0 },
      ],
    });
    // A draft of the same county and year does not count.
    await makeProject(u, admin, { planYear: 2031, startDate: '2031-01-01', endDate: '2031-02-01' }, 'draft');
    const bal = okJson<FundingBalance>(await admin.get(`/api/funding-balance?planYear=2031&orgId=${org.id}`));
    expect(bal.counties).toHaveLength(1);
    const c = bal.counties[0]!;
    expect(c).toMatchObject({
      orgName: '测试县甲',
      needs: 1_300_000,
      planned: 1_300_000,
      arrived: 450_000,
      gap: 0,
      balanced: true,
      outstanding: 850_000,
    });
    expect(c.bySource.map((s) => [s.sourceCode, s.planned, s.arrived])).toEqual([
      ['central', 600_000, 300_000],
      ['provincial', 166_667, 50_000],
      ['county', 400_000, 100_000],
      ['social', 133_333, 0],
    ]);
    expect(c.pivot).toEqual(expect.arrayContaining([{ categoryCode: 'park', sourceCode: 'provincial', planned: 166_667 }]));
    // Another county's unit sees only its own balance.
    const own = okJson<FundingBalance>(await unit2.get(`/api/funding-balance?planYear=2031&orgId=${org.id}`));
    expect(own.counties).toEqual([]);

    // Rates: a starts (report 2031-03) and completes on time; b has not started.
    const period = await makePeriod(t(), planId, { start: '2031-03-01', open: true });
    await u.post(`/api/projects/${a.id}/reports`, {
      periodId: period.id,
      investment: 400_000,
      progressPct: 40,
      started: true,
      submit: true,
    });
    const aNow = okJson<ProjectDetail>(await u.get(`/api/projects/${a.id}`));
    okJson(await u.post(`/api/projects/${a.id}/complete`, { version: aNow.version, completedOn: '2031-06-30' }));
    const rates = okJson<RateList>(await admin.get('/api/project-rates?planYear=2031&asOf=2031-12-31'));
    const r = rates.items.find((x) => x.orgId === org.id)!;
    expect(r).toMatchObject({
      projects: 2,
      started: 1,
      annualPlan: 1_300_000,
      invested: 400_000,
      // The year's funds: planned = the year's 年度计划投资, arrived = what arrived (entered) for it.
      fundsPlanned: 1_300_000,
      fundsArrived: 450_000,
      dueByAsOf: 1,
      completedOnTime: 1,
    });
    expect(r).toMatchObject({ startRate: 50, investmentRate: 30.8, fundsRate: 34.6, onTimeRate: 100 });
    const byCat = okJson<RateList>(await admin.get('/api/project-rates?planYear=2031&asOf=2031-12-31&byCategory=true'));
    expect(
      byCat.items
        .filter((x) => x.orgId === org.id)
        .map((x) => [x.categoryCode, x.projects])
        .sort(),
    ).toEqual([
      ['park', 1],
      ['public_toilet', 1],
    ]);
    void b;
  });

  it('moves a target by the contributions of the projects that count', async () => {
    const p = await makeProject(unit, admin, { targets: [{ targetId, contribution: 3 }], taskIds: [ledTaskId] });
    const other = await makeProject(unit2, admin, {
      location: { ...DISTRICT_POINTS.浚县, datum: 'GCJ02' },
      targets: [{ targetId, contribution: 5 }],
    });
    let tp = okJson<TargetProjects>(await admin.get(`/api/targets/${targetId}/projects`));
    expect(tp).toMatchObject({ value: 70, counts: 'completed', fromProjects: 0, missing: 70 });
    const period = await makePeriod(t(), planId, { start: '2026-05-01', open: true });
    okJson(
      await unit.post(`/api/projects/${p.id}/reports`, {
        periodId: period.id,
        investment: 10,
        progressPct: 50,
        started: true,
        submit: true,
      }),
    );
    const started = okJson<ProjectDetail>(await unit.get(`/api/projects/${p.id}`));
    okJson(await unit.post(`/api/projects/${p.id}/complete`, { version: started.version, completedOn: '2026-09-30' }));
    tp = okJson<TargetProjects>(await admin.get(`/api/targets/${targetId}/projects`));
    expect(tp).toMatchObject({ fromProjects: 3, missing: 67 });
    expect(tp.items.find((i) => i.projectId === p.id)).toMatchObject({ counted: true, contribution: 3 });
    expect(tp.items.find((i) => i.projectId === other.id)).toMatchObject({ counted: false });
    // A unit sees the sum but only its own projects in the list.
    const asUnit2 = okJson<TargetProjects>(await unit2.get(`/api/targets/${targetId}/projects`));
    expect(asUnit2.fromProjects).toBe(3);
    expect(asUnit2.items.map((i) => i.projectId)).toEqual([other.id]);
    // Counting started projects: only the office says so.
    expect((await unit.put(`/api/targets/${targetId}/project-rule`, { counts: 'started' })).statusCode).toBe(403);
    tp = okJson<TargetProjects>(await admin.put(`/api/targets/${targetId}/project-rule`, { counts: 'started' }));
    expect(tp).toMatchObject({ counts: 'started', fromProjects: 3 });
  });

  it('refuses reports for closed or unknown periods and for projects not in implementation', async () => {
    const draft = await makeProject(unit, admin, {}, 'draft');
    const period = await makePeriod(t(), planId, { start: '2026-07-01', open: true });
    expect(
      (await unit.post(`/api/projects/${draft.id}/reports`, { periodId: period.id, investment: 1, progressPct: 1, started: true }))
        .statusCode,
    ).toBe(409);
    const p = await makeProject(unit, admin);
    const pending = await makePeriod(t(), planId, { start: '2026-08-01' });
    const notOpen = await unit.post(`/api/projects/${p.id}/reports`, {
      periodId: pending.id,
      investment: 1,
      progressPct: 1,
      started: true,
    });
    expect(notOpen.statusCode).toBe(409);
    const unknown = await unit.post(`/api/projects/${p.id}/reports`, {
      periodId: '00000000-0000-4000-8000-000000000000',
      investment: 1,
      progressPct: 1,
      started: true,
    });
    expect(unknown.statusCode).toBe(400);
    const pct = await unit.post(`/api/projects/${p.id}/reports`, { periodId: period.id, investment: 1, progressPct: 101, started: true });
    expect(pct.statusCode).toBe(400);
    expect(pct.body).toContain('形象进度应在 0–100 之间');
  });

  it('serves the installation’s boundary and the office’s lists', async () => {
    const geo = okJson<{ features: Array<{ properties: { name: string } }> }>(await unit.get('/api/projects/boundary'));
    expect(geo.features.map((f) => f.properties.name).sort()).toEqual(['山城区', '浚县', '淇县', '淇滨区', '鹤山区'].sort());
    expect((await unit.put('/api/project-lists/categories', { code: 'bridge', name: '桥梁' })).statusCode).toBe(403);
    const lists = okJson<{ categories: Array<{ code: string }> }>(
      await admin.put('/api/project-lists/categories', { code: 'bridge', name: '桥梁', seq: 50 }),
    );
    expect(lists.categories.some((c) => c.code === 'bridge')).toBe(true);
    expect(okJson<ProjectDetail>(await unit.post('/api/projects', projectBody({ categoryCode: 'bridge' })), 201).categoryName).toBe('桥梁');
  });
});

describeEachDialect('project library in Excel', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let unit: TestClient;
  let unit2: TestClient;

  beforeAll(async () => {
    admin = await t().login('admin');
    unit = await t().login('unit');
    unit2 = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit' })).login();
  });

  /** The downloaded template with `rows` written under its header (cells by column name). */
  async function sheetWith(rows: Array<Record<string, unknown>>): Promise<Buffer> {
    const template = await unit.get('/api/projects/import-template.xlsx');
    expect(template.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(3).values as unknown[]).slice(1).map(String);
    rows.forEach((r, i) => {
      ws.getRow(4 + i).values = header.map((h) => (r[h] ?? null) as ExcelJS.CellValue);
    });
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const good = (over: Record<string, unknown> = {}) => ({
    项目名称: '朝歌路背街小巷改造',
    项目类别: '背街小巷',
    建设单位: '淇县住建局',
    建设性质: '改扩建',
    建设地点: '淇县朝歌路',
    经度: DISTRICT_POINTS.淇县.lng,
    纬度: DISTRICT_POINTS.淇县.lat,
    建设规模及内容: '改造道路1.2公里',
    计划开工日期: '2026-04-01',
    计划完工日期: '2026-11-30',
    '总投资（万元）': 350.5,
    计划年度: 2026,
    '年度计划投资（万元）': 350.5,
    '中央财政（万元）': 200,
    '县级财政（万元）': '150.5',
    ...over,
  });
  const upload = (c: TestClient, bytes: Buffer, dryRun: boolean) =>
    c.request({
      method: 'POST',
      url: `/api/projects/import?dryRun=${dryRun}`,
      ...multipart(bytes, '项目.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    });
  const count = async () =>
    Number(
      (
        await t()
          .db.selectFrom('projects')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('imports a good sheet: a dry run saves nothing, the real run creates every row as a draft in exact 元', async () => {
    const bytes = await sheetWith([
      good(),
      good({
        项目名称: '城关游园',
        项目类别: '公园游园',
        建设性质: '新建',
        '总投资（万元）': 80,
        '年度计划投资（万元）': 80,
        '中央财政（万元）': null,
        '县级财政（万元）': 80,
      }),
    ]);
    const before = await count();
    const dry = okJson<{ rows: number; created: number; problems: unknown[] }>(await upload(unit, bytes, true));
    expect(dry).toMatchObject({ dryRun: true, rows: 2, created: 0, problems: [] });
    expect(await count()).toBe(before);
    const real = okJson<{ created: number }>(await upload(unit, bytes, false));
    expect(real.created).toBe(2);
    const list = okJson<ProjectList>(await unit.get('/api/projects?q=朝歌路背街小巷'));
    expect(list.items[0]).toMatchObject({
      status: 'draft',
      orgId: t().orgs.county.id,
      categoryCode: 'back_street',
      nature: 'expansion',
      totalInvestment: 3_505_000,
    });
    expect(list.items[0]!.funding.map((f) => [f.sourceCode, f.planned])).toEqual([
      ['central', 2_000_000],
      ['county', 1_505_000],
    ]);
    // The export is the same columns: the project comes back in 万元, and 浚县 does not get it.
    const exported = await unit.get('/api/projects/export.xlsx?planYear=2026');
    expect(exported.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const text = JSON.stringify(wb.worksheets[0]!.getSheetValues());
    expect(text).toContain('朝歌路背街小巷改造');
    expect(text).toContain('350.5');
    const other = new ExcelJS.Workbook();
    await other.xlsx.load((await unit2.get('/api/projects/export.xlsx')).rawPayload as unknown as ArrayBuffer);
    expect(JSON.stringify(other.worksheets[0]!.getSheetValues())).not.toContain('朝歌路背街小巷改造');
  });

  it('reports every problem by row and column and saves nothing when one row fails', async () => {
    const bytes = await sheetWith([
      good(),
      good({
        项目名称: '坏行',
        '县级财政（万元）': 100,
        项目类别: '太空港',
        计划完工日期: '2026-01-01',
        经度: 116.39,
        纬度: 39.9,
        建设性质: '翻新',
      }),
      good({ 项目名称: '金额坏', '总投资（万元）': '三百万', '年度计划投资（万元）': 0.00001 }),
    ]);
    const before = await count();
    const res = okJson<{ problems: Array<{ row: number; column: string; message: string }>; created: number }>(
      await upload(unit, bytes, false),
    );
    expect(res.created).toBe(0);
    expect(await count()).toBe(before);
    const at = (row: number) => res.problems.filter((p) => p.row === row).map((p) => `${p.column}:${p.message}`);
    expect(at(4)).toEqual([]);
    expect(at(5)).toEqual(expect.arrayContaining([expect.stringContaining('建设性质:建设性质应为新建、改扩建或续建')]));
    expect(at(6)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('总投资（万元）:金额应为'),
        expect.stringContaining('年度计划投资（万元）:金额最多精确到元'),
      ]),
    );
    // Once the nature is right, the rules of a project speak for the row.
    const rules = okJson<{ problems: Array<{ row: number; column: string; message: string }> }>(
      await upload(
        unit,
        await sheetWith([good({ '县级财政（万元）': 100, 项目类别: '太空港', 计划完工日期: '2026-01-01', 经度: 116.39, 纬度: 39.9 })]),
        true,
      ),
    );
    expect(rules.problems.map((p) => `${p.column}:${p.message}`)).toEqual(
      expect.arrayContaining([
        '项目类别:未知的项目类别：太空港',
        '资金来源:资金来源合计300万元，与总投资350.5万元不一致',
        '计划完工日期:计划完工日期不能早于开工日期',
        expect.stringMatching(/^经度:项目位置不在本市/),
      ]),
    );
  });

  it('refuses hostile and foreign files with a 4xx before exceljs reads them', async () => {
    const cases: Array<[Buffer, number, string]> = [
      [Buffer.from('not a zip at all'), 415, 'not_xlsx'],
      [buildZip([{ name: 'hello.txt', chunks: [Buffer.from('hi')] }]), 415, 'not_xlsx'],
      [millionRowXlsx(50_000), 413, 'too_many_rows'],
      [lyingXlsxBomb(80 * 1024 * 1024), 413, 'file_too_large'],
    ];
    for (const [bytes, status, code] of cases) {
      const res = await upload(unit, bytes, true);
      expect(res.statusCode, res.body.slice(0, 200)).toBe(status);
      expect(res.json().code).toBe(code);
    }
    // A workbook that is no project sheet.
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').getCell(1, 1).value = '别的表';
    const foreign = await upload(unit, Buffer.from(await wb.xlsx.writeBuffer()), true);
    expect(foreign.statusCode).toBe(422);
    expect(foreign.body).toContain('项目库导入模板');
    // Leadership and lead departments do not import.
    expect(
      (
        await (
          await t().login('lead')
        ).request({ method: 'POST', url: '/api/projects/import?dryRun=true', ...multipart(Buffer.from('x'), 'a.xlsx') })
      ).statusCode,
    ).toBe(403);
  });

  it('exports the funding balance as the office’s workbook', async () => {
    await makeProject(unit, admin, { planYear: 2032, startDate: '2032-01-01', endDate: '2032-12-31' });
    const res = await admin.get('/api/funding-balance/export.xlsx?planYear=2032');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('资金综合平衡方案')!;
    expect(ws.getCell(1, 1).value).toBe('2032年度项目资金综合平衡方案');
    const qixian = ws.getRow(4).values as unknown[];
    expect(qixian.slice(1, 5)).toEqual(['淇县', 100, 60, 40]);
    expect(wb.getWorksheet('来源×类别')!.getRow(4).values).toEqual([undefined, '中央财政', 60, 60]);
  });
});
