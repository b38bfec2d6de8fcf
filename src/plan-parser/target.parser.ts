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
/** Units of measure that may stand alone or on either side of a "/" (吨标准煤/万元, 克/千瓦时). */
const MEASURE =
  '(?:个百分点|百分点|个工作日|工作日|个月|平方公里|平方米|立方米|千瓦时|千瓦|兆瓦|公里|千米|公顷|公斤|千克|毫克|微克|蒸吨|吨|亩|米|克|升|秒|元|人次|人|名|户|%|％|个|座|条|所|处|家|台|辆|套|间|张|项|栋|幢|盏|棵|株|批|场次|场|次|分钟|小时|天|倍|床|件|只|头|支|大类|岁|年|km|㎡)';
/**
 * Units that are a target only with a comparator word: "不超过5年", "3个月以上", "超过80岁" (not "5年内…",
 * "60岁的…"); for 年 and 岁 the word must come before the number.
 */
const NEEDS_CMP_UNIT_RE = /^(?:年|岁|个月)$/;
/** What a measure may be "of": 吨标准煤, 万吨二氧化碳. */
const MEASURE_OF = '(?:标准煤|标煤|油当量|二氧化碳当量|二氧化碳)';
/** A denominator: "/万元", "/千瓦时", "/平方米", "/万人". */
const PER = '(?:万\\s?|亿\\s?)?(?:万元|元|千瓦时|平方米|立方米|平方公里|公里|秒|升|万人|人|户|年|天|小时|吨|亩|公顷)';
// The whole compound is the unit: 38000万吨标准煤, 0.5吨标准煤/万元, 300克/千瓦时, 5立方米/秒, 3人/万人.
// A bare 万 / 亿 with no measure word is a unit of its own when a comparator or the clause end
// follows: "新增就业人数24万以上".
const UNIT = `(?:(?:万\\s?|亿\\s?)?${MEASURE}(?:${MEASURE_OF})?(?:\\s?[/／]\\s?${PER}(?:${MEASURE_OF})?)?|[万亿](?=\\s?(?:以上|以下|以内|左右|[，,。；;、）)]|$)))`;
// Lookbehinds make every digit run start once, so a 100,000-digit run is scanned in linear time.
// "20%—30%" writes the unit on both ends of a range.
const TARGET_RE = new RegExp(
  `(?=[\\d${CN}])(?<![\\d.${CN}])${NUM}(?:[%％]?\\s?[—–\\-－‐‑~～〜至到]\\s?${NUM})?\\s?(?:余|多)?(${UNIT})`,
  'g',
);
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
  ['不得低于', '>='],
  ['不应低于', '>='],
  ['不宜低于', '>='],
  ['不得少于', '>='],
  ['不应少于', '>='],
  ['不低于', '>='],
  ['不少于', '>='],
  ['不小于', '>='],
  ['不下于', '>='],
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
const ACTION_BEFORE_RE =
  /(?:新建|建成|建设|完成|打造|新增|培育|创建|改造|建立|设立|开工|实施|配套|设置|改建|续建|提升|增加|减少|增长|提高|降低|扩大|发展|引进)$/;
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

/** The comparator word before a number, for `why` ("不低于", "至少…"). */
function beforeWord(text: string, start: number): string {
  const s = text.slice(Math.max(0, start - 12), start).replace(/\s+/g, '');
  for (const [w] of BEFORE_CMP) if (s.endsWith(w)) return w;
  const m = GAP_CMP_RE.exec(s) ?? SHARE_CMP_RE.exec(text.slice(Math.max(0, start - 40), start));
  return m ? m[1] : '';
}

