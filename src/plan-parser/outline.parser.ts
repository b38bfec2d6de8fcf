/**
 * The numbered outline: 一、 / (一) / 1. / (1) / ① as a tree.
 *
 * Headings are found at line starts. Text that lost its line breaks (OCR) has none there, so then
 * headings are looked for mid-line, accepted only when they continue the numbering (二 after 一, a
 * first child 1 under (三)) and follow a sentence end or a heading: body numbers such as 5.5公里 or
 * "统一、" never satisfy both.
 */
import { parseChineseNumeral } from './chinese-numeral.ts';

/** A heading with the extent of its section. */
export interface OutlineNode {
  path: string[];
  title: string;
  /** Offset of the number token. */
  start: number;
  /** Offset just after the number token, where the title starts. */
  titleStart: number;
  /** Offset just after the heading title. */
  headEnd: number;
  /** End of the section (the next heading at the same or a higher level, or the text end). */
  end: number;
  depth: number;
}

interface Candidate {
  start: number;
  tokenEnd: number;
  style: number;
  num: number;
  token: string;
}

const CN_NUM = '一二三四五六七八九十';
const STYLE_RES: RegExp[] = [
  new RegExp(`([${CN_NUM}]{1,3})[、.．﹒]`, 'y'),
  new RegExp(`[(（]([${CN_NUM}]{1,3})[)）]`, 'y'),
  /(\d{1,2})(?:[.．﹒](?!\d)|、)/y,
  /[(（](\d{1,2})[)）]/y,
  /([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])/y,
  // 第一部分 / 第一章 / 第一节 / 第一篇: the whole token is the path element.
  new RegExp(`第([${CN_NUM}]{1,3})(?:部分|章|节|篇)[、.．﹒:：]?`, 'y'),
  // 附件1 / 附件 2 / 附件一 / 附件 (a single attachment): a root of its own after the body.
  new RegExp(`附\\s?件\\s?(\\d{1,2}|[${CN_NUM}]{1,3})?(?![\\d${CN_NUM}])\\s*[:：、.．]?`, 'y'),
];
const ATTACHMENT = 6;
/** Styles in the order they are tried at a line start (第X章 first: it is never a body number). */
const LINE_STYLES = [6, 5, 0, 1, 2, 3, 4];
const FLAT_RE = new RegExp(
  `[${CN_NUM}]{1,3}、|[(（][${CN_NUM}]{1,3}[)）]|(?<![\\d.])\\d{1,2}[.．﹒](?!\\d)|[(（]\\d{1,2}[)）]|[①-⑳]|第[${CN_NUM}]{1,3}(?:部分|章|节|篇)|附\\s?件\\s?(?:\\d{1,2}|[${CN_NUM}]{1,3})`,
  'g',
);
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

function candidateAt(text: string, p: number, styles: number[]): Candidate | null {
  for (const style of styles) {
    const re = STYLE_RES[style];
    re.lastIndex = p;
    const m = re.exec(text);
    if (!m) continue;
    if (style === ATTACHMENT) {
      const n = m[1] === undefined ? 1 : /\d/.test(m[1]) ? Number(m[1]) : (parseChineseNumeral(m[1]) ?? 0);
      if (n < 1 || n > 99) continue;
      return { start: p, tokenEnd: p + m[0].length, style, num: n, token: `附件${m[1] ?? ''}` };
    }
    const raw = m[1];
    const num = style === 4 ? CIRCLED.indexOf(raw) + 1 : /\d/.test(raw) ? Number(raw) : (parseChineseNumeral(raw) ?? 0);
    if (num < 1 || num > 99) continue;
    const token = style === 0 || style === 2 ? raw : style === 5 ? m[0].replace(/[、.．﹒:：]$/, '') : m[0];
    return { start: p, tokenEnd: p + m[0].length, style, num, token };
  }
  return null;
}

