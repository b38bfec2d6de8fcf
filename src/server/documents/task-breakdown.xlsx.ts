/**
 * The 任务分解表 as an Excel workbook: the sheet a programme office prints, stamps and sends to
 * every unit. One row per task clause, the units per role, deadlines and quantified targets.
 */
import ExcelJS from 'exceljs';
import type { PlanExtract } from '../../plan-parser/plan-extract.types.ts';
import { addPrintableSheet } from './printable-sheet.ts';
import {
  BODY_FONT_SIZE,
  BORDER,
  type ColumnSpec,
  estimateRowHeight,
  FONT_NAME,
  fitColumnWidth,
  formatDeadlines,
  formatSectionReference,
  formatTarget,
  formatTaskText,
  indexSectionsByPath,
  pathKey,
  resolvePlanTitle,
} from './task-breakdown.format.ts';

// Bounds chosen so the eight columns of a real plan fit A4 landscape at a readable scale (~80%):
// the task text gets the room, a unit column is as wide as its longest name up to 9 characters.
const COLUMNS: ColumnSpec[] = [
  { header: '序号', min: 6, max: 6, align: 'center' },
  { header: '所属章节', min: 12, max: 20, align: 'left' },
  { header: '任务内容', min: 30, max: 54, align: 'left' },
  { header: '牵头单位', min: 10, max: 20, align: 'left' },
  { header: '责任单位', min: 10, max: 20, align: 'left' },
  { header: '配合单位', min: 10, max: 20, align: 'left' },
  { header: '完成时限', min: 10, max: 15, align: 'center' },
  { header: '量化指标', min: 12, max: 32, align: 'left' },
];

const HEADER_ROW = 2;

/**
 * Builds the 任务分解表 workbook for a plan extraction: a merged title row, a header row that stays
 * frozen on screen and repeats on every printed page, one bordered, wrapped row per task, A4
 * landscape fitted to the page width.
 */
export async function buildTaskBreakdownWorkbook(extract: PlanExtract, opts: { title?: string } = {}): Promise<Buffer> {
  const title = `${resolvePlanTitle(extract, opts.title)}任务分解表`;
  const sections = indexSectionsByPath(extract.sections);
  const rows = extract.tasks.map((task, index) => {
    // One unit per line: a 、-joined list wraps in the middle of names in a narrow column.
    const roles = [task.assignment.lead, task.assignment.responsible, task.assignment.cooperating].map((units) =>
      units.map((unit) => unit.name || unit.mention).join('\n'),
    );
    return [
      String(index + 1),
      formatSectionReference(task.sectionPath, sections.get(pathKey(task.sectionPath))),
      formatTaskText(task),
      ...roles,
      formatDeadlines(task.deadlines).join('\n'),
      task.targets.map(formatTarget).join('\n'),
    ];
  });

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Luoshi';
  const widths = COLUMNS.map((column, c) =>
    fitColumnWidth(
      column,
      rows.map((row) => row[c]),
    ),
  );
  const sheet = addPrintableSheet(workbook, '任务分解表', HEADER_ROW);
  sheet.columns = widths.map((width) => ({ width }));

  sheet.mergeCells(1, 1, 1, COLUMNS.length);
  const titleCell = sheet.getCell(1, 1);
  titleCell.value = title;
  titleCell.font = { name: FONT_NAME, size: 16, bold: true };
  titleCell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  sheet.getRow(1).height = 36;

  const header = sheet.getRow(HEADER_ROW);
  COLUMNS.forEach((column, c) => {
    const cell = header.getCell(c + 1);
    cell.value = column.header;
    cell.font = { name: FONT_NAME, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
  });
  header.height = 24;

  rows.forEach((values, r) => {
    const row = sheet.getRow(HEADER_ROW + 1 + r);
    values.forEach((value, c) => {
      const cell = row.getCell(c + 1);
      // 序号 as a number so the office can sort and renumber in Excel; no unit means a blank cell.
      cell.value = c === 0 ? r + 1 : value || null;
      cell.font = { name: FONT_NAME, size: BODY_FONT_SIZE };
      cell.alignment = { horizontal: COLUMNS[c].align, vertical: 'middle', wrapText: true };
      cell.border = BORDER;
    });
    // Excel does not re-measure wrapped rows when it opens a file, so the height is estimated here;
    // without it long clauses would print clipped to one line.
    row.height = estimateRowHeight(values, widths);
  });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
