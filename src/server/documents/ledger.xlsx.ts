/**
 * The 台账 as an Excel workbook: the ledger rows an office filtered on screen, printed. One row per
 * task × responsible unit under full-width section rows, the units per role, deadlines, targets,
 * status and latest progress; A4 landscape with the header repeated on every page.
 */
import ExcelJS from 'exceljs';
import type { LedgerRow } from '../../shared/schemas/ledger.schema.ts';
import { addPrintableSheet } from './printable-sheet.ts';
import {
  BODY_FONT_SIZE,
  BORDER,
  type ColumnSpec,
  estimateRowHeight,
  FONT_NAME,
  fitColumnWidth,
  formatChineseDate,
  formatQuantity,
  formatSectionHeading,
  stripAssignmentText,
} from './task-breakdown.format.ts';

export interface LedgerSheetSection {
  id: string;
  path: string[];
  title: string;
}

export interface LedgerSheetInput {
  /** "<the plan title>台账". */
  title: string;
  /** Filter summary, the date statuses are computed for, and the export time. */
  subtitle: string;
  /** In print order; `sections` is the row's section chain, root first. */
  rows: { row: LedgerRow; sections: LedgerSheetSection[]; statusLabel: string }[];
  /** Several plans: a heading row per plan as well. */
  showPlan: boolean;
}

// Ten columns on A4 landscape: the clause gets the room; units one per line in narrow columns.
const COLUMNS: ColumnSpec[] = [
  { header: '序号', min: 6, max: 6, align: 'center' },
  { header: '章节', min: 8, max: 12, align: 'center' },
  { header: '任务内容', min: 30, max: 50, align: 'left' },
  { header: '牵头单位', min: 10, max: 18, align: 'left' },
  { header: '责任单位', min: 10, max: 16, align: 'left' },
  { header: '配合单位', min: 10, max: 18, align: 'left' },
  { header: '完成时限', min: 10, max: 15, align: 'center' },
  { header: '量化指标', min: 14, max: 30, align: 'left' },
  { header: '状态', min: 8, max: 8, align: 'center' },
  { header: '最新进展', min: 12, max: 20, align: 'left' },
];

const HEADER_ROW = 3;
const YIELD_EVERY = 500;
// One style object per column, shared by its cells: 100,000 cells need not mean 100,000 objects.
const BODY_FONT = { name: FONT_NAME, size: BODY_FONT_SIZE };
const ALIGNMENTS = COLUMNS.map((column) => ({ horizontal: column.align, vertical: 'middle' as const, wrapText: true }));
// 章节, 任务内容, 牵头单位, 配合单位, 完成时限: the same on every row of a task.
const SHARED_COLUMNS = [1, 2, 3, 5, 6];
const SECTION_FILLS = ['FFDDEBF7', 'FFF2F2F2', 'FFFAFAFA'];
const STATUS_FONT_COLOURS: Record<string, string> = { overdue: 'FFC00000', at_risk: 'FFC65911', done: 'FF375623' };

/**
 * Merges a range. exceljs checks every new merge against every existing one, which is quadratic:
 * 7,000 merges (a 10,000-row ledger) took half a minute. The ranges here never overlap by
 * construction, so the check is skipped by handing exceljs an empty merge table for the call
 * (exceljs 4.4 keeps it in `_merges`, keyed by the master cell); without that field, plain mergeCells.
 */
function mergeFast(sheet: ExcelJS.Worksheet, top: number, left: number, bottom: number, right: number): void {
  const internal = sheet as unknown as { _merges?: Record<string, unknown> };
  const merges = internal._merges;
  if (!merges || typeof merges !== 'object') {
    sheet.mergeCells(top, left, bottom, right);
    return;
  }
  internal._merges = {};
  try {
    sheet.mergeCells(top, left, bottom, right);
    Object.assign(merges, internal._merges);
  } finally {
    internal._merges = merges;
  }
}