/** A comparator word right before the number, or before a short verb ("至少打造1个"). */
function comparatorBefore(text: string, start: number): Comparator | null {
  // OCR text may space the word out ("不 少 于 15个").
  const s = text.slice(Math.max(0, start - 12), start).replace(/\s+/g, '');
  for (const [w, c] of BEFORE_CMP) if (s.endsWith(w)) return c;
  GAP_CMP_RE.lastIndex = 0;
  const m = GAP_CMP_RE.exec(s) ?? SHARE_CMP_RE.exec(text.slice(Math.max(0, start - 40), start));
  if (!m) return null;
  for (const [w, c] of BEFORE_CMP) if (m[1].endsWith(w)) return c;
  return null;
}
const GAP_CMP_RE =
  /(不宜超过|不得超过|不应超过|不超过|不大于|不高于|不多于|不得低于|不应低于|不宜低于|不得少于|不应少于|不低于|不少于|不小于|超过|达到)[^\d，,。；;：:、（）()“”]{1,4}$/;
/** "不低于居住用地供应总量的70%": the comparator governs a share "of" a base written between them. */
const SHARE_CMP_RE =
  /(不宜超过|不得超过|不应超过|不超过|不大于|不高于|不多于|不得低于|不应低于|不宜低于|不得少于|不应少于|不低于|不少于|不小于|超过|达到)[^\d，,。；;：:（）()]{2,30}的$/;

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
    const unit = m[3].replace(/\s+/g, '');
    const end = start + m[0].length;
    const prev = text[start - 1] ?? '';
    // Ordinals (第3), document numbers (〔2016〕), codes (PM2.5, GB 50311) and products (7×24小时).
    if (prev === '第' || prev === '〔' || prev === '[' || prev === '×' || prev === '*' || /[A-Za-z]/.test(prev)) continue;
    if (/^(?:月|季度|年)/.test(text.slice(end, end + 3)) && unit.endsWith('个')) continue;
    if (/^[A-Za-z]/.test(text.slice(end, end + 1))) continue;
    // "11.121人才梯队项目": an item number glued to a name that starts with digits is no decimal.
    if (/^\d{1,2}[.．]\d/.test(m[1]) && /(?:^|\n)[ \t\u3000]*$/.test(text.slice(Math.max(0, start - 8), start))) continue;
    // "121人才": 人 is part of a word, not the unit.
    if (unit.endsWith('人') && text[end] === '才') continue;
    const isCn = !/\d/.test(m[1]);
    const value = parseNumber(m[1]);
    if (value === null) continue;
    // Years ("2018年") reach here through the 年 unit; drop them before any comparator is read.
    if (unit === '年' && (value >= 100 || m[2] !== undefined)) continue;
    const max = m[2] !== undefined ? (parseNumber(m[2]) ?? undefined) : undefined;
    const before = comparatorBefore(text, start);
    const aw = afterWord(text, end);
    if (isCn && !acceptChinese(text, start, m[1], unit, value, before ?? aw.cmp)) continue;
    if (NEEDS_CMP_UNIT_RE.test(unit)) {
      // "35岁以下的青年", "居住一年以上的人员" say who is eligible; "超过80岁", "不超过5年" set the number.
      const cmp = unit === '个月' ? (before ?? aw.cmp) : before;
      if (cmp === null) continue;
    }
    if (aw.len > 0 && before === null && isSubjectThreshold(text, start, end + aw.len, unit)) continue;
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

/** Count words: "30个以上智慧社区" counts the communities, so it is a target, not a threshold. */
const COUNT_UNIT_RE = /(?:个|座|条|所|处|家|台|辆|套|间|张|项|栋|幢|盏|棵|株|批|次|件|只|头|床|%|％|百分点)$/;
/** A verb that sets the number: "建成…", "控制在…", "降至…" make it a target. */
const SETS_NUMBER_RE =
  /(?:新建|建成|建设|完成|打造|新增|培育|创建|改造|建立|设立|实施|配套|设置|提升|增加|减少|增长|提高|降低|下降|扩大|发展|引进|达到|达|控制在|保持在|稳定在|降至|降到|提高到|提高至|提升到|提升至|压减至|压缩至|增至|为|在|至|到|约|共|累计)$/;
/** What follows "以上/以下" when the number says which subjects: a noun phrase, then what is done to all of them. */
const THRESHOLD_AFTER_RE =
  /^(?:的)?[\u4e00-\u9fffA-Za-z]{1,16}?(?=\d|全部|均|一律|全面|全都|逐步|要|应|须|必须|实行|实施|纳入|执行|淘汰|关停|开展|安装|完成)/;
