/**
 * Quantified targets: a number, its unit as written, a comparator read from words only, the
 * jurisdictions it is for and a short metric. Numbers that are names or dates (二期, 4G, 2016—2020年,
 * 豫发〔2016〕39号, Ⅱ类, 百辆) are rejected by their neighbours rather than by a list of phrases.
 */
import { parseChineseNumeral, parseNumber } from './chinese-numeral.ts';
import { isPlaceName, readSubject, type Subject } from './jurisdiction.reader.ts';
import type { Comparator, Span, Target } from './plan-extract.types.ts';

const CN = '零〇一二两三四五六七八九十百千万亿';
const NUM = `(\\d+(?:\\.\\d+)?|[${CN}]{1,12})`;
const UNIT =
  '(?:万|亿)?(?:个百分点|百分点|个工作日|工作日|微克/立方米|毫克/立方米|平方公里|平方米|立方米|千瓦时|千瓦|兆瓦|公里|千米|公顷|公斤|千克|吨|亩|米|元|人次|人|名|户|%|％|个|座|条|所|处|家|台|辆|套|间|张|项|栋|幢|盏|棵|株|批|次|分钟|小时|天|倍|床|件|只|头|km|㎡)';
// Lookbehinds make every digit run start once, so a 100,000-digit run is scanned in linear time.
const TARGET_RE = new RegExp(`(?=[\\d${CN}])(?<![\\d.${CN}])${NUM}(?:\\s?[—–\\-~～至到]\\s?${NUM})?\\s?(?:余|多)?(${UNIT})`, 'g');
const PERCENT_WORD_RE = new RegExp(`百分之([${CN}]{1,6}(?:点[${CN}]{1,4})?|\\d+(?:\\.\\d+)?)`, 'g');
const CHENG_RE = /(?=[一二三四五六七八九\d]成)(?<![\u4e00-\u9fff\d])([一二三四五六七八九]|\d)成(?![为立功果效本员熟型交年])/g;

const BEFORE_CMP: [string, Comparator][] = [
  ['不宜超过', '<='],
  ['不得超过', '<='],
  ['不应超过', '<='],
  ['不超过', '<='],
  ['不大于', '<='],
  ['不高于', '<='],
  ['不多于', '<='],
  ['不低于', '>='],
  ['不少于', '>='],
  ['不小于', '>='],
  ['不下于', '>='],
  ['至少', '>='],
  ['超过', '>='],
  ['达到', '>='],
  ['突破', '>'],
  ['高于', '>'],
  ['大于', '>'],
  ['多于', '>'],
  ['低于', '<'],
  ['小于', '<'],
  ['少于', '<'],
  ['不足', '<'],
];
const AFTER_CMP_RE = /^(?:(?:及|或)?以上|(?:及|或)?以下|以内|之内|左右)/;
const ACTION_BEFORE_RE = /(?:新建|建成|建设|完成|打造|新增|培育|创建|改造|建立|设立|开工|实施|配套|设置|改建|续建|提升|增加|减少|增长|提高|降低|扩大|发展|引进)$/;
const CLAUSE_SEP_RE = /[，,；;。！？!?\n：:]/g;

interface Hit {
  start: number;
  numEnd: number;
  end: number;
  value: number;
  max?: number;
  unit: string;
  before: Comparator | null;
  after: Comparator | null;
}

/** A comparator word right before the number, or before a short verb ("至少打造1个"). */
function comparatorBefore(text: string, start: number): Comparator | null {
  const s = text.slice(Math.max(0, start - 8), start);
  for (const [w, c] of BEFORE_CMP) if (s.endsWith(w)) return c;
  GAP_CMP_RE.lastIndex = 0;
  const m = GAP_CMP_RE.exec(s);
  if (!m) return null;
  for (const [w, c] of BEFORE_CMP) if (m[1].endsWith(w)) return c;
  return null;
}
const GAP_CMP_RE = /(不宜超过|不得超过|不应超过|不超过|不大于|不高于|不多于|不低于|不少于|不小于|至少|超过|达到)[^\d，,。；;：:、（）()“”]{1,4}$/;

function afterWord(text: string, end: number): { cmp: Comparator | null; len: number } {
  const m = AFTER_CMP_RE.exec(text.slice(end, end + 4));
  if (!m) return { cmp: null, len: 0 };
  const w = m[0];
  const cmp: Comparator = w.endsWith('以上') ? '>=' : w === '左右' ? '=' : '<=';
  return { cmp, len: w.length };
}

function isInsideQuotes(text: string, pos: number): boolean {
  const s = text.slice(Math.max(0, pos - 10), pos);
  const open = Math.max(s.lastIndexOf('“'), s.lastIndexOf('"'), s.lastIndexOf('「'));
  if (open < 0) return false;
  const close = Math.max(s.lastIndexOf('”'), s.lastIndexOf('」'));
  return close < open;
}

