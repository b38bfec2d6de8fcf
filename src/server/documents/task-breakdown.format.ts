/**
 * Wording shared by the 任务分解表 renderings (xlsx, markdown): how an office writes a section
 * number, a date, a unit list and a quantified target. Kept in one place so the spreadsheet and the
 * markdown never disagree about what a task says.
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
export function formatSectionHeading(section: Section): string {
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

/** "淇县：断头路卡脖路打通比例 不低于70%": who, what, and how much, in one line. */
export function formatTarget(target: Target): string {
  const amount =
    target.max === undefined
      ? `${formatNumber(target.value)}${target.unit}`
      : `${formatNumber(target.value)}—${formatNumber(target.max)}${target.unit}`;
  const quantity = `${COMPARATOR_PREFIX[target.comparator]}${amount}`;
  const metric = target.metric.trim();
  const what = metric ? `${metric} ${quantity}` : quantity;
  return target.jurisdictions.length > 0 ? `${target.jurisdictions.join('、')}：${what}` : what;
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

function formatNumber(value: number): string {
  // Floating noise such as 57.46000000000001 must not reach a printed document.
  return String(Number(value.toPrecision(12)));
}
