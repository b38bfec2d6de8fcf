import type ExcelJS from 'exceljs';
import { checkReportValue } from '../../../shared/report-value.rule.ts';
import type { z } from 'zod';
import type { DeliveryStatus } from '../../../shared/enums.ts';
import { LIMITS } from '../../../shared/limits.ts';
import type { MyReportList, SaveReportBody } from '../../../shared/schemas/reporting.schema.ts';
import type { ReportUploadResult } from '../../../shared/schemas/reporting-files.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { writeTx } from '../../core/transaction.ts';
import { getOrganisation } from '../organisations/organisations.service.ts';
import { getPeriod } from '../reporting/periods.service.ts';
import { listMyReports, saveReports } from '../reporting/progress-reports.service.ts';
import {
  buildReportTemplate,
  COLUMNS,
  cellText,
  HEADER_ROW,
  type ReadTemplateRow,
  readReportTemplate,
  STATUS_LABELS,
  TEMPLATE_ID,
  TEMPLATE_VERSION,
} from './report-template.workbook.ts';
import { assertSaneXlsx, type XlsxLimits } from '../../core/xlsx-guard.rule.ts';

type MyRow = z.infer<typeof MyReportList>['items'][number];

/** Upload bounds, checked while inflating, before exceljs builds anything. */
export const UPLOAD_LIMITS = {
  /** Rows a sheet may have at all; beyond, 413 whatever the period holds. */
  maxRows: 5_000,
  /** Bytes really inflated from the zip: a template of 5,000 rows is a few MB. */
  uncompressedBytes: LIMITS.zipInflatedBytes,
  /** `<c>` per row (and shared strings per row) a sheet may average: the template has 12 columns. */
  cellsPerRow: 20,
  entries: 200,
} as const;

function keyOf(row: { taskId: string; targetId: string | null }): string {
  return `${row.taskId}/${row.targetId ?? ''}`;
}

/**
 * The 进展填报表 of the caller's organisation for a period: its my-reports rows with the current
 * draft values filled in, ready to be completed offline and uploaded.
 */
export async function buildMyReportTemplate(db: DbOrTrx, periodId: string, actor: Actor): Promise<{ buffer: Buffer; filename: string }> {
  const mine = await listMyReports(db, periodId, actor);
  const org = await getOrganisation(db, actor.orgId);
  const buffer = await buildReportTemplate({
    title: `${mine.period.label}进展填报表`,
    subtitle: `填报单位：${org.name}`,
    meta: { template: TEMPLATE_ID, version: TEMPLATE_VERSION, periodId, orgId: actor.orgId },
    rows: mine.items.map((r) => ({
      key: keyOf(r),
      seq: r.taskSeq,
      taskText: r.taskText,
      // Two targets of a task may share a metric (甲县 70%, 市各城区、乙县 50%): say whose each is.
      metric: r.metric && r.jurisdictionLabel ? `${r.metric}（${r.jurisdictionLabel}）` : r.metric,
      targetValue: r.targetValue,
      unit: r.unit,
      isTaskLevel: r.targetId === null,
      value: r.report?.value ?? null,
      completionPercent: r.report?.completionPercent ?? null,
      reportedStatus: r.report?.reportedStatus ?? null,
      narrative: r.report?.narrative ?? '',
      problems: r.report?.problems ?? '',
      nextSteps: r.report?.nextSteps ?? '',
    })),
  });
  return { buffer, filename: `${mine.period.label}进展填报表-${org.name}.xlsx` };
}

interface CellError {
  column: string;
  message: string;
}

function parseNumber(value: ExcelJS.CellValue, column: keyof typeof COLUMNS, errors: CellError[], min: number, max: number): number | null {
  const { letter, header } = COLUMNS[column];
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < min || value > max) {
      errors.push({ column: letter, message: `${header}应在 ${min} 到 ${max} 之间` });
      return null;
    }
    return value;
  }
  const text = cellText(value).trim().replace(/,/g, '').replace(/%$/, '');
  if (text === '') return null;
  const n = Number(text);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) || !Number.isFinite(n)) {
    errors.push({ column: letter, message: `${header}“${cellText(value).slice(0, 20)}”不是数字` });
    return null;
  }
  if (n < min || n > max) {
    errors.push({ column: letter, message: `${header}应在 ${min} 到 ${max} 之间` });
    return null;
  }
  return n;
}

