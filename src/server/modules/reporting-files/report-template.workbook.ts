/**
 * The 进展填报表: the Excel a unit downloads, fills offline and uploads again. One row per target or
 * task it reports on in a period; a hidden key column ties a row to the report, the context
 * columns are locked, the input columns are open with validation, and a very-hidden meta sheet
 * names the period, the organisation and the template version so a file cannot be uploaded to
 * the wrong place. Building and reading live together so the two can never disagree on a column.
 */
import ExcelJS from 'exceljs';
import {
  BODY_FONT_SIZE,
  BORDER,
  CELL_PADDING_POINTS,
  type ColumnSpec,
  estimateRowHeight,
  FONT_NAME,
  fitColumnWidth,
  LINE_HEIGHT_POINTS,
  stripAssignmentText,
} from '../../documents/task-breakdown.format.ts';

export const TEMPLATE_ID = 'luoshi.my-report';
export const TEMPLATE_VERSION = '1';
export const DATA_SHEET = '填报';
export const HELP_SHEET = '说明';
export const META_SHEET = 'meta';
export const HEADER_ROW = 2;
export const FIRST_DATA_ROW = HEADER_ROW + 1;

/** 状态 as the unit writes it; overdue is the status engine's word, never the unit's own. */
export const STATUS_LABELS = [
  ['not_started', '未开始'],
  ['on_track', '正常推进'],
  ['at_risk', '有风险'],
  ['done', '已完成'],
] as const;
export type ReportableStatus = (typeof STATUS_LABELS)[number][0];

interface TemplateColumn extends ColumnSpec {
  letter: string;
  isInput: boolean;
}

export const COLUMNS = {
  key: { letter: 'A', header: '行键', min: 10, max: 10, align: 'left', isInput: false },
  seq: { letter: 'B', header: '序号', min: 6, max: 6, align: 'center', isInput: false },
  task: { letter: 'C', header: '任务内容', min: 24, max: 40, align: 'left', isInput: false },
  metric: { letter: 'D', header: '指标', min: 10, max: 16, align: 'left', isInput: false },
  targetValue: { letter: 'E', header: '目标值', min: 8, max: 10, align: 'center', isInput: false },
  unit: { letter: 'F', header: '单位', min: 6, max: 8, align: 'center', isInput: false },
  value: { letter: 'G', header: '本期完成值', min: 11, max: 11, align: 'center', isInput: true },
  percent: { letter: 'H', header: '完成率%', min: 9, max: 9, align: 'center', isInput: true },
  status: { letter: 'I', header: '状态', min: 10, max: 10, align: 'center', isInput: true },
  narrative: { letter: 'J', header: '进展情况', min: 20, max: 30, align: 'left', isInput: true },
  problems: { letter: 'K', header: '存在问题', min: 16, max: 24, align: 'left', isInput: true },
  nextSteps: { letter: 'L', header: '下步打算', min: 16, max: 24, align: 'left', isInput: true },
} as const satisfies Record<string, TemplateColumn>;
export type ColumnName = keyof typeof COLUMNS;
const ORDER = Object.keys(COLUMNS) as ColumnName[];
export const INPUT_COLUMNS = ORDER.filter((c) => COLUMNS[c].isInput);

export interface TemplateRow {
  key: string;
  seq: number;
  taskText: string;
  /** null: the task-level row, which carries narrative but no value. */
  metric: string | null;
  targetValue: number | null;
  unit: string | null;
  isTaskLevel: boolean;
  value: number | null;
  completionPercent: number | null;
  reportedStatus: string | null;
  narrative: string;
  problems: string;
  nextSteps: string;
}

export interface TemplateMeta {
  template: string;
  version: string;
  periodId: string;
  orgId: string;
}

const INPUT_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFFFF9E6' } };
const HEADER_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFD9D9D9' } };
const INPUT_HEADER_FILL = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFFFE699' } };
const LOCKED_GREY = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb: 'FFF2F2F2' } };

function statusLabel(status: string | null): string | null {
  return STATUS_LABELS.find(([code]) => code === status)?.[1] ?? null;
}

