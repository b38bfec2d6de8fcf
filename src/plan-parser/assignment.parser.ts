/**
 * Assignment clauses: who leads, who is responsible, who cooperates.
 *
 * Two written forms are recognised, in brackets (any of ( ) （ ） 【 】, mixed widths) or as a line
 * of their own:
 * - labelled: "牵头单位:市城乡规划管理局,责任单位:各县区政府、管委" (any subset, any order);
 * - inline:   "国家发展改革委牵头，财政部、住房城乡建设部配合", "各省级人民政府负责".
 * A task table flattened to text (one cell per line, or columns split by tabs) is read by its
 * column headers ("事项 / 责任单位 / 牵头单位").
 * Brackets are paired with one stack pass, so unbalanced input stays linear.
 */
import type { Role, Span } from './plan-extract.types.ts';
import { findTypeSuffix, normaliseUnitList, type UnitToken } from './unit-name.normaliser.ts';

/** A role-tagged unit found in an assignment. */
export interface RoleUnit extends UnitToken {
  role: Role;
  /** The rule that gave the role (role.label:牵头单位, role.verb:负责 …; see `Why`). */
  rule?: string;
}

/** One assignment as written, before document-level rules (列第一位者为牵头单位, 不再列出) apply. */
export interface RawAssignment {
  span: Span;
  units: RoleUnit[];
  /** Written in the inline "…负责" form, where 列第一位者为牵头单位 may apply. */
  isInlineResponsible: boolean;
  /** This clause says its first listed unit leads. */
  hasFirstLeads: boolean;
  /** …and that the rule holds for later clauses too (下同). */
  hasFirstLeadsOnward: boolean;
  /**
   * Units a note inside the bracket says every task involves ("具体任务均涉及相关市(州)人民政府，不再做
   * 分工，下同"): responsible here and, with 下同, in every later clause.
   */
  carried?: RoleUnit[];
  carriedOnward?: boolean;
}

const MAX_BRACKET = 600;
// 〈 〉: OCR reads （ as 〈; a 〈title〉 pair holds no role word and is passed over.
const OPEN = new Set(['(', '（', '【', '〔', '〈']);
const CLOSE = new Set([')', '）', '】', '〕', '〉']);
const ROLE_CHAR_RE = /[牵责配参协指主落]/g;
const BRACKET_RE = /[()（）【】〔〕〈〉\n]/g;

function hasPositionBetween(sorted: number[], lo: number, hi: number): boolean {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (sorted[mid] <= lo) a = mid + 1;
    else b = mid;
  }
  return a < sorted.length && sorted[a] < hi;
}

// A label starts the text or follows a separator, so "各有关责任部门" is a name, not a label.
// 牵头责任单位 / 协同责任单位 (Anhui-style 重点工作分解) combine a role with 责任.
const LABEL_WORD = '(牵头责任|牵头负责|协同责任|配合责任|主要责任|具体责任|直接责任|牵头|责任|主责|主办|配合|协办|协助|协同|参与)';
// A label follows a separator, or carries its colon (OCR text glues "区发改局责任单位：…").
const LABEL_RE = new RegExp(
  `(?:(?<=^|[，,；;。\\s、])|(?=${LABEL_WORD.replace('(', '(?:')}(?:单位|部门|主体)\\s*[:：]))${LABEL_WORD}(?:单位|部门|主体)\\s*[:：]?`,
  'g',
);
// OCR reads the colon after a label as a semicolon: "(牵头单位; 市科技局…".
const LABEL_START_RE = new RegExp(`^[\\s，,；;。]*${LABEL_WORD}(?:单位|部门|主体)\\s*[:：;；]`);
/** Labels whose value is a time, not units: "完成时限：2018年12月底". */
/** …and so are labels that name a person: "责任领导：张三", "牵头负责领导：刘惠". */
const NOTE_LABEL_RE =
  /(?<=^|[，,；;。\s])(?:完成时限|完成时间|完成期限|时间节点|时限要求|时限|进度安排|(?:牵头负责|牵头|责任|分管|联系|包抓|包保|协调)?[市区县省]?领导(?:同志)?)\s*[:：][^，,；;。]*/g;