function parseText(value: ExcelJS.CellValue, column: keyof typeof COLUMNS, errors: CellError[]): string {
  const text = cellText(value).trim();
  if (text.length > LIMITS.textChars) {
    errors.push({ column: COLUMNS[column].letter, message: `${COLUMNS[column].header}超过 ${LIMITS.textChars} 字` });
    return '';
  }
  if (text.includes('\u0000')) {
    errors.push({ column: COLUMNS[column].letter, message: `${COLUMNS[column].header}含有无效字符` });
    return '';
  }
  return text;
}

const STATUS_BY_LABEL = new Map<string, DeliveryStatus>(STATUS_LABELS.map(([code, label]) => [label, code]));

function hasInput(row: ReadTemplateRow): boolean {
  return Object.values(row.cells).some((v) => cellText(v).trim() !== '');
}

/** Whether saving `body` would change nothing in the existing report (so the row is not re-saved). */
function isUnchanged(mine: MyRow, body: SaveReportBody): boolean {
  const r = mine.report;
  if (!r) return false;
  return (
    r.value === body.value &&
    r.completionPercent === body.completionPercent &&
    r.reportedStatus === body.reportedStatus &&
    r.narrative === body.narrative &&
    r.problems === body.problems &&
    r.nextSteps === body.nextSteps
  );
}

function checkRows(rows: ReadTemplateRow[], mine: MyRow[]): { results: ReportUploadResult['rows']; bodies: Map<number, SaveReportBody> } {
  const byKey = new Map(mine.map((m) => [keyOf(m), m]));
  const seen = new Map<string, number>();
  const results: ReportUploadResult['rows'] = [];
  const bodies = new Map<number, SaveReportBody>();
  for (const row of rows) {
    if (!row.key && !hasInput(row)) continue;
    const errors: CellError[] = [];
    const target = byKey.get(row.key);
    if (!row.key) errors.push({ column: COLUMNS.key.letter, message: '行键为空：请只在模板原有的行中填写，不要新增行' });
    else if (!target) errors.push({ column: COLUMNS.key.letter, message: '行键不属于本单位本期的填报事项：请重新下载模板' });
    else if (seen.has(row.key)) errors.push({ column: COLUMNS.key.letter, message: `与第 ${seen.get(row.key)} 行重复` });
    if (row.key && !seen.has(row.key)) seen.set(row.key, row.row);
    if (!hasInput(row) && errors.length === 0) continue;
    const value = parseNumber(row.cells.value, 'value', errors, -1e12, 1e12);
    const completionPercent = parseNumber(row.cells.percent, 'percent', errors, 0, 100);
    const statusText = cellText(row.cells.status).trim();
    const reportedStatus = statusText === '' ? null : (STATUS_BY_LABEL.get(statusText) ?? null);
    if (statusText !== '' && reportedStatus === null) {
      errors.push({ column: COLUMNS.status.letter, message: `状态“${statusText.slice(0, 20)}”无效：应为未开始、正常推进、有风险或已完成` });
    }
    const narrative = parseText(row.cells.narrative, 'narrative', errors);
    const problems = parseText(row.cells.problems, 'problems', errors);
    const nextSteps = parseText(row.cells.nextSteps, 'nextSteps', errors);
    if (target) {
      if (target.targetId === null && value !== null) {
        errors.push({ column: COLUMNS.value.letter, message: '“任务总体情况”行不填本期完成值：请在该任务的指标行填写' });
      }
      // The one value rule of the form and the report save. A sheet cannot confirm an outlier, so
      // one is a row problem here: the reporter enters it in the form, which asks to confirm it.
      const verdict = target.targetId === null ? null : checkReportValue(value, { unit: target.unit, value: target.targetValue });
      if (verdict && !verdict.ok) errors.push({ column: COLUMNS.value.letter, message: verdict.reason });
      const status = target.report?.status;
      if (status === 'submitted' || status === 'approved') {
        errors.push({ column: COLUMNS.key.letter, message: `该事项已${status === 'submitted' ? '报送' : '审核通过'}，不能再通过模板修改` });
      }
    }
    results.push({ row: row.row, key: row.key, ok: errors.length === 0, errors });
    if (errors.length === 0 && target) {
      bodies.set(row.row, {
        version: target.report?.version,
        taskId: target.taskId,
        targetId: target.targetId,
        value,
        completionPercent,
        reportedStatus,
        narrative,
        problems,
        nextSteps,
      });
    }
  }
  return { results, bodies };
}

