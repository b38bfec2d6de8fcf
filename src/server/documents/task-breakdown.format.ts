/**
 * Wording and sheet layout shared by the documents an office prints (任务分解表 xlsx and markdown,
 * the 台账 xlsx): how an office writes a section number, a date, a unit list and a quantified
 * target, and how a CJK sheet is sized. Kept in one place so no two documents disagree about what
 * a task says or how it prints.
 */
import type { Comparator, Deadline, PlanExtract, Section, Target, Task, UnitRef } from '../../plan-parser/plan-extract.types.ts';

/** Role columns in the order an office reads them, with their Chinese heading. */
export const ROLE_LABELS = [
  ['lead', '牵头单位'],
  ['responsible', '责任单位'],
  ['cooperating', '配合单位'],
] as const;

// Comparators come from words in the plan (see the labelling conventions); render them back as the
// words an official would write rather than as symbols.
const COMPARATOR_PREFIX: Record<Comparator, string> = {
  '>=': '不低于',
  '<=': '不超过',
  '>': '超过',
  '<': '低于',
  '=': '',
};

/**
 * Indexes the section tree by path so each task finds its heading in O(1).
 * The key joins tokens with a separator that cannot occur in a number token.
 */
export function indexSectionsByPath(sections: Section[]): Map<string, Section> {
  const index = new Map<string, Section>();
  const visit = (list: Section[]): void => {
    for (const section of list) {
      index.set(pathKey(section.path), section);
      visit(section.children);
    }
  };
  visit(sections);
  return index;
}

/** The lookup key used by {@link indexSectionsByPath}. */
export function pathKey(path: string[]): string {
  return path.join('\u0000');
}

/** "三(三)1 改善城市道路环境,提高交通出行效率": the compact reference used in the table column. */
export function formatSectionReference(path: string[], section: Section | undefined): string {
  const number = path.join('');
  const title = section?.title.trim() ?? '';
  return title ? `${number} ${title}` : number;
}

/**
 * "三、重点任务", "(三)完善…", "1.改善…": a heading written the way the plan writes it. Path tokens
 * lost their trailing 、 or . in extraction; put back the one the token's numbering style takes.
 */
export function formatSectionHeading(section: Pick<Section, 'path' | 'title'>): string {
  const token = section.path[section.path.length - 1] ?? '';
  let number: string;
  if (/^[一二三四五六七八九十百零〇]+$/.test(token)) number = `${token}、`;
  else if (/^\d+$/.test(token)) number = `${token}.`;
  else number = token;
  return `${number}${section.title.trim()}`;
}

/** "2018-06-30" → "2018年6月30日"; anything that is not an ISO date is shown as written. */
export function formatChineseDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

/** Distinct deadline dates of a task in Chinese form, earliest first (a plan may repeat a date). */
export function formatDeadlines(deadlines: Deadline[]): string[] {
  return [...new Set(deadlines.map((d) => d.date))].sort().map(formatChineseDate);
}

/** "市财政局、市城乡规划管理局": the normalised names, as an office lists them. */
export function formatUnits(units: UnitRef[]): string {
  return units.map((unit) => unit.name || unit.mention).join('、');
}

/** "甲县：断头路卡脖路打通比例 不低于70%": who, what, and how much, in one line. */
export function formatTarget(target: Target): string {
  return formatQuantity({ ...target, max: target.max ?? null, where: target.jurisdictions.join('、') });
}

/** The same line for a stored target (ledger row): `where` is the jurisdiction as the plan wrote it. */
export function formatQuantity(target: {
  value: number;
  max: number | null;
  unit: string;
  comparator: Comparator;
  metric: string;
  where: string | null;
}): string {
  const amount =
    target.max === null
      ? `${formatNumber(target.value)}${target.unit}`
      : `${formatNumber(target.value)}—${formatNumber(target.max)}${target.unit}`;
  const quantity = `${COMPARATOR_PREFIX[target.comparator]}${amount}`;
  const metric = target.metric.trim();
  const what = metric ? `${metric} ${quantity}` : quantity;
  return target.where ? `${target.where}：${what}` : what;
}

