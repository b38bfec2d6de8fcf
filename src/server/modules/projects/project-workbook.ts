/**
 * The project library in Excel: the filtered library (one row per project, the import's columns
 * plus status), the import template read back, and the funding balance (资金综合平衡方案) as an
 * office hands it in. Money is 万元 in the sheets (what offices type) and integer 元 inside;
 * the conversion is decimal, never through a float product.
 */
import ExcelJS from 'exceljs';
import type { FundingBalance, Project } from '../../../shared/schemas/project.schema.ts';
import { addPrintableSheet } from '../../documents/printable-sheet.ts';

export interface ListRow {
  code: string;
  name: string;
}

export const NATURE_LABEL = { new: '新建', expansion: '改扩建', continued: '续建' } as const;
export const STATUS_LABEL: Record<Project['status'], string> = {
  draft: '谋划',
  submitted: '报送',
  returned: '退回',
  admitted: '入库',
  reserve: '储备',
  in_progress: '实施',
  completed: '完工',
  accepted: '验收',
};

/** The fixed columns of the template and export, before one column per funding source. */
export const BASE_COLUMNS = [
  '项目名称',
  '项目类别',
  '建设单位',
  '建设性质',
  '建设地点',
  '经度',
  '纬度',
  '坐标系',
  '建设规模及内容',
  '计划开工日期',
  '计划完工日期',
  '总投资（万元）',
  '计划年度',
  '年度计划投资（万元）',
] as const;
export const sourceColumn = (name: string) => `${name}（万元）`;
const TITLE_ROWS = 2;
export const HEADER_ROW = TITLE_ROWS + 1;

/** 元 → 万元 as a number with at most four decimals (exact for every integer 元 below 2^53 / 10^4). */
export const toWan = (yuan: number) => yuan / 10_000;

/**
 * 万元 as typed (a number or text, up to four decimals) → integer 元, or a Chinese reason.
 * Digits are shifted as text, so 0.0001 万元 is exactly 1 元 and 12.3 is 123000.
 */
export function parseWan(value: unknown): number | string {
  if (value === null || value === undefined || value === '') return 0;
  const text =
    typeof value === 'number'
      ? Number.isFinite(value)
        ? value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')
        : ''
      : String(value).trim().replace(/,/g, '');
  const m = /^(\d{1,8})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) return `金额应为不超过1亿万元的非负数（万元），而不是“${String(value).slice(0, 20)}”`;
  const frac = (m[2] ?? '').padEnd(6, '0');
  if (!/^\d{4}0{2}$/.test(frac)) return '金额最多精确到元（万元保留4位小数）';
  return Number(m[1]) * 10_000 + Number(frac.slice(0, 4));
}

