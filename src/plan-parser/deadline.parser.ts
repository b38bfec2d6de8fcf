/**
 * Deadline extraction: "2018年6月底前", "12月底前", "年底前", "上半年", "第三季度", "到2020年" …
 * One precompiled scanner over the text; each hit is then judged by its neighbours, because the
 * same shape is a deadline in "于2018年6月底前完成" and not in "从2019年1月1日起" or an issue date.
 */
import { parseNumber } from './chinese-numeral.ts';
import type { Deadline, Span } from './plan-extract.types.ts';

const Y = '(\\d{4}|[〇○零一二三四五六七八九]{4})';
const M = '(\\d{1,2}|十[一二]?|[一二三四五六七八九])';
const D = '(\\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])';

// Alternatives are tried left to right at each position, so the fullest form comes first.
// Every quantifier is bounded and no group repeats, which keeps the scan linear.
const DEADLINE_RE = new RegExp(
  // The leading lookahead lets the engine reject most positions on one character.
  '(?=[\\d〇○零一二三四五六七八九十年上下第今本当])(?:' +
    [
      `(?<![\\d.])${Y}\\s?年\\s?${M}\\s?月(?:\\s?${D}\\s?[日号])?(?:\\s?(底|末|中旬|上旬|下旬))?`,
      `(?<![\\d.])${Y}\\s?年\\s?(\\d{1,2})\\s?(底|末)`,
      `(?<![\\d.])${Y}\\s?年\\s?(年底|年末|底|末|上半年|下半年|第?[一二三四1-4]季度|前)`,
      `(?<![\\d.\\-—–~～])${Y}\\s?年(?![度代份])`,
      `(?<![\\d年.])${M}\\s?月(?:\\s?${D}\\s?[日号])?(?:\\s?(底|末|中旬|上旬|下旬))?`,
      '(?<![\\d年])(?:今年|本年度?|当年)?(年底|年末|上半年|下半年|第?[一二三四]季度|年内)',
    ].join('|') +
    ')',
  'g',
);

// "6月20日18：00前" / "6月20日17时前": a time of day may stand between the date and 前.
const TAIL_RE = /^\s?(?:\d{1,2}\s?(?:[:：]\s?\d{2}|[时点](?:\s?\d{1,2}\s?分)?)\s?)?(?:之前|以前|为止|前|止)/;
const BEFORE_MARK_RE = /(?:于|到|至|截至|截止|在|确保|力争|争取)$/;
// 要 counts as a verb, not inside 主要/重要/需要/必要/纲要/摘要.
const COMPLETE_RE =
  /^[^，,。；;：:（(）)]{0,12}?(?:(?<![主重需必纲摘概只])要|完成|建成|打造|实现|达到|达|力争|确保|新增|新建|续建|基本|全面|消除|开工|竣工|投入|全部)/;