/** The plan title the document is named after, falling back to a neutral name for untitled text. */
export function resolvePlanTitle(extract: PlanExtract, title?: string): string {
  return (title ?? extract.title ?? '').trim() || '实施方案';
}

/**
 * The clause as the table shows it: without its parenthesised assignment, which the role columns
 * already carry, and without the line breaks the clause boundaries leave behind.
 */
export function formatTaskText(task: Task): string {
  const { text, span, assignment } = task;
  const start = assignment.span[0] - span[0];
  const end = assignment.span[1] - span[0];
  // Spans are offsets into the plan; only cut when they agree with the text we were given.
  const isInside = span[1] - span[0] === text.length && start >= 0 && end <= text.length && start < end;
  const clause = isInside ? text.slice(0, start) + text.slice(end) : text;
  return clause.trim();
}

/**
 * A stored clause without its trailing bracketed assignment "(牵头单位:…,责任单位:…)": the
 * role columns carry it. Brackets inside the clause ("服务中心(站)") are kept.
 */
export function stripAssignmentText(text: string): string {
  const trimmed = text.trimEnd();
  const last = trimmed.at(-1);
  if (last !== ')' && last !== '）') return trimmed;
  let depth = 0;
  for (let i = trimmed.length - 1; i >= 0; i--) {
    const c = trimmed[i];
    if (c === ')' || c === '）') depth += 1;
    else if (c === '(' || c === '（') {
      depth -= 1;
      if (depth === 0) {
        const inner = trimmed.slice(i + 1, -1);
        return /(牵头|责任|配合)单位/.test(inner) ? trimmed.slice(0, i).trimEnd() : trimmed;
      }
    }
  }
  return trimmed;
}

function formatNumber(value: number): string {
  // Floating noise such as 57.46000000000001 must not reach a printed document.
  return String(Number(value.toPrecision(12)));
}

/** A column of a printed sheet. */
export interface ColumnSpec {
  header: string;
  /** Width bounds in Excel character units; the width follows the content within them. */
  min: number;
  max: number;
  align: 'center' | 'left';
}

export const FONT_NAME = '宋体';
export const BODY_FONT_SIZE = 10.5; // 五号, the size of body text in official documents
// SimSun needs 13.5pt a line at 10.5pt; CJK fallback fonts (Noto Sans CJK in LibreOffice, YaHei)
// need up to 15.5pt. Sized for the tallest, so no printer clips the last line of a cell.
export const LINE_HEIGHT_POINTS = 15.5;
export const CELL_PADDING_POINTS = 6;
const THIN = { style: 'thin' as const, color: { argb: 'FF000000' } };
export const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Display width in Excel character units: a CJK or full-width character takes two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += isWide(char.codePointAt(0)!) ? 2 : 1;
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    code >= 0x20000
  );
}

/** A column width that fits its widest line, within the column's bounds. */
export function fitColumnWidth(column: ColumnSpec, values: string[]): number {
  // A loop, not Math.max(...): a 10,000-row ledger would overflow the argument list.
  let widest = displayWidth(column.header);
  for (const v of values) for (const line of v.split('\n')) widest = Math.max(widest, displayWidth(line));
  return Math.min(column.max, Math.max(column.min, widest + 2));
}

/**
 * Excel does not re-measure wrapped rows when it opens a file, so the height is estimated from
 * the lines each cell wraps into; without it long clauses would print clipped to one line.
 */
export function estimateRowHeight(values: string[], widths: number[]): number {
  const lines = values.map((value, c) => {
    // One unit of the width is cell padding; wrapping happens on the rest.
    const usable = Math.max(1, widths[c] - 1.5);
    return value.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(displayWidth(line) / usable)), 0);
  });
  // 409 points is the tallest row Excel accepts.
  return Math.min(409, Math.max(...lines) * LINE_HEIGHT_POINTS + CELL_PADDING_POINTS);
}
