/**
 * Who a number is for. Plans name the subject once at the head of a clause ("浚县、淇县分别设置
 * 不少于15个") or right before the number ("其中淇滨区9公里"); these helpers read both without a
 * gazetteer, so any city's districts are recognised by shape (…县/…区/…市) plus a stop-list of the
 * generic words that share that shape (小区, 建成区, 城市 …).
 */

/** Words that always name a jurisdiction in this genre. Longest first so 市主城区 wins over 市区. */
const STRONG = [
  // Categories of places a plan sets apart (round two): 重点区域城市 PM2.5 下降18%, 其他城市下降10%.
  '非重点区域城市',
  '重点区域城市',
  '非重点区域',
  '重点区域',
  '其他设区市',
  '其他城市',
  '其余城市',
  '其他地区',
  '其他县区',
  '其他县（市、区）',
  '其他县(市、区)',
  '中心城区',
  '地级及以上城市',
  '县级及以上城市',
  '地级以上城市',
  '县级以上城市',
  // Sub-district units named with their alternative in brackets, and "all of" a level.
  '全市各街（镇）',
  '全市各街(镇)',
  '全市各镇（街）',
  '全市各镇(街)',
  '各街（镇）',
  '各街(镇)',
  '各镇（街）',
  '各镇(街)',
  '各镇街',
  '全部乡镇',
  '全部街道',
  '全部镇',
  '所有乡镇',
  '所有街道',
  '所有镇',
  '各县（市、区）',
  '各县(市、区)',
  '各省（区、市）',
  '各省(区、市)',
  '各市（州）',
  '各市(州)',
  '市主城区',
  '市各城区',
  '各县市区',
  '市城区',
  '各城区',
  '主城区',
  '各县区',
  '各地区',
  '各地市',
  '市辖区',
  '各设区市',
  '设区的市',
  '设区市',
  '各省辖市',
  '省辖市',
  '各地级市',
  '各直辖市',
  '各县级市',
  '县级市',
  '各乡镇',
  '各街道',
  // The government's own level, as opposed to the whole territory: 区本级固定资产投资.
  '市本级',
  '区本级',
  '县本级',
  '省本级',
  '全市',
  '全省',
  '全国',
  '全区',
  '全县',
  '市区',
  '两县',
  '三县',
  '各市',
  '各省',
  '各县',
  '各区',
  '各地',
  '市级',
  '县级',
  '省级',
];
/** Words that name a jurisdiction only in a list or before 要/均/分别 ("城市、县城…分别达到"). */
const WEAK = ['市城市', '中心城区', '县城', '城市', '城区', '城镇', '农村', '乡村'];

