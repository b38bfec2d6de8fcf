import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProgressReport, ReportingPeriod } from '../src/shared/schemas/reporting.schema.ts';
import type { EvidenceFile, ReportUploadResult } from '../src/shared/schemas/reporting-files.schema.ts';
import { describeEachDialect } from './helpers/dialects.ts';
import { makePeriod, makeReport, makeReportingPlan, makeUser } from './helpers/factories.ts';
import { multipart } from './helpers/multipart.ts';
import { type TestClient, useTestApp } from './helpers/test-app.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'reporting-files');
// The smallest valid PNG (1×1, transparent).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return wb;
}

/** The data row of the template whose hidden key is `key`. */
function rowOf(sheet: ExcelJS.Worksheet, key: string): ExcelJS.Row {
  for (let r = 3; r <= sheet.rowCount; r++) if (sheet.getCell(r, 1).value === key) return sheet.getRow(r);
  throw new Error(`no row ${key}`);
}

describeEachDialect('reporting files: evidence and the Excel round trip', (ctx) => {
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'luoshi-uploads-'));
  afterAll(() => rmSync(uploadDir, { recursive: true, force: true }));
  const t = useTestApp(ctx, { uploadDir });
  let admin: TestClient;
  let lead: TestClient;
  let unit: TestClient;
  let unit2: TestClient;

  const ok = <T>(res: { statusCode: number; body: string; json(): unknown }, code = 200): T => {
    expect(res.statusCode, res.body).toBe(code);
    return res.json() as T;
  };
  const upload = (c: TestClient, url: string, bytes: Buffer, filename: string, type?: string) =>
    c.request({ method: 'POST', url, ...multipart(bytes, filename, type) });
  const template = async (period: ReportingPeriod, c: TestClient): Promise<Buffer> => {
    const res = await c.get(`/api/periods/${period.id}/my-report-template.xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    return res.rawPayload;
  };
  const uploadTemplate = (period: ReportingPeriod, c: TestClient, bytes: Buffer, dryRun: 0 | 1) =>
    upload(c, `/api/periods/${period.id}/my-report-upload?dryRun=${dryRun}`, bytes, '进展填报表.xlsx');
  const myReports = async (period: ReportingPeriod, c: TestClient) =>
    ok<{ items: Array<{ taskId: string; targetId: string | null; report: ProgressReport | null }> }>(
      await c.get(`/api/periods/${period.id}/my-reports`),
    ).items;

  /** A fresh plan (its clause carries an assignment bracket, no deadlines) and an open period due far ahead. */
  const filesPlan = async () => {
    const f = await makeReportingPlan(t(), {
      title: '填报模板测试方案',
      taskAText: '新建公厕（牵头单位：市住建局；责任单位：各县区政府）',
      deadlines: false,
    });
    const period = await makePeriod(t(), f.planId, { start: '2026-03-01', dueDate: '2099-04-05', open: true });
    return { f, period };
  };

  beforeAll(async () => {
    admin = await t().login('admin');
    lead = await t().login('lead');
    unit = await t().login('unit');
    unit2 = await (await makeUser(t(), { orgId: t().orgs.county2.id, role: 'unit', displayName: '浚县填报员' })).login();
  });

  it('downloads the unit’s template: its rows, a hidden key column, locked context, open inputs, a status list, 说明 and a hidden meta sheet', async () => {
    const { f, period } = await filesPlan();
    const res = await unit.get(`/api/periods/${period.id}/my-report-template.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('2026年3月进展填报表-淇县.xlsx')}`);
    const wb = await loadWorkbook(res.rawPayload);
    expect(wb.worksheets.map((s) => [s.name, s.state])).toEqual([
      ['填报', 'visible'],
      ['说明', 'visible'],
      ['meta', 'veryHidden'],
    ]);
    const sheet = wb.getWorksheet('填报')!;
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      '行键',
      '序号',
      '任务内容',
      '指标',
      '目标值',
      '单位',
      '本期完成值',
      '完成率%',
      '状态',
      '进展情况',
      '存在问题',
      '下步打算',
    ]);
    const keys = [3, 4, 5].map((r) => sheet.getCell(r, 1).value);
    expect(keys).toEqual([`${f.taskA}/`, `${f.taskA}/${f.targetCounty}`, `${f.taskB}/`]);
    expect(sheet.rowCount).toBe(5);
    expect(sheet.getColumn(1).hidden).toBe(true);
    // exceljs reads the protection back but does not declare it in its types.
    expect((sheet as unknown as { sheetProtection?: unknown }).sheetProtection).toMatchObject({ sheet: true });
    const target = rowOf(sheet, `${f.taskA}/${f.targetCounty}`);
    // The assignment in brackets is dropped: the template is the unit's own.
    expect([target.getCell('C').value, target.getCell('D').value, target.getCell('E').value, target.getCell('F').value]).toEqual([
      '新建公厕',
      '公厕',
      100,
      '座',
    ]);
    expect(target.getCell('A').protection?.locked).not.toBe(false);
    expect(target.getCell('C').protection?.locked).not.toBe(false);
    for (const col of ['G', 'H', 'I', 'J', 'K', 'L']) expect(target.getCell(col).protection?.locked, col).toBe(false);
    expect(target.getCell('I').dataValidation).toMatchObject({ type: 'list', formulae: ['"未开始,正常推进,有风险,已完成"'] });
    // A task-level row takes no value.
    expect(rowOf(sheet, `${f.taskB}/`).getCell('G').protection?.locked).not.toBe(false);
    const meta = wb.getWorksheet('meta')!;
    expect([1, 2, 3, 4].map((r) => [meta.getCell(r, 1).value, meta.getCell(r, 2).value])).toEqual([
      ['template', 'luoshi.my-report'],
      ['version', '1'],
      ['periodId', period.id],
      ['orgId', t().orgs.county.id],
    ]);
    expect(String(wb.getWorksheet('说明')!.getCell(1, 1).value)).toBe('填报说明');
    expect((await lead.get(`/api/periods/${period.id}/my-report-template.xlsx`)).statusCode).toBe(200);
    expect((await (await t().login('leader')).get(`/api/periods/${period.id}/my-report-template.xlsx`)).statusCode).toBe(403);
  });

  it('previews a filled template, reports a bad value by row and column without saving, then saves the fixed rows as drafts in one go', async () => {
    const { f, period } = await filesPlan();
    const wb = await loadWorkbook(await template(period, unit));
    const sheet = wb.getWorksheet('填报')!;
    const target = rowOf(sheet, `${f.taskA}/${f.targetCounty}`);
    target.getCell('G').value = 12;
    target.getCell('H').value = 12;
    target.getCell('I').value = '正常推进';
    target.getCell('J').value = '已建成12座';
    const task = rowOf(sheet, `${f.taskB}/`);
    task.getCell('I').value = '有风险';
    task.getCell('J').value = '规划修编已启动';
    task.getCell('K').value = '经费未到位';
    task.getCell('L').value = '争取专项资金';

    const preview = ok<ReportUploadResult>(await uploadTemplate(period, unit, Buffer.from(await wb.xlsx.writeBuffer()), 1));
    expect(preview).toMatchObject({ dryRun: true, valid: 2, invalid: 0, saved: 0 });
    expect(preview.rows.map((r) => [r.row, r.ok])).toEqual([
      [target.number, true],
      [task.number, true],
    ]);
    expect((await myReports(period, unit)).every((r) => r.report === null)).toBe(true);

    target.getCell('G').value = '十二座';
    task.getCell('I').value = '差不多';
    const bad = ok<ReportUploadResult>(await uploadTemplate(period, unit, Buffer.from(await wb.xlsx.writeBuffer()), 0));
    expect(bad).toMatchObject({ dryRun: false, valid: 0, invalid: 2, saved: 0 });
    expect(bad.rows[0]).toMatchObject({ row: target.number, ok: false, errors: [{ column: 'G' }] });
    expect(bad.rows[0].errors[0].message).toContain('本期完成值');
    expect(bad.rows[1]).toMatchObject({ row: task.number, ok: false, errors: [{ column: 'I' }] });
    expect((await myReports(period, unit)).every((r) => r.report === null)).toBe(true);

    target.getCell('G').value = 12;
    task.getCell('I').value = '有风险';
    const saved = ok<ReportUploadResult>(await uploadTemplate(period, unit, Buffer.from(await wb.xlsx.writeBuffer()), 0));
    expect(saved).toMatchObject({ valid: 2, invalid: 0, saved: 2 });
    const rows = await myReports(period, unit);
    expect(rows.find((r) => r.targetId === f.targetCounty)?.report).toMatchObject({
      status: 'draft',
      value: 12,
      completionPercent: 12,
      reportedStatus: 'on_track',
      narrative: '已建成12座',
    });
    expect(rows.find((r) => r.taskId === f.taskB)?.report).toMatchObject({
      status: 'draft',
      value: null,
      reportedStatus: 'at_risk',
      problems: '经费未到位',
      nextSteps: '争取专项资金',
    });
    const events = await t().db.selectFrom('audit_events').select('action').where('action', '=', 'progress_report.create').execute();
    expect(events.length).toBeGreaterThanOrEqual(2);

    // The same file again changes nothing; the downloaded template now carries the drafts.
    expect(ok<ReportUploadResult>(await uploadTemplate(period, unit, Buffer.from(await wb.xlsx.writeBuffer()), 0)).saved).toBe(0);
    const again = (await loadWorkbook(await template(period, unit))).getWorksheet('填报')!;
    expect(rowOf(again, `${f.taskA}/${f.targetCounty}`).getCell('G').value).toBe(12);
    expect(rowOf(again, `${f.taskA}/${f.targetCounty}`).getCell('I').value).toBe('正常推进');
  });

  it('refuses a value on a task-level row and a row already submitted', async () => {
    const { f, period } = await filesPlan();
    // 淇县's draft on the qualitative task, as the upload journey saves it.
    await makeReport(unit, period.id, {
      taskId: f.taskB,
      reportedStatus: 'at_risk',
      narrative: '规划修编已启动',
      problems: '经费未到位',
      nextSteps: '争取专项资金',
    });
    const mine = await myReports(period, unit);
    const report = mine.find((r) => r.taskId === f.taskB)!.report!;
    ok(await unit.post(`/api/reports/${report.id}/submit`, { version: report.version }));
    const wb = await loadWorkbook(await template(period, unit));
    const sheet = wb.getWorksheet('填报')!;
    rowOf(sheet, `${f.taskA}/`).getCell('G').value = 3;
    rowOf(sheet, `${f.taskB}/`).getCell('J').value = '改一下';
    const res = ok<ReportUploadResult>(await uploadTemplate(period, unit, Buffer.from(await wb.xlsx.writeBuffer()), 1));
    expect(res.invalid).toBe(2);
    expect(res.rows.find((r) => r.key === `${f.taskA}/`)?.errors).toMatchObject([{ column: 'G' }]);
    expect(res.rows.find((r) => r.key === `${f.taskB}/`)?.errors).toMatchObject([{ column: 'A' }]);
  });

  it('rejects another county’s template (422), a text file named .xlsx (415), formulas (422, naming the cells) and a non-multipart request', async () => {
    const { f, period } = await filesPlan();
    const other = await template(period, unit2);
    const res = await uploadTemplate(period, unit, other, 1);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().detail).toContain('another organisation');

    const text = readFileSync(path.join(FIXTURES, 'not-a-workbook.xlsx'));
    expect((await uploadTemplate(period, unit, text, 1)).statusCode).toBe(415);
    // A plain workbook that is not our template.
    const plain = new ExcelJS.Workbook();
    plain.addWorksheet('Sheet1').getCell('A1').value = 'x';
    expect((await uploadTemplate(period, unit, Buffer.from(await plain.xlsx.writeBuffer()), 1)).statusCode).toBe(422);

    const wb = await loadWorkbook(await template(period, unit));
    const row = rowOf(wb.getWorksheet('填报')!, `${f.taskA}/${f.targetCounty}`);
    row.getCell('G').value = { formula: 'E4*0.2', result: 20 };
    const formula = await uploadTemplate(period, unit, Buffer.from(await wb.xlsx.writeBuffer()), 1);
    expect(formula.statusCode).toBe(422);
    expect(formula.json().detail).toContain(`G${row.number}`);

    // More keyed rows than the unit reports in the period.
    const extra = await loadWorkbook(await template(period, unit));
    const extraSheet = extra.getWorksheet('填报')!;
    for (let r = 6; r <= 9; r++) extraSheet.getCell(r, 1).value = `${randomUUID()}/`;
    expect((await uploadTemplate(period, unit, Buffer.from(await extra.xlsx.writeBuffer()), 1)).statusCode).toBe(422);
    // A sheet past 5,000 rows is refused whatever it holds.
    const huge = await loadWorkbook(await template(period, unit));
    huge.getWorksheet('填报')!.getCell(5_010, 10).value = '很远的一行';
    expect((await uploadTemplate(period, unit, Buffer.from(await huge.xlsx.writeBuffer()), 1)).statusCode).toBe(413);
    // A zip claiming to unpack to 2 GB is refused from its directory, before anything is inflated.
    const bomb = Buffer.from(await template(period, unit));
    const directory = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(0x7fffffff, directory + 24);
    const bombRes = await uploadTemplate(period, unit, bomb, 1);
    expect(bombRes.statusCode).toBe(413);
    expect(bombRes.json().code).toBe('file_too_large');

    const json = await unit.post(`/api/periods/${period.id}/my-report-upload?dryRun=1`, { file: 'x' });
    expect(json.statusCode).toBe(415);
  });

  it('stores, lists, downloads and deletes evidence on a draft; refuses other types, big files, strangers and submitted reports', async () => {
    const { f, period } = await filesPlan();
    // 淇县's draft on its target, as the upload journey saves it.
    await makeReport(unit, period.id, {
      taskId: f.taskA,
      targetId: f.targetCounty,
      value: 12,
      completionPercent: 12,
      reportedStatus: 'on_track',
      narrative: '已建成12座',
    });
    const draft = (await myReports(period, unit)).find((r) => r.targetId === f.targetCounty)!.report!;
    const url = `/api/reports/${draft.id}/evidence`;
    const created = ok<EvidenceFile>(await upload(unit, url, PNG, '现场照片 1.png', 'image/png'), 201);
    expect(created).toMatchObject({ reportId: draft.id, filename: '现场照片 1.png', contentType: 'image/png', sizeBytes: PNG.length });
    const stored = await t().db.selectFrom('evidence_files').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(stored.storage_path).toMatch(/^\d{4}\/[0-9a-f-]{36}$/);
    expect(readFileSync(path.join(uploadDir, stored.storage_path)).equals(PNG)).toBe(true);

    expect(ok<{ items: EvidenceFile[] }>(await unit.get(url)).items.map((e) => e.id)).toEqual([created.id]);
    const download = await unit.get(`/api/evidence/${created.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="____ 1.png"; filename*=UTF-8''${encodeURIComponent('现场照片 1.png')}`,
    );
    expect(download.rawPayload.equals(PNG)).toBe(true);

    // A draft's evidence is its organisation's own, like the draft.
    expect((await lead.get(url)).statusCode).toBe(404);
    expect((await unit2.get(`/api/evidence/${created.id}`)).statusCode).toBe(404);
    expect((await unit2.delete(`/api/evidence/${created.id}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/evidence/${created.id}`)).statusCode).toBe(200);

    const photo = readFileSync(path.join(FIXTURES, 'not-a-photo.jpg'));
    const refused = await upload(unit, url, photo, 'photo.jpg', 'image/jpeg');
    expect(refused.statusCode).toBe(415);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    // A zip renamed .docx is not a Word file.
    expect((await upload(unit, url, await template(period, unit), 'report.docx')).statusCode).toBe(415);
    const xlsx = ok<EvidenceFile>(await upload(unit, url, await template(period, unit), '台账.xlsx'), 201);
    expect(xlsx.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20 * 1024 * 1024)]);
    const tooBig = await upload(unit, url, big, 'big.pdf', 'application/pdf');
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.headers['content-type']).toContain('application/problem+json');
    expect(ok<{ items: EvidenceFile[] }>(await unit.get(url)).items).toHaveLength(2);

    ok(await unit.delete(`/api/evidence/${xlsx.id}`));
    expect((await unit.get(`/api/evidence/${xlsx.id}`)).statusCode).toBe(404);

    const current = ok<ProgressReport>(await unit.get(`/api/reports/${draft.id}`));
    ok(await unit.post(`/api/reports/${draft.id}/submit`, { version: current.version }));
    // Submitted: the lead unit reviewing it reads the evidence; nobody changes it any more.
    expect(ok<{ items: EvidenceFile[] }>(await lead.get(url)).items).toHaveLength(1);
    expect((await lead.get(`/api/evidence/${created.id}`)).statusCode).toBe(200);
    expect((await unit.delete(`/api/evidence/${created.id}`)).statusCode).toBe(409);
    expect((await upload(unit, url, PNG, 'late.png')).statusCode).toBe(409);
    const audit = await t().db.selectFrom('audit_events').select('action').where('entity_type', '=', 'evidence_file').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['evidence_file.create', 'evidence_file.create', 'evidence_file.delete']);
  });
});