/** A line naming an attached file ("2、…任务分解表.docx") lists a file; it opens no section. */
const FILE_NAME_END_RE = /\.(?:docx?|xlsx?|pdf|wps|et|ofd|zip|rar)\s*$/i;
/** "11.121人才梯队项目": an item number whose title starts with digits, read only in sequence. */
const GLUED_ITEM_RE = /(\d{1,2})[.．](?=\d)/y;
/**
 * OCR splits an item number from its dot and misreads the dot: "2 .建设…", "6 ,培育…". Read only when
 * it continues the items before it (one item may have been lost to the OCR: "工.实施" for "1.实施").
 */
const OCR_ITEM_RE = /(\d{1,2})[ \t]+[.．,，、](?!\d)/y;
/** OCR reads an item's 1 as 工 or 丨: "工.实施创新驱动战略". No line of a plan starts so otherwise. */
const OCR_ONE_RE = /[工丨][ \t]*[.．,，](?=[\u4e00-\u9fff])/y;

function lineStartCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  let lastItem = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let nl = text.indexOf('\n', lineStart);
    if (nl < 0) nl = text.length;
    let p = lineStart;
    // A form feed starts each page of a PDF flattening.
    while (p < nl && /[ \t\u3000\r\f\ufeff]/.test(text[p])) p++;
    if (p < nl) {
      let c = candidateAt(text, p, LINE_STYLES);
      if (!c) {
        GLUED_ITEM_RE.lastIndex = p;
        const g = GLUED_ITEM_RE.exec(text);
        if (g && lastItem > 0 && Number(g[1]) === lastItem + 1)
          c = { start: p, tokenEnd: p + g[0].length, style: 2, num: Number(g[1]), token: g[1] };
      }
      if (!c) {
        OCR_ITEM_RE.lastIndex = p;
        const o = OCR_ITEM_RE.exec(text);
        const n = o ? Number(o[1]) : 0;
        if (o && n > lastItem && n <= lastItem + 2) c = { start: p, tokenEnd: p + o[0].length, style: 2, num: n, token: o[1] };
      }
      if (!c) {
        OCR_ONE_RE.lastIndex = p;
        const o = OCR_ONE_RE.exec(text);
        if (o) c = { start: p, tokenEnd: p + o[0].length, style: 2, num: 1, token: '1' };
      }
      if (c && c.style !== ATTACHMENT && FILE_NAME_END_RE.test(text.slice(c.tokenEnd, nl))) c = null;
      if (c?.style === 2) lastItem = c.num;
      if (c?.style === ATTACHMENT) {
        // "附件1" alone or with a short title; "附件1为…的清单。" is a sentence, not a heading.
        if (nl - c.tokenEnd <= 60 && !/[。；;，,]/.test(text.slice(c.tokenEnd, nl))) out.push(c);
      } else if (c && /[^\s\r]/.test(text.slice(c.tokenEnd, Math.min(nl, c.tokenEnd + 4)))) {
        // A heading needs words after its number on the same line.
        out.push(c);
        // "2．活化利用。（1）试点改造…": a first sub-heading may follow the heading's 。 on its line.
        const sub = firstChildAfterTitle(text, c, nl);
        if (sub) out.push(sub);
      }
    }
    lineStart = nl + 1;
  }
  return out;
}

/**
 * A heading written right after a short heading title on the same line ("2．活化利用。（1）试点改造").
 * Only a first number (1 / (1) / ① / (一)) of a style other than the heading's own counts, so body
 * enumerations never start a section here.
 */
function firstChildAfterTitle(text: string, c: Candidate, lineEnd: number): Candidate | null {
  const limit = Math.min(lineEnd, c.tokenEnd + 40);
  const dot = text.slice(c.tokenEnd, limit).indexOf('。');
  if (dot < 1) return null;
  let p = c.tokenEnd + dot + 1;
  while (p < lineEnd && /[ \t\u3000]/.test(text[p])) p++;
  const sub = candidateAt(text, p, [1, 3, 4, 2]);
  if (sub?.num !== 1 || sub.style === c.style || sub.style === 0 || sub.style === 5) return null;
  return /[^\s\r]/.test(text.slice(sub.tokenEnd, Math.min(lineEnd, sub.tokenEnd + 4))) ? sub : null;
}

