/**
 * Unit-name normalisation for the role lists of an assignment clause.
 *
 * Plans save characters by sharing parts of names across a 、-list; the ledger needs each unit's
 * full name. Three kinds of sharing are undone here, all by local rules rather than a dictionary so
 * that plans from any city or ministry are handled:
 * - a level prefix (市/省/县/区) written once at the head of the list ("市财政局、城乡规划管理局");
 * - a type suffix written once at the tail ("移动、联通、铁塔鹤壁分公司", "浚县、淇县政府");
 * - a leading qualifier (各/有关/相关) shared by bare heads ("各县区政府、管委", "各区、县级市").
 */

/** One unit of a role list: as written and normalised, with its offset in the document. */
export interface UnitToken {
  mention: string;
  name: string;
  start: number;
  end: number;
  /** Written with a "（牵头）" mark inside a list. */
  isMarkedLead?: boolean;
  /** How the name was completed (name.prefix:市, name.suffix:局, name.qualifier:各, name.etc:等部门). */
  rules?: string[];
}

function note(t: UnitToken, rule: string): void {
  if (t.rules) t.rules.push(rule);
  else t.rules = [rule];
}

const LEVEL_CHARS = new Set(['市', '省', '县', '区']);

/** Endings that mark a name as an organisation (longest first so 分公司 wins over 公司). */
const TYPE_SUFFIXES = [
  '工作领导小组',
  '领导小组',
  '人民政府',
  '成员单位',
  '委员会',
  '办公室',
  '管委会',
  '分公司',
  '分行',
  '支行',
  '政府',
  '管委',
  '公司',
  '集团',
  '银行',
  '中心',
  '党委',
  '党组',
  '部门',
  '单位',
  '机构',
  '街道',
  '协会',
  '医院',
  '学院',
  '大学',
  '总队',
  '支队',
  '大队',
  '分局',
  '海关',
  '局',
  '委',
  '办',
  '厅',
  '部',
  '署',
  '处',
  '科',
  '室',
  '院',
  '所',
  '站',
  '队',
  '会',
  '社',
  '馆',
  '台',
  '团',
  '校',
  '组',
  '联',
  '镇',
  '乡',
];

/** Bare heads that take the qualifier of the list's first item ("各县区政府、管委" → 各县区管委). */
const BARE_HEADS = new Set([
  '政府',
  '人民政府',
  '管委',
  '管委会',
  '党委',
  '党组',
  '部门',
  '单位',
  '有关部门',
  '县级市',
  '市',
  '县',
  '区',
  '县区',
  '乡镇',
  '街道',
]);

const QUALIFIERS = ['各', '有关', '相关', '所有'];
const LEVEL_STEM_RE = /^(?:县|区|市|乡镇|乡|镇|县区|县级市)(?:[（(][^）)]{1,6}[）)])?$/;

const PROVINCES = [
  '北京',
  '天津',
  '河北',
  '山西',
  '内蒙古',
  '辽宁',
  '吉林',
  '黑龙江',
  '上海',
  '江苏',
  '浙江',
  '安徽',
  '福建',
  '江西',
  '山东',
  '河南',
  '湖北',
  '湖南',
  '广东',
  '广西',
  '海南',
  '重庆',
  '四川',
  '贵州',
  '云南',
  '西藏',
  '陕西',
  '甘肃',
  '青海',
  '宁夏',
  '新疆',
  '国家',
  '国务院',
  '中国',
  '中央',
  '全国',
  '中共',
  '共青团',
];

const LEAD_MARK_RE = /[（(]牵头(?:单位|部门)?[）)]$/;
const ENTERPRISE_RE = /公司|集团|银行|分行|支行|有限|股份/;
const VERTICAL_RE = /^[\u4e00-\u9fff]{2,4}(?:海关|海事局|出入境边防检查站|边检站|邮政管理局|气象局|烟草专卖局)$/;
/**
 * Bodies that carry their own, non-local authority: river-basin commissions, the civil-aviation
 * and central-bank branches, the state grid and railway groups, customs. A province's 省 written
 * once at the head of a list is never theirs: 长江水利委员会, 民航河南监管局, 人民银行郑州中心支行.
 */
const OWN_AUTHORITY_RE =
  /^(?:国网|国家电网|南方电网|南网|中铁|中国|人民银行|人行|民航|银保监|证监|海关)|(?:水利委员会|流域管理局|河务局|铁路局|局集团|供电公司|电力公司|分行|中心支行|海关|铁塔[\u4e00-\u9fff]{0,4}分公司)$/;