/** Builds the 台账 workbook; the caller has filtered and ordered the rows. */
export async function buildLedgerWorkbook(input: LedgerSheetInput): Promise<Buffer> {
  const cells = input.rows.map(({ row }, index) => {
    const units = (list: { name: string }[]) => list.map((o) => o.name).join('\n');
    const responsible = row.responsible ? (row.viaGroup ? `${row.responsible.name}\n（${row.viaGroup.name}）` : row.responsible.name) : '';
    return [
      String(index + 1),
      row.sectionPath.join(''),
      stripAssignmentText(row.text),
      units(row.lead),
      responsible,
      units(row.cooperating),
      row.deadlines.map(formatChineseDate).join('\n'),
      row.targets
        .map((t) =>
          formatQuantity({
            value: t.value,
            max: t.maxValue,
            unit: t.unit,
            comparator: t.comparator,
            metric: t.metric,
            where: t.jurisdictionLabel,
          }),
        )
        .join('\n'),
      input.rows[index].statusLabel,
      row.latestProgress ?? '',
    ];
  });

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Luoshi';
  const widths = COLUMNS.map((column, c) =>
    fitColumnWidth(
      column,
      cells.map((values) => values[c]),
    ),
  );
  const sheet = addPrintableSheet(workbook, '台账', HEADER_ROW);
  sheet.columns = widths.map((width) => ({ width }));
  const lastColumn = COLUMNS.length;
  const totalWidth = widths.reduce((a, b) => a + b, 0);

  sheet.mergeCells(1, 1, 1, lastColumn);
  const titleCell = sheet.getCell(1, 1);
  titleCell.value = input.title;
  titleCell.font = { name: FONT_NAME, size: 16, bold: true };
  titleCell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  sheet.getRow(1).height = 36;

  sheet.mergeCells(2, 1, 2, lastColumn);
  const subtitleCell = sheet.getCell(2, 1);
  subtitleCell.value = input.subtitle;
  subtitleCell.font = { name: FONT_NAME, size: 10 };
  subtitleCell.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
  sheet.getRow(2).height = estimateRowHeight([input.subtitle], [totalWidth]);

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

  let r = HEADER_ROW + 1;
  const heading = (text: string, depth: number) => {
    mergeFast(sheet, r, 1, r, lastColumn);
    const cell = sheet.getCell(r, 1);
    cell.value = text;
    cell.font = { name: FONT_NAME, size: depth === 0 ? 12 : 11, bold: depth <= 1 };
    cell.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true, indent: Math.min(depth, 3) };
    cell.border = BORDER;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: SECTION_FILLS[Math.min(depth, SECTION_FILLS.length - 1)] } };
    sheet.getRow(r).height = Math.max(20, estimateRowHeight([text], [totalWidth]));
    r += 1;
  };

  // Consecutive rows of one task (a group expanded into its members) share the clause, the lead
  // and cooperating units and the deadlines: those cells are merged down the run, so a seven-county
  // task prints its clause once instead of seven times.
  const runLength = input.rows.map(() => 1);
  for (let i = input.rows.length - 1; i > 0; i--) {
    if (input.rows[i].row.taskId === input.rows[i - 1].row.taskId && input.rows[i].row.sectionId === input.rows[i - 1].row.sectionId) {
      runLength[i - 1] = runLength[i] + 1;
      runLength[i] = 0;
    }
  }

  let previousPlan: string | null = null;
  let previousChain: string[] = [];
  let runStart = 0;
  let runHeights: number[] = [];
  for (let i = 0; i < input.rows.length; i++) {
    const { row, sections } = input.rows[i];
    // A 10,000-row export is seconds of synchronous work: let other requests in between.
    if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    if (input.showPlan && row.planId !== previousPlan) {
      heading(row.planTitle, 0);
      previousChain = [];
    }
    previousPlan = row.planId;
    // A heading row for every level of the outline that changed since the previous row.
    const depthOffset = input.showPlan ? 1 : 0;
    sections.forEach((s, depth) => {
      if (previousChain[depth] === s.id) return;
      heading(formatSectionHeading(s), depth + depthOffset);
      previousChain = previousChain.slice(0, depth);
      previousChain[depth] = s.id;
    });
    previousChain = sections.map((s) => s.id);

    const values = cells[i];
    const sheetRow = sheet.getRow(r);
    values.forEach((value, c) => {
      const cell = sheetRow.getCell(c + 1);
      // 序号 as a number so the office can sort and renumber in Excel; an empty cell stays blank.
      cell.value = c === 0 ? i + 1 : value || null;
      cell.font = BODY_FONT;
      cell.alignment = ALIGNMENTS[c];
      cell.border = BORDER;
    });
    const colour = STATUS_FONT_COLOURS[row.status];
    if (colour) sheetRow.getCell(9).font = { name: FONT_NAME, size: BODY_FONT_SIZE, bold: true, color: { argb: colour } };

    // A run's first row sets the heights of the whole run: the shared cells' height is spread
    // over its rows, and each row gets at least what its own cells need.
    const run = runLength[i];
    if (run > 0) {
      runStart = r;
      const ownHeights = cells.slice(i, i + run).map((v) =>
        estimateRowHeight(
          v.map((x, c) => (SHARED_COLUMNS.includes(c) ? '' : x)),
          widths,
        ),
      );
      const shared = estimateRowHeight(
        values.map((x, c) => (SHARED_COLUMNS.includes(c) ? x : '')),
        widths,
      );
      const extra = Math.max(0, shared - ownHeights.reduce((a, b) => a + b, 0)) / run;
      runHeights = ownHeights.map((h) => Math.min(409, h + extra));
      if (run > 1) for (const c of SHARED_COLUMNS) mergeFast(sheet, runStart, c + 1, runStart + run - 1, c + 1);
    }
    sheetRow.height = runHeights[r - runStart];
    r += 1;
  }

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