/** A part of an inline bracket that states when, not who: "年内持续推进", "2020年底前完成", "长期坚持". */
const TIME_NOTE_RE =
  /^(?:年内|今年|当年|本年度?|年底前?|上半年|下半年|第?[一二三四]季度|\d{4}\s?年|\d{1,2}\s?月|[0-9一二三四五六七八九十]+\s?年内|持续|长期|逐步|常态化|分阶段|分年度|分步|按年度|每年|定期)[^，,；;。]{0,20}$/;
/** "具体任务均涉及X，不再做分工，下同" / "以下…均需X落实，不再列出": X is carried to the clauses. */
const CARRY_NOTE_RE =
  /均(?:涉及|需|由|要|应|为)([^。；;，,]{2,80}?)(?:负责|落实|参与|承担)?[，,]?\s*不再(?:做|作|一一|单独)?(?:分工|列出|列举|明确)([^。；;]{0,20}?)[。；;，,]?\s*(?=$|[。；;])/;
const VERB_RE =
  /(?<![（(])(按照职责分工负责|按职责分工负责|按照职责分工落实|按职责分工落实|按职责负责|分工负责|分工落实|分别负责|分别落实|共同负责|共同落实|负责落实|牵头负责|牵头|负责|配合|参与|协同|协办|协助|指导)(?=$|[，,；;。、\s）)】]|等)/g;
// "除标注“分别牵头”外，列第一位为牵头或汇总单位，下同": an exception clause may come first, and the
// lead may be named together with another duty (牵头或汇总单位). Every part is bounded.
const FIRST_LEADS_RE =
  /[，,；;。]?\s*(?:除[^，,；;。()（）]{1,20}?外[，,]?\s*)?(?:列|排)(?:在)?(?:第一|首)(?:位|个)?(?:的|者)?(?:单位|部门)?(?:为|是)牵头(?:或[\u4e00-\u9fff]{1,4}?(?:单位|部门)|单位|部门)?(?:[，,；;]?\s*下同)?/;
/** A bracket left empty once its note is blanked: "市卫健委(          )". */
const EMPTY_BRACKET_RE = /[(（]\s*[)）]/g;
const TRAILER_RE = /[，,；;。]\s*下同\s*$|下同\s*$/;

function roleOfLabel(label: string): Role {
  if (label.startsWith('牵头')) return 'lead';
  if (/^(?:责任|主责|主办|主要责任|具体责任|直接责任)$/.test(label)) return 'responsible';
  return 'cooperating';
}

const blank = (s: string) => ' '.repeat(s.length);
const EXPLANATION_START_RE = /^\s*(?:即|如|含|包括|包含|指|是指|主要是|主要指|简称|以下简称|下称)/;

/** Blanks the parts of an assignment body that state times or carry notes; offsets are kept. */
function maskNotes(body: string): { body: string; carried: string | null; carriedAt: number; onward: boolean } {
  let out = body.replace(NOTE_LABEL_RE, blank);
  let carried: string | null = null;
  let carriedAt = -1;
  let onward = false;
  const c = out.includes('不再') ? CARRY_NOTE_RE.exec(out) : null;
  if (c) {
    carried = c[1];
    carriedAt = c.index + 3;
    onward = c[2].includes('下同');
    // The note is the whole sentence around 均…: "具体任务均涉及…，下同。"
    let from = c.index;
    while (from > 0 && !/[。；;，,]/.test(out[from - 1]) && c.index - from < 30) from--;
    const to = c.index + c[0].length;
    out = out.slice(0, from) + blank(out.slice(from, to)) + out.slice(to);
  }
  // Inline time notes are comma-separated parts with no role word.
  let rebuilt = '';
  for (const part of out.split(/([，,；;。])/)) {
    const t = part.trim();
    rebuilt += t.length > 0 && TIME_NOTE_RE.test(t) && !VERB_ONLY_RE.test(t) ? blank(part) : part;
  }
  return { body: rebuilt, carried, carriedAt, onward };
}
const VERB_ONLY_RE = /(?:牵头|负责|分工落实|配合|参与|协同|协办|协助|指导)/;
const ADVERB_END_RE = /(?:分别|共同|联合|各自)$/;