/** Offset of the last "二、" that follows a sentence end: proof that the text has an outline. */
function lastSecondHeading(text: string): number {
  const re = /[。；;！？!?)）”"\s]二、/g;
  let last = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m.index;
  return last;
}

/**
 * Headings of text that lost (some of) its line breaks. With `lineStarts`, the candidates found at
 * line starts are taken as they are and only the mid-line ones must prove themselves: an OCR'd
 * page keeps some breaks and runs other headings into the sentences around them
 * ("…现提出如下意见。一、总体目标(一)基本原则。").
 */
function flatCandidates(text: string, lineStarts: Map<number, Candidate> | null = null): Candidate[] {
  const out: Candidate[] = [];
  const stack: { style: number; num: number }[] = [];
  let lastHeadEnd = -1000;
  const secondAt = lastSecondHeading(text);
  const accept = (c: Candidate, idx: number) => {
    if (c.style === ATTACHMENT) stack.length = 0;
    else if (c.style === 5) stack.length = stack[0]?.style === ATTACHMENT ? 1 : 0;
    else if (idx >= 0) stack.length = idx;
    stack.push({ style: c.style, num: c.num });
    out.push(c);
    lastHeadEnd = c.tokenEnd;
  };
  FLAT_RE.lastIndex = 0;
  for (let m = FLAT_RE.exec(text); m; m = FLAT_RE.exec(text)) {
    const known = lineStarts?.get(m.index);
    if (known) {
      accept(
        known,
        stack.findIndex((e) => e.style === known.style),
      );
      continue;
    }
    const c = candidateAt(text, m.index, [6, 5, 0, 1, 3, 2, 4]);
    if (!c) continue;
    const prev = text[c.start - 1] ?? '\n';
    const isAfterSentence = /[。；;！？!?)）”"\s:：]/.test(prev);
    if (c.style === ATTACHMENT) {
      // "。附件1 …技术规范": after the body and a sentence end; "(附件1)" / "见附件1" are mentions.
      if (stack.length > 0 && /[。；;！？!?\s]/.test(prev)) accept(c, -1);
      continue;
    }
    const idx = stack.findIndex((e) => e.style === c.style);
    const isNext = idx >= 0 ? c.num === stack[idx].num + 1 : c.num === 1 && (stack.length > 0 || c.style === 0);
    if (!isNext) continue;
    const isAfterHeading = c.start - lastHeadEnd <= 60 && !text.slice(lastHeadEnd, c.start).includes('。');
    // The first 一、 often follows the title with no punctuation ("…工作方案一、总体要求").
    const isFirstOfOutline = stack.length === 0 && c.style === 0 && c.start < secondAt;
    if (!isAfterSentence && !isAfterHeading && !isFirstOfOutline) continue;
    accept(c, idx);
  }
  return out;
}

const GLUED_TOP_RE = new RegExp(`[。；;！？!?][ \\t\\u3000]*(?:[${CN_NUM}]{1,3}、|第[${CN_NUM}]{1,3}(?:部分|章|节|篇))`, 'g');

/** A cheap test before the merged pass: top-level headings after a sentence end on the same line. */
function mayHaveGluedHeadings(text: string, lineCount: number): boolean {
  if (lineCount < 3) return true;
  GLUED_TOP_RE.lastIndex = 0;
  let n = 0;
  while (GLUED_TOP_RE.exec(text)) if (++n >= 2) return true;
  return false;
}

/**
 * True when the line-start outline misses headings that OCR ran into the text: at least two
 * top-level headings, or more mid-line headings than line-start ones, continue the numbering
 * mid-line after a sentence end.
 */
function hasGluedHeadings(lineCands: Candidate[], merged: Candidate[]): boolean {
  let midTop = 0;
  let mid = 0;
  const starts = new Set(lineCands.map((c) => c.start));
  for (const c of merged) {
    if (starts.has(c.start)) continue;
    mid++;
    if (c.style === 0 || c.style === 5) midTop++;
  }
  return midTop >= 2 || (mid >= 3 && mid > lineCands.length);
}