function collectHits(text: string): Hit[] {
  const hits: Hit[] = [];
  TARGET_RE.lastIndex = 0;
  for (let m = TARGET_RE.exec(text); m; m = TARGET_RE.exec(text)) {
    const start = m.index;
    const numEnd = start + m[0].length - m[3].length;
    const unit = m[3];
    const end = start + m[0].length;
    const prev = text[start - 1] ?? '';
    // Ordinals (第3), document numbers (〔2016〕), codes (PM2.5, GB 50311) and products (7×24小时).
    if (prev === '第' || prev === '〔' || prev === '[' || prev === '×' || prev === '*' || /[A-Za-z]/.test(prev)) continue;
    if (/^(?:月|季度|年)/.test(text.slice(end, end + 3)) && unit.endsWith('个')) continue;
    if (/^[A-Za-z]/.test(text.slice(end, end + 1))) continue;
    const isCn = !/\d/.test(m[1]);
    const value = parseNumber(m[1]);
    if (value === null) continue;
    const max = m[2] !== undefined ? (parseNumber(m[2]) ?? undefined) : undefined;
    const before = comparatorBefore(text, start);
    const aw = afterWord(text, end);
    if (isCn && !acceptChinese(text, start, m[1], unit, value, before ?? aw.cmp)) continue;
    hits.push({ start, numEnd, end, value, max, unit, before, after: aw.cmp });
  }
  PERCENT_WORD_RE.lastIndex = 0;
  for (let m = PERCENT_WORD_RE.exec(text); m; m = PERCENT_WORD_RE.exec(text)) {
    const [intPart, frac] = m[1].split('点');
    const whole = parseNumber(intPart);
    if (whole === null) continue;
    const value = frac ? Number(`${whole}.${[...frac].map((c) => parseChineseNumeral(c) ?? 0).join('')}`) : whole;
    const end = m.index + m[0].length;
    const aw = afterWord(text, end);
    hits.push({ start: m.index, numEnd: end, end, value, unit: '%', before: comparatorBefore(text, m.index), after: aw.cmp });
  }
  CHENG_RE.lastIndex = 0;
  for (let m = CHENG_RE.exec(text); m; m = CHENG_RE.exec(text)) {
    const v = parseNumber(m[1]);
    if (v === null || isInsideQuotes(text, m.index)) continue;
    const end = m.index + m[0].length;
    const aw = afterWord(text, end);
    hits.push({ start: m.index, numEnd: end, end, value: v * 10, unit: '%', before: comparatorBefore(text, m.index), after: aw.cmp });
  }
  hits.sort((a, b) => a.start - b.start);
  return hits;
}

/** Chinese numerals are often part of names ("两区", "四个全面", "二次供水"); keep only clear counts. */
function acceptChinese(
  text: string,
  start: number,
  numeral: string,
  unit: string,
  value: number,
  cmp: Comparator | null,
): boolean {
  if (/^[百千万亿]/.test(numeral)) return false;
  if (isInsideQuotes(text, start)) return false;
  if (unit === '次' || unit === '批') return false;
  if (cmp) return true;
  if (value < 2) return false;
  if (value >= 10) return true;
  return ACTION_BEFORE_RE.test(text.slice(Math.max(0, start - 4), start));
}

/** Regions the scan must treat specially, all sorted by start. */
export interface TargetScanContext {
  /** Spans whose numbers are ignored and which end any running subject (assignment brackets). */
  skipSpans: Span[];
  /** Positions where a running subject ends (section headings). */
  resets: number[];
}

/**
 * Finds the quantified targets of a whole document in one pass. Subjects carry across the commas
 * of a sentence and end at 。, at a section heading or at an assignment bracket.
 */
export function findTargets(text: string, ctx: TargetScanContext): Target[] {
  const hits = collectHits(text);
  const out: Target[] = [];
  if (hits.length === 0) return out;
  let hi = 0;
  let si = 0;
  let ri = 0;
  let subject: Subject | null = null;
  let clauseStart = 0;
  CLAUSE_SEP_RE.lastIndex = 0;
  while (clauseStart <= text.length && hi < hits.length) {
    // Leave skipped regions and heading boundaries behind: they end the running subject.
    while (si < ctx.skipSpans.length && ctx.skipSpans[si][1] <= clauseStart) si++;
    if (si < ctx.skipSpans.length && ctx.skipSpans[si][0] <= clauseStart) {
      clauseStart = ctx.skipSpans[si][1];
      subject = null;
    }
    while (ri < ctx.resets.length && ctx.resets[ri] <= clauseStart) {
      ri++;
      subject = null;
    }
    CLAUSE_SEP_RE.lastIndex = Math.max(CLAUSE_SEP_RE.lastIndex, clauseStart);
    const sep = CLAUSE_SEP_RE.exec(text);
    const clauseEnd = sep ? sep.index : text.length;
    if (clauseStart < clauseEnd) {
      const s = readSubject(text, clauseStart, clauseEnd);
      if (s) subject = s;
      while (hi < hits.length && hits[hi].start < clauseStart) hi++;
      const inClause: Hit[] = [];
      while (hi < hits.length && hits[hi].start < clauseEnd) {
        const h = hits[hi++];
        if (!isSkipped(h.start, ctx.skipSpans, si)) inClause.push(h);
      }
      if (inClause.length) emitClause(text, clauseStart, clauseEnd, inClause, s ?? subject, s !== null, out);
    }
    if (!sep) break;
    if (/[。！？!?\n]/.test(sep[0])) subject = null;
    clauseStart = clauseEnd + 1;
  }
  return out;
}

