/**
 * Jurisdictions and tenancy (issue 12, docs/decisions/0006-tenancy.md), step 2: reporting, report
 * files, supervision, notifications, plan imports and the audit chains follow their plan's (or
 * draft's) tenant. City A's users get 404 (or an empty list) for city B's rows; the province office
 * reads both cities and gets 403 changing them; a county of A sees nothing of B. Each case builds
 * its own province with two cities (tenancy-factories.ts); the test app's seeded organisations
 * stay untenanted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { ProgressReport, ReportingPeriod } from '../src/shared/schemas/reporting.schema.ts';
import type { SupervisionNotice } from '../src/shared/schemas/supervision.schema.ts';
import { planChain } from '../src/server/core/audit-log.ts';
import { notifyOrgs } from '../src/server/modules/notifications/notifications.service.ts';
import { generateReminders } from '../src/server/modules/reporting/reminders.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeNotice, makeOrg, makePeriod, makePlan, unique } from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { type MadeCity, makeProvince } from './helpers/tenancy-factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

// The smallest valid PNG (1×1, transparent).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
  expect(res.statusCode, res.body).toBe(code);
  return res.json() as T;
};

describeEachDialect('tenancy of reporting, files, supervision, notifications, imports and audit', (ctx) => {
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-tenancy-'));
  afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));
  const t = useTestApp(ctx, { uploadDir });

  /** An open period of the city's plan with its county's report on the first task (submitted unless `draft`). */
  async function reportingOf(city: MadeCity, opts: { draft?: boolean } = {}) {
    const period: ReportingPeriod = await makePeriod(t(), city.plan.planId, { start: '2026-11-01', open: true });
    const unit = await city.unit.login();
    let report = ok<ProgressReport>(
      await unit.put(`/api/periods/${period.id}/reports`, {
        taskId: city.plan.tasks[0]!.id,
        reportedStatus: 'on_track',
        completionPercent: 40,
        narrative: `进展${unique()}`,
      }),
    );
    if (!opts.draft) report = ok<ProgressReport>(await unit.post(`/api/reports/${report.id}/submit`, { version: report.version }));
    return { period, report, unit };
  }

  it('reporting: city A gets 404 for city B’s schedule, periods, reports and snapshots; the province reads them and gets 403 changing them', async () => {
    const p = await makeProvince(t());
    const b = await reportingOf(p.b);
    const a = await reportingOf(p.a);
    const planB = p.b.plan.planId;
    const adminA = await p.a.admin.login();
    const province = await p.admin.login();

    // City A's own rows answer as before.
    expect((await adminA.get(`/api/periods/${a.period.id}`)).statusCode).toBe(200);
    expect(ok<{ items: ProgressReport[] }>(await adminA.get(`/api/periods/${a.period.id}/reports`)).items.map((r) => r.id)).toEqual([
      a.report.id,
    ]);

    // City B's rows do not exist for A's office, reading or writing.
    const reads = [
      `/api/plans/${planB}/reporting-schedule`,
      `/api/plans/${planB}/jurisdiction-labels`,
      `/api/plans/${planB}/periods`,
      `/api/periods/${b.period.id}`,
      `/api/periods/${b.period.id}/reports`,
      `/api/periods/${b.period.id}/my-reports`,
      `/api/periods/${b.period.id}/snapshots`,
      `/api/reports/${b.report.id}`,
    ];
    for (const url of reads) expect((await adminA.get(url)).statusCode, url).toBe(404);
    const writes = async (c: TestClient) => [
      (await c.put(`/api/plans/${planB}/reporting-schedule`, { frequency: 'monthly', dueDay: 5, graceDays: 0, closeAfterDays: 10 }))
        .statusCode,
      (await c.put(`/api/plans/${planB}/jurisdiction-labels`, { label: '某县', orgIds: [] })).statusCode,
      (await c.post(`/api/plans/${planB}/periods`, { start: '2026-12-01' })).statusCode,
      (await c.post(`/api/periods/${b.period.id}/close`, { version: b.period.version + 1 })).statusCode,
      (await c.post(`/api/reports/${b.report.id}/approve`, { version: b.report.version })).statusCode,
      (await c.post(`/api/reports/${b.report.id}/return`, { version: b.report.version, comment: '请补充' })).statusCode,
    ];
    expect(await writes(adminA)).toEqual([404, 404, 404, 404, 404, 404]);

    // The province office reads city B's record …
    expect((await province.get(`/api/plans/${planB}/periods`)).statusCode).toBe(200);
    expect((await province.get(`/api/periods/${b.period.id}`)).statusCode).toBe(200);
    expect(ok<{ items: ProgressReport[] }>(await province.get(`/api/periods/${b.period.id}/reports`)).items.map((r) => r.id)).toEqual([
      b.report.id,
    ]);
    expect((await province.get(`/api/reports/${b.report.id}`)).statusCode).toBe(200);
    // … and changes none of it.
    expect(await writes(province)).toEqual([403, 403, 403, 403, 403, 403]);
    const stored = await t().db.selectFrom('progress_reports').select('status').where('id', '=', b.report.id).executeTakeFirstOrThrow();
    expect(stored.status).toBe('submitted');

    // A county of A: B's period, report and filing are not there.
    expect((await a.unit.get(`/api/periods/${b.period.id}`)).statusCode).toBe(404);
    expect((await a.unit.get(`/api/periods/${b.period.id}/my-reports`)).statusCode).toBe(404);
    expect((await a.unit.get(`/api/reports/${b.report.id}`)).statusCode).toBe(404);
    expect(
      (await a.unit.put(`/api/periods/${b.period.id}/reports`, { taskId: p.b.plan.tasks[0]!.id, completionPercent: 10 })).statusCode,
    ).toBe(404);

    // Snapshots: B's office closes its period; A cannot see or amend the frozen rows, the province sees but cannot amend.
    const adminB = await p.b.admin.login();
    const current = ok<ReportingPeriod>(await adminB.get(`/api/periods/${b.period.id}`));
    ok(await adminB.post(`/api/periods/${b.period.id}/close`, { version: current.version }));
    const snapshots = ok<{ items: Array<{ id: string }> }>(await province.get(`/api/periods/${b.period.id}/snapshots`)).items;
    expect(snapshots.length).toBeGreaterThan(0);
    const snap = snapshots[0]!.id;
    expect((await adminA.get(`/api/snapshots/${snap}`)).statusCode).toBe(404);
    expect((await adminA.post(`/api/snapshots/${snap}/amendments`, { reason: '更正', completionPercent: 99 })).statusCode).toBe(404);
    expect((await province.get(`/api/snapshots/${snap}`)).statusCode).toBe(200);
    expect((await province.post(`/api/snapshots/${snap}/amendments`, { reason: '更正', completionPercent: 99 })).statusCode).toBe(403);
    expect((await adminB.post(`/api/snapshots/${snap}/amendments`, { reason: '更正', completionPercent: 99 })).statusCode).toBe(201);
  });

  it('report files: city B’s evidence, template and upload are not there for city A; the province reads the evidence but cannot delete it', async () => {
    const p = await makeProvince(t());
    const b = await reportingOf(p.b, { draft: true });
    const url = `/api/reports/${b.report.id}/evidence`;
    const file = ok<{ id: string }>(
      await b.unit.request({ method: 'POST', url, ...multipart(PNG, `证据${unique()}.png`, 'image/png') }),
      201,
    );
    const unitA = await p.a.unit.login();
    const adminA = await p.a.admin.login();
    for (const c of [unitA, adminA]) {
      expect((await c.get(url)).statusCode).toBe(404);
      expect((await c.get(`/api/evidence/${file.id}`)).statusCode).toBe(404);
      expect((await c.delete(`/api/evidence/${file.id}`)).statusCode).toBe(404);
    }
    expect((await unitA.request({ method: 'POST', url, ...multipart(PNG, 'x.png', 'image/png') })).statusCode).toBe(404);
    expect((await unitA.get(`/api/periods/${b.period.id}/my-report-template.xlsx`)).statusCode).toBe(404);
    const upload = await unitA.request({
      method: 'POST',
      url: `/api/periods/${b.period.id}/my-report-upload?dryRun=1`,
      ...multipart(PNG, '进展填报表.xlsx'),
    });
    expect(upload.statusCode).toBe(404);
    // The province office reads the file; removing it is not its to do.
    const province = await p.admin.login();
    expect((await province.get(`/api/evidence/${file.id}`)).statusCode).toBe(200);
    expect((await province.delete(`/api/evidence/${file.id}`)).statusCode).toBe(403);
    expect(await t().db.selectFrom('evidence_files').select('id').where('id', '=', file.id).executeTakeFirst()).toBeDefined();
    // City B's own county still owns it.
    expect((await b.unit.get(`/api/evidence/${file.id}`)).statusCode).toBe(200);
  });

  it('supervision and notifications: city B’s notices are not in A’s lists; the province reads them and cannot change them; notifications stay in B', async () => {
    const p = await makeProvince(t());
    const adminB = await p.b.admin.login();
    const adminA = await p.a.admin.login();
    const province = await p.admin.login();
    const unitA = await p.a.unit.login();
    const unitB = await p.b.unit.login();
    const rowB = { taskId: p.b.plan.tasks[0]!.id, orgId: p.b.county.id };
    const rowA = { taskId: p.a.plan.tasks[0]!.id, orgId: p.a.county.id };
    const reason = `督办${unique()}`;
    const notice = await makeNotice(adminB, { rows: [rowB], reason, dueDate: '2026-01-01' });
    const noticeA = await makeNotice(adminA, { rows: [rowA] });

    const idsOf = async (c: TestClient, url: string) => ok<{ items: SupervisionNotice[] }>(await c.get(url)).items.map((n) => n.id);
    expect(await idsOf(adminA, '/api/supervision')).toEqual([noticeA.id]);
    expect(await idsOf(unitA, '/api/supervision/inbox')).toEqual([noticeA.id]);
    expect(await idsOf(unitB, '/api/supervision/inbox')).toEqual([notice.id]);
    expect(
      ok<{ items: Array<{ noticeId: string }> }>(await adminA.get('/api/supervision/proposals?asOf=2026-02-01')).items.map(
        (x) => x.noticeId,
      ),
    ).not.toContain(notice.id);
    expect((await adminA.get(`/api/supervision/${notice.id}`)).statusCode).toBe(404);
    expect((await unitA.get(`/api/supervision/${notice.id}`)).statusCode).toBe(404);
    expect((await adminA.get(`/api/supervision/${notice.id}/evidence`)).statusCode).toBe(404);

    const writes = async (c: TestClient) => [
      (await c.post('/api/supervision', { rows: [rowB], reason: '跨市', requiredAction: '说明', dueDate: '2026-12-10' })).statusCode,
      (await c.post(`/api/supervision/${notice.id}/escalations`, { version: notice.version, step: 'reminder', note: '提醒' })).statusCode,
      (await c.post(`/api/supervision/${notice.id}/close`, { version: notice.version })).statusCode,
    ];
    const notificationsB = async () =>
      (await t().db.selectFrom('notifications').select('id').where('user_id', '=', p.b.unit.user.id).execute()).length;
    const before = await notificationsB();
    expect(await writes(adminA)).toEqual([404, 404, 404]);
    // The province reads B's notices (list, one, proposals) but issues, escalates and closes none.
    expect(await idsOf(province, '/api/supervision')).toEqual(expect.arrayContaining([notice.id, noticeA.id]));
    expect((await province.get(`/api/supervision/${notice.id}`)).statusCode).toBe(200);
    expect(await writes(province)).toEqual([403, 403, 403]);
    // Nothing of A's or the province's refused actions reached B's users.
    expect(await notificationsB()).toBe(before);
    // A county of A answering B's notice: not there.
    expect((await unitA.post(`/api/supervision/${notice.id}/answer`, { version: notice.version, text: '已整改' })).statusCode).toBe(404);

    // Notifications: B's county has the notice's; A's county never sees it and cannot mark it read.
    const mine = ok<{ items: Array<{ id: string; body: string }> }>(await unitB.get('/api/notifications')).items;
    const n = mine.find((x) => x.body.includes(reason));
    expect(n).toBeDefined();
    const aItems = ok<{ items: Array<{ id: string; body: string }> }>(await unitA.get('/api/notifications')).items;
    expect(aItems.some((x) => x.body.includes(reason))).toBe(false);
    expect((await unitA.post(`/api/notifications/${n!.id}/read`)).statusCode).toBe(404);
    expect((await province.post(`/api/notifications/${n!.id}/read`)).statusCode).toBe(404);
    expect((await province.get('/api/notifications')).json().items.some((x: { body: string }) => x.body.includes(reason))).toBe(false);
  });

  it('reminders: an open period of city A reminds A’s county only; city B’s users are not asked about it', async () => {
    const p = await makeProvince(t());
    const period = await makePeriod(t(), p.a.plan.planId, { start: '2026-11-01', open: true });
    const result = await generateReminders(t().db, period.dueDate);
    expect(result.created).toBeGreaterThan(0);
    const rows = await t().db.selectFrom('notifications').select(['user_id', 'link']).where('kind', 'like', 'reminder.%').execute();
    const got = new Set(rows.filter((r) => r.link?.includes(period.id)).map((r) => r.user_id));
    expect(got.has(p.a.unit.user.id)).toBe(true);
    expect(got.has(p.b.unit.user.id)).toBe(false);
  });

  it('plan imports: a draft is its importer’s city’s; mentions resolve only against that city’s organisations', async () => {
    const p = await makeProvince(t());
    // Plan text names units in Chinese: a suffix of Chinese digits keeps the name unique.
    const cn = unique().replace(/[0-9a-f]/g, (c) => '零一二三四五六七八九甲乙丙丁戊己'['0123456789abcdef'.indexOf(c)]!);
    const bureau = await makeOrg(t(), { name: `市${cn}住建局`, kind: 'department' });
    // The bureau is city A's (its office's registry subtree).
    await t().db.updateTable('organisations').set({ tenant_id: p.a.office.id }).where('id', '=', bureau.id).execute();
    const text = [
      '某市实施方案',
      '一、重点任务',
      `1.新建改造城市公厕60座,2026年9月底前全部建成投入使用。(牵头单位:${bureau.name},责任单位:${bureau.name})`,
    ].join('\n');
    type Draft = { id: string; unresolved: Array<{ name: string; orgId: string | null }> };
    const adminA = await p.a.admin.login();
    const adminB = await p.b.admin.login();
    const draftA = ok<Draft>(await adminA.post('/api/plan-imports', { text }), 201);
    expect(draftA.unresolved.map((u) => u.name)).not.toContain(bureau.name);
    // City B's plan says the same name: it is not A's bureau.
    const draftB = ok<Draft>(await adminB.post('/api/plan-imports', { text }), 201);
    expect(draftB.unresolved.map((u) => u.name)).toContain(bureau.name);
    const mapToA = await adminB.post(`/api/plan-imports/${draftB.id}/mappings`, { mappings: [{ name: bureau.name, orgId: bureau.id }] });
    expect(mapToA.statusCode, mapToA.body).toBe(400);
    // A revision of another city's plan: that plan does not exist for B.
    expect((await adminB.post('/api/plan-imports', { text, revisesPlanId: p.a.plan.planId })).statusCode).toBe(422);

    // City A's office does not see B's draft at all.
    const draftUrl = `/api/plan-imports/${draftB.id}`;
    expect((await adminA.get(draftUrl)).statusCode).toBe(404);
    expect((await adminA.post(`${draftUrl}/mappings`, { mappings: [{ name: bureau.name, orgId: bureau.id }] })).statusCode).toBe(404);
    expect((await adminA.post(`${draftUrl}/confirm`)).statusCode).toBe(404);
    const extract = ok<{ extract: unknown }>(await adminB.get(draftUrl)).extract;
    expect((await adminA.put(`${draftUrl}/extract`, { extract })).statusCode).toBe(404);
    // The province reads it but does not confirm a city's draft.
    const province = await p.admin.login();
    expect((await province.get(draftUrl)).statusCode).toBe(200);
    expect((await province.post(`${draftUrl}/confirm`)).statusCode).toBe(403);
    expect((await province.post(`/api/plan-imports/${draftA.id}/confirm`)).statusCode).toBe(403);
    // A's own draft confirms into a plan of A, assigned to A's bureau.
    const confirmed = ok<{ planId: string }>(await adminA.post(`/api/plan-imports/${draftA.id}/confirm`));
    const plan = await t().db.selectFrom('plans').select('owner_org_id').where('id', '=', confirmed.planId).executeTakeFirstOrThrow();
    expect(plan.owner_org_id).toBe(p.a.office.id);
    expect((await adminB.get(`/api/plans/${confirmed.planId}`)).statusCode).toBe(404);
  });

  it('audit: a city verifies only its own plans’ chains; the province (a root) its cities’ and the installation chain', async () => {
    const p = await makeProvince(t());
    await reportingOf(p.a);
    await reportingOf(p.b);
    const count = async (chains: string[]) =>
      Number(
        (
          await t()
            .db.selectFrom('audit_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('chain', 'in', chains)
            .executeTakeFirstOrThrow()
        ).n,
      );
    type Verify = { ok: boolean; checked: number };
    const a = ok<Verify>(await (await p.a.admin.login()).get('/api/audit/verify'));
    expect(a.ok).toBe(true);
    expect(a.checked).toBe(await count([planChain(p.a.plan.planId)]));
    const b = ok<Verify>(await (await p.b.admin.login()).get('/api/audit/verify'));
    expect(b.checked).toBe(await count([planChain(p.b.plan.planId)]));
    const province = ok<Verify>(await (await p.admin.login()).get('/api/audit/verify'));
    expect(province.ok).toBe(true);
    expect(province.checked).toBe(await count(['global', planChain(p.a.plan.planId), planChain(p.b.plan.planId)]));
    // A county user of A: verifying is the office's (route policy).
    expect((await (await p.a.unit.login()).get('/api/audit/verify')).statusCode).toBe(403);
  });

  it('a plan’s jurisdiction labels name only its own city’s organisations, and its notifications reach only them', async () => {
    const p = await makeProvince(t());
    // City B's plan has a target labelled with the name of city A's county.
    const planB = await makePlan(t(), {
      title: `城市方案${unique()}`,
      ownerOrgId: p.b.office.id,
      tasks: [
        {
          text: `任务${unique()}`,
          assignments: [{ orgId: p.b.county.id, role: 'responsible' }],
          targets: [{ metric: '公厕', unit: '座', value: 10, jurisdictionLabel: p.a.county.name }],
        },
      ],
    });
    const adminB = await p.b.admin.login();
    const labels = ok<{ items: Array<{ label: string; reporterOrgIds: string[]; unresolved: boolean }> }>(
      await adminB.get(`/api/plans/${planB.planId}/jurisdiction-labels`),
    ).items;
    const label = labels.find((l) => l.label === p.a.county.name);
    expect(label?.reporterOrgIds).toEqual([]);
    // Resolving it to A's county: unknown organisation for B; to B's own county: fine.
    const toA = await adminB.put(`/api/plans/${planB.planId}/jurisdiction-labels`, { label: p.a.county.name, orgIds: [p.a.county.id] });
    expect(toA.statusCode, toA.body).toBe(400);
    const toB = await adminB.put(`/api/plans/${planB.planId}/jurisdiction-labels`, { label: p.a.county.name, orgIds: [p.b.county.id] });
    expect(ok<{ reporterOrgIds: string[] }>(toB).reporterOrgIds).toEqual([p.b.county.id]);

    // A notification about B's plan that names A's county too reaches B's county only.
    const title = `通知${unique()}`;
    await notifyOrgs(t().db, [p.a.county.id, p.b.county.id], { kind: 'test', title, body: '', link: null }, { planId: planB.planId });
    const got = async (userId: string) =>
      (await t().db.selectFrom('notifications').select('id').where('user_id', '=', userId).where('title', '=', title).execute()).length;
    expect(await got(p.b.unit.user.id)).toBe(1);
    expect(await got(p.a.unit.user.id)).toBe(0);
  });
});