function roleOfVerb(verb: string): Role {
  if (verb.startsWith('牵头')) return 'lead';
  // "…等部门分工负责", "…等分工落实": the list before the duty phrase is responsible.
  if (verb.includes('负责') || verb.endsWith('落实')) return 'responsible';
  return 'cooperating';
}

/**
 * Reads a chunk of units where "X牵头" / "Y配合" may re-tag parts; units with no verb get
 * `defaultRole`. Returns null when some part is not a plausible unit list.
 */
function readRoleText(chunk: string, base: number, defaultRole: Role | null, defaultRule = 'role.default'): RoleUnit[] | null {
  const out: RoleUnit[] = [];
  let from = 0;
  VERB_RE.lastIndex = 0;
  for (let m = VERB_RE.exec(chunk); m; m = VERB_RE.exec(chunk)) {
    // "市人力社保局、市农业农村局分别牵头": the adverb belongs to the verb, not to the last name.
    const units = chunk.slice(from, m.index).replace(ADVERB_END_RE, blank);
    const role = roleOfVerb(m[1]);
    if (!pushUnits(out, units, base + from, role, `role.verb:${m[1]}`)) return null;
    from = m.index + m[0].length;
  }
  const rest = chunk.slice(from).replace(/^[\s，,；;。、]+|[\s，,；;。、]+$/g, '');
  if (rest.length > 0) {
    if (defaultRole === null) return null;
    if (!pushUnits(out, chunk.slice(from), base + from, defaultRole, defaultRule)) return null;
  }
  return out;
}