const THRESHOLD_DE_RE = /^的[\u4e00-\u9fff]{2,}/;

/**
 * "年综合能耗5000吨标准煤以上的企业全部纳入监测", "10蒸吨以下燃煤锅炉全部淘汰": a measure with 以上/以下
 * that qualifies the noun after it names which subjects are meant; it is no target of the plan.
 * A count ("30个以上智慧社区") or a number set by a verb ("控制在…以下") stays a target.
 */
function isSubjectThreshold(text: string, start: number, end: number, unit: string): boolean {
  if (COUNT_UNIT_RE.test(unit)) return false;
  const word = text.slice(end - 3, end);
  if (!/(?:以上|以下)$/.test(word)) return false;
  let b = start;
  while (b > 0 && start - b < 12 && !/[，,；;。：:\n]/.test(text[b - 1])) b--;
  if (SETS_NUMBER_RE.test(text.slice(b, start).replace(/\s+$/, ''))) return false;
  const after = text.slice(end, end + 24);
  return THRESHOLD_DE_RE.test(after) || THRESHOLD_AFTER_RE.test(after);
}

/** Chinese numerals are often part of names ("两区", "四个全面", "二次供水"); keep only clear counts. */
function acceptChinese(text: string, start: number, numeral: string, unit: string, value: number, cmp: Comparator | null): boolean {
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
  /** Record on each target the rules that read it (`why`). */
  explain?: boolean;
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
  const state: MetricState = { lastMetric: '', pending: [] };
  let pending: RegExpExecArray | null = null;
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
    // A separator found past a heading is kept for the next clause, so no text is scanned twice.
    let sep: RegExpExecArray | null;
    if (pending && pending.index >= clauseStart) sep = pending;
    else {
      CLAUSE_SEP_RE.lastIndex = Math.max(CLAUSE_SEP_RE.lastIndex, clauseStart);
      sep = CLAUSE_SEP_RE.exec(text);
    }
    pending = null;
    let clauseEnd = sep ? sep.index : text.length;
    // A heading inside the clause (text without line breaks) ends it: "…目标1﹒全省生产总值增长7%".
    const reset = ri < ctx.resets.length ? ctx.resets[ri] : -1;
    let resetsHere = false;
    if (reset > clauseStart && reset < clauseEnd) {
      clauseEnd = reset;
      resetsHere = true;
      pending = sep;
      sep = null;
    }
    if (clauseStart < clauseEnd) {
      const s = readSubject(text, clauseStart, clauseEnd);
      if (s) subject = s;
      while (hi < hits.length && hits[hi].start < clauseStart) hi++;
      const inClause: Hit[] = [];
      while (hi < hits.length && hits[hi].start < clauseEnd) {
        const h = hits[hi++];
        if (!isSkipped(h.start, ctx.skipSpans, si)) inClause.push(h);
      }
      if (inClause.length) emitClause(text, clauseStart, clauseEnd, inClause, s ?? subject, s !== null, out, state, ctx.explain === true);
    }
    if (resetsHere) {
      clauseStart = clauseEnd;
      continue;
    }
    if (!sep) break;
    if (/[。！？!?\n]/.test(sep[0])) {
      subject = null;
      state.lastMetric = '';
      state.pending = [];
    }
    clauseStart = clauseEnd + 1;
  }
  return out;
}

const MAX_PENDING = 16;
const CHANGE_ONLY_RE = /^(?:年均|同比|年平均)?(?:提高|提升|增长|增加|下降|降低|减少)$/;
const CHANGE_END_RE = /(?:提高|提升|增长|增加|下降|降低|减少)$/;