/** The template's limits for the shared xlsx guard (core/xlsx-guard.rule.ts). */
const TEMPLATE_XLSX_LIMITS: XlsxLimits = {
  maxRows: UPLOAD_LIMITS.maxRows,
  headerRows: HEADER_ROW,
  cellsPerRow: UPLOAD_LIMITS.cellsPerRow,
  totalBytes: UPLOAD_LIMITS.uncompressedBytes,
  entryBytes: LIMITS.zipEntryBytes,
  entries: UPLOAD_LIMITS.entries,
  tooManyRowsHint: '：请只在下载的模板中填写，不要新增行',
};

/**
 * Checks an uploaded 进展填报表 row by row and, unless `dryRun`, saves every filled row as a draft
 * through the reporting service (saveReports: set-based, one transaction). Saving happens only when no row has an error:
 * a partly applied sheet would leave the unit unsure what was saved. Rows left empty, and rows
 * identical to the stored draft, are not saved.
 */
export async function uploadMyReportTemplate(
  db: Db,
  periodId: string,
  bytes: Buffer,
  dryRun: boolean,
  actor: Actor,
): Promise<ReportUploadResult> {
  if (actor.role !== 'unit' && actor.role !== 'lead')
    throw new AppError('forbidden', 'reports are filed by the responsible or lead organisation');
  // Another city's period does not exist for the caller, whatever the workbook says (tenancy).
  await getPeriod(db, periodId, actor);
  await assertSaneXlsx(bytes, TEMPLATE_XLSX_LIMITS);
  let sheet: Awaited<ReturnType<typeof readReportTemplate>>;
  try {
    sheet = await readReportTemplate(bytes, UPLOAD_LIMITS.maxRows);
  } catch {
    throw new AppError('not_xlsx', '工作簿无法按 .xlsx 读取：请用 Excel 另存为 .xlsx 后重新上传');
  }
  if (sheet === null)
    throw new AppError(
      'not_a_report_template',
      'this workbook is not a Luoshi 进展填报表: download the template for the period and fill it in',
    );
  if (sheet === 'too_many_rows')
    throw new AppError('too_many_rows', `工作表超过 ${UPLOAD_LIMITS.maxRows} 行：请只在下载的模板中填写，不要新增行`);
  const { meta } = sheet;
  if (meta.template !== TEMPLATE_ID || meta.version !== TEMPLATE_VERSION) {
    throw new AppError('template_outdated', 'this workbook is not the current 进展填报表 template: download it again');
  }
  if (meta.periodId !== periodId) throw new AppError('template_other_period', 'this template belongs to another reporting period');
  if (meta.orgId !== actor.orgId) throw new AppError('template_other_org', 'this template belongs to another organisation');
  if (sheet.formulaCells.length > 0) {
    const shown = sheet.formulaCells.slice(0, 20).join(', ');
    throw new AppError(
      'template_has_formulas',
      `formulas are not accepted; type the values into ${shown}${sheet.formulaCells.length > 20 ? ' …' : ''}`,
      {
        cells: sheet.formulaCells.slice(0, 20).join('、'),
        errors: sheet.formulaCells.slice(0, 200).map((cell) => ({ path: cell, message: 'formula' })),
      },
    );
  }
  const readSheet = sheet;

  const check = async (trx: DbOrTrx) => {
    const mine = await listMyReports(trx, periodId, actor);
    if (mine.period.status !== 'open')
      throw new AppError('period_not_open', `the reporting period ${mine.period.label} is ${mine.period.status}, not open`);
    const keyed = readSheet.rows.filter((r) => r.key !== '').length;
    if (keyed > mine.items.length) {
      throw new AppError(
        'template_row_count',
        `the sheet has ${keyed} rows but your organisation reports ${mine.items.length} in this period`,
      );
    }
    const { results, bodies } = checkRows(readSheet.rows, mine.items);
    const invalid = results.filter((r) => !r.ok).length;
    return { mine, results, bodies, invalid };
  };

  if (dryRun) {
    const { results, invalid } = await check(db);
    return { dryRun: true, rows: results, valid: results.length - invalid, invalid, saved: 0 };
  }
  return writeTx(db, async (trx) => {
    const { mine, results, bodies, invalid } = await check(trx);
    let saved = 0;
    if (invalid === 0) {
      const byKey = new Map(mine.items.map((m) => [keyOf(m), m]));
      const changed = results.map((r) => bodies.get(r.row)!).filter((body) => !isUnchanged(byKey.get(keyOf(body))!, body));
      // Set-based: the rows' facts read once, the drafts written in a few statements, their
      // events appended as one batch; the same rules and events as saving each row on its own.
      saved = (await saveReports(trx, periodId, changed, actor)).length;
    }
    return { dryRun: false, rows: results, valid: results.length - invalid, invalid, saved };
  });
}