/** Builds the template workbook for one organisation's rows of one period. */
export async function buildReportTemplate(input: {
  title: string;
  subtitle: string;
  meta: TemplateMeta;
  rows: TemplateRow[];
}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Luoshi';
  const texts = input.rows.map((r) => ({
    seq: String(r.seq),
    task: stripAssignmentText(r.taskText),
    metric: r.isTaskLevel ? '任务总体情况' : (r.metric ?? ''),
    targetValue: r.targetValue === null ? '' : String(r.targetValue),
    unit: r.unit ?? '',
    narrative: r.narrative,
    problems: r.problems,
    nextSteps: r.nextSteps,
  }));
  const widths = ORDER.map((name) =>
    name === 'key'
      ? 10
      : fitColumnWidth(
          COLUMNS[name],
          texts.map((t) => (t as Record<string, string>)[name] ?? ''),
        ),
  );
  const sheet = workbook.addWorksheet(DATA_SHEET, {
    views: [{ state: 'frozen', xSplit: 3, ySplit: HEADER_ROW, topLeftCell: `D${FIRST_DATA_ROW}` }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  });
  sheet.columns = widths.map((width, c) => ({ width, hidden: ORDER[c] === 'key' }));

  sheet.mergeCells(1, 2, 1, ORDER.length);
  const title = sheet.getCell(1, 2);
  title.value = `${input.title}\n${input.subtitle}`;
  title.font = { name: FONT_NAME, size: 14, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  sheet.getRow(1).height = 44;

  const header = sheet.getRow(HEADER_ROW);
  ORDER.forEach((name, c) => {
    const cell = header.getCell(c + 1);
    cell.value = COLUMNS[name].header;
    cell.font = { name: FONT_NAME, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
    cell.fill = COLUMNS[name].isInput ? INPUT_HEADER_FILL : HEADER_FILL;
  });
  header.height = 24;

  const statusList = `"${STATUS_LABELS.map(([, label]) => label).join(',')}"`;
  input.rows.forEach((r, i) => {
    const row = sheet.getRow(FIRST_DATA_ROW + i);
    const values: Record<ColumnName, ExcelJS.CellValue> = {
      key: r.key,
      seq: r.seq,
      task: texts[i].task,
      metric: texts[i].metric,
      targetValue: r.targetValue,
      unit: r.unit,
      value: r.value,
      percent: r.completionPercent,
      status: statusLabel(r.reportedStatus),
      narrative: r.narrative || null,
      problems: r.problems || null,
      nextSteps: r.nextSteps || null,
    };
    ORDER.forEach((name, c) => {
      const cell = row.getCell(c + 1);
      const column = COLUMNS[name];
      cell.value = values[name] ?? null;
      cell.font = { name: FONT_NAME, size: BODY_FONT_SIZE };
      cell.alignment = { horizontal: column.align, vertical: 'middle', wrapText: true };
      cell.border = BORDER;
      // A task-level row has no value: its value cell stays locked and grey.
      const isOpen = column.isInput && !(name === 'value' && r.isTaskLevel);
      cell.protection = { locked: !isOpen };
      if (isOpen) cell.fill = INPUT_FILL;
      else if (column.isInput) cell.fill = LOCKED_GREY;
    });
    if (!r.isTaskLevel) {
      row.getCell(COLUMNS.value.letter).dataValidation = {
        type: 'decimal',
        operator: 'between',
        allowBlank: true,
        formulae: [-1e12, 1e12],
        showErrorMessage: true,
        errorTitle: '本期完成值',
        error: '请填写数字（累计完成值，单位见“单位”列）',
      };
    }
    row.getCell(COLUMNS.percent.letter).dataValidation = {
      type: 'decimal',
      operator: 'between',
      allowBlank: true,
      formulae: [0, 100],
      showErrorMessage: true,
      errorTitle: '完成率%',
      error: '请填写 0 到 100 之间的数字',
    };
    row.getCell(COLUMNS.status.letter).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [statusList],
      showErrorMessage: true,
      errorTitle: '状态',
      error: '请从下拉列表中选择：未开始、正常推进、有风险、已完成',
    };
    // At least two lines: a printed sheet is also filled in by hand before someone types it in.
    const estimated = estimateRowHeight(
      ORDER.map((name) => (name === 'key' ? '' : String((texts[i] as Record<string, string>)[name] ?? ''))),
      widths,
    );
    row.height = Math.max(estimated, 2 * LINE_HEIGHT_POINTS + CELL_PADDING_POINTS);
  });
  // Locked cells keep the key and context as issued; the sheet is not a security boundary (the
  // server re-validates every row), so no password.
  await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });

  const help = workbook.addWorksheet(HELP_SHEET, { properties: { tabColor: { argb: 'FF5B9BD5' } } });
  help.columns = [{ width: 100 }];
  const lines = [
    '填报说明',
    `1. 本表为“${input.title}”的离线填报模板，只能上传到对应的报送期和本单位。`,
    '2. 只填写黄色单元格：本期完成值、完成率%、状态、进展情况、存在问题、下步打算；灰色和白色单元格已锁定。',
    '3. 本期完成值填写截至本期末的累计数，单位见“单位”列；“任务总体情况”行不填完成值。',
    '4. 完成率%填写 0 到 100 之间的数字；状态请从下拉列表中选择（未开始、正常推进、有风险、已完成）。',
    '5. 请直接输入数值或文字，不要使用公式；不要增删行、调整行序或修改隐藏列。',
    '6. 上传后系统先逐行检查并给出预览；全部通过后确认保存，各行保存为草稿，仍需在系统中逐项报送。',
    '7. 已报送或已审核的行不能通过本表修改。',
  ];
  lines.forEach((line, i) => {
    const cell = help.getCell(i + 1, 1);
    cell.value = line;
    cell.font = { name: FONT_NAME, size: i === 0 ? 14 : BODY_FONT_SIZE, bold: i === 0 };
    cell.alignment = { vertical: 'middle', wrapText: true };
    help.getRow(i + 1).height = i === 0 ? 28 : 20;
  });

  const meta = workbook.addWorksheet(META_SHEET, { state: 'veryHidden' });
  const metaRows: [keyof TemplateMeta, string][] = [
    ['template', input.meta.template],
    ['version', input.meta.version],
    ['periodId', input.meta.periodId],
    ['orgId', input.meta.orgId],
  ];
  metaRows.forEach(([k, v], i) => {
    meta.getCell(i + 1, 1).value = k;
    meta.getCell(i + 1, 2).value = v;
  });
  await meta.protect('', {});

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A cell's value as text, whatever exceljs made of it (rich text, hyperlink, number, date). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return String(value.error);
    if ('result' in value) return cellText((value as { result: ExcelJS.CellValue }).result);
  }
  return String(value);
}

