import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import type { ProgressReport } from '../src/shared/schemas/reporting.schema.ts';
import type { ReportUploadResult } from '../src/shared/schemas/reporting-files.schema.ts';
import { multipart } from './helpers/multipart.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makePlan, makeReportingPlan } from './helpers/factories.ts';
import { useTestApp } from './helpers/test-app.ts';

/** Issue 11.5: impossible values are refused with the reason in Chinese; outliers need confirmation. */
describeEachDialect('report values: refused, or confirmed when far outside the target', (ctx) => {
  const t = useTestApp(ctx);

  it('refuses a negative 完成值 with the reason in Chinese, and stores nothing', async () => {
    const unit = await t().login('unit');
    const f = await makeReportingPlan(t());
    const period = await makePeriod(t(), f.planId, { start: '2026-01-01', open: true });
    for (const value of [-50, -5]) {
      const res = await unit.put(`/api/periods/${period.id}/reports`, { taskId: f.taskA, targetId: f.targetCounty, value });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({ detail: '完成值不能为负数', reason: 'invalid_value' });
    }
    const rows = await t().db.selectFrom('progress_reports').select('id').where('period_id', '=', period.id).execute();
    expect(rows).toEqual([]);
  });

  it('refuses 150 on a % target even when confirmed', async () => {
    const unit = await t().login('unit');
    const p = await makePlan(t(), {
      tasks: [
        {
          text: '提高覆盖率',
          assignments: [{ orgId: t().orgs.county.id, role: 'responsible' }],
          targets: [{ metric: '覆盖率', unit: '%', value: 90, jurisdictionOrgId: t().orgs.county.id }],
        },
      ],
    });
    const period = await makePeriod(t(), p.planId, { start: '2026-01-01', open: true });
    const body = { taskId: p.tasks[0]!.id, targetId: p.tasks[0]!.targetIds[0]!, value: 150, confirmOutlier: true };
    const res = await unit.put(`/api/periods/${period.id}/reports`, body);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ detail: '完成率应在 0–100 之间' });
    expect((await unit.put(`/api/periods/${period.id}/reports`, { ...body, value: 95 })).statusCode).toBe(200);
  });

  it('refuses a value over 10× the target unless the reporter confirms it', async () => {
    const unit = await t().login('unit');
    const f = await makeReportingPlan(t());
    const period = await makePeriod(t(), f.planId, { start: '2026-01-01', open: true });
    const body = { taskId: f.taskA, targetId: f.targetCounty, value: 5000 };
    const refused = await unit.put(`/api/periods/${period.id}/reports`, body);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ reason: 'value_outlier' });
    const saved = await unit.put(`/api/periods/${period.id}/reports`, { ...body, confirmOutlier: true });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((saved.json() as ProgressReport).value).toBe(5000);
  });

  it('the Excel upload dry run names the row, the column and the problem of a negative value', async () => {
    const unit = await t().login('unit');
    const f = await makeReportingPlan(t());
    const period = await makePeriod(t(), f.planId, { start: '2026-01-01', open: true });
    const res = await unit.get(`/api/periods/${period.id}/my-report-template.xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = wb.getWorksheet('填报')!;
    let rowNumber = 0;
    for (let r = 3; r <= sheet.rowCount; r++) if (sheet.getCell(r, 1).value === `${f.taskA}/${f.targetCounty}`) rowNumber = r;
    sheet.getRow(rowNumber).getCell('G').value = -5;
    sheet.getRow(rowNumber).getCell('J').value = '已建成';
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const preview = await unit.request({
      method: 'POST',
      url: `/api/periods/${period.id}/my-report-upload?dryRun=1`,
      ...multipart(bytes, '进展填报表.xlsx'),
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const result = preview.json() as ReportUploadResult;
    expect(result.rows).toEqual([
      { row: rowNumber, key: `${f.taskA}/${f.targetCounty}`, ok: false, errors: [{ column: 'G', message: '完成值不能为负数' }] },
    ]);
  });
});