/** A proper place at the start: 淇滨区政府, 浚县政府, 鹤壁供电… (1–6 chars then a place type). */
const PLACE_START_RE = /^[\u4e00-\u9fff]{1,6}?(?:自治州|自治县|县|区|市|省|州|旗|盟)/;
const NOT_PLACE_STARTS = /^(?:城区|市场|区域|县域|市政|城市|社区|小区|园区|片区|街区)/;
const TRAILING_ETC_RE = /(?:等(?:有关|相关)?(?:部门|单位|部门和单位|单位和部门)?|等)$/;
const SEPARATORS_GROUP = new Set(['，', ',', '；', ';']);
const BRACKET_OPEN = new Set(['(', '（', '[', '【', '〔', '《', '“']);
const BRACKET_CLOSE = new Set([')', '）', ']', '】', '〕', '》', '”']);

/** Returns the organisation-type ending of a name ("局", "鹤壁分公司" → "分公司"), or "". */
export function findTypeSuffix(name: string): string {
  for (const s of TYPE_SUFFIXES) if (name.length > s.length - 1 && name.endsWith(s)) return s;
  return '';
}

/** The single-character level prefix a name starts with (市/省/县/区), or "". */
function levelPrefixOf(name: string): string {
  if (name.length < 3 || !LEVEL_CHARS.has(name[0])) return '';
  if (NOT_PLACE_STARTS.test(name)) return '';
  // 县区政府 / 市区… are not level-prefixed department names.
  // …but 省市场监管局 is 省 + 市场监管局.
  if (LEVEL_CHARS.has(name[1]) && !NOT_PLACE_STARTS.test(name.slice(1))) return '';
  return name[0];
}

/** True when a name must not receive a shared level prefix (see README "Roles"). */
function refusesPrefix(name: string): boolean {
  if (name.length === 0) return true;
  if (LEVEL_CHARS.has(name[0]) || name[0] === '州') return true;
  if (QUALIFIERS.some((q) => name.startsWith(q)) || name.startsWith('全')) return true;
  if (/^.{0,2}[市县区省]委/.test(name)) return true;
  if (ENTERPRISE_RE.test(name)) return true;
  // Vertically managed bodies are named after their place: 合肥海关, 天津海事局, 莲都邮政管理局.
  if (VERTICAL_RE.test(name)) return true;
  if (OWN_AUTHORITY_RE.test(name)) return true;
  if (PROVINCES.some((p) => name.startsWith(p))) return true;
  if (PLACE_START_RE.test(name) && !NOT_PLACE_STARTS.test(name)) return true;
  if (BARE_HEADS.has(name)) return true;
  return false;
}

/** A qualifier may be compound ("各有关区、县级市" → 各有关区, 各有关县级市): the whole run is shared. */
const QUALIFIER_RUN_RE = new RegExp(`^(?:${QUALIFIERS.join('|')}){1,3}`);

function qualifierOf(name: string): string {
  const m = QUALIFIER_RUN_RE.exec(name);
  return m && name.length > m[0].length ? m[0] : '';
}

/**
 * Splits a role list into 、-groups separated by commas/semicolons, ignoring separators inside
 * brackets so "各县(市、区)" stays one item. Returns items with their offsets relative to `text`.
 */
function splitItems(text: string): { text: string; start: number; group: number }[] {
  const out: { text: string; start: number; group: number }[] = [];
  let depth = 0;
  let group = 0;
  let itemStart = 0;
  const push = (end: number) => {
    let s = itemStart;
    let e = end;
    while (s < e && /[\s\u3000]/.test(text[s])) s++;
    while (e > s && /[\s\u3000。.]/.test(text[e - 1])) e--;
    if (e > s) out.push({ text: text.slice(s, e), start: s, group });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    // "市级各有关部门及各县市区政府": 及/以及 joins two units when a whole name ends before it.
    if (depth === 0 && (ch === '及' || (ch === '以' && text[i + 1] === '及')) && isUnitJoin(text, itemStart, i)) {
      push(i);
      if (ch === '以') i++;
      itemStart = i + 1;
      continue;
    }
    // "市发展改革委会同市财政局等部门负责": 会同 (together with) joins two units like 及.
    if (depth === 0 && ch === '会' && text[i + 1] === '同' && i > itemStart && isUnitJoin(text, itemStart, i)) {
      push(i);
      i++;
      itemStart = i + 1;
      continue;
    }
    if (BRACKET_OPEN.has(ch)) depth++;
    else if (BRACKET_CLOSE.has(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === '、' || SEPARATORS_GROUP.has(ch))) {
      push(i);
      itemStart = i + 1;
      if (SEPARATORS_GROUP.has(ch)) group++;
    }
  }
  push(text.length);
  return out;
}

const JOIN_NEXT_RE = /^(?:各|有关|相关|所属|[市县区省]|[\u4e00-\u9fff]{1,6}?(?:县|区|市|省|州))/;

function isUnitJoin(text: string, itemStart: number, at: number): boolean {
  const left = text.slice(itemStart, at).trim();
  const rightStart = text[at] === '以' || text[at] === '会' ? at + 2 : at + 1;
  const right = text.slice(rightStart, rightStart + 30).split(/[、，,；;]/)[0];
  return left.length >= 2 && findTypeSuffix(left) !== '' && right.length >= 2 && findTypeSuffix(right) !== '' && JOIN_NEXT_RE.test(right);
}

