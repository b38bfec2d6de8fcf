/**
 * The public portal (issue 16): publishing is an act of the office, anonymous readers see exactly
 * the published (allow-listed) fields, nothing private leaks through any public route, withdrawal
 * is recorded and shown, the Atom feed lists publications, and public responses are cacheable
 * (ETag, 304) and never set a cookie.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { imprintLines, layoutBulletin, paginate, printedText } from '../src/server/modules/assessment/bulletin-layout.ts';
import type { BulletinContent } from '../src/shared/schemas/assessment.schema.ts';
import type { Publication } from '../src/shared/schemas/publication.schema.ts';
import type { ProgressReport, ReportingPeriod } from '../src/shared/schemas/reporting.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import {
  makePeriod,
  makePlan,
  makeReport,
  makeReportingPlan,
  makeSchedule,
  makeUser,
  type ReportingFixture,
  unique,
} from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { DISTRICT_POINTS, makeProject } from './helpers/project-factories.ts';
import type { ChangeRequest } from '../src/shared/schemas/project.schema.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code);
  return res.json() as T;
};

function uniquePdf(): Buffer {
  return Buffer.from(
    `%PDF-1.4\n% ${randomBytes(16).toString('hex')}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

describeEachDialect('publications: the public portal', (ctx) => {
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-pub-uploads-'));
  afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));
  const t = useTestApp(ctx, { uploadDir });
  const tag = randomBytes(4).toString('hex');
  const CANARY = {
    narrative: `CANARY-NARRATIVE-${tag}`,
    problems: `CANARY-PROBLEM-${tag}`,
    comment: `CANARY-COMMENT-${tag}`,
    draft: `CANARY-DRAFT-${tag}`,
    person: `金丝雀审核员${tag}`,
    file: `CANARY-EVIDENCE-${tag}.pdf`,
    amendment: `CANARY-AMENDMENT-${tag}`,
    selfNote: `CANARY-SELFNOTE-${tag}`,
    adjustment: `CANARY-ADJUST-${tag}`,
    objection: `CANARY-OBJECTION-${tag}`,
    answer: `CANARY-ANSWER-${tag}`,
    // The project library's private strings: a draft's and a returned project's names, the
    // return reason, a change request's what and why, a funding source's name, the owner's
    // contact and a monthly report's narrative and problems.
    projectDraft: `CANARY-PROJDRAFT-${tag}`,
    projectReturned: `CANARY-PROJRETURNED-${tag}`,
    returnReason: `CANARY-RETURNREASON-${tag}`,
    changeWhat: `CANARY-CRWHAT-${tag}`,
    changeWhy: `CANARY-CRWHY-${tag}`,
    fundingSource: `CANARY-FUNDSOURCE-${tag}`,
    owner: `CANARY-OWNER-${tag}`,
    projectReport: `CANARY-PROJREPORT-${tag}`,
    projectProblem: `CANARY-PROJPROBLEM-${tag}`,
  };
  // Issue 16's project library of 2026: one public project (admitted, with a canary funding source,
  // owner and change request), one in progress, a draft and a returned one; published once.
  const lib = { pub: '', sourceId: '', publicName: `公开项目${tag}`, shanName: `山城公开项目${tag}` };
  // Issue 15's records: a final assessment (with a 自评 note, an adjustment reason and an objection
  // carrying canaries), a draft one, an issued 通报 and a draft one; the first and third published.
  const a15 = { finalId: '', draftId: '', bulletinId: '', draftBulletinId: '', rankingPub: '', bulletinPub: '' };
  let admin: TestClient;
  let lead: TestClient;
  let unit: TestClient;
  let unit2: TestClient;
  let f: ReportingFixture;
  let jan: ReportingPeriod;
  let feb: ReportingPeriod;

  beforeAll(async () => {
    admin = await t().login('admin');
    unit = await t().login('unit');
    // The reviewer's name is a person's name: it must never be public.
    lead = await (await makeUser(t(), { orgId: t().orgs.leadDept.id, role: 'lead', displayName: CANARY.person })).login();
    unit2 = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit', displayName: `浚县填报员${tag}` })).login();
    f = await makeReportingPlan(t(), { title: `公开测试方案${tag}` });
    await makeSchedule(t(), f.planId, { frequency: 'monthly', dueDay: 5, graceDays: 2 });
    jan = await makePeriod(t(), f.planId, { start: '2026-01-15', open: true });
    // 淇县: approved with a narrative, a problem and a reviewer's comment.
    const approved = await makeReport(
      unit,
      jan.id,
      {
        taskId: f.taskA,
        targetId: f.targetCounty,
        value: 40,
        completionPercent: 40,
        reportedStatus: 'on_track',
        narrative: CANARY.narrative,
        problems: CANARY.problems,
      },
      { submit: true },
    );
    ok<ProgressReport>(await lead.post(`/api/reports/${approved.id}/approve`, { version: approved.version, comment: CANARY.comment }));
    // 浚县: a draft only, with an evidence file.
    const draft = await makeReport(unit2, jan.id, { taskId: f.taskA, targetId: f.targetCounty2, value: 7, narrative: CANARY.draft });
    ok(
      await unit2.request({
        method: 'POST',
        url: `/api/reports/${draft.id}/evidence`,
        ...multipart(uniquePdf(), CANARY.file, 'application/pdf'),
      }),
      201,
    );
    jan = ok<ReportingPeriod>(await admin.post(`/api/periods/${jan.id}/close`, { version: jan.version }));
    // An amendment's reason is the office's internal note.
    const snaps = ok<{ items: Array<{ id: string; targetId: string | null }> }>(await admin.get(`/api/periods/${jan.id}/snapshots`));
    const row = snaps.items.find((s) => s.targetId === f.targetCounty)!;
    ok(await admin.post(`/api/snapshots/${row.id}/amendments`, { reason: CANARY.amendment, reasonText: CANARY.amendment }), 201);
    feb = await makePeriod(t(), f.planId, { start: '2026-02-01', close: true });

    const g = await makeReportingPlan(t(), { title: `考核公开方案${tag}` });
    await makePeriod(t(), g.planId, { start: '2026-10-01', close: true });
    const scheme = ok<{ id: string }>(
      await admin.post('/api/assessment-schemes', {
        name: `公开考核方案${tag}`,
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
          groups: [
            { id: 'counties', label: '县区', orgIds: [t().orgs.county.id, t().orgs.county2.id] },
            { id: 'depts', label: '部门', orgIds: [t().orgs.leadDept.id] },
          ],
          honourCount: 1,
        },
      }),
      201,
    );
    const create = async (title: string) =>
      ok<{ id: string; version: number }>(
        await admin.post('/api/assessments', {
          schemeId: scheme.id,
          planId: g.planId,
          title,
          start: '2026-10-01',
          end: '2026-10-31',
          objectionDays: 5,
        }),
        201,
      );
    const fresh = async (id: string) => ok<{ version: number }>(await admin.get(`/api/assessments/${id}`));
    const run = await create(`2026年10月考核${tag}`);
    a15.finalId = run.id;
    ok(await unit.post(`/api/assessments/${run.id}/notes`, { ruleId: 'missing', text: CANARY.selfNote }));
    ok(
      await admin.post(`/api/assessments/${run.id}/adjustments`, {
        version: (await fresh(run.id)).version,
        orgId: t().orgs.county.id,
        ruleId: 'missing',
        delta: 5,
        reason: CANARY.adjustment,
      }),
    );
    ok(await admin.post(`/api/assessments/${run.id}/publish`, { version: (await fresh(run.id)).version }));
    const objected = ok<{ objections: { id: string }[] }>(
      await unit.post(`/api/assessments/${run.id}/objections`, { ruleId: 'missing', text: CANARY.objection }),
    );
    ok(await admin.post(`/api/assessment-objections/${objected.objections[0]!.id}/answer`, { answer: CANARY.answer, outcome: 'rejected' }));
    ok(await admin.post(`/api/assessments/${run.id}/finalise`, { version: (await fresh(run.id)).version }));
    a15.draftId = (await create(`2026年10月考核草稿${tag}`)).id;
    const bulletin = ok<{ id: string; version: number }>(await admin.post(`/api/assessments/${run.id}/bulletins`), 201);
    ok(await admin.post(`/api/bulletins/${bulletin.id}/issue`, { version: bulletin.version }));
    a15.bulletinId = bulletin.id;
    a15.draftBulletinId = ok<{ id: string }>(await admin.post(`/api/assessments/${run.id}/bulletins`), 201).id;
    ok(await admin.put('/api/project-lists/funding-sources', { code: `canary_${tag}`, name: CANARY.fundingSource, seq: 99 }));
    await makeProject(unit, admin, { name: CANARY.projectDraft }, 'draft');
    const toReturn = await makeProject(unit, admin, { name: CANARY.projectReturned }, 'submitted');
    ok(
      await admin.post(`/api/projects/${toReturn.id}/review`, { version: toReturn.version, decision: 'return', note: CANARY.returnReason }),
    );
    const listed = await makeProject(unit, admin, {
      name: lib.publicName,
      ownerName: CANARY.owner,
      totalInvestment: 12_345_678,
      annualPlan: 5_000_000,
      funding: [
        { sourceCode: `canary_${tag}`, planned: 10_000_000, arrived: 0 },
        { sourceCode: 'county', planned: 2_345_678, arrived: 0 },
      ],
    });
    ok<ChangeRequest>(
      await unit.post(`/api/projects/${listed.id}/change-requests`, {
        what: CANARY.changeWhat,
        why: CANARY.changeWhy,
        patch: { scale: '新建公厕4座' },
      }),
      201,
    );
    const shan = await makeProject(unit2, admin, {
      name: lib.shanName,
      location: { ...DISTRICT_POINTS.浚县, datum: 'GCJ02' },
      address: '',
    });
    const month = await makePeriod(t(), g.planId, { start: '2026-11-01', open: true });
    ok(
      await unit2.post(`/api/projects/${shan.id}/reports`, {
        periodId: month.id,
        investment: 300_000,
        progressText: CANARY.projectReport,
        problems: CANARY.projectProblem,
        progressPct: 30,
        started: true,
        submit: true,
      }),
    );
    a15.rankingPub = ok<Publication>(await admin.post('/api/publications', { kind: 'assessment', sourceId: run.id }), 201).id;
    a15.bulletinPub = ok<Publication>(await admin.post('/api/publications', { kind: 'bulletin', sourceId: bulletin.id }), 201).id;
  });

  const publishPeriod = async (periodId: string) =>
    ok<Publication>(await admin.post('/api/publications', { kind: 'period', sourceId: periodId }), 201);

  it('only the office previews and publishes; anonymous readers see exactly the preview, field for field', async () => {
    expect((await t().anonymous.post('/api/publications', { kind: 'period', sourceId: jan.id })).statusCode).toBe(401);
    expect((await lead.post('/api/publications', { kind: 'period', sourceId: jan.id })).statusCode).toBe(403);
    expect((await lead.get('/api/publications')).statusCode).toBe(403);
    const open = await makePeriod(t(), f.planId, { start: '2026-03-01', open: true });
    expect((await admin.post('/api/publications/preview', { kind: 'period', sourceId: open.id })).statusCode).toBe(409);
    // A project library's source is a year: a period's id names none.
    expect((await admin.post('/api/publications/preview', { kind: 'project_library', sourceId: open.id })).statusCode).toBe(404);

    const sources = ok<{ items: Array<{ sourceId: string; publicationId: string | null }> }>(await admin.get('/api/publications/sources'));
    expect(sources.items.find((s) => s.sourceId === jan.id)).toMatchObject({ publicationId: null });

    const preview = ok<{ payload: any; summary: any }>(await admin.post('/api/publications/preview', { kind: 'period', sourceId: jan.id }));
    const pub = await publishPeriod(jan.id);
    expect((await admin.post('/api/publications', { kind: 'period', sourceId: jan.id })).statusCode).toBe(409);
    const seen = ok<{ payload: any; summary: any; publication: Publication; districts: any[] }>(
      await t().anonymous.get(`/api/public/publications/${pub.id}`),
    );
    expect(seen.payload).toEqual(preview.payload);
    expect(seen.summary).toEqual(preview.summary);
    expect(seen.publication).not.toHaveProperty('publishedBy');

    // Exactly the allow-listed fields, nothing more.
    const task = seen.payload.tasks.find((x: any) => x.id === f.taskA);
    expect(Object.keys(task).sort()).toEqual(
      ['deadline', 'deadlineText', 'districtIds', 'id', 'progress', 'section' + 'Id', 'seq', 'status', 'targets', 'text', 'units'].sort(),
    );
    const target = task.targets.find((x: any) => x.id === f.targetCounty);
    expect(Object.keys(target).sort()).toEqual(
      [
        'comparator',
        'deadline',
        'id',
        'jurisdictionName',
        'jurisdictionOrgId',
        'maxValue',
        'metric',
        'progress',
        'reportedValue',
        'status',
        'unit',
        'value',
      ].sort(),
    );
    // The approved value is public; the draft's value is not.
    expect(target.reportedValue).toBe(40);
    expect(task.targets.find((x: any) => x.id === f.targetCounty2).reportedValue).toBeNull();
    expect(task.districtIds.sort()).toEqual([t().orgs.county.id, t().orgs.county2.id].sort());
    expect(seen.districts.map((d) => d.name)).toEqual(expect.arrayContaining(['淇县', '浚县']));

    // The act is audited.
    const audit = await t().db.selectFrom('audit_events').select('action').where('entity_id', '=', pub.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['publication.publish']);
  });

  it('no canary (draft, comment, problem, person, evidence file, amendment, project draft, return and change reasons, funding rows) is in any public JSON, CSV or page', async () => {
    const pub =
      ok<{ items: Publication[] }>(await t().anonymous.get('/api/public/publications')).items.find((p) => p.sourceId === jan.id) ??
      (await publishPeriod(jan.id));
    if (!lib.pub) await publishLibrary();
    const doc = ok<{ paths: Record<string, Record<string, unknown>> }>(await t().anonymous.get('/api/openapi.json'));
    const publicPaths = Object.entries(doc.paths)
      .filter(([p, ops]) => p.startsWith('/api/public/') && 'get' in ops)
      .map(([p]) => p);
    expect(publicPaths.length).toBeGreaterThanOrEqual(7);
    const urls: string[] = [];
    for (const p of publicPaths) {
      // A ranking's and a bulletin's routes read their own kind's publication.
      const id = p.includes('/ranking')
        ? a15.rankingPub
        : p.includes('/bulletin')
          ? a15.bulletinPub
          : p.endsWith('/projects')
            ? lib.pub
            : pub.id;
      const filled = p.replace('{id}', id).replace('{taskId}', f.taskA);
      if (filled.includes('{dataset}')) {
        for (const d of ['tasks', 'targets', 'districts', 'sections'])
          for (const fmt of ['json', 'csv']) urls.push(`${filled.replace('{dataset}', d)}?format=${fmt}`);
      } else if (filled.endsWith('/search'))
        urls.push(`${filled}?q=${encodeURIComponent('淇县')}`, `${filled}?q=${encodeURIComponent('公厕')}`);
      else if (filled.endsWith('/tasks')) urls.push(filled, `${filled}?districtId=${t().orgs.county.id}`, `${filled}?status=on_track`);
      else if (filled.endsWith('/ranking') || filled.endsWith('/projects')) urls.push(`${filled}?format=json`, `${filled}?format=csv`);
      else urls.push(filled);
    }
    // The HTML pages are public responses too.
    urls.push(
      '/public',
      `/public/p/${pub.id}`,
      `/public/p/${pub.id}/tasks/${f.taskA}`,
      `/public/p/${pub.id}/districts/${t().orgs.county.id}`,
      '/public/data',
      '/public/rankings',
      '/public/bulletins',
      '/public/projects',
      `/public/projects/${lib.pub}`,
      `/public/search?q=${encodeURIComponent('公厕')}`,
    );
    let sawTask = false;
    let sawProject = false;
    for (const url of urls) {
      const res = await t().anonymous.get(url);
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
      for (const c of Object.values(CANARY)) expect(res.body, `${url} leaks ${c}`).not.toContain(c);
      if (res.body.includes('新建公厕')) sawTask = true;
      if (res.body.includes(lib.publicName)) sawProject = true;
    }
    expect(sawTask).toBe(true);
    expect(sawProject).toBe(true);
    // The project canaries are really stored and read inside.
    const projects = (await admin.get('/api/projects?limit=100')).body;
    for (const c of [CANARY.projectDraft, CANARY.projectReturned, CANARY.returnReason, CANARY.fundingSource, CANARY.owner])
      expect(projects).toContain(c);
    const pending = (await admin.get('/api/project-change-requests')).body;
    expect(pending).toContain(CANARY.changeWhy);
    expect((await admin.get('/api/project-reports')).body).toContain(CANARY.projectProblem);
    // The canaries are really stored: the office reads them inside.
    const inside = await admin.get(`/api/periods/${jan.id}/reports`);
    expect(inside.body).toContain(CANARY.narrative);
    expect(inside.body).toContain(CANARY.comment);
    expect((await admin.get(`/api/periods/${jan.id}/snapshots`)).body).toContain(CANARY.amendment);
    const sheet = (await admin.get(`/api/assessments/${a15.finalId}/sheet?orgId=${t().orgs.county.id}`)).body;
    for (const c of [CANARY.selfNote, CANARY.adjustment, CANARY.objection, CANARY.answer]) expect(sheet).toContain(c);
  });

  async function publishLibrary() {
    const sources = ok<{ items: Array<{ kind: string; sourceId: string; title: string }> }>(await admin.get('/api/publications/sources'));
    const source = sources.items.find((x) => x.kind === 'project_library' && x.title.startsWith('2026'))!;
    expect(source).toBeDefined();
    lib.sourceId = source.sourceId;
    lib.pub = ok<Publication>(await admin.post('/api/publications', { kind: 'project_library', sourceId: source.sourceId }), 201).id;
  }

  it('publishes the project library of a year: list, map, open data, catalogue, feed; only the allow-listed fields', async () => {
    const preview = ok<{ payload: any }>(
      await admin.post('/api/publications/preview', {
        kind: 'project_library',
        sourceId: lib.sourceId || f.planId,
      }),
    );
    expect(preview.payload.projects.map((p: any) => p.name).sort()).toEqual([lib.publicName, lib.shanName].sort());
    if (!lib.pub) await publishLibrary();
    expect((await lead.post('/api/publications', { kind: 'project_library', sourceId: lib.sourceId })).statusCode).toBe(403);
    expect((await admin.post('/api/publications', { kind: 'project_library', sourceId: lib.sourceId })).statusCode).toBe(409);
    // A plan whose year has no library project cannot publish one.
    const empty = await makePlan(t(), { title: `空项目库方案${unique()}`, year: 2031, tasks: [] });
    expect((await admin.post('/api/publications/preview', { kind: 'project_library', sourceId: empty.planId })).statusCode).toBe(409);
    const audit = await t().db.selectFrom('audit_events').select('action').where('entity_id', '=', lib.pub).execute();
    expect(audit.map((a) => a.action)).toEqual(['publication.publish']);

    const data = ok<{ items: any[]; totals: any; library: any }>(await t().anonymous.get(`/api/public/publications/${lib.pub}/projects`));
    expect(data.library.planYear).toBe(2026);
    const mine = data.items.find((p) => p.name === lib.publicName)!;
    expect(Object.keys(mine).sort()).toEqual(
      [
        'address',
        'annualPlanWan',
        'categoryName',
        'completedOn',
        'id',
        'lat',
        'lng',
        'name',
        'nature',
        'orgId',
        'orgName',
        'progressPct',
        'status',
        'totalInvestmentWan',
      ].sort(),
    );
    expect(mine).toMatchObject({ orgName: '淇县', totalInvestmentWan: 1234.5678, annualPlanWan: 500, status: 'admitted', nature: 'new' });
    expect(data.items.find((p) => p.name === lib.shanName)).toMatchObject({ orgName: '浚县', status: 'in_progress', progressPct: 30 });
    expect(data.totals).toEqual({ count: 2, totalInvestmentWan: 1334.5678, annualPlanWan: 600 });
    const csv = await t().anonymous.get(`/api/public/publications/${lib.pub}/projects?format=csv`);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body.split('\r\n')[0]).toBe(
      '\uFEFFplan_year,project_id,name,county,category,nature,total_investment_wan,annual_plan_wan,status,progress_percent,completed_on,lng_gcj02,lat_gcj02,address',
    );
    expect(csv.body).toContain('1234.5678');

    const page = await t().anonymous.get('/public/projects');
    expect(page.statusCode).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.body).not.toContain('<script');
    expect(page.body).toContain('<svg class="map"');
    // The five shipped districts are drawn, and both projects are points on them.
    expect(page.body.match(/<path d="M/g)).toHaveLength(5);
    expect(page.body.match(/<circle /g)).toHaveLength(2);
    expect(page.body).toContain(lib.publicName);
    expect(page.body).toContain('1,234.5678');
    const again = await t().anonymous.request({
      method: 'GET',
      url: '/public/projects',
      headers: { 'if-none-match': String(page.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect((await t().anonymous.get('/public/projects?lang=en')).body).toContain('Project map');
    const catalogue = ok<{ datasets: Array<{ publicationId: string; dataset: string }> }>(await t().anonymous.get('/api/public/catalogue'));
    expect(catalogue.datasets.find((d) => d.publicationId === lib.pub)).toMatchObject({ dataset: 'projects' });
    expect((await t().anonymous.get('/public/data')).body).toContain(`/api/public/publications/${lib.pub}/projects?format=csv`);
    expect((await t().anonymous.get('/api/public/feed.atom')).body).toContain(`/public/projects/${lib.pub}`);
    // A project library is not a period, nor a ranking.
    expect((await t().anonymous.get(`/api/public/publications/${lib.pub}/tasks`)).statusCode).toBe(404);
    expect((await t().anonymous.get(`/api/public/publications/${a15.rankingPub}/projects`)).statusCode).toBe(404);

    // Withdrawn: the data is gone (410), the page says so.
    const w = ok<Publication>(await admin.post(`/api/publications/${lib.pub}/withdraw`, { reason: '项目名称有误' }));
    expect(w.withdrawnReason).toBe('项目名称有误');
    expect((await t().anonymous.get(`/api/public/publications/${lib.pub}/projects`)).statusCode).toBe(410);
    const gone = await t().anonymous.get(`/public/projects/${lib.pub}`);
    expect(gone.statusCode).toBe(200);
    expect(gone.body).toContain('项目名称有误');
    expect(gone.body).not.toContain(lib.publicName);
    await publishLibrary();
  });

  it('publishes a final assessment’s ranking: anonymous readers see rank, unit, score, tier and 红黑榜 only; JSON, CSV and page', async () => {
    // A draft assessment and a draft 通报 cannot be published.
    expect((await admin.post('/api/publications', { kind: 'assessment', sourceId: a15.draftId })).statusCode).toBe(422);
    expect((await admin.post('/api/publications/preview', { kind: 'assessment', sourceId: a15.draftId })).statusCode).toBe(422);
    expect((await admin.post('/api/publications', { kind: 'bulletin', sourceId: a15.draftBulletinId })).statusCode).toBe(422);
    expect((await admin.post('/api/publications', { kind: 'assessment', sourceId: a15.finalId })).statusCode).toBe(409);
    const sources = ok<{ items: Array<{ kind: string; sourceId: string; publicationId: string | null }> }>(
      await admin.get('/api/publications/sources'),
    );
    expect(sources.items.find((s) => s.sourceId === a15.finalId)).toMatchObject({ kind: 'assessment', publicationId: a15.rankingPub });
    expect(sources.items.find((s) => s.sourceId === a15.bulletinId)).toMatchObject({ kind: 'bulletin', publicationId: a15.bulletinPub });
    expect(sources.items.some((s) => s.sourceId === a15.draftId || s.sourceId === a15.draftBulletinId)).toBe(false);

    const ranking = ok<{ groups: Array<{ label: string; rows: Record<string, unknown>[] }>; items: unknown[] }>(
      await t().anonymous.get(`/api/public/publications/${a15.rankingPub}/ranking`),
    );
    const office = ok<{
      groups: Array<{ label: string; rows: Array<{ orgId: string; rank: number; total: number }>; red: string[]; black: string[] }>;
    }>(await admin.get(`/api/assessments/${a15.finalId}/ranking`));
    expect(ranking.groups.map((g) => g.label)).toEqual(office.groups.map((g) => g.label));
    for (const g of ranking.groups) {
      for (const r of g.rows) expect(Object.keys(r).sort()).toEqual(['name', 'orgId', 'rank', 'roll', 'tierLabel', 'total']);
    }
    const counties = ranking.groups.find((g) => g.label === '县区')!;
    const officeCounties = office.groups.find((g) => g.label === '县区')!;
    expect(counties.rows.map((r) => [r.orgId, r.rank, r.total])).toEqual(officeCounties.rows.map((r) => [r.orgId, r.rank, r.total]));
    expect(counties.rows.filter((r) => r.roll === 'red').map((r) => r.orgId)).toEqual(officeCounties.red);
    expect(counties.rows.filter((r) => r.roll === 'black').map((r) => r.orgId)).toEqual(officeCounties.black);
    expect(officeCounties.red.length).toBeGreaterThan(0);

    const csv = await t().anonymous.get(`/api/public/publications/${a15.rankingPub}/ranking?format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body.split('\r\n')[0]).toBe('\uFEFFgroup_id,group,rank,org_id,unit,score,tier,roll');
    expect(csv.body).toContain('淇县');

    const page = await t().anonymous.get('/public/rankings');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('红榜');
    expect(page.body).toContain('淇县');
    expect((await t().anonymous.get('/public')).body).toContain('href="/public/rankings"');
    const catalogue = ok<{ datasets: Array<{ publicationId: string; dataset: string; csv: string }> }>(
      await t().anonymous.get('/api/public/catalogue'),
    );
    expect(catalogue.datasets.find((d) => d.publicationId === a15.rankingPub)).toMatchObject({ dataset: 'ranking' });
    expect((await t().anonymous.get('/api/public/feed.atom')).body).toContain(`/public/rankings#p-${a15.rankingPub}`);
    // A ranking is not a period: the period routes do not know it.
    expect((await t().anonymous.get(`/api/public/publications/${a15.rankingPub}/tasks`)).statusCode).toBe(404);
  });

  it('publishes an issued 通报: title, 发文字号, date and the PDF of its frozen text; withdrawal works as for periods', async () => {
    const detail = ok<{ payload: { content: BulletinContent } }>(
      await t().anonymous.get(`/api/public/publications/${a15.bulletinPub}/bulletin`),
    );
    const issued = ok<{ content: BulletinContent }>(await admin.get(`/api/bulletins/${a15.bulletinId}`));
    expect(detail.payload.content).toEqual(issued.content);
    const pdf = await t().anonymous.get(`/api/public/publications/${a15.bulletinPub}/bulletin.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['set-cookie']).toBeUndefined();
    // The same bytes the office downloads: one renderer, one frozen text.
    expect(pdf.rawPayload.equals((await admin.get(`/api/bulletins/${a15.bulletinId}/pdf`)).rawPayload)).toBe(true);
    const printed = printedText(paginate(layoutBulletin(detail.payload.content), imprintLines(detail.payload.content)));
    expect(printed).toContain(issued.content.docNumber);
    for (const c of Object.values(CANARY)) expect(printed).not.toContain(c);
    const list = await t().anonymous.get('/public/bulletins');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(issued.content.docNumber);
    expect(list.body).toContain(`/api/public/publications/${a15.bulletinPub}/bulletin.pdf`);

    // Withdrawn: the PDF is gone, the page says so, and it can be published again.
    const again = ok<Publication>(await admin.post(`/api/publications/${a15.bulletinPub}/withdraw`, { reason: '文号有误' }));
    expect(again.withdrawnReason).toBe('文号有误');
    expect((await t().anonymous.get(`/api/public/publications/${a15.bulletinPub}/bulletin.pdf`)).statusCode).toBe(410);
    expect((await t().anonymous.get('/public/bulletins')).body).toContain('文号有误');
    a15.bulletinPub = ok<Publication>(await admin.post('/api/publications', { kind: 'bulletin', sourceId: a15.bulletinId }), 201).id;
  });

  it('CSV is UTF-8 with a BOM; public responses set no cookie, carry an ETag and answer 304', async () => {
    const pub = ok<{ items: Publication[] }>(await t().anonymous.get('/api/public/publications')).items.find((p) => p.sourceId === jan.id)!;
    const csv = await t().anonymous.get(`/api/public/publications/${pub.id}/datasets/targets?format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body).toContain('淇县');
    // A district page's rows download as shown: only the tasks 淇县 is involved in.
    const mine = ok<{ items: Array<{ id: string }> }>(
      await t().anonymous.get(
        `/api/public/publications/${pub.id}/datasets/tasks?format=json&districtId=${t().orgs.county.id}&q=${encodeURIComponent('公厕')}`,
      ),
    );
    const shown = ok<{ items: Array<{ id: string }> }>(
      await t().anonymous.get(`/api/public/publications/${pub.id}/tasks?districtId=${t().orgs.county.id}&q=${encodeURIComponent('公厕')}`),
    );
    expect(mine.items.map((r) => r.id)).toEqual([f.taskA]);
    expect(shown.items.map((x) => x.id)).toEqual([f.taskA]);
    const districtPage = (await t().anonymous.get(`/public/p/${pub.id}/districts/${t().orgs.county.id}`)).body;
    expect(districtPage).toContain(`datasets/tasks?format=csv&amp;districtId=${t().orgs.county.id}`);
    const url = `/api/public/publications/${pub.id}`;
    const first = await t().anonymous.request({ method: 'GET', url, headers: { cookie: 'luoshi_session=stale-token-of-nobody' } });
    expect(first.statusCode).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await t().anonymous.request({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const page = await t().anonymous.request({ method: 'GET', url: `/public/p/${pub.id}`, headers: { cookie: 'luoshi_session=stale' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(
      (await t().anonymous.request({ method: 'GET', url: `/public/p/${pub.id}`, headers: { 'if-none-match': String(page.headers.etag) } }))
        .statusCode,
    ).toBe(304);
    // Bad input is a 4xx problem, never a 500.
    expect((await t().anonymous.get('/api/public/publications/not-an-id')).statusCode).toBe(400);
    expect((await t().anonymous.get(`/api/public/publications/${f.taskA}`)).statusCode).toBe(404);
    expect((await t().anonymous.get(`/api/public/publications/${pub.id}/datasets/people`)).statusCode).toBe(400);
    expect((await t().anonymous.get('/public/p/nope')).statusCode).toBe(404);
  });

  it('a task shows a timeline of the published periods of its plan', async () => {
    const pubFeb = await publishPeriod(feb.id);
    const detail = ok<{ timeline: Array<{ periodLabel: string }>; task: { targets: unknown[] } }>(
      await t().anonymous.get(`/api/public/publications/${pubFeb.id}/tasks/${f.taskA}`),
    );
    expect(detail.timeline.map((e) => e.periodLabel)).toEqual([jan.label, feb.label]);
    expect(detail.task.targets).toHaveLength(2);
    const html = (await t().anonymous.get(`/public/p/${pubFeb.id}/tasks/${f.taskA}`)).body;
    expect(html).toContain(jan.label);
    expect(html).toContain(feb.label);
  });

  it('withdrawal is recorded with a reason, the page says so, the feed tells it, and it can be published again', async () => {
    const list = ok<{ items: Publication[] }>(await t().anonymous.get('/api/public/publications'));
    const pub = list.items.find((p) => p.sourceId === jan.id && !p.withdrawnAt)!;
    expect((await admin.post(`/api/publications/${pub.id}/withdraw`, { reason: '' })).statusCode).toBe(400);
    expect((await lead.post(`/api/publications/${pub.id}/withdraw`, { reason: '数据有误' })).statusCode).toBe(403);
    const w = ok<Publication>(await admin.post(`/api/publications/${pub.id}/withdraw`, { reason: '统计口径有误，更正后重新公布' }));
    expect(w.withdrawnReason).toBe('统计口径有误，更正后重新公布');
    expect(w.etag).not.toBe(pub.etag);
    expect((await admin.post(`/api/publications/${pub.id}/withdraw`, { reason: '再次' })).statusCode).toBe(409);
    const seen = ok<{ payload: unknown; publication: Publication }>(await t().anonymous.get(`/api/public/publications/${pub.id}`));
    expect(seen.payload).toBeNull();
    expect(seen.publication.withdrawnReason).toBe('统计口径有误，更正后重新公布');
    expect((await t().anonymous.get(`/api/public/publications/${pub.id}/tasks`)).statusCode).toBe(410);
    expect((await t().anonymous.get(`/api/public/publications/${pub.id}/datasets/tasks?format=csv`)).statusCode).toBe(410);
    const page = await t().anonymous.get(`/public/p/${pub.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已撤回');
    expect(page.body).toContain('统计口径有误');
    expect(page.body).not.toContain('新建公厕');
    const office = ok<{ items: Array<{ id: string; withdrawnBy: string | null }> }>(await admin.get('/api/publications'));
    expect(office.items.find((p) => p.id === pub.id)?.withdrawnBy).toBe('测试admin');
    const audit = await t().db.selectFrom('audit_events').select('action').where('entity_id', '=', pub.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['publication.publish', 'publication.withdraw']);

    const feed = await t().anonymous.get('/api/public/feed.atom');
    expect(feed.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(feed.body).toContain(`<id>urn:uuid:${pub.id}</id>`);
    expect(feed.body).toMatch(/已撤回[^<]*公开测试方案/);
    // The timeline leaves the withdrawn period out.
    const febPub = list.items.find((p) => p.sourceId === feb.id)!;
    const detail = ok<{ timeline: unknown[] }>(await t().anonymous.get(`/api/public/publications/${febPub.id}/tasks/${f.taskA}`));
    expect(detail.timeline).toHaveLength(1);

    const again = await publishPeriod(jan.id);
    expect(again.id).not.toBe(pub.id);
    expect(
      ok<{ items: Publication[] }>(await t().anonymous.get('/api/public/publications')).items.filter((p) => p.sourceId === jan.id),
    ).toHaveLength(2);
  });
});

describeEachDialect('publications: the public portal has its own rate limit', (ctx) => {
  const t = useTestApp(ctx, { publicRateLimitPerMinute: 3 });

  it('refuses a client past the public limit with 429, and the limit is the portal’s alone', async () => {
    for (let i = 0; i < 3; i++) expect((await t().anonymous.get('/api/public/publications')).statusCode).toBe(200);
    const refused = await t().anonymous.get('/api/public/feed.atom');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['set-cookie']).toBeUndefined();
    // The signed-in app is not behind the portal's limit.
    expect((await t().anonymous.get('/api/health')).statusCode).toBe(200);
  });
});