/** The metric of the latest number of the sentence, for numbers that write none of their own. */
interface MetricState {
  lastMetric: string;
  /**
   * Targets whose text names only examples ("淇滨大道、九州路等4条"): the thing counted is named by a
   * later number of the sentence ("…黄河路等2条主干道沿线标识景观"), which fills them in.
   */
  pending: Target[];
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
  state: MetricState,
  explain = false,
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
      // "达到75%左右" is 达到 (>=); 左右 alone is "=".
      const after = h.after === '=' && h.before ? null : h.after;
      const comparator = after ?? h.before ?? trailing ?? leading ?? '=';
      const endWithWord = h.end + (h.after ? afterWord(text, h.end).len : 0);
      let local = localPlace(text, clauseStart, h.start);
      // The place is the subject itself ("安阳、鹤壁、新乡三市分别达到30%…"), not a part of it.
      if (local && subject && isOwnSubject && h.start - LOCAL_SPAN.length < subject.end) local = null;
      // "确保A区、B区、C区50%的城市社区…": the place before the number closes the subject list, so the
      // number is for the whole list.
      if (local && subject && isOwnSubject && subject.names.length > 1 && subject.names[subject.names.length - 1] === local) {
        if (text.slice(subject.end, h.start).trim() === '') local = null;
      }
      const info = { isNameList: false };
      let metric = metricOf(text, subject && isOwnSubject ? Math.max(clauseStart, subject.end) : clauseStart, h, info);
      if (local && metric.startsWith(local)) metric = cleanMetric(metric.slice(local.length));
      // "分别达到25%、20%" and "其中淇滨区9公里" count the same thing as the number before them;
      // "…达到52.5%，比上年提高10个百分点" changes it.
      let metricRule = 'metric.own';
      if (info.isNameList) {
        // Keep the names until a later number of the sentence says what they are.
        metricRule = 'metric.pending';
      } else if (metric.length < 2) {
        metric = state.lastMetric;
        metricRule = 'metric.carried';
      } else if (CHANGE_ONLY_RE.test(metric) && state.lastMetric) {
        metric = `${state.lastMetric.replace(CHANGE_END_RE, '').replace(/(?:总量|规模)$/, '')}${metric}`;
        metricRule = 'metric.change';
      } else {
        state.lastMetric = metric;
        for (const p of state.pending) if (p.unit === h.unit) p.metric = metric;
        state.pending = state.pending.filter((p) => p.unit !== h.unit);
      }
      const before = out.length;
      const base = {
        value: h.value,
        ...(h.max !== undefined ? { max: h.max } : {}),
        unit: h.unit,
        comparator,
        metric,
        text: text.slice(h.start, endWithWord),
        span: [h.start, endWithWord] as Span,
      };
      const names = subject?.names ?? [];
      const isRespective = isLocalRespective || (subject?.isRespective ?? false);
      let jurisRule: string;
      if (local) {
        out.push({ ...base, jurisdictions: [local] });
        jurisRule = 'juris.local';
      } else if (names.length > 1 && isRespective && list.length === names.length) {
        out.push({ ...base, jurisdictions: [names[idx]] });
        jurisRule = 'juris.pair';
      } else if (names.length > 1 && isRespective && list.length === 1) {
        for (const n of names) out.push({ ...base, jurisdictions: [n] });
        jurisRule = 'juris.each';
      } else {
        // A counted list read as one ("郑州、洛阳、开封三市均要…") is named by its label.
        out.push({ ...base, jurisdictions: subject?.label ? [subject.label] : [...names] });
        jurisRule = subject?.label
          ? 'juris.label'
          : names.length
            ? isOwnSubject
              ? 'juris.subject'
              : 'juris.subject-carried'
            : 'juris.none';
      }
      if (explain) {
        const cmpRule = after
          ? `cmp.after:${text.slice(h.end, endWithWord)}`
          : h.before
            ? `cmp.before:${beforeWord(text, h.start)}`
            : trailing || leading
              ? `cmp.list:${trailing ? 'after' : 'before'}`
              : 'cmp.none';
        const why = [`unit:${h.unit}`, cmpRule, jurisRule, metricRule];
        for (let k = before; k < out.length; k++) out[k].why = why;
      }
      if (info.isNameList) {
        state.pending.push(...out.slice(before));
        // A sentence names its thing within a few numbers; the list stays short on any input.
        if (state.pending.length > MAX_PENDING) state.pending.splice(0, state.pending.length - MAX_PENDING);
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
  LOCAL_SPAN.length = start - p;
  if (isPlaceName(prefix)) return prefix;
  // "、非重点区域城市下降5%": a place, then only the verb that sets the number.
  const verb = LOCAL_VERB_RE.exec(prefix);
  if (verb && verb.index >= 2) {
    const place = prefix.slice(0, verb.index);
    if (isPlaceName(place)) return place;
  }
  return null;
}
/** How far before the number the last local place began (read right after localPlace). */
const LOCAL_SPAN = { length: 0 };
const LOCAL_VERB_RE = /(?:要|均|分别)?(?:下降|降低|提高|提升|增长|增加|减少|达到|达|为|不低于|不少于|不超过|低于|控制在|超过)$/;

// ---- metric: a short noun phrase for what is counted -------------------------------------------
//
// Plans write the counted thing either before the number ("绿化覆盖率达到39%", "新建公厕70座") or
// after it ("设置不少于70个直饮水点", "打通70%的断头路"). The phrase is cut from the clause, cleared of
// dates, subjects, modal words and comparator verbs, and, when only a verb is left before the
// number, completed with the noun after it ("易涝点消除比例", "直饮水点", "新建公厕").

const METRIC_LEAD_RE = new RegExp(
  '^(?:' +
    [
      '\\s+',
      '\\d{1,2}[.．﹒、](?!\\d)',
      '[(（](?:\\d{1,2}|[一二三四五六七八九十]{1,3})[)）]',
      '[一二三四五六七八九十]{1,3}、',
      '[①-⑳]',
      '(?:到|至|截至|截止|于|在)?\\s?(?:\\d{4}\\s?年)?\\s?(?:\\d{1,2}\\s?月)?\\s?(?:\\d{1,2}\\s?[日号])?\\s?(?:年底|年末|底|末|上半年|下半年)(?:之前|以前|前)?',
      '(?:到|至|截至|截止|于|在)?\\s?\\d{4}\\s?年(?:\\d{1,2}\\s?月)?(?:之前|以前|前)?',
      '(?:到|至)?\\s?\\d{1,2}\\s?月(?:\\d{1,2}\\s?[日号])?(?:之前|以前|前)',
      // A span of time or a verb of consequence: "带动未来五年制造业投资1000亿元".
      '(?:带动|拉动|撬动)?未来[一二三四五六七八九十两\\d]{1,2}年|带动|拉动|撬动',
      // A batch is no thing counted: "全市首批100个示范社区".
      '首批|第[一二三四五六七八九十]批|新一批',
      '以下|以上|今年|全年|年内|当年|本年度?|每年|力争|确保|争取|努力|成功|至少|不少于|不低于|不小于|不超过|达到|要|均要|均|都|分别|各|需|应|必须|全面|基本|按照|根据|其中|约|共|累计|合计|并|同时|另外|此外|总计',
      // A comparison base: "比“十一五”末提高了10个百分点".
      '比[^，,。；;]{1,10}?(?=提高|提升|增长|增加|下降|降低|减少)',
      // A leading verb that only says "do": 完成达标街区 → 达标街区 (not 完成率).
      '(?:完成|建成(?!区)|建设|打造|设置|实现|开展|推进|配套完善|构建)(?=[^率量数度]{2})',
    ].join('|') +
    ')',
);
const METRIC_TAIL_RE =
  /(?:以下|以上|要|均|需|应|分别|达到|达|不低于|不少于|不小于|不超过|不大于|不高于|不宜超过|不得超过|不应超过|低于|小于|高于|大于|超过|突破|至少|力争|确保|基本|全部|实现|提高到|提高至|提升到|提升至|控制在|保持在|稳定在|压缩至|压缩到|压减至|压减到|降至|降到|降低到|降低至|下降到|下降至|增加到|增至|增长到|为|约|在|的|共|累计)+$/;
/** Verbs that say what is done to the counted thing; alone they are no metric. */
const METRIC_VERB =
  '(?:新建、改建|续建、新建|新建|新增|新开工|开工建设|开工|改扩建|改建|扩建|续建|改造提升|提升改造|改造|建成|建设|打造|设置|配套完善|配套建设|配套|完成|实现|打通|消除|培育|创建|引进|整治|治理|处理|推广|安装|种植|栽植|铺设|敷设|更新|建立|设立|组建|举办|开展|实施|推进|拆除|清理|完善|提供|发放|招聘|培训|帮扶|吸纳|提升|达标|覆盖)';
const VERB_ONLY_RE = new RegExp(`^(?:${METRIC_VERB}[、和及与]?)+$`);
/** Verbs that are part of what is counted: "新建公厕" is not "公厕". */
const KEEP_VERB_RE =
  /^(?:新建、改建|续建、新建|新建|新增|新开工|开工(?!建设)|改扩建|改建|扩建|续建|改造提升|提升改造|改造|培育|创建|引进|拆除)/;
/** A process noun already names a share: "公厕改造" → 公厕改造比例. */
const PROCESS_END_RE = /(?:改造|整治|建设|治理|处理|收集|利用|覆盖|达标|修复|绿化|硬化|亮化|渠化|普及|使用|回收)$/;
const SCOPE_BEFORE_VERB_RE = new RegExp(`^(?:建成区|城区|中心城区|主城区|市区|县城|城市|农村|城镇)(?=${METRIC_VERB})`);
const QUOTES_RE = /[“”"「」『』‘’]/g;
const NOUN_VERB_RE = new RegExp(METRIC_VERB, 'g');
const SCOPE_RE = /^(?:建成区|城区|中心城区|主城区|市区|县城|城市|农村|城镇|全市|全省|全县|全区)$/;
const SCOPE_TAIL_RE = /(?:^|[和及与、])(?:建成区|城区|中心城区|主城区|市区|县城|城市|农村|城镇|全市|全省|全县|全区)$/;
/** A distributive scope opening the phrase: "每个街道建设3—5个" counts what is built, per street. */
const PER_SCOPE_RE = new RegExp(`^每(?:一)?个?[\\u4e00-\\u9fff]{1,6}?(?=${METRIC_VERB})`);
const SHARE_OF_RE = /^(.{2,10}?)(?:要|均要|需|应)?(?:达到|达|占)(.{2,8})$/;

/** OCR debris that is never part of a name: stray braces, bars, lone brackets. */
const OCR_DEBRIS_RE = /[{}｛｝|¦〈〉<>[\]［］_~～^`]/g;
/** A "metric" that is only a unit or a comparator word says nothing about what is counted. */
const NOT_METRIC_RE = new RegExp(`^(?:以下|以上|以内|之内|左右|及以上|及以下|${MEASURE}|万|亿|标准煤)+$`);

function cleanMetric(s: string): string {
  // Latin abbreviations in brackets ("(GDP)", "(R&D)") and a mid-phrase 力争 are no part of the name.
  let m = s
    .replace(OCR_DEBRIS_RE, '')
    .replace(QUOTES_RE, '')
    .replace(/[(（][A-Za-z&\s]{1,10}[)）]/g, '')
    .replace(/(?:力争|确保|争取)(?=增长|提高|达到|实现)/g, '');
  for (let i = 0; i < 6; i++) {
    const before = m;
    m = m.replace(METRIC_LEAD_RE, '').replace(/^[\s、，,的]+/, '');
    if (m === before) break;
  }
  m = m.trim().replace(/了$/, '').replace(METRIC_TAIL_RE, '').replace(SCOPE_BEFORE_VERB_RE, '').replace(PER_SCOPE_RE, '').trim();
  return NOT_METRIC_RE.test(m) ? '' : m;
}

/** The noun written after the number: "70个直饮水点，" → 直饮水点; "70%的“断头路”“卡脖路”" → 断头路卡脖路. */
function nounAfter(text: string, h: Hit, isShare: boolean): string {
  let p = h.end + afterWord(text, h.end).len;
  // A short bracketed remark is no part of the noun: "省级物业服务(居住物业)示范项目".
  const after = text
    .slice(p, p + 32)
    .replace(QUOTES_RE, '')
    .replace(/[(（][^()（）]{1,8}[)）]/g, '');
  let n = after.replace(/^(?:的|左右)/, '');
  // A count names its thing before 的 ("5个示范街区的整改工作"); a share names the work after it
  // ("30%主干道的路口整治工作").
  const stop = n.search(isShare ? /[，,。；;、（(：:\n]|以上|以下|以内|左右/ : /[，,。；;、（(：:\n的]|以上|以下|以内|左右/);
  n = (stop >= 0 ? n.slice(0, stop) : n)
    .trim()
    .replace(/的/g, '')
    .replace(/(?:工作|任务)$/, '');
  p = n.search(/[和及与](?=\d)/);
  if (p > 0) n = n.slice(0, p);
  // "住宅小区开展社区居民委员会…": the noun ends where a verb starts a new phrase.
  NOUN_VERB_RE.lastIndex = 0;
  for (let v = NOUN_VERB_RE.exec(n); v; v = NOUN_VERB_RE.exec(n)) {
    if (v.index >= 2 && n.length - v.index - v[0].length >= 2) {
      n = n.slice(0, v.index);
      break;
    }
  }
  return /\d/.test(n) ? '' : n;
}

/** Keeps a long phrase readable: the head noun comes last in Chinese, so cut at the last 的. */
function shorten(m: string): string {
  let out = m;
  if (out.length > 12) {
    const de = out.lastIndexOf('的');
    if (de >= 0 && out.length - de - 1 >= 3) out = out.slice(de + 1);
  }
  return out.length > 20 ? out.slice(out.length - 20) : out;
}

function metricOf(text: string, from: number, h: Hit, info: { isNameList: boolean } = { isNameList: false }): string {
  let raw = text.slice(Math.max(from, h.start - 40), h.start);
  // Only what follows the previous number belongs to this one ("建成13个中心、14个站" → 站 for 14).
  const lastDigit = raw.search(/\d[^\d]*$/);
  if (lastDigit >= 0) {
    const rest = raw.slice(lastDigit + 1);
    const sep = rest.search(/[、和及与]/);
    if (sep >= 0) raw = rest.slice(sep + 1);
  }
  // A window that starts inside a bracket keeps only what follows it: "…基础设施)全流程审批时间".
  // A long bracketed remark is no part of the name: "工程建设项目(主要是…)全流程审批时间".
  raw = raw.replace(/[(（][^()（）]{4,}[)）]/g, '');
  const close = Math.max(raw.lastIndexOf(')'), raw.lastIndexOf('）'));
  if (close >= 0 && Math.max(raw.lastIndexOf('('), raw.lastIndexOf('（')) < 0) raw = raw.slice(close + 1);
  const m = cleanMetric(raw);
  const isShare = h.unit === '%' || h.unit === '％' || h.unit.endsWith('百分点');
  const noun = cleanMetric(nounAfter(text, h, isShare));
  // "淇滨大道、九州路等4条主干道": the listed names are examples; the noun after is the metric.
  if (/等$/.test(raw.trim())) {
    if (noun.length >= 2) return shorten(noun);
    // "…要完成淇滨大道、九州路等4条，…等2条主干道": the names wait for a later noun.
    if (raw.includes('、')) info.isNameList = true;
  }
  if (isShare) {
    // "面积要达到建成区的10%" / "完成建成区4%海绵城市建设": a share of a place.
    const of = SHARE_OF_RE.exec(m);
    if (of && SCOPE_RE.test(of[2])) return `${of[1]}占${of[2]}比例`;
    if (SCOPE_RE.test(m) && noun.length >= 2) return shorten(`${noun}占${m}比例`);
  }
  // "构建城市15分钟健身圈", "…拆除工作和建成区57.46万平方米棚户区改造任务": a scope word right
  // before the number says where, and the noun after says what is counted.
  if (!isShare && noun.length >= 2 && SCOPE_TAIL_RE.test(m)) return shorten(noun);
  if (m.length >= 2 && !VERB_ONLY_RE.test(m)) return shorten(m);
  if (!m) return shorten(noun);
  if (!noun) return m;
  if (isShare) return shorten(PROCESS_END_RE.test(noun) ? `${noun}比例` : `${noun}${m}比例`);
  return shorten(KEEP_VERB_RE.test(m) ? `${m}${noun}` : noun);
}