const GENERIC_ENDINGS = [
  '建成区',
  '老城区',
  '新城区',
  '旧城区',
  '中心城区',
  '小区',
  '社区',
  '街区',
  '园区',
  '景区',
  '片区',
  '集聚区',
  '商业区',
  '功能区',
  '住宅区',
  '居住区',
  '风景区',
  '保护区',
  '安置区',
  '城市',
  '都市',
  '超市',
  '城区',
];
/** Generic only as whole words: 鹤山区 and 巴中地区 are places, 山区 and 地区 are not. */
const GENERIC_WORDS = new Set(['本市', '该市', '本区', '该区', '本县', '该县', '山区', '地区', '辖区', '县市', '新区', '市县']);
// 成 is left out: it starts place names (成都, 成华区), and 完成 / 达成 are stopped by their first character.
const STOP_CHARS = /[的要在对将把为以与和或推快施展升化设造达到完加强实现全面积极等了就是有做及]/;
const PROPER_RE = /[\u4e00-\u9fff]{1,5}?(?:自治区|自治州|自治县|新区|县|区|市|州|旗|盟)/y;
const PLACE_FULL_RE = /^[\u4e00-\u9fff]{1,8}(?:县|区|市|州|旗|盟)$/;
const AFTER_NOT_PLACE = /^[委长级场政直属辖民容貌属内外域情况]/;
const WEAK_MARK_RE = /^(?:要|均|都|分别|达到|达|完成|建成|新建|实现)/;
const CONNECTOR_RE = /、|以及|及|和|与/y;
const SKIP_RE =
  /\s+|(?:\d{1,2}|[一二三四五六七八九十两]{1,2})\s?年(?:内|来|间)|(?:\d{1,2}[.．﹒、](?!\d)|[(（](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]|[一二三四五六七八九十]{1,3}、|[①-⑳])|其中|同时|并且|另外|此外|力争|确保|争取|要|并|到|在|于|今年|年内|(?:\d{4}|[〇○零一二三四五六七八九]{4})\s?年(?:\s?\d{1,2}\s?月)?\s?(?:年底|年末|底|末|上半年|下半年)?\s?(?:之前|以前|前)?|\d{1,2}\s?月(?:\s?\d{1,2}\s?日)?\s?(?:底|末)?\s?(?:之前|前)?|年底前|年底/y;

function isGeneric(name: string): boolean {
  if (STRONG.includes(name)) return false;
  if (GENERIC_WORDS.has(name)) return true;
  // "单位地区生产总值能耗": 单位 opens a ratio, not a place.
  if (name.startsWith('单位')) return true;
  // 山城区 is a district; 老城区 / 新城区 are not.
  if (name.length === 3 && name.endsWith('城区') && !'老新旧主'.includes(name[0])) return false;
  return GENERIC_ENDINGS.some((g) => name.endsWith(g));
}

/** True when `s` as a whole names a place ("淇滨区", "城乡一体化示范区", "全市"). */
export function isPlaceName(s: string): boolean {
  if (STRONG.includes(s) || WEAK.includes(s)) return true;
  if (!PLACE_FULL_RE.test(s) || isGeneric(s)) return false;
  // Long names must still look like names, not clauses that happen to end in 区.
  if (s.length > 4 && STOP_CHARS.test(s.slice(0, -1).replace(/城乡|一体化|示范|开发|高新|经济|技术|新区/g, ''))) return false;
  return true;
}

const LIST_FIRST_CHARS = new Set([...STRONG, ...WEAK].map((w) => w[0]));

function matchPlace(text: string, p: number): { name: string; weak: boolean } | null {
  if (LIST_FIRST_CHARS.has(text[p])) return matchListed(text, p) ?? matchRegion(text, p) ?? matchProper(text, p);
  return matchRegion(text, p) ?? matchProper(text, p);
}

/**
 * A region a plan sets apart, named with 地区: "珠江三角洲地区民营科技园…不得低于…", "非珠三角地区…",
 * "沿海地区", "粤东西北地区". 地区生产总值 is a measure, not a place; "单位地区…" opens a ratio.
 */
const REGION_RE = /(?:非)?[\u4e00-\u9fff]{2,6}?地区(?!生产总值|生产|经济|发展)/y;

function matchRegion(text: string, p: number): { name: string; weak: boolean } | null {
  REGION_RE.lastIndex = p;
  const m = REGION_RE.exec(text);
  if (!m) return null;
  const name = m[0];
  const prefix = name.slice(name.startsWith('非') ? 1 : 0, -2);
  if (STOP_CHARS.test(prefix) || /^(?:单位|本|该|各|其他|其余|全)/.test(prefix) || /[区县市]/.test(prefix)) return null;
  if (/^[委长级政]/.test(text.slice(p + name.length, p + name.length + 1))) return null;
  return { name, weak: false };
}

/** "县城（城关镇）": a level word with the seat it means in brackets is one strong name. */
const SEAT_NOTE_RE = /[(（][\u4e00-\u9fff]{1,5}(?:镇|乡|街道)[)）]/y;

function matchListed(text: string, p: number): { name: string; weak: boolean } | null {
  for (const w of STRONG) if (text.startsWith(w, p)) return { name: w, weak: false };
  for (const w of WEAK) {
    if (!text.startsWith(w, p)) continue;
    SEAT_NOTE_RE.lastIndex = p + w.length;
    const note = SEAT_NOTE_RE.exec(text);
    return note ? { name: w + note[0], weak: false } : { name: w, weak: true };
  }
  return null;
}

/**
 * "郑州、洛阳、开封三市": short names listed and then counted with their level. The whole list is
 * the label; the names are kept for 分别 pairing.
 */
const COUNTED_LIST_RE = /((?:[\u4e00-\u9fff]{2,4}、){1,9}[\u4e00-\u9fff]{2,4})([两二三四五六七八九十])(个)?(市|县|区|县区|省|地)/y;

/**
 * "市、区（县级市）两级", "省市县三级": levels of government named together and counted; the whole
 * phrase is the label (the class 5, "levels").
 */
const LEVEL_LIST_RE =
  /(?:[省市县区乡镇](?:[(（][^()（）]{1,6}[)）])?[、和及与]?){1,3}[省市县区乡镇](?:[(（][^()（）]{1,6}[)）])?[两二三四]级/y;

function matchLevelList(text: string, p: number): string | null {
  LEVEL_LIST_RE.lastIndex = p;
  const m = LEVEL_LIST_RE.exec(text);
  return m ? m[0] : null;
}

function matchCountedList(text: string, p: number): { label: string; names: string[]; end: number } | null {
  COUNTED_LIST_RE.lastIndex = p;
  const m = COUNTED_LIST_RE.exec(text);
  if (!m) return null;
  const names = m[1].split('、');
  const count = '一两三四五六七八九十'.indexOf(m[2]) + 1 || (m[2] === '二' ? 2 : 0);
  if (count !== names.length || names.some((n) => STOP_CHARS.test(n))) return null;
  return { label: m[0], names, end: p + m[0].length };
}

function matchProper(text: string, p: number): { name: string; weak: boolean } | null {
  PROPER_RE.lastIndex = p;
  const m = PROPER_RE.exec(text);
  if (!m) return null;
  let name = m[0];
  // 郑州市 / 广州市: the shortest match stops at 州.
  const next = text[p + name.length];
  if (next === '市' || next === '县' || next === '区' || next === '盟') name += next;
  if (name.length < 2 || STOP_CHARS.test(name.slice(0, -1)) || isGeneric(name)) return null;
  if (AFTER_NOT_PLACE.test(text.slice(p + name.length, p + name.length + 1))) return null;
  return { name, weak: false };
}

/** The subject list read at the head of a clause. */
export interface Subject {
  names: string[];
  /** The names each stand for one place of a counted list ("郑州、洛阳、开封三市"), written as `label`. */
  label?: string;
  /** 分别 in the clause that names the subject: each later number is per place. */
  isRespective: boolean;
  end: number;
}

/**
 * Reads a subject list ("市城区及两县", "浚县、淇县", "城市、县城") at the start of the clause
 * [start, end), after skipping dates and connectives. Returns null when the clause has none.
 */
export function readSubject(text: string, start: number, end: number): Subject | null {
  let p = start;
  for (let i = 0; i < 6 && p < end; i++) {
    SKIP_RE.lastIndex = p;
    const m = SKIP_RE.exec(text);
    if (!m || m[0].length === 0) break;
    p += m[0].length;
  }
  const levels = matchLevelList(text, p);
  if (levels && p + levels.length <= end) {
    const rest = text.slice(p + levels.length, end);
    return { names: [levels], label: levels, isRespective: rest.includes('分别'), end: p + levels.length };
  }
  const counted = matchCountedList(text, p);
  if (counted && counted.end <= end) {
    const rest = text.slice(counted.end, end);
    return { names: counted.names, label: counted.label, isRespective: rest.includes('分别') || rest.startsWith('各'), end: counted.end };
  }
  const names: string[] = [];
  let allWeak = true;
  while (p < end && names.length < 12) {
    const place = matchPlace(text, p);
    if (!place) break;
    names.push(place.name);
    allWeak &&= place.weak;
    p += place.name.length;
    // A parenthesised breakdown after the subject ("市主城区(淇滨区、开发区)") is not the subject.
    if (text[p] === '(' || text[p] === '（') {
      const close = findClose(text, p, Math.min(end, p + 60));
      if (close > p) p = close + 1;
    }
    CONNECTOR_RE.lastIndex = p;
    const c = CONNECTOR_RE.exec(text);
    if (!c || p >= end) break;
    p += c[0].length;
  }
  if (names.length === 0) return null;
  if (allWeak && names.length === 1 && !WEAK_MARK_RE.test(text.slice(p, p + 2))) return null;
  const rest = text.slice(p, end);
  // "浚县、淇县各建3个" reads like 分别.
  return { names, isRespective: rest.includes('分别') || (names.length > 1 && rest.startsWith('各')), end: p };
}

function findClose(text: string, open: number, limit: number): number {
  for (let i = open + 1; i < limit; i++) if (text[i] === ')' || text[i] === '）') return i;
  return -1;
}