const NOT_UNIT_RE = /[0-9０-９%％的《》“”"]|[是将把对要]|以下|不再|列出|简称|包括|其中/;
/** A short quoted word inside a name is part of it: 市“两新”组织党工委, 市“三旧”改造办. */
const QUOTED_WORD_RE = /[“"][\u4e00-\u9fff]{1,8}[”"](?=[\u4e00-\u9fff])/g;

function pushUnits(out: RoleUnit[], list: string, base: number, role: Role, rule = 'role.default'): boolean {
  const trimmed = list.replace(/^[\s，,；;。、]+/, '');
  const offset = list.length - trimmed.length;
  const clean = trimmed.replace(/[\s，,；;。、]+$/, '');
  if (clean.length === 0) return true;
  if (clean.length > 400 || NOT_UNIT_RE.test(clean.replace(QUOTED_WORD_RE, (w) => '名'.repeat(w.length)))) return false;
  for (const t of normaliseUnitList(clean, base + offset)) {
    if (t.name.length < 2) continue;
    // "市住建局（牵头）" inside a list marks the lead.
    out.push({ ...t, role: t.isMarkedLead ? 'lead' : role, rule: t.isMarkedLead ? 'role.mark' : rule });
  }
  return true;
}

/** Parses the inside of a bracket (or a label line); null when it is not an assignment. */
export function parseAssignmentText(content: string, base: number): Omit<RawAssignment, 'span'> | null {
  if (content.length === 0 || /不再(?:一一)?列出/.test(content)) return null;
  // "（即村民民主提事、…和新村民民主参与）": a bracket that explains a term assigns nobody.
  if (EXPLANATION_START_RE.test(content)) return null;
  let body = content;
  let hasFirstLeads = false;
  let hasFirstLeadsOnward = false;
  const fl = FIRST_LEADS_RE.exec(body);
  if (fl) {
    hasFirstLeads = true;
    hasFirstLeadsOnward = fl[0].includes('下同');
    body = body.slice(0, fl.index) + ' '.repeat(fl[0].length) + body.slice(fl.index + fl[0].length);
    body = body.replace(EMPTY_BRACKET_RE, blank);
  }
  const trailer = TRAILER_RE.exec(body);
  if (trailer) body = body.slice(0, trailer.index) + ' '.repeat(body.length - trailer.index);
  const masked = maskNotes(body);
  body = masked.body;
  const carry: Pick<RawAssignment, 'carried' | 'carriedOnward'> = {};
  if (masked.carried) {
    carry.carried = normaliseUnitList(masked.carried, base + masked.carriedAt)
      .filter((t) => t.name.length >= 2)
      .map((t) => ({ ...t, role: 'responsible' as Role, rule: 'role.carried' }));
    carry.carriedOnward = masked.onward || trailer !== null;
  }
  if (LABEL_START_RE.test(body)) {
    const units: RoleUnit[] = [];
    const labels: { role: Role; start: number; end: number; label: string }[] = [];
    LABEL_RE.lastIndex = 0;
    for (let m = LABEL_RE.exec(body); m; m = LABEL_RE.exec(body)) {
      labels.push({ role: roleOfLabel(m[1]), start: m.index, end: m.index + m[0].length, label: m[0].replace(/[\s:：]+$/, '') });
    }
    for (let i = 0; i < labels.length; i++) {
      const segEnd = i + 1 < labels.length ? labels[i + 1].start : body.length;
      const seg = body.slice(labels[i].end, segEnd);
      const got = readRoleText(seg, base + labels[i].end, labels[i].role, `role.label:${labels[i].label}`);
      if (got === null) return null;
      units.push(...got);
    }
    if (units.length === 0) return null;
    return { units, isInlineResponsible: false, hasFirstLeads, hasFirstLeadsOnward, ...carry };
  }
  if (body.length > 300) return null;
  VERB_RE.lastIndex = 0;
  if (!VERB_RE.test(body)) return null;
  const units = readRoleText(body, base, null);
  if (!units || units.length === 0) return null;
  const isInlineResponsible = units.some((u) => u.role === 'responsible');
  return { units, isInlineResponsible, hasFirstLeads, hasFirstLeadsOnward, ...carry };
}

/**
 * Finds every assignment in the document, in order. Brackets nested inside an accepted assignment
 * are not reported again.
 */
export function findAssignments(text: string): RawAssignment[] {
  const found: RawAssignment[] = [];
  const stack: number[] = [];
  // Positions of the characters every role word contains: a bracket pair without one is skipped
  // by a binary search, so bracket soup never costs a slice per pair.
  const rolePos: number[] = [];
  ROLE_CHAR_RE.lastIndex = 0;
  for (let m = ROLE_CHAR_RE.exec(text); m; m = ROLE_CHAR_RE.exec(text)) rolePos.push(m.index);
  BRACKET_RE.lastIndex = 0;
  for (let m = BRACKET_RE.exec(text); m; m = BRACKET_RE.exec(text)) {
    const ch = m[0];
    const i = m.index;
    if (ch === '\n') {
      // Assignments never span lines; dropping unclosed brackets keeps the stack small.
      stack.length = 0;
    } else if (OPEN.has(ch)) {
      stack.push(i);
    } else {
      const open = stack.pop();
      if (open === undefined || i - open > MAX_BRACKET || !hasPositionBetween(rolePos, open, i)) continue;
      const parsed = parseAssignmentText(text.slice(open + 1, i), open + 1);
      if (parsed) found.push({ span: [open, i + 1], ...parsed });
    }
  }
  found.push(...findLabelLines(text));
  found.push(...findTableRows(text));
  found.sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1]);
  const out: RawAssignment[] = [];
  let lastEnd = -1;
  for (const a of found) {
    if (a.span[0] < lastEnd) continue;
    out.push(a);
    lastEnd = a.span[1];
  }
  return out;
}

// A label line starts a line or sentence, or (text without line breaks) follows the person line
// before it: "牵头市领导:汤飞帆责任单位:市发改委".
const LABEL_LINE_RE = new RegExp(
  `(?:^|(?<=[。；;\\n])|(?<=领导(?:同志)?\\s?[:：]\\s?[\\u4e00-\\u9fff·]{2,4}))[ \\t\\u3000]*${LABEL_WORD}(?:单位|部门)\\s*[:：]`,
  'gm',
);

