/**
 * Tenancy step 2b (docs/decisions/0006-tenancy.md, "Step 2b"): the project library, assessments,
 * coverage, publications and the installation settings are scoped to the tenant of the caller's
 * organisation. Each case builds a province with two cities of its own (the factories of
 * test/tenancy.test.ts, copied); the seeded organisations and users of the test app stay untenanted.
 */
import { expect, it } from 'vitest';
import type { ProjectDetail } from '../src/shared/schemas/project.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makePlan, unique } from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { okJson, projectBody } from './helpers/project-factories.ts';
import type { TestClient } from './helpers/test-app.ts';
import { useTestApp } from './helpers/test-app.ts';
import { makeProvince } from './helpers/tenancy-factories.ts';

const ids = (res: { json(): unknown }) => ((res.json() as { items: { id: string }[] }).items ?? []).map((x) => x.id);

describeEachDialect('tenancy: projects, assessment, coverage, publications, settings', (ctx) => {
  const t = useTestApp(ctx);

  it('the project library: city A sees none of city B’s; the province reads both and changes neither', async () => {
    const p = await makeProvince(t());
    const [aAdmin, aUnit, bAdmin, bUnit, province] = await Promise.all([
      p.a.admin.login(),
      p.a.unit.login(),
      p.b.admin.login(),
      p.b.unit.login(),
      p.admin.login(),
    ]);
    const mine = okJson<ProjectDetail>(await aUnit.post('/api/projects', projectBody({ name: `甲市项目${unique()}` })), 201);
    const theirs = okJson<ProjectDetail>(await bUnit.post('/api/projects', projectBody({ name: `乙市项目${unique()}` })), 201);
    // B's office admits its project into the 2026 library, so the figures have a row for B's county.
    const submitted = okJson<ProjectDetail>(await bUnit.post(`/api/projects/${theirs.id}/submit`, { version: 1 }));
    okJson(await bAdmin.post(`/api/projects/${theirs.id}/review`, { version: submitted.version, decision: 'admit' }));

    for (const caller of [aAdmin, aUnit]) {
      const list = await caller.get('/api/projects?limit=100');
      expect(ids(list)).toContain(mine.id);
      expect(ids(list)).not.toContain(theirs.id);
      expect((await caller.get(`/api/projects/${theirs.id}`)).statusCode).toBe(404);
      expect((await caller.get(`/api/projects/${theirs.id}/reports`)).statusCode).toBe(404);
      expect((await caller.get(`/api/projects/${theirs.id}/change-requests`)).statusCode).toBe(404);
      expect((await caller.get('/api/project-rates?planYear=2026')).body).not.toContain(p.b.county.id);
      expect((await caller.get('/api/funding-balance?planYear=2026')).body).not.toContain(p.b.county.id);
    }
    expect((await aAdmin.get('/api/project-reports')).body).not.toContain(theirs.id);
    expect((await aAdmin.get('/api/project-change-requests')).body).not.toContain(theirs.id);
    // Writes on B's project from A: as unknown as a missing id.
    expect((await aAdmin.post(`/api/projects/${theirs.id}/review`, { version: 3, decision: 'admit' })).statusCode).toBe(404);
    expect((await aAdmin.put(`/api/projects/${theirs.id}`, { ...projectBody(), version: 3 })).statusCode).toBe(404);
    // A cannot create a project for B's county (nor import one: the import creates as the caller).
    const foreign = await aAdmin.post('/api/projects', projectBody({ orgId: p.b.county.id }));
    expect(foreign.statusCode).toBe(400);
    // B's own office sees its figures.
    expect((await bAdmin.get('/api/project-rates?planYear=2026')).body).toContain(p.b.county.id);

    // The province reads both libraries and their figures, and changes neither (403).
    const all = ids(await province.get('/api/projects?limit=100'));
    expect(all).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect((await province.get(`/api/projects/${theirs.id}`)).statusCode).toBe(200);
    expect((await province.get('/api/project-rates?planYear=2026')).body).toContain(p.b.county.id);
    expect((await province.post(`/api/projects/${mine.id}/submit`, { version: 1 })).statusCode).toBe(403);
    expect((await province.put(`/api/projects/${mine.id}`, { ...projectBody(), version: 1 })).statusCode).toBe(403);
    expect((await province.post('/api/projects', projectBody({ orgId: p.a.county.id }))).statusCode).toBe(400);
    const row = await t().db.selectFrom('projects').select(['status', 'version']).where('id', '=', mine.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'draft', version: 1 });

    // The category list is installation-wide: only the root tenant's office (the province) edits it.
    const item = { code: `c${unique().toLowerCase()}`.replace(/[^a-z0-9_]/g, '').slice(0, 20), name: `类别${unique()}`, seq: 99 };
    expect((await aAdmin.put('/api/project-lists/categories', item)).statusCode).toBe(403);
    okJson(await province.put('/api/project-lists/categories', item));
    expect((await aAdmin.get('/api/project-lists')).body).toContain(item.name);
  });

  it('年度结转 and next year’s intake: a city carries and follows only its own counties; the province reads and carries none', async () => {
    const p = await makeProvince(t());
    const [aAdmin, aUnit, bAdmin, bUnit, province] = await Promise.all([
      p.a.admin.login(),
      p.a.unit.login(),
      p.b.admin.login(),
      p.b.unit.login(),
      p.admin.login(),
    ]);
    const admit = async (unit: TestClient, office: TestClient) => {
      const made = okJson<ProjectDetail>(await unit.post('/api/projects', projectBody({ name: `续建项目${unique()}` })), 201);
      const sent = okJson<ProjectDetail>(await unit.post(`/api/projects/${made.id}/submit`, { version: made.version }));
      okJson(await office.post(`/api/projects/${made.id}/review`, { version: sent.version, decision: 'admit' }));
      return made.id;
    };
    const mine = await admit(aUnit, aAdmin);
    const theirs = await admit(bUnit, bAdmin);
    type Rollover = { count: number; items: { projectId: string }[] };
    const preview = okJson<Rollover>(await aAdmin.get('/api/project-plans/rollover?fromYear=2026'));
    expect(preview.items.map((i) => i.projectId)).toEqual([mine]);
    // The province reads both libraries but carries neither (it administers only its own).
    expect(okJson<Rollover>(await province.post('/api/project-plans/rollover', { fromYear: 2026 })).count).toBe(0);
    const done = okJson<Rollover>(await aAdmin.post('/api/project-plans/rollover', { fromYear: 2026 }));
    expect(done.items.map((i) => i.projectId)).toEqual([mine]);
    const carried = await t().db.selectFrom('project_year_plans').select('project_id').where('plan_year', '=', 2027).execute();
    expect(carried.map((r) => r.project_id)).toEqual([mine]);
    expect(okJson<Rollover>(await bAdmin.get('/api/project-plans/rollover?fromYear=2026')).items.map((i) => i.projectId)).toEqual([theirs]);

    type Intake = { counties: { orgId: string }[] };
    const aIntake = okJson<Intake>(await aAdmin.get('/api/project-intake?planYear=2027')).counties.map((c) => c.orgId);
    expect(aIntake).toContain(p.a.county.id);
    expect(aIntake).not.toContain(p.b.county.id);
    const provinceIntake = okJson<Intake>(await province.get('/api/project-intake?planYear=2027')).counties.map((c) => c.orgId);
    expect(provinceIntake).toEqual(expect.arrayContaining([p.a.county.id, p.b.county.id]));
    // The intake deadline is the programme's calendar: the root office (the province) sets it, a city does not.
    expect((await aAdmin.put('/api/project-intake/deadline', { planYear: 2027, deadline: '2026-11-30' })).statusCode).toBe(403);
    expect((await province.put('/api/project-intake/deadline', { planYear: 2027, deadline: '2026-11-30' })).statusCode).toBeLessThan(300);
  });

  it('assessments, bulletins and publications: a city’s are its own; the province reads them and changes none', async () => {
    const p = await makeProvince(t());
    const [aAdmin, aUnit, bAdmin, bUnit, province] = await Promise.all([
      p.a.admin.login(),
      p.a.unit.login(),
      p.b.admin.login(),
      p.b.unit.login(),
      p.admin.login(),
    ]);
    const period = await makePeriod(t(), p.a.plan.planId, { start: '2026-10-01', close: true });
    const scheme = okJson<{ id: string }>(
      await aAdmin.post('/api/assessment-schemes', {
        name: `甲市考核办法${unique()}`,
        scheme: {
          categories: [{ id: 'rep', label: '报送', points: 100 }],
          rules: [{ id: 'missing', categoryId: 'rep', kind: 'report_missing', label: '未报', points: -5 }],
          vetoes: [],
          multipliers: [],
          tiers: {
            mode: 'threshold',
            tiers: [
              { id: 'ok', label: '合格', min: 60 },
              { id: 'fail', label: '不合格' },
            ],
          },
          groups: [{ id: 'counties', label: '县区', orgIds: [p.a.county.id] }],
          honourCount: 1,
        },
      }),
      201,
    );
    const body = {
      schemeId: scheme.id,
      planId: p.a.plan.planId,
      title: `甲市考核${unique()}`,
      start: '2026-10-01',
      end: '2026-10-31',
      objectionDays: 5,
    };
    const run = okJson<{ id: string; version: number }>(await aAdmin.post('/api/assessments', body), 201);

    // B sees nothing of A's scheme or assessment, and cannot start one on A's plan or with A's scheme.
    for (const caller of [bAdmin, bUnit]) {
      expect(ids(await caller.get('/api/assessments'))).not.toContain(run.id);
      expect((await caller.get(`/api/assessments/${run.id}`)).statusCode).toBe(404);
      expect((await caller.get(`/api/assessments/${run.id}/sheet?orgId=${p.a.county.id}`)).statusCode).toBe(404);
      expect((await caller.get(`/api/assessments/${run.id}/ranking`)).statusCode).toBe(404);
      expect((await caller.get(`/api/assessment-schemes/${scheme.id}`)).statusCode).toBe(404);
    }
    expect(ids(await bAdmin.get('/api/assessment-schemes'))).not.toContain(scheme.id);
    expect((await bAdmin.post('/api/assessments', body)).statusCode).toBe(404);
    expect((await bAdmin.post('/api/assessments', { ...body, planId: p.b.plan.planId })).statusCode).toBe(404);
    expect((await bAdmin.post(`/api/assessments/${run.id}/publish`, { version: run.version })).statusCode).toBe(404);
    // A's county reads its own sheet.
    expect((await aUnit.get(`/api/assessments/${run.id}/sheet`)).statusCode).toBe(200);
    // The province reads it, and changes nothing of it.
    expect((await province.get(`/api/assessments/${run.id}`)).statusCode).toBe(200);
    expect(ids(await province.get('/api/assessment-schemes'))).toContain(scheme.id);
    expect((await province.post(`/api/assessments/${run.id}/publish`, { version: run.version })).statusCode).toBe(403);
    expect((await province.post('/api/assessments', body)).statusCode).toBe(403);

    // A publishes, finalises and issues a bulletin.
    const fresh = async () => okJson<{ version: number }>(await aAdmin.get(`/api/assessments/${run.id}`)).version;
    okJson(await aAdmin.post(`/api/assessments/${run.id}/publish`, { version: await fresh() }));
    okJson(await aAdmin.post(`/api/assessments/${run.id}/finalise`, { version: await fresh() }));
    const bulletin = okJson<{ id: string; version: number }>(await aAdmin.post(`/api/assessments/${run.id}/bulletins`), 201);
    expect((await bAdmin.get(`/api/bulletins/${bulletin.id}`)).statusCode).toBe(404);
    expect((await bAdmin.get(`/api/bulletins/${bulletin.id}/pdf`)).statusCode).toBe(404);
    expect((await bAdmin.get(`/api/assessments/${run.id}/bulletins`)).statusCode).toBe(404);
    expect((await province.get(`/api/bulletins/${bulletin.id}`)).statusCode).toBe(200);
    expect((await province.post(`/api/bulletins/${bulletin.id}/issue`, { version: bulletin.version })).statusCode).toBe(403);
    okJson(await aAdmin.post(`/api/bulletins/${bulletin.id}/issue`, { version: bulletin.version }));

    // Publications: B neither lists, publishes nor withdraws A's; the province reads but does not withdraw.
    for (const source of [
      { kind: 'period', sourceId: period.id },
      { kind: 'assessment', sourceId: run.id },
      { kind: 'bulletin', sourceId: bulletin.id },
    ]) {
      expect((await bAdmin.post('/api/publications/preview', source)).statusCode).toBe(404);
      expect((await bAdmin.post('/api/publications', source)).statusCode).toBe(404);
      expect((await province.post('/api/publications', source)).statusCode).toBe(403);
    }
    const sourcesOfB = (await bAdmin.get('/api/publications/sources')).body;
    expect(sourcesOfB).not.toContain(run.id);
    expect(sourcesOfB).not.toContain(period.id);
    expect((await aAdmin.get('/api/publications/sources')).body).toContain(run.id);
    const pub = okJson<{ id: string }>(await aAdmin.post('/api/publications', { kind: 'assessment', sourceId: run.id }), 201);
    expect(ids(await bAdmin.get('/api/publications'))).not.toContain(pub.id);
    expect(ids(await province.get('/api/publications'))).toContain(pub.id);
    expect((await bAdmin.post(`/api/publications/${pub.id}/withdraw`, { reason: '误发' })).statusCode).toBe(404);
    expect((await province.post(`/api/publications/${pub.id}/withdraw`, { reason: '误发' })).statusCode).toBe(403);
    // The portal (anonymous) lists every tenant's published items.
    expect(ids(await t().anonymous.get('/api/public/publications'))).toContain(pub.id);
  });

  it('coverage layers and analyses belong to the tenant that created them', async () => {
    const p = await makeProvince(t());
    const [aAdmin, aUnit, bAdmin, province] = await Promise.all([p.a.admin.login(), p.a.unit.login(), p.b.admin.login(), p.admin.login()]);
    const kind = `测试设施${unique()}`;
    const importFile = (c: TestClient, csv: string, q: Record<string, string>) =>
      c.request({
        method: 'POST',
        url: `/api/coverage/layers/import?${new URLSearchParams({ name: `图层${unique()}`, datum: 'WGS84', dryRun: '0', ...q })}`,
        ...multipart(Buffer.from(csv, 'utf8'), 'layer.csv'),
      });
    const fac = okJson<{ layer: { id: string } }>(
      await importFile(aAdmin, 'lng,lat,name\n114.2,35.61,设施甲\n', { role: 'facility', kind }),
    );
    const dem = okJson<{ layer: { id: string } }>(
      await importFile(aAdmin, '经度,纬度,人口\n114.2,35.613,100\n114.2,35.6,600\n', { role: 'demand', kind: '居住人口' }),
    );
    const standard = okJson<{ id: string }>(
      await aAdmin.post('/api/coverage/standards', { name: `标准${unique()}`, facilityKind: kind, radiusM: 500 }),
      201,
    );
    const run = { standardId: standard.id, facilityLayerId: fac.layer.id, demandLayerId: dem.layer.id };
    const analysis = okJson<{ id: string }>(await aAdmin.post('/api/coverage/analyses', run), 201);

    for (const caller of [bAdmin]) {
      expect(ids(await caller.get('/api/coverage/layers'))).not.toContain(fac.layer.id);
      expect((await caller.get(`/api/coverage/layers/${fac.layer.id}`)).statusCode).toBe(404);
      expect((await caller.get(`/api/coverage/layers/${fac.layer.id}/features`)).statusCode).toBe(404);
      expect(ids(await caller.get('/api/coverage/analyses'))).not.toContain(analysis.id);
      expect((await caller.get(`/api/coverage/analyses/${analysis.id}`)).statusCode).toBe(404);
      expect((await caller.get(`/api/coverage/analyses/${analysis.id}/map`)).statusCode).toBe(404);
      expect((await caller.post('/api/coverage/analyses', run)).statusCode).toBe(404);
    }
    expect(ids(await aUnit.get('/api/coverage/layers'))).toContain(fac.layer.id);
    expect((await aAdmin.get(`/api/coverage/analyses/${analysis.id}`)).statusCode).toBe(200);
    expect(ids(await province.get('/api/coverage/layers'))).toContain(fac.layer.id);
    expect((await province.get(`/api/coverage/analyses/${analysis.id}`)).statusCode).toBe(200);
    expect((await province.post('/api/coverage/analyses', run)).statusCode).toBe(403);

    // A target of A's plan fed by the (installation-wide) standard reads A's analyses only, even
    // after B runs one of its own on the same standard; B sees nothing of A's target.
    const planA = await makePlan(t(), {
      title: `甲市覆盖方案${unique()}`,
      ownerOrgId: p.a.office.id,
      tasks: [{ text: `覆盖任务${unique()}`, targets: [{ metric: '覆盖率', unit: '%', value: 90, baseline: 0 }] }],
    });
    const targetId = planA.tasks[0]!.targetIds[0]!;
    expect((await bAdmin.put(`/api/coverage/targets/${targetId}`, { standardId: standard.id })).statusCode).toBe(404);
    expect((await province.put(`/api/coverage/targets/${targetId}`, { standardId: standard.id })).statusCode).toBe(403);
    okJson(await aAdmin.put(`/api/coverage/targets/${targetId}`, { standardId: standard.id }));
    const facB = okJson<{ layer: { id: string } }>(
      await importFile(bAdmin, 'lng,lat,name\n114.2,35.61,设施乙\n', { role: 'facility', kind }),
    );
    const demB = okJson<{ layer: { id: string } }>(
      await importFile(bAdmin, '经度,纬度,人口\n114.2,35.6,5\n', { role: 'demand', kind: '居住人口' }),
    );
    const analysisB = okJson<{ id: string }>(
      await bAdmin.post('/api/coverage/analyses', {
        standardId: standard.id,
        facilityLayerId: facB.layer.id,
        demandLayerId: demB.layer.id,
      }),
      201,
    );
    expect(ids(await aAdmin.get('/api/coverage/analyses'))).not.toContain(analysisB.id);
    const value = okJson<{ latest: { analysisId: string } | null }>(await aAdmin.get(`/api/coverage/targets/${targetId}`));
    expect(value.latest?.analysisId).toBe(analysis.id);
    expect((await bAdmin.get(`/api/coverage/targets/${targetId}`)).statusCode).toBe(404);
    expect((await bAdmin.get(`/api/coverage/targets/${targetId}/periods`)).statusCode).toBe(404);
    expect((await bAdmin.get('/api/coverage/targets')).body).not.toContain(targetId);
    expect((await aAdmin.get('/api/coverage/targets')).body).toContain(targetId);
  });

  it('installation settings: a city under a province may not rename the installation; the province (the root) may', async () => {
    const p = await makeProvince(t());
    const [aAdmin, province] = await Promise.all([p.a.admin.login(), p.admin.login()]);
    const current = okJson<{ version: number; name: string; officeName: string }>(await aAdmin.get('/api/settings'));
    // A city under the province is shown its own office's name; the province the installation's.
    expect(current.officeName).toBe(p.a.office.name);
    const installation = okJson<{ officeName: string }>(await t().anonymous.get('/api/settings/public'));
    expect(installation).not.toHaveProperty('officeName');
    expect(okJson<{ officeName: string }>(await province.get('/api/settings')).officeName).not.toBe(p.a.office.name);
    expect((await aAdmin.put('/api/settings', { version: current.version, name: '甲市改名' })).statusCode).toBe(403);
    // The screen knows it before saving: read-only for the city, editable for the province.
    expect(okJson<{ canEdit: boolean }>(await aAdmin.get('/api/settings')).canEdit).toBe(false);
    expect(okJson<{ canEdit: boolean }>(await province.get('/api/settings')).canEdit).toBe(true);
    const renamed = okJson<{ name: string }>(
      await province.put('/api/settings', { version: current.version, name: `全省台账${unique()}` }),
    );
    expect(renamed.name).toContain('全省台账');
  });
});