export interface ReadTemplateRow {
  row: number;
  key: string;
  cells: Record<(typeof INPUT_COLUMNS)[number], ExcelJS.CellValue>;
}

export interface ReadTemplate {
  meta: Partial<TemplateMeta>;
  rows: ReadTemplateRow[];
  /** Addresses (G5, …) of cells holding a formula, anywhere in the data columns. */
  formulaCells: string[];
  /** The data sheet's last used row, before reading rows, so a huge sheet is refused early. */
  lastRow: number;
}

/** Loads an uploaded template; null when it is a workbook without the template's sheets. */
export async function readReportTemplate(bytes: Buffer, maxRows: number): Promise<ReadTemplate | 'too_many_rows' | null> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const metaSheet = workbook.getWorksheet(META_SHEET);
  const sheet = workbook.getWorksheet(DATA_SHEET);
  if (!metaSheet || !sheet) return null;
  const meta: Partial<TemplateMeta> = {};
  for (let r = 1; r <= Math.min(metaSheet.rowCount, 20); r++) {
    const k = cellText(metaSheet.getCell(r, 1).value);
    if (k === 'template' || k === 'version' || k === 'periodId' || k === 'orgId') meta[k] = cellText(metaSheet.getCell(r, 2).value).trim();
  }
  const lastRow = sheet.rowCount;
  if (lastRow - HEADER_ROW > maxRows) return 'too_many_rows';
  const rows: ReadTemplateRow[] = [];
  const formulaCells: string[] = [];
  for (let r = FIRST_DATA_ROW; r <= lastRow; r++) {
    const row = sheet.getRow(r);
    for (const name of ORDER) {
      const cell = row.getCell(COLUMNS[name].letter);
      if (cell.type === ExcelJS.ValueType.Formula) formulaCells.push(cell.address);
    }
    const cells = Object.fromEntries(
      INPUT_COLUMNS.map((name) => [name, row.getCell(COLUMNS[name].letter).value]),
    ) as ReadTemplateRow['cells'];
    rows.push({ row: r, key: cellText(row.getCell(COLUMNS.key.letter).value).trim(), cells });
  }
  return { meta, rows, formulaCells, lastRow };
}