const NOT_BARE_BEFORE_RE = /(?:围绕|根据|按照|依据|对照|结合|自|从|是|为|的|每)$/;
const TIME_LABEL_RE = /(?:时限|时间|期限|节点)\s*[:：]\s*$/;
const PERIOD_LINK_RE = /^\s*(?:至|到|—|–|-|~|～)/;

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function fmt(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
function dayOf(q: string | undefined, y: number, m: number): number {
  if (q === '上旬') return 10;
  if (q === '中旬') return 20;
  return lastDay(y, m);
}
function quarterOf(s: string): number {
  const c = s.replace(/[第季度]/g, '');
  return parseNumber(c) ?? 4;
}

/**
 * Finds the deadlines of `text` (document offsets), carrying the year of the latest dated deadline
 * forward to yearless ones ("12月底前" after "2018年6月底前"), starting from `contextYear`.
 * `skip(start)` lets the caller ignore regions (assignment brackets) without re-slicing the text.
 */
export function findDeadlines(
  text: string,
  contextYear: number | null,
  skip: (pos: number) => boolean = () => false,
  explain = false,
): Deadline[] {
  const out: Deadline[] = [];
  let year = contextYear;
  const planYear = contextYear;
  DEADLINE_RE.lastIndex = 0;
  for (let m = DEADLINE_RE.exec(text); m; m = DEADLINE_RE.exec(text)) {
    const start = m.index;
    let end = start + m[0].length;
    if (skip(start)) continue;
    // OCR text may space a date away from its marker ("到 2024 年"): the marker is read past blanks.
    const rawBefore = text.slice(Math.max(0, start - 8), start);
    const before = rawBefore.replace(/\s+$/, '').slice(-4);
    const isSentenceStart = /(?:^|[。；;！？!?\n])\s*$/.test(rawBefore);
    const tailM = TAIL_RE.exec(text.slice(end, end + 12));
    const tail = tailM ? tailM[0] : '';
    const after = text.slice(end, end + 16);
    // Validity periods and start dates are not deadlines.
    if (/^\s*(?:起|开始|以来)/.test(after) || /(?:自|从)$/.test(before)) continue;
    // "2015年后…产生的债务" / "6月以后": after a date, not by it.
    if (!tail && /^\s*(?:以后|之后|后)/.test(after)) continue;
    if (PERIOD_LINK_RE.test(after) && /^\s*[至到—–\-~～]\s*(?:\d|[一二三四五六七八九十〇])/.test(after)) continue;
    if (/[至到—–\-~～]$/.test(before) && /[年月日号\d]\s*[至到—–\-~～]$/.test(text.slice(Math.max(0, start - 6), start))) continue;
    if (/每$/.test(before)) continue;
    if (text.slice(Math.max(0, start - 8), start).includes('有效期')) continue;
    // "2000年底前建成的小区" dates what is described, not what must be done.
    if (/^(?:之前|以前|前)?(?:建成|竣工|建设|修建|出台|印发|形成)?的/.test(after)) continue;
    // "完成时限：2019年12月" states a deadline without 底/前.
    const isLabelled = TIME_LABEL_RE.test(text.slice(Math.max(0, start - 8), start));
    const hit = judge(m, year, isLabelled ? '于' : before, tail, after, isLabelled, isSentenceStart, planYear);
    if (!hit) continue;
    const yearBefore = year;
    if (hit.year !== null && hit.explicitYear) year = hit.year;
    end += tail.length;
    const d: Deadline = { date: hit.date, text: text.slice(start, end), span: [start, end] as Span };
    if (explain) {
      d.why = [hit.why];
      if (tail) d.why.push(`date.tail:${tail.trim()}`);
      if (isLabelled) d.why.push('date.label');
      if (!hit.explicitYear) d.why.push(yearBefore === contextYear ? `date.year-from-plan:${hit.year}` : `date.year-from:${hit.year}`);
    }
    out.push(d);
  }
  return out;
}

function judge(
  m: RegExpExecArray,
  year: number | null,
  before: string,
  tail: string,
  after: string,
  isLabelled = false,
  isSentenceStart = false,
  planYear: number | null = null,
): { date: string; year: number; explicitYear: boolean; why: string } | null {
  const g = m.slice(1);
  // Alternative 1: Y年M月[D日][底]
  if (g[0] !== undefined) {
    const y = parseNumber(g[0]);
    const mo = parseNumber(g[1]);
    // Years as alternatives 3 and 4 bound them, and no day 0: a deadline must be a real calendar day.
    if (y === null || y < 1900 || y > 2200 || mo === null || mo < 1 || mo > 12) return null;
    const d = g[2] !== undefined ? parseNumber(g[2]) : null;
    if (d !== null && d < 1) return null;
    const q = g[3];
    if (!q && !tail && !BEFORE_MARK_RE.test(before)) {
      if (/^\s*[日号]/.test(after) || d !== null) return null;
      if (!/^(?:份)?(?:要|完成|建成|实现|全面|基本|前)/.test(after)) return null;
    }
    const day = d !== null ? Math.min(d, lastDay(y, mo)) : dayOf(q, y, mo);
    return { date: fmt(y, mo, day), year: y, explicitYear: true, why: q ? `date.ymd:${q}` : 'date.ymd' };
  }
  // Alternative 2: the "2018年11底前" typo (月 dropped).
  if (g[4] !== undefined) {
    const y = parseNumber(g[4]);
    const mo = Number(g[5]);
    if (y === null || y < 1900 || y > 2200 || mo < 1 || mo > 12) return null;
    return { date: fmt(y, mo, lastDay(y, mo)), year: y, explicitYear: true, why: 'date.ym-typo' };
  }
  // Alternative 3: Y年底 / Y年上半年 / Y年第三季度 / Y年前
  if (g[7] !== undefined) {
    const y = parseNumber(g[7]);
    if (y === null || y < 1900 || y > 2200) return null;
    if (isPastFact(y, before, after, planYear)) return null;
    return { date: yearPart(y, g[8]), year: y, explicitYear: true, why: `date.year-part:${g[8]}` };
  }
  // Alternative 4: a bare year, a deadline only when the sentence says something is done by then.
  if (g[9] !== undefined) {
    const y = parseNumber(g[9]);
    if (y === null || y < 1900 || y > 2200) return null;
    if (NOT_BARE_BEFORE_RE.test(before)) return null;
    const isMarked = /(?:到|至|于|截至|截止|确保|力争|争取)$/.test(before);
    // A year that merely dates a past fact ("2018年，全省已完成造林…") is no deadline.
    if (isPastFact(y, before, after, planYear)) return null;
    // A year that opens a sentence states the year of what follows the comma: "2025年,力争…达到2.95%";
    // "2025年，全市…增长7%" sets a goal too, for the plan's own years.
    const rest = isSentenceStart ? after.replace(/^\s*[,，]\s*/, '') : after;
    const isGoalOpening =
      isSentenceStart &&
      /^\s*[,，]\s*(?![是为系])/.test(after) &&
      planYear !== null &&
      y >= planYear &&
      !/^[^。]{0,30}?(?:周年|年份|以来)/.test(rest);
    // "2012年，将…提高到…": a future marker right after the comma makes it a goal even when the
    // plan's own year is unknown.
    const isFutureOpening = isSentenceStart && /^\s*[,，]\s*(?:将|要|拟|计划)/.test(after) && (planYear === null || y >= planYear);
    if (!isMarked && !isGoalOpening && !isFutureOpening && !COMPLETE_RE.test(rest)) return null;
    const how = isMarked
      ? `marker:${/(?:截至|截止|确保|力争|争取|到|至|于)$/.exec(before)?.[0]}`
      : COMPLETE_RE.test(rest)
        ? 'verb'
        : 'goal';
    return { date: fmt(y, 12, 31), year: y, explicitYear: true, why: `date.year:${how}` };
  }
  // Alternative 5: a yearless month, only with 底/旬 or 前/止, year from context.
  if (g[10] !== undefined) {
    if (year === null) return null;
    const mo = parseNumber(g[10]);
    if (mo === null || mo < 1 || mo > 12) return null;
    const d = g[11] !== undefined ? parseNumber(g[11]) : null;
    if (d !== null && d < 1) return null;
    const q = g[12];
    if (!q && !tail && !isLabelled) return null;
    const day = d !== null ? Math.min(d, lastDay(year, mo)) : dayOf(q, year, mo);
    return { date: fmt(year, mo, day), year, explicitYear: false, why: q ? `date.month:${q}` : 'date.month' };
  }
  // Alternative 6: 年底 / 上半年 / 第三季度 without a year.
  if (g[13] !== undefined) {
    if (year === null) return null;
    let y = year;
    if (/[次明]$/.test(before)) y += 1;
    // "年内完成" is a deadline; "年内持续推进" is not.
    if (g[13] === '年内' && (/^\s*(?:持续|长期|逐步|常态)/.test(after) || !COMPLETE_RE.test(after))) return null;
    return { date: yearPart(y, g[13]), year: y, explicitYear: false, why: `date.part:${g[13]}` };
  }
  return null;
}

/** 已/了 right after an unmarked year: the sentence reports what was done ("2019年底，已建成…"). */
const PAST_AFTER_RE = /^[^。；;]{0,16}?(?:已经|已|完成了|建成了|实现了|达到了|累计完成)/;

function isPastFact(y: number, before: string, after: string, planYear: number | null): boolean {
  const isMarked = /(?:到|至|于|截至|截止|确保|力争|争取)$/.test(before);
  if (isMarked && (planYear === null || y >= planYear)) return false;
  // An unmarked year before the plan's own year dates what was done: "2017年，全市完成造林10万亩" in a
  // 2018 plan is its starting point, not a goal.
  if (!isMarked && planYear !== null && y < planYear) return true;
  return PAST_AFTER_RE.test(after);
}

function yearPart(y: number, part: string): string {
  if (part === '上半年') return fmt(y, 6, 30);
  if (part === '年内') return fmt(y, 12, 31);
  if (part.includes('季度')) {
    const q = Math.min(4, Math.max(1, quarterOf(part)));
    return fmt(y, q * 3, lastDay(y, q * 3));
  }
  return fmt(y, 12, 31);
}