/** The filtered library as a workbook in the import template's columns (plus 所属单位 and 状态). */
export async function buildLibraryWorkbook(title: string, projects: Project[], sources: ListRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Luoshi';
  const ws = addPrintableSheet(wb, '项目库', HEADER_ROW);
  const header = ['所属单位', ...BASE_COLUMNS, ...sources.map((s) => sourceColumn(s.name)), '状态'];
  ws.mergeCells(1, 1, 1, header.length);
  ws.getCell(1, 1).value = title;
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.getCell(2, 1).value = `共 ${projects.length} 个项目；金额单位：万元；坐标系 GCJ-02`;
  ws.getRow(HEADER_ROW).values = header;
  ws.getRow(HEADER_ROW).font = { bold: true };
  for (const p of projects) {
    const bySource = new Map(p.funding.map((f) => [f.sourceCode, f.planned]));
    ws.addRow([
      p.orgName,
      p.name,
      p.categoryName,
      p.ownerName,
      NATURE_LABEL[p.nature],
      p.address,
      p.location.lng,
      p.location.lat,
      'GCJ02',
      p.scale,
      p.startDate,
      p.endDate,
      toWan(p.totalInvestment),
      p.planYear,
      toWan(p.annualPlan),
      ...sources.map((s) => (bySource.has(s.code) ? toWan(bySource.get(s.code)!) : null)),
      STATUS_LABEL[p.status],
    ]);
  }
  ws.columns.forEach((c, i) => {
    c.width = i === 1 || i === 10 ? 30 : 14;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** An empty import template: the title rows, the header, one example row to overwrite. */
export async function buildImportTemplate(sources: ListRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = addPrintableSheet(wb, '项目导入', HEADER_ROW);
  ws.getCell(1, 1).value = '项目库导入模板';
  ws.getCell(2, 1).value = '金额单位：万元（最多4位小数）；建设性质：新建/改扩建/续建；坐标系：GCJ02/WGS84/BD09（空为GCJ02）';
  ws.getRow(HEADER_ROW).values = [...BASE_COLUMNS, ...sources.map((s) => sourceColumn(s.name))];
  ws.getRow(HEADER_ROW).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The cells of an import sheet: its header (by column name) and each data row's values by header. */
export async function readImportSheet(
  bytes: Buffer,
): Promise<{ header: string[]; rows: Array<{ row: number; cells: Map<string, unknown> }>; formulas: string[] } | null> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return null;
  // The header is the first row whose first cell says 项目名称 (the template's third row).
  let headerRow = 0;
  for (let r = 1; r <= Math.min(ws.rowCount, 10); r++) {
    if (String(ws.getRow(r).getCell(1).value ?? '').trim() === '项目名称') {
      headerRow = r;
      break;
    }
  }
  if (headerRow === 0) return null;
  const header: string[] = [];
  ws.getRow(headerRow).eachCell({ includeEmpty: false }, (cell, col) => {
    header[col - 1] = String(cell.value ?? '').trim();
  });
  const rows: Array<{ row: number; cells: Map<string, unknown> }> = [];
  const formulas: string[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells = new Map<string, unknown>();
    let any = false;
    header.forEach((name, i) => {
      if (!name) return;
      const cell = row.getCell(i + 1);
      let v = cell.value as unknown;
      if (v && typeof v === 'object' && 'formula' in (v as object)) {
        formulas.push(cell.address);
        v = null;
      }
      if (v instanceof Date) v = v.toISOString().slice(0, 10);
      if (v && typeof v === 'object' && 'richText' in (v as object))
        v = (v as { richText: { text: string }[] }).richText.map((t) => t.text).join('');
      if (v && typeof v === 'object' && 'text' in (v as object)) v = (v as { text: string }).text;
      if (v !== null && v !== undefined && String(v).trim() !== '') any = true;
      cells.set(name, v);
    });
    if (any) rows.push({ row: r, cells });
  }
  return { header, rows, formulas };
}

/**
 * The funding balance as the office hands it in: one sheet of needs against sources per county
 * (with the gap and the balance check), one pivot of sources × categories over all counties.
 */
export async function buildBalanceWorkbook(balance: FundingBalance, sources: ListRow[], categories: ListRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Luoshi';
  const ws = addPrintableSheet(wb, '资金综合平衡方案', HEADER_ROW);
  const used = sources.filter((s) => balance.counties.some((c) => c.bySource.some((b) => b.sourceCode === s.code)));
  const header = ['县区', '资金需求', ...used.map((s) => s.name), '来源合计', '已到位', '尚未到位', '缺口', '是否平衡'];
  ws.mergeCells(1, 1, 1, header.length);
  ws.getCell(1, 1).value = `${balance.planYear}年度项目资金综合平衡方案`;
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.getCell(2, 1).value = '单位：万元';
  ws.getRow(HEADER_ROW).values = header;
  ws.getRow(HEADER_ROW).font = { bold: true };
  const total = { needs: 0, planned: 0, arrived: 0, outstanding: 0, gap: 0, by: new Map<string, number>() };
  for (const c of balance.counties) {
    const by = new Map(c.bySource.map((b) => [b.sourceCode, b.planned]));
    ws.addRow([
      c.orgName,
      toWan(c.needs),
      ...used.map((s) => toWan(by.get(s.code) ?? 0)),
      toWan(c.planned),
      toWan(c.arrived),
      toWan(c.outstanding),
      toWan(c.gap),
      c.balanced ? '平衡' : '不平衡',
    ]);
    total.needs += c.needs;
    total.planned += c.planned;
    total.arrived += c.arrived;
    total.outstanding += c.outstanding;
    total.gap += c.gap;
    for (const s of used) total.by.set(s.code, (total.by.get(s.code) ?? 0) + (by.get(s.code) ?? 0));
  }
  const sum = ws.addRow([
    '合计',
    toWan(total.needs),
    ...used.map((s) => toWan(total.by.get(s.code) ?? 0)),
    toWan(total.planned),
    toWan(total.arrived),
    toWan(total.outstanding),
    toWan(total.gap),
    total.gap === 0 ? '平衡' : '不平衡',
  ]);
  sum.font = { bold: true };
  ws.columns.forEach((c, i) => {
    c.width = i === 0 ? 12 : 13;
    if (i > 0) c.numFmt = '#,##0.00';
  });

  const pv = addPrintableSheet(wb, '来源×类别', HEADER_ROW);
  pv.getCell(1, 1).value = `${balance.planYear}年度资金来源 × 项目类别（万元）`;
  pv.getCell(1, 1).font = { bold: true, size: 14 };
  const cats = categories.filter((k) => balance.counties.some((c) => c.pivot.some((p) => p.categoryCode === k.code)));
  pv.getRow(HEADER_ROW).values = ['资金来源', ...cats.map((k) => k.name), '合计'];
  pv.getRow(HEADER_ROW).font = { bold: true };
  for (const s of used) {
    const cells = cats.map((k) =>
      balance.counties.reduce(
        (a, c) => a + c.pivot.filter((p) => p.sourceCode === s.code && p.categoryCode === k.code).reduce((x, p) => x + p.planned, 0),
        0,
      ),
    );
    pv.addRow([s.name, ...cells.map(toWan), toWan(cells.reduce((a, b) => a + b, 0))]);
  }
  pv.columns.forEach((c, i) => {
    c.width = i === 0 ? 16 : 12;
    if (i > 0) c.numFmt = '#,##0.00';
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
