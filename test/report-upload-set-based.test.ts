import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../src/server/core/actor.ts';
import { saveReports } from '../src/server/modules/reporting/progress-reports.service.ts';
import type { ProgressReport, ReportingPeriod } from '../src/shared/schemas/reporting.schema.ts';
import type { ReportUploadResult } from '../src/shared/schemas/reporting-files.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makeReport, makeReportingPlan } from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

/**
 * The Excel upload saves its rows set-based (saveReports: the facts read once, multi-row INSERT,
 * UPDATE … FROM (VALUES …), one audit batch). Held here against the same rows saved one PUT at a
 * time on a twin plan: the same report rows and the same audit events, in the same order; and a
 * batch with one rejected row saves nothing at all.
 */
describeEachDialect('reporting files: the set-based upload', (ctx) => {
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-uploads-'));
  afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));
  const t = useTestApp(ctx, { uploadDir });
  let unit: TestClient;
  let actor: Actor;

  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
    expect(res.statusCode, res.body).toBe(code);
    return res.json() as T;
  };

  beforeAll(async () => {
    unit = await t().login('unit');
    const u = t().users.unit.user;
    actor = { userId: u.id, orgId: t().orgs.county.id, role: 'unit', displayName: u.displayName };
  });

  /** A plan with 淇县's three rows, an open period, and 淇县's draft on its target row (so the sheet updates one row and creates two). */
  const twin = async (title: string) => {
    const f = await makeReportingPlan(t(), { title, deadlines: false });
    const period = await makePeriod(t(), f.planId, { start: '2026-03-01', dueDate: '2099-04-05', open: true });
    const draft = await makeReport(unit, period.id, { taskId: f.taskA, targetId: f.targetCounty, value: 5, narrative: '起步' });
    return { f, period, draft };
  };

  // What the sheet says per row, keyed by the row's place in the plan.
  const filled = (f: { taskA: string; taskB: string; targetCounty: string }) =>
    [
      {
        taskId: f.taskA,
        targetId: f.targetCounty,
        value: 12,
        completionPercent: 12,
        reportedStatus: 'on_track',
        narrative: '已建成12座',
        problems: '',
        nextSteps: '',
      },
      {
        taskId: f.taskA,
        targetId: null,
        value: null,
        completionPercent: null,
        reportedStatus: null,
        narrative: '各县区推进中',
        problems: '用地紧张',
        nextSteps: '',
      },
      {
        taskId: f.taskB,
        targetId: null,
        value: null,
        completionPercent: null,
        reportedStatus: 'at_risk',
        narrative: '规划修编已启动',
        problems: '经费未到位',
        nextSteps: '争取专项资金',
      },
    ] as const;

  const STATUS_LABEL: Record<string, string> = { on_track: '正常推进', at_risk: '有风险' };

  // The rows and events of one plan with its own ids replaced by their role, so two plans compare.
  const written = async (plan: { f: { planId: string; taskA: string; taskB: string; targetCounty: string }; period: ReportingPeriod }) => {
    const names = new Map<string, string>([
      [plan.f.planId, 'PLAN'],
      [plan.period.id, 'PERIOD'],
      [plan.f.taskA, 'TASK_A'],
      [plan.f.taskB, 'TASK_B'],
      [plan.f.targetCounty, 'TARGET'],
    ]);
    const reports = await t().db.selectFrom('progress_reports').selectAll().where('period_id', '=', plan.period.id).execute();
    for (const r of reports) names.set(r.id, `REPORT_${names.get(r.task_id)}_${r.target_key === '' ? '' : names.get(r.target_key)}`);
    const at = /^\d{4}-\d\d-\d\dT[\d:.]+Z$/;
    const rename = (v: unknown): unknown => {
      if (typeof v === 'string') return names.get(v) ?? (at.test(v) ? 'AT' : v);
      if (Array.isArray(v)) return v.map(rename);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rename(x)]));
      return v;
    };
    const events = await t()
      .db.selectFrom('audit_events')
      .select(['action', 'entity_type', 'entity_id', 'task_id', 'actor_id', 'before_json', 'after_json'])
      .where('chain', '=', `plan:${plan.f.planId}`)
      .where('entity_type', '=', 'progress_report')
      .orderBy('seq')
      .execute();
    return {
      // In the rows' roles' order: the ids (and so the database's order) differ between the plans.
      reports: reports
        .map((r) => rename({ ...r, value: r.value === null ? null : Number(r.value) }) as { id: string })
        .sort((x, y) => x.id.localeCompare(y.id)),
      events: events.map((e) =>
        rename({
          ...e,
          before_json: e.before_json === null ? null : JSON.parse(e.before_json),
          after_json: e.after_json === null ? null : JSON.parse(e.after_json),
        }),
      ),
    };
  };

  it('writes exactly the rows and audit events that saving each row on its own writes', async () => {
    const sheetPlan = await twin('批量填报方案甲');
    const onePlan = await twin('批量填报方案乙');

    // The sheet: download, fill the three rows, upload.
    const res = await unit.get(`/api/periods/${sheetPlan.period.id}/my-report-template.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('填报')!;
    for (const row of filled(sheetPlan.f)) {
      const key = `${row.taskId}/${row.targetId ?? ''}`;
      let r = 3;
      while (sheet.getCell(r, 1).value !== key) r += 1;
      const cells = sheet.getRow(r);
      cells.getCell('G').value = row.value;
      cells.getCell('H').value = row.completionPercent;
      cells.getCell('I').value = row.reportedStatus === null ? null : STATUS_LABEL[row.reportedStatus];
      cells.getCell('J').value = row.narrative;
      cells.getCell('K').value = row.problems;
      cells.getCell('L').value = row.nextSteps;
    }
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const result = ok<ReportUploadResult>(
      await unit.request({
        method: 'POST',
        url: `/api/periods/${sheetPlan.period.id}/my-report-upload?dryRun=0`,
        ...multipart(bytes, '进展填报表.xlsx'),
      }),
    );
    expect(result).toMatchObject({ dryRun: false, valid: 3, invalid: 0, saved: 3 });

    // The twin: the same bodies, one PUT each, in the sheet's row order (the template's order).
    const order = [`${onePlan.f.taskA}/`, `${onePlan.f.taskA}/${onePlan.f.targetCounty}`, `${onePlan.f.taskB}/`];
    const bodies = filled(onePlan.f);
    for (const key of order) {
      const body = bodies.find((b) => `${b.taskId}/${b.targetId ?? ''}` === key)!;
      const version = body.targetId === onePlan.f.targetCounty ? onePlan.draft.version : undefined;
      ok<ProgressReport>(await unit.put(`/api/periods/${onePlan.period.id}/reports`, { ...body, version }));
    }

    const a = await written(sheetPlan);
    const b = await written(onePlan);
    expect(a.reports).toHaveLength(3);
    expect(a.events.map((e) => (e as { action: string }).action)).toEqual([
      'progress_report.create',
      'progress_report.create',
      'progress_report.update',
      'progress_report.create',
    ]);
    expect(a.reports).toEqual(b.reports);
    expect(a.events).toEqual(b.events);
  });

  it('saves nothing when one row of the batch breaks a rule', async () => {
    const { f, period, draft } = await twin('批量填报方案丙');
    const before = await written({ f, period });
    const good = {
      taskId: f.taskB,
      targetId: null,
      value: null,
      completionPercent: null,
      reportedStatus: 'on_track' as const,
      narrative: '好',
      problems: '',
      nextSteps: '',
    };
    const update = { ...good, taskId: f.taskA, targetId: f.targetCounty, value: 20, reportedStatus: null, version: draft.version };
    // 浚县's target: another jurisdiction's row (403), after two good ones.
    const other = { ...good, taskId: f.taskA, targetId: f.targetCounty2, value: 3, reportedStatus: null };
    await expect(saveReports(t().db, period.id, [good, update, other], actor)).rejects.toMatchObject({
      code: 'forbidden',
      message: 'this target belongs to another jurisdiction',
    });
    // A stale version on the last row: 409, and the first row's insert is not kept either.
    await expect(saveReports(t().db, period.id, [good, { ...update, version: draft.version + 5 }], actor)).rejects.toMatchObject({
      code: 'version_conflict',
    });
    // The same row twice in one batch.
    await expect(saveReports(t().db, period.id, [good, good], actor)).rejects.toMatchObject({ code: 'version_conflict' });
    expect(await written({ f, period })).toEqual(before);
    // And the rows are fine on their own.
    expect(await saveReports(t().db, period.id, [good, update], actor)).toHaveLength(2);
    expect((await written({ f, period })).reports).toHaveLength(2);
  });
});