/** What may separate two label lines of one assignment: blanks, and time or person lines. */
const NOTE_LINE_START_RE =
  /^(?:完成时限|完成时间|完成期限|时间节点|时限要求|时限|(?:牵头负责|牵头|责任|分管|联系|包抓|包保|协调)?[市区县省]?领导(?:同志)?)\s*[:：]/;

function isBetweenLabels(between: string): boolean {
  if (between.length > MAX_BRACKET) return false;
  for (const part of between.split(/[\n。；;]/)) {
    const t = part.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
    if (t.length > 0 && !NOTE_LINE_START_RE.test(t)) return false;
  }
  return true;
}
const NEXT_HEADING_RE = /(?<![\d.．])\d{1,2}[.．﹒](?!\d)|[一二三四五六七八九十]{1,3}、|[(（](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]/g;

/**
 * "责任单位：市发改委" written as its own line or sentence, not in brackets. Consecutive label
 * lines (牵头部门：… / 责任部门：… / 配合部门：…) form one assignment.
 */
function findLabelLines(text: string): RawAssignment[] {
  const spans: Span[] = [];
  LABEL_LINE_RE.lastIndex = 0;
  for (let m = LABEL_LINE_RE.exec(text); m; m = LABEL_LINE_RE.exec(text)) {
    const start = m.index + (m[0].length - m[0].trimStart().length);
    const last = spans[spans.length - 1];
    if (last && start < last[1]) continue;
    // The clause runs to the end of the line, or to a 。 or (text without line breaks) the next
    // numbered heading before it.
    const nl = text.slice(start, start + MAX_BRACKET).indexOf('\n');
    let end = nl >= 0 ? start + nl : Math.min(text.length, start + MAX_BRACKET);
    if (isInsideBracket(text, start)) continue;
    const window = text.slice(start, end);
    const dot = window.indexOf('。');
    if (dot >= 0) end = start + dot;
    NEXT_HEADING_RE.lastIndex = 0;
    const head = NEXT_HEADING_RE.exec(window);
    if (head && start + head.index < end) end = start + head.index;
    if (end - start >= MAX_BRACKET) continue;
    if (last && isBetweenLabels(text.slice(last[1], start)) && end - last[0] <= MAX_BRACKET) last[1] = end;
    else spans.push([start, end]);
  }
  const out: RawAssignment[] = [];
  for (const span of spans) {
    const parsed = parseAssignmentText(text.slice(span[0], span[1]), span[0]);
    if (parsed) out.push({ span, ...parsed });
  }
  return out;
}

function isInsideBracket(text: string, pos: number): boolean {
  for (let i = pos - 1; i >= 0 && i > pos - MAX_BRACKET; i--) {
    const ch = text[i];
    if (CLOSE.has(ch) || ch === '\n') return false;
    if (OPEN.has(ch)) return true;
  }
  return false;
}

// ---- task tables flattened to text ------------------------------------------------------------
//
// A 任务分工 table copied from a web page or a .docx arrives one cell per line: a header row
// ("序号 / 事项 / 责任单位 / 牵头单位"), then per row its number, the task and one cell per column.
// The role of each cell comes from its column header, so the cells carry no labels of their own.

const HEADER_CELL_MAX = 8;
const MAX_COLUMNS = 12;
const ITEM_HEADER_RE =
  /^(?:事项|任务|重点任务|工作任务|主要任务|具体任务|任务内容|工作内容|重点工作|工作事项|目标任务|主要内容|内容|指标|具体措施|工作措施)$/;
const ROLE_HEADER_RE = new RegExp(`^${LABEL_WORD}(?:单位|部门)$`);
const ROW_NUMBER_RE = /^\d{1,3}[.．、]?$/;

interface Line {
  text: string;
  start: number;
}

const CELL_SEP_RE = /\t|\s\|\s?|\s?\|(?=\s|$)/g;

/**
 * The non-empty cells of the text, trimmed, with their offsets, in one pass: a cell is a line, or a
 * part of a line between tabs or " | " (a table copied with its columns on one line).
 */
function linesOf(text: string): Line[] {
  const out: Line[] = [];
  const push = (raw: string, at: number) => {
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim();
    if (t.length > 0) out.push({ text: t, start: at + lead });
  };
  let from = 0;
  while (from <= text.length) {
    let nl = text.indexOf('\n', from);
    if (nl < 0) nl = text.length;
    const line = text.slice(from, nl);
    let cellFrom = 0;
    CELL_SEP_RE.lastIndex = 0;
    for (let m = CELL_SEP_RE.exec(line); m; m = CELL_SEP_RE.exec(line)) {
      push(line.slice(cellFrom, m.index), from + cellFrom);
      cellFrom = m.index + m[0].length;
      if (m[0].length === 0) CELL_SEP_RE.lastIndex++;
    }
    push(line.slice(cellFrom), from + cellFrom);
    from = nl + 1;
  }
  return out;
}

/** Reads the unit list of one cell, or null when the cell is not a list of units. */
function readCell(cell: Line): RoleUnit[] | null {
  if (cell.text.length > 200 || /[。：:]/.test(cell.text)) return null;
  const out: RoleUnit[] = [];
  if (!pushUnits(out, cell.text, cell.start, 'responsible') || out.length === 0) return null;
  // Every item must look like an organisation or a place's government, not a phrase.
  return out.every((u) => findTypeSuffix(u.name) !== '' || /[县区市镇乡街道)）]$/.test(u.name)) ? out : null;
}