function isSkipped(pos: number, spans: Span[], from: number): boolean {
  for (let i = from; i < spans.length && spans[i][0] <= pos; i++) if (pos < spans[i][1]) return true;
  return false;
}

function emitClause(
  text: string,
  clauseStart: number,
  clauseEnd: number,
  hits: Hit[],
  subject: Subject | null,
  isOwnSubject: boolean,
  out: Target[],
): void {
  const clause = text.slice(clauseStart, clauseEnd);
  const isLocalRespective = clause.includes('分别');
  // Lists joined by 、 share a comparator written once ("分别达到25%、20%以上").
  const lists: Hit[][] = [];
  for (const h of hits) {
    const last = lists[lists.length - 1];
    const prev = last?.[last.length - 1];
    if (prev) {
      const gapStart = prev.end + (prev.after ? afterWord(text, prev.end).len : 0);
      const gap = text.slice(gapStart, h.start);
      if (/^、(?:不低于|不少于|不小于|不超过|不大于|达到|低于)?$/.test(gap)) {
        last.push(h);
        continue;
      }
    }
    lists.push([h]);
  }
  for (const list of lists) {
    const leading = list[0].before;
    const trailing = list[list.length - 1].after;
    list.forEach((h, idx) => {
      const comparator = h.after ?? h.before ?? trailing ?? leading ?? '=';
      const endWithWord = h.end + (h.after ? afterWord(text, h.end).len : 0);
      const base = {
        value: h.value,
        ...(h.max !== undefined ? { max: h.max } : {}),
        unit: h.unit,
        comparator,
        metric: metricOf(text, subject && isOwnSubject ? Math.max(clauseStart, subject.end) : clauseStart, h),
        text: text.slice(h.start, endWithWord),
        span: [h.start, endWithWord] as Span,
      };
      const local = localPlace(text, clauseStart, h.start);
      if (local) {
        out.push({ ...base, jurisdictions: [local] });
        return;
      }
      const names = subject?.names ?? [];
      const isRespective = isLocalRespective || (subject?.isRespective ?? false);
      if (names.length > 1 && isRespective && list.length === names.length) {
        out.push({ ...base, jurisdictions: [names[idx]] });
      } else if (names.length > 1 && isRespective && list.length === 1) {
        for (const n of names) out.push({ ...base, jurisdictions: [n] });
      } else {
        out.push({ ...base, jurisdictions: [...names] });
      }
    });
  }
}

/** A place written right before the number ("其中淇滨区9公里、开发区5.5公里"). */
function localPlace(text: string, clauseStart: number, start: number): string | null {
  let p = start;
  const limit = Math.max(clauseStart, start - 12);
  while (p > limit && text[p - 1] !== '、' && text[p - 1] !== '（' && text[p - 1] !== '(') p--;
  let prefix = text.slice(p, start).trim();
  prefix = prefix.replace(/^(?:其中|包括)/, '');
  if (prefix.length < 2) return null;
  return isPlaceName(prefix) ? prefix : null;
}

const METRIC_STRIP_RE =
  /(?:要|均|需|应|分别|达到|不低于|不少于|不小于|不超过|不大于|不宜超过|低于|小于|超过|突破|力争|确保|基本|全部|完成|实现)+$/;

function metricOf(text: string, from: number, h: Hit): string {
  let m = text.slice(Math.max(from, h.start - 24), h.start);
  m = m.replace(/^[\s、，,]+/, '').replace(METRIC_STRIP_RE, '').replace(/的$/, '');
  if (m.length < 2) {
    const after = text.slice(h.end, h.end + 24);
    const stop = after.search(/[，,。；;、(（]/);
    m = (stop >= 0 ? after.slice(0, stop) : after).replace(/^(?:及|或)?以上|^以下|^以内|^的/, '');
  }
  return m.replace(/[“”"]/g, '').trim().slice(0, 24);
}