/**
 * Finds the outline of `text`: headings in document order with their paths, titles and extents.
 */
export function parseOutline(text: string): OutlineNode[] {
  let cands = lineStartCandidates(text);
  // Text that lost its line breaks may still start with a heading ("一、…" on its only line).
  let lineBreaks = 0;
  for (let i = text.indexOf('\n'); i >= 0 && lineBreaks < 2; i = text.indexOf('\n', i + 1)) lineBreaks++;
  let isFlat = cands.length === 0 || (lineBreaks < 2 && cands.length <= 1);
  if (isFlat) cands = flatCandidates(text);
  else if (mayHaveGluedHeadings(text, cands.length)) {
    const merged = flatCandidates(text, new Map(cands.map((c) => [c.start, c])));
    if (hasGluedHeadings(cands, merged)) {
      cands = merged;
      isFlat = true;
    }
  }
  // An attachment heading counts only after the body began: "附件：1.…方案" in a notice is a list.
  const firstBody = cands.findIndex((c) => c.style !== ATTACHMENT);
  cands = cands.filter((c, i) => c.style !== ATTACHMENT || (firstBody >= 0 && i > firstBody));
  const nodes: OutlineNode[] = [];
  const stack: { style: number; token: string; node: OutlineNode }[] = [];
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i];
    // 附件N restarts the numbering as a root; 第X章 / 第X部分 starts a top-level section (of the
    // attachment, inside one).
    let idx: number;
    if (c.style === ATTACHMENT) idx = 0;
    else if (c.style === 5) idx = stack[0]?.style === ATTACHMENT ? 1 : 0;
    else idx = stack.findIndex((e) => e.style === c.style);
    if (idx >= 0) stack.length = idx;
    const nextStart = i + 1 < cands.length ? cands[i + 1].start : text.length;
    let { title, headEnd } = readTitle(text, c.tokenEnd, nextStart, isFlat);
    // "附件1" alone on its line: the title is the next line.
    if (c.style === ATTACHMENT && title === '') ({ title, headEnd } = readAttachmentTitle(text, c.tokenEnd, nextStart, headEnd));
    const node: OutlineNode = {
      path: [...stack.map((e) => e.token), c.token],
      title,
      start: c.start,
      titleStart: c.tokenEnd,
      headEnd,
      end: text.length,
      depth: stack.length,
    };
    stack.push({ style: c.style, token: c.token, node });
    nodes.push(node);
  }
  // A section ends where the next heading at its depth or above begins.
  const open: OutlineNode[] = [];
  for (const n of nodes) {
    while (open.length && open[open.length - 1].depth >= n.depth) open.pop()!.end = n.start;
    open.push(n);
  }
  return nodes;
}

function readAttachmentTitle(text: string, from: number, limit: number, fallbackEnd: number): { title: string; headEnd: number } {
  const window = text.slice(from, Math.min(limit, from + 200));
  const m = /^[\s\u3000]*\n[\s\u3000]*([^\n]{1,60})/.exec(window);
  if (!m) return { title: '', headEnd: fallbackEnd };
  const title = m[1].replace(/[\s\u3000：:，,；;]+$/, '');
  return { title, headEnd: from + m.index + m[0].length };
}

function readTitle(text: string, from: number, limit: number, isFlat: boolean): { title: string; headEnd: number } {
  // Bounded window: a title is short, and unbounded indexOf per heading would be quadratic.
  const window = text.slice(from, Math.min(limit, from + (isFlat ? 80 : 300)));
  let cut = window.length;
  const nl = window.indexOf('\n');
  if (nl >= 0) cut = nl;
  const dot = window.indexOf('。');
  if (dot >= 0 && dot < cut) cut = dot;
  const title = window
    .slice(0, cut)
    .replace(/^[\s\u3000]+/, '')
    .replace(/[\s\u3000：:，,；;]+$/, '');
  return { title, headEnd: from + cut };
}