function findTableRows(text: string): RawAssignment[] {
  const out: RawAssignment[] = [];
  if (!text.includes('\n') && !text.includes('\t')) return out;
  const lines = linesOf(text);
  for (let i = 0; i < lines.length; i++) {
    // A header: consecutive short cells holding an item column and, after it, role columns.
    if (!ITEM_HEADER_RE.test(lines[i].text)) continue;
    const columns: (Role | null)[] = [];
    const headers: string[] = [];
    let j = i + 1;
    while (j < lines.length && j - i <= MAX_COLUMNS && lines[j].text.length <= HEADER_CELL_MAX && !ROW_NUMBER_RE.test(lines[j].text)) {
      const m = ROLE_HEADER_RE.exec(lines[j].text);
      if (m) columns.push(roleOfLabel(m[1]));
      else if (columns.length === 0) break;
      else columns.push(null);
      headers.push(lines[j].text);
      j++;
    }
    while (columns.length && columns[columns.length - 1] === null) columns.pop();
    if (!columns.some((c) => c !== null)) continue;
    // Rows: a number, the task, then one cell per column. Cells of a merged first column
    // (分类) stand before the number and are passed over.
    let k = j;
    let misses = 0;
    while (k < lines.length && misses < 3) {
      if (!ROW_NUMBER_RE.test(lines[k].text)) {
        k++;
        misses++;
        continue;
      }
      const cells = lines.slice(k + 2, k + 2 + columns.length);
      if (k + 1 >= lines.length || cells.length < columns.length) break;
      const units: RoleUnit[] = [];
      let ok = true;
      for (let c = 0; c < columns.length && ok; c++) {
        const role = columns[c];
        if (role === null) continue;
        const got = readCell(cells[c]);
        if (!got) ok = false;
        else
          for (const u of got)
            units.push({ ...u, role: u.isMarkedLead ? 'lead' : role, rule: u.isMarkedLead ? 'role.mark' : `role.table:${headers[c]}` });
      }
      if (!ok) break;
      misses = 0;
      // A unit named in the lead column and again among the responsible ones is the lead only.
      const leads = new Set(units.filter((u) => u.role === 'lead').map((u) => u.name));
      const kept = units.filter((u) => u.role === 'lead' || !leads.has(u.name));
      const last = cells[cells.length - 1];
      out.push({
        span: [cells[0].start, last.start + last.text.length],
        units: kept,
        isInlineResponsible: false,
        hasFirstLeads: false,
        hasFirstLeadsOnward: false,
      });
      k += 2 + columns.length;
    }
    i = Math.max(i, k - 1);
  }
  return out;
}