/**
 * Splits and normalises one role list ("市财政局、城乡规划管理局") into unit tokens.
 * `base` is the document offset of `text`, so tokens carry document spans.
 */
export function normaliseUnitList(text: string, base = 0): UnitToken[] {
  const items = splitItems(text);
  const tokens: UnitToken[] = [];
  const groups = new Map<number, UnitToken[]>();
  for (const it of items) {
    // 等 / 等部门 closes a list: the units before it are the ones meant.
    const etc = TRAILING_ETC_RE.exec(it.text);
    const mention = (etc ? it.text.slice(0, etc.index) : it.text).trim().replace(/^(?:由|请|并由|会同)/, '');
    const isMarkedLead = LEAD_MARK_RE.test(mention);
    const bare = isMarkedLead ? mention.replace(LEAD_MARK_RE, '') : mention;
    if (bare.length === 0 || bare.length > 60) continue;
    const tok: UnitToken = { mention: bare, name: bare, start: base + it.start, end: base + it.start + bare.length };
    if (isMarkedLead) tok.isMarkedLead = true;
    if (etc) note(tok, `name.etc:${etc[0]}`);
    tokens.push(tok);
    const g = groups.get(it.group) ?? [];
    g.push(tok);
    groups.set(it.group, g);
  }
  for (const g of groups.values()) {
    distributeSuffix(g);
    distributeQualifier(g);
  }
  distributePrefix(tokens);
  return tokens;
}

/** Shared type suffix, written once on the last item, is copied to the suffix-less items before it. */
function distributeSuffix(group: UnitToken[]): void {
  if (group.length < 2) return;
  const last = group[group.length - 1];
  const suffix = findTypeSuffix(last.name);
  if (!suffix || BARE_HEADS.has(last.name)) return;
  const run: UnitToken[] = [];
  for (let i = group.length - 2; i >= 0; i--) {
    const t = group[i];
    if (findTypeSuffix(t.name) || t.name.length > 20) break;
    // "各地区、各有关部门" are two groups; "各省辖市、县（市）政府" shares 政府.
    if (qualifierOf(t.name) && qualifierOf(last.name)) break;
    run.unshift(t);
  }
  if (run.length === 0) return;
  const remainder = last.name.slice(0, last.name.length - suffix.length);
  let shared = suffix;
  // The stem is a place ("鹤山区政府"): only the type is shared.
  if (!/(?:县|区|市|省|州|旗)$/.test(remainder)) {
    const stemLen = Math.min(remainder.length, ...run.map((t) => t.name.length - levelPrefixOf(t.name).length));
    shared = remainder.slice(stemLen) + suffix;
  }
  for (const t of run) {
    t.name = t.name + shared;
    note(t, `name.suffix:${shared}`);
  }
}

/** A qualifier (各/有关) on the first item is shared by bare heads after it. */
function distributeQualifier(group: UnitToken[]): void {
  let lead: UnitToken | null = null;
  for (const t of group) {
    if (qualifierOf(t.name)) {
      lead = t;
      continue;
    }
    if (!lead) continue;
    const q = qualifierOf(lead.name);
    // "各省辖市、县（市）政府": a bare level word, perhaps bracketed, takes just the qualifier.
    const stem = t.name.slice(0, t.name.length - findTypeSuffix(t.name).length);
    if (!BARE_HEADS.has(t.name) && LEVEL_STEM_RE.test(stem)) {
      t.name = q + t.name;
      note(t, `name.qualifier:${q}`);
      continue;
    }
    if (!BARE_HEADS.has(t.name)) continue;
    const head = [...BARE_HEADS].filter((h) => lead!.name.endsWith(h)).sort((a, b) => b.length - a.length)[0];
    const isOrgHead = (h: string) => !['县级市', '市', '县', '区', '县区', '乡镇', '街道'].includes(h);
    if (head && isOrgHead(head) && isOrgHead(t.name)) {
      t.name = lead.name.slice(0, lead.name.length - head.length) + t.name;
      note(t, `name.qualifier:${lead.name.slice(0, lead.name.length - head.length)}`);
    } else {
      t.name = q + t.name;
      note(t, `name.qualifier:${q}`);
    }
  }
}

/** The level prefix of the latest prefixed item is given to later items that lack one. */
function distributePrefix(tokens: UnitToken[]): void {
  let prefix = '';
  for (const t of tokens) {
    const p = levelPrefixOf(t.name);
    if (p) {
      prefix = p;
      continue;
    }
    if (prefix && !refusesPrefix(t.name)) {
      t.name = prefix + t.name;
      note(t, `name.prefix:${prefix}`);
    }
  }
}
