import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import type { z } from 'zod';
import type {
  JurisdictionLabel,
  JurisdictionLabelList,
  MyReportList as MyReportListSchema,
  PeriodSnapshot,
  ReportingPeriod,
} from '../src/shared/schemas/reporting.schema.ts';

type MyReportList = z.infer<typeof MyReportListSchema>;
import { generateReminders } from '../src/server/modules/reporting/reminders.service.ts';
import { summariseReporting } from '../src/server/modules/reporting/reporting-rate.service.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makeOrg, makePeriod, makePlan, makeReport, makeSchedule, makeUser } from './helpers/factories.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

// Issue 11 items 4 and 7: each county sees, files, is counted and is frozen for only its own rows.
describeEachDialect('report rows: who reports which target, per county', (ctx) => {
  const t = useTestApp(ctx);
  let admin: TestClient;
  let lead: TestClient;
  let qixian: TestClient;
  let xunxian: TestClient;
  let qibin: TestClient;
  let qibinId: string;

  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
    expect(res.statusCode, res.body).toBe(code);
    return res.json() as T;
  };

  beforeAll(async () => {
    admin = await t().login('admin');
    lead = await t().login('lead');
    qixian = await t().login('unit');
    xunxian = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit' })).login();
    const qibinOrg = await makeOrg(t(), { name: `淇滨区${Date.now() % 100000}`, kind: 'jurisdiction', aliases: [] });
    qibinId = qibinOrg.id;
    qibin = await (await makeUser(t(), { orgId: qibinId, role: 'unit' })).login();
  });

  /**
   * One task the three districts are responsible for (两县 as a group, and 淇滨区), led by leadDept,
   * with targets for: 淇县 (resolved at import), "<淇滨区>、浚县" (two named parts), "市城区" (named
   * nowhere in the registry), no label at all, and the group 两县.
   */
  async function plan() {
    const { orgs } = t();
    const qibinName = (await t().db.selectFrom('organisations').select('name').where('id', '=', qibinId).executeTakeFirstOrThrow()).name;
    const p = await makePlan(t(), {
      tasks: [
        {
          text: '打通断头路',
          assignments: [
            { orgId: orgs.leadDept.id, role: 'lead' },
            { orgId: orgs.group.id, role: 'responsible' },
            { orgId: qibinId, role: 'responsible' },
          ],
          targets: [
            { metric: '打通比例', unit: '%', value: 70, jurisdictionOrgId: orgs.county.id, jurisdictionLabel: '淇县' },
            { metric: '打通比例', unit: '%', value: 50, jurisdictionLabel: `${qibinName}、浚县` },
            { metric: '公交分担率', unit: '%', value: 25, jurisdictionLabel: '市城区' },
            { metric: '新增泊位', unit: '个', value: 2000 },
            { metric: '示范街', unit: '条', value: 3, jurisdictionOrgId: orgs.group.id, jurisdictionLabel: '两县' },
          ],
        },
      ],
    });
    const task = p.tasks[0]!;
    const [tCounty, tNamed, tUrban, tNone, tGroup] = task.targetIds as [string, string, string, string, string];
    await makeSchedule(t(), p.planId, { frequency: 'monthly', dueDay: 5, graceDays: 2 });
    const period = await makePeriod(t(), p.planId, { start: '2026-01-01', open: true });
    return { planId: p.planId, taskId: task.id, tCounty, tNamed, tUrban, tNone, tGroup, period, qibinName };
  }

  const keysOf = (list: MyReportList) => list.items.map((r) => r.targetId ?? 'task').sort();

  it('lists, files, counts and reminds each county only for the rows its jurisdiction or responsibility gives it', async () => {
    const f = await plan();
    const mine = ok<MyReportList>(await qixian.get(`/api/periods/${f.period.id}/my-reports`));
    // Not "<淇滨区>、浚县": that target names two other districts.
    expect(keysOf(mine)).toEqual(['task', f.tCounty, f.tUrban, f.tNone, f.tGroup].sort());
    expect(mine.items.find((r) => r.targetId === f.tUrban)?.basis).toBe('responsible');
    expect(mine.items.find((r) => r.targetId === f.tGroup)?.basis).toBe('jurisdiction');
    expect(keysOf(ok<MyReportList>(await xunxian.get(`/api/periods/${f.period.id}/my-reports`)))).toEqual(
      ['task', f.tNamed, f.tUrban, f.tNone, f.tGroup].sort(),
    );
    expect(keysOf(ok<MyReportList>(await qibin.get(`/api/periods/${f.period.id}/my-reports`)))).toEqual(
      ['task', f.tNamed, f.tUrban, f.tNone].sort(),
    );
    // The lead unit: the task's summary and the targets no jurisdiction names.
    expect(keysOf(ok<MyReportList>(await lead.get(`/api/periods/${f.period.id}/my-reports`)))).toEqual(['task', f.tUrban, f.tNone].sort());

    // Filing follows the same rule.
    const save = (c: TestClient, targetId: string, value: number) =>
      c.put(`/api/periods/${f.period.id}/reports`, { taskId: f.taskId, targetId, value, narrative: '' });
    const refused = await save(qixian, f.tNamed, 10);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail ?? refused.body).toBeTruthy();
    expect((await save(xunxian, f.tNamed, 10)).statusCode).toBe(200);
    expect((await save(qibin, f.tNamed, 12)).statusCode).toBe(200);
    expect((await save(qibin, f.tGroup, 1)).statusCode).toBe(403);
    expect((await save(qixian, f.tGroup, 2)).statusCode).toBe(200);

    // The Excel template holds exactly the county's rows.
    const res = await qixian.get(`/api/periods/${f.period.id}/my-report-template.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('填报')!;
    const keys: string[] = [];
    for (let r = 3; r <= sheet.rowCount; r++) {
      const v = sheet.getCell(r, 1).value;
      if (typeof v === 'string' && v) keys.push(v);
    }
    expect(keys).toHaveLength(5);
    expect(keys.some((k) => k.includes(f.tNamed))).toBe(false);

    // 填报率: each district's expected count is its own list.
    const { orgs } = t();
    const rate = await summariseReporting(
      t().db,
      [f.planId],
      [
        { id: orgs.county.id, name: '淇县' },
        { id: orgs.county2.id, name: '浚县' },
        { id: qibinId, name: f.qibinName },
      ],
    );
    expect(rate.byDistrict.map((x) => x.expected)).toEqual([5, 5, 4]);

    // Reminders count the county's outstanding rows by the same list (5 rows, one draft saved).
    await t().db.updateTable('reporting_periods').set({ due_date: '2026-02-05' }).where('id', '=', f.period.id).execute();
    await generateReminders(t().db, '2026-02-20');
    const note = await t()
      .db.selectFrom('notifications')
      .select(['body'])
      .where('user_id', '=', t().users.unit.user.id)
      .where('kind', '=', 'reminder.late')
      .where('link', 'like', `%${f.period.id}%`)
      .executeTakeFirstOrThrow();
    expect(note.body).toBe('尚有 5 项未报送。');
  });

  it('lets the office resolve a label no registry organisation names, audited, and the rows follow', async () => {
    const f = await plan();
    const labels = ok<JurisdictionLabelList>(await qixian.get(`/api/plans/${f.planId}/jurisdiction-labels`));
    const urban = labels.items.find((l) => l.label === '市城区')!;
    expect(urban).toMatchObject({ targetCount: 1, resolution: null, reporterOrgIds: [], unresolved: ['市城区'] });
    expect(labels.items.find((l) => l.label === `${f.qibinName}、浚县`)).toMatchObject({
      reporterOrgIds: [qibinId, t().orgs.county2.id],
      unresolved: [],
    });
    expect(labels.items.find((l) => l.label === '两县')?.reporterOrgIds.sort()).toEqual([t().orgs.county.id, t().orgs.county2.id].sort());

    expect((await qixian.put(`/api/plans/${f.planId}/jurisdiction-labels`, { label: '市城区', orgIds: [qibinId] })).statusCode).toBe(403);
    expect((await admin.put(`/api/plans/${f.planId}/jurisdiction-labels`, { label: '不存在', orgIds: [qibinId] })).statusCode).toBe(404);
    const bad = await admin.put(`/api/plans/${f.planId}/jurisdiction-labels`, {
      label: '市城区',
      orgIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(bad.statusCode).toBe(400);
    const resolved = ok<JurisdictionLabel>(
      await admin.put(`/api/plans/${f.planId}/jurisdiction-labels`, { label: '市城区', orgIds: [qibinId] }),
    );
    expect(resolved).toMatchObject({ label: '市城区', resolution: [qibinId], reporterOrgIds: [qibinId], unresolved: [] });
    const audit = await t()
      .db.selectFrom('audit_events')
      .select(['action', 'after_json'])
      .where('entity_id', '=', f.planId)
      .where('action', '=', 'jurisdiction_label.resolve')
      .execute();
    expect(audit).toHaveLength(1);

    expect(keysOf(ok<MyReportList>(await qixian.get(`/api/periods/${f.period.id}/my-reports`)))).toEqual(
      ['task', f.tCounty, f.tNone, f.tGroup].sort(),
    );
    expect(keysOf(ok<MyReportList>(await qibin.get(`/api/periods/${f.period.id}/my-reports`)))).toEqual(
      ['task', f.tNamed, f.tUrban, f.tNone].sort(),
    );
    // The lead unit no longer reports a target whose jurisdiction is now named.
    expect(keysOf(ok<MyReportList>(await lead.get(`/api/periods/${f.period.id}/my-reports`)))).toEqual(['task', f.tNone].sort());
    expect(
      (await qixian.put(`/api/periods/${f.period.id}/reports`, { taskId: f.taskId, targetId: f.tUrban, value: 20, narrative: '' }))
        .statusCode,
    ).toBe(403);

    // [] removes the resolution: back to the task's responsible units.
    ok(await admin.put(`/api/plans/${f.planId}/jurisdiction-labels`, { label: '市城区', orgIds: [] }));
    expect(keysOf(ok<MyReportList>(await qixian.get(`/api/periods/${f.period.id}/my-reports`)))).toContain(f.tUrban);
  });

  it('freezes one snapshot row per row × reporting organisation: who reported what, who missed', async () => {
    const f = await plan();
    await makeReport(qixian, f.period.id, { taskId: f.taskId, targetId: f.tGroup, value: 2, narrative: '两条' }, { approveBy: lead });
    await makeReport(xunxian, f.period.id, { taskId: f.taskId, targetId: f.tGroup, value: 1, narrative: '一条' }, { submit: true });
    await makeReport(qibin, f.period.id, { taskId: f.taskId, targetId: f.tNamed, value: 40, narrative: '' }, { submit: true });
    const period = ok<ReportingPeriod>(await admin.get(`/api/periods/${f.period.id}`));
    ok(await admin.post(`/api/periods/${period.id}/close`, { version: period.version }));

    const snap = ok<{ items: PeriodSnapshot[] }>(await qixian.get(`/api/periods/${period.id}/snapshots`));
    const { orgs } = t();
    const of = (targetId: string | null) =>
      snap.items
        .filter((s) => s.targetId === targetId)
        .map((s) => ({ orgId: s.orgId, value: s.reportedValue, status: s.reportStatus }))
        .sort((a, b) => (a.orgId ?? '').localeCompare(b.orgId ?? ''));
    const sorted = <T extends { orgId: string | null }>(rows: T[]) => rows.sort((a, b) => (a.orgId ?? '').localeCompare(b.orgId ?? ''));
    expect(of(f.tGroup)).toEqual(
      sorted([
        { orgId: orgs.county.id, value: 2, status: 'approved' },
        { orgId: orgs.county2.id, value: 1, status: 'submitted' },
      ]),
    );
    expect(of(f.tNamed)).toEqual(
      sorted([
        { orgId: qibinId, value: 40, status: 'submitted' },
        { orgId: orgs.county2.id, value: null, status: null },
      ]),
    );
    expect(of(f.tCounty)).toEqual([{ orgId: orgs.county.id, value: null, status: null }]);
    // The unnamed targets and the task's summary: each responsible district and the lead unit.
    const everyone = [orgs.county.id, orgs.county2.id, qibinId, orgs.leadDept.id].sort();
    expect(
      of(f.tNone)
        .map((r) => r.orgId)
        .sort(),
    ).toEqual(everyone);
    expect(
      of(f.tUrban)
        .map((r) => r.orgId)
        .sort(),
    ).toEqual(everyone);
    expect(
      of(null)
        .map((r) => r.orgId)
        .sort(),
    ).toEqual(everyone);
    expect(snap.items).toHaveLength(2 + 2 + 1 + 4 + 4 + 4);
    const stored = await t().db.selectFrom('period_snapshots').select(['org_id', 'org_key']).where('period_id', '=', period.id).execute();
    expect(stored.every((r) => r.org_key === (r.org_id ?? ''))).toBe(true);
  });
});
