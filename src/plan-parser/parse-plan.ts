/**
 * parsePlan: text → PlanExtract. Runs the independent scanners once over the whole text (outline,
 * assignments, deadlines, targets) and then distributes their hits to tasks and sections by offset,
 * so the cost stays linear in the length of the document.
 */
import { findAssignments, type RawAssignment, type RoleUnit } from './assignment.parser.ts';
import { findDeadlines } from './deadline.parser.ts';
import { parseHeader, signatureYear } from './header.parser.ts';
import { type OutlineNode, parseOutline } from './outline.parser.ts';
import type { Assignment, Deadline, ParseOptions, PlanExtract, Role, Section, Target, Task, UnitRef } from './plan-extract.types.ts';
import { foldForScan } from './scan-text.ts';
import { joinSoftWraps, unmapSpan } from './soft-wrap.joiner.ts';
import { findTargets } from './target.parser.ts';
import { normaliseUnitList } from './unit-name.normaliser.ts';

const TIME_NOTE_AFTER_RE = /[\s。；;，,]*(?:完成时限|完成时间|完成期限|时间节点|时限要求|时限)\s*[:：][^\n。；;]{0,40}/y;
const CARRY_RE = /以下[^。；;]{0,20}?均(?:需|由|要|应)([^。；;]{1,80}?)(?:负责)?(?:落实|负责)[，,]?\s*不再(?:一一)?列(?:出|举)/g;

/**
 * Parses a plan. Never throws: any input yields a structurally valid extract (possibly empty).
 * Offsets refer to `text` with a leading BOM removed, line endings untouched.
 */
export function parsePlan(input: string, options: ParseOptions = {}): PlanExtract {
  const text = typeof input === 'string' ? input.replace(/^\ufeff/, '') : '';
  // A PDF flattening or an OCR keeps the page's line breaks: read the re-joined paragraphs, then
  // move every span back onto the text as given.
  const joined = joinSoftWraps(text);
  if (joined === null) return parseText(text, options);
  return unmapExtract(parseText(joined.text, options), joined.map, text);
}

/** The extract of `joined`, with its spans moved to the original text and its texts sliced from it. */
function unmapExtract(extract: PlanExtract, map: Int32Array, text: string): PlanExtract {
  const move = <T extends { span: [number, number]; text?: string }>(item: T): T => {
    item.span = unmapSpan(item.span, map);
    if (item.text !== undefined) item.text = text.slice(item.span[0], item.span[1]);
    return item;
  };
  const walk = (list: Section[]) => {
    for (const s of list) {
      s.span = unmapSpan(s.span, map);
      s.deadlines.forEach(move);
      s.targets.forEach(move);
      walk(s.children);
    }
  };
  walk(extract.sections);
  for (const t of extract.tasks) {
    move(t);
    t.assignment.span = unmapSpan(t.assignment.span, map);
    t.deadlines.forEach(move);
    t.targets.forEach(move);
  }
  return extract;
}

function parseText(text: string, options: ParseOptions): PlanExtract {
  const explain = options.explain === true;
  // Scanners read the folded copy; every text field below is sliced from the original.
  const scan = foldForScan(text);
  const outline = parseOutline(scan);
  const header = parseHeader(scan, outline.length ? outline[0].start : Math.min(text.length, 3000));
  // A head without a year: the signature date line at the end ("2012年10月9日") dates the plan.
  const year = header.year ?? signatureYear(scan) ?? options.defaultYear ?? null;
  const raws = findAssignments(scan);
  applyDocumentRules(scan, raws);

  const tasks: Task[] = [];
  const taskBounds: { start: number; assignStart: number; end: number; task: Task }[] = [];
  let prevEnd = 0;
  for (const raw of raws) {
    const [aStart, aEnd] = raw.span;
    // "完成时限：2018年12月底" written after the assignment still belongs to its task.
    TIME_NOTE_AFTER_RE.lastIndex = aEnd;
    const note = TIME_NOTE_AFTER_RE.exec(scan);
    const noteEnd = note ? aEnd + note[0].length : aEnd;
    const section = innermost(outline, aStart);
    let start = Math.max(prevEnd, section ? section.start : 0);
    // The clause starts after the punctuation that closed the previous one: "…负责）。建立机制…".
    while (start < aStart && /[\s\u3000。；;，,、.]/.test(scan[start])) start++;
    const task: Task = {
      sectionPath: section ? [...section.path] : [],
      text: text.slice(start, aEnd),
      span: [start, aEnd],
      assignment: toAssignment(raw, explain),
      deadlines: [],
      targets: [],
    };
    tasks.push(task);
    taskBounds.push({ start, assignStart: aStart, end: noteEnd, task });
    prevEnd = noteEnd;
  }

  const sections = outline.map((n) => ({ node: n, section: toSection(text, n, firstAssignmentAfter(raws, n.start)) }));
  const skipSpans = raws.map((r) => r.span);
  // Each hit goes to the task whose clause holds it, else to the innermost section (loose).
  const holderOf = (pos: number, isInsideAssignmentOk = false): { deadlines: Deadline[]; targets: Target[] } | null => {
    const t = findTask(taskBounds, pos, isInsideAssignmentOk);
    if (t) return t.task;
    const s = innermostIndex(outline, pos);
    return s >= 0 ? sections[s].section : null;
  };
  const isFolded = scan !== text;
  // A deadline inside the assignment bracket ("责任单位：…；完成时限：2018年12月底") belongs to the task.
  for (const d of findDeadlines(scan, year, undefined, explain)) {
    if (isFolded) d.text = text.slice(d.span[0], d.span[1]);
    holderOf(d.span[0], true)?.deadlines.push(d);
  }
  const specSpans = specificationAttachments(outline);
  for (const t of findTargets(scan, { skipSpans, resets: outline.map((n) => n.start), explain })) {
    // The limits of a technical specification attached to the plan are not the plan's targets.
    if (specSpans.some(([a, b]) => t.span[0] >= a && t.span[0] < b)) continue;
    if (isFolded) t.text = text.slice(t.span[0], t.span[1]);
    holderOf(t.span[0])?.targets.push(t);
  }
  for (const t of tasks) t.deadlines = uniqueByDate(t.deadlines);
  for (const s of sections) s.section.deadlines = uniqueByDate(s.section.deadlines);
  return { title: header.title, issuer: header.issuer, year, sections: buildTree(sections), tasks };
}

/** An attachment whose title says it specifies how, not what: 技术规范, 标准, 导则, 指南. */
const SPEC_TITLE_RE = /(?:规范|标准|导则|指南|技术要求|技术方案|技术规定|技术指引|参数|规程)/;

function specificationAttachments(outline: OutlineNode[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of outline) {
    if (n.depth === 0 && n.path[0].startsWith('附件') && SPEC_TITLE_RE.test(n.title)) out.push([n.start, n.end]);
  }
  return out;
}

/** A clause that states the same date twice ("6月底前…，年底前…，2018年底前") has one deadline. */
function uniqueByDate(list: Deadline[]): Deadline[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    if (seen.has(d.date)) return false;
    seen.add(d.date);
    return true;
  });
}

/** 列第一位者为牵头单位(下同) and 以下…均需X落实，不再列出 act on later clauses of the document. */
function applyDocumentRules(text: string, raws: RawAssignment[]): void {
  // 下同 carries the rule to later clauses written in the same form as the one that declared it.
  let onwardForm: boolean | null = null;
  for (const r of raws) {
    if (r.hasFirstLeadsOnward) onwardForm = r.isInlineResponsible;
    const isOnward = onwardForm !== null && r.isInlineResponsible === onwardForm;
    if ((r.hasFirstLeads || isOnward) && !r.units.some((u) => u.role === 'lead')) {
      const first = r.units.find((u) => u.role === 'responsible');
      if (first) {
        first.role = 'lead';
        first.rule = r.hasFirstLeads ? 'role.first-leads' : 'role.first-leads-onward';
      }
    }
  }
  // A carry note inside a bracket ("具体任务均涉及X，不再做分工，下同") applies to its own clause and,
  // with 下同, to every later one.
  let onwardCarried: RoleUnit[] = [];
  for (const r of raws) {
    const own = r.carried ?? [];
    for (const c of own) {
      if (r.units.some((u) => u.name === c.name)) continue;
      r.units.push({ ...c, role: 'responsible', rule: 'role.carried' });
    }
    for (const c of onwardCarried) {
      if (r.units.some((u) => u.name === c.name)) continue;
      r.units.push({ ...c, role: 'responsible', rule: 'role.carried-onward' });
    }
    if (r.carriedOnward && own.length) onwardCarried = own;
  }
  CARRY_RE.lastIndex = 0;
  for (let m = CARRY_RE.exec(text); m; m = CARRY_RE.exec(text)) {
    const base = m.index + m[0].indexOf(m[1]);
    const carried = normaliseUnitList(
      m[1].replace(/^(?:由|各级)?/, (s) => (s === '各级' ? s : '')),
      base,
    );
    for (const r of raws) {
      if (r.span[0] <= m.index) continue;
      for (const c of carried) {
        if (r.units.some((u) => u.name === c.name)) continue;
        r.units.push({ ...c, role: 'responsible', rule: 'role.carried-note' });
      }
    }
  }
}

function toAssignment(raw: RawAssignment, explain: boolean): Assignment {
  const pick = (role: Role): UnitRef[] =>
    raw.units
      .filter((u: RoleUnit) => u.role === role)
      .map((u) =>
        explain
          ? { mention: u.mention, name: u.name, why: [u.rule ?? 'role.default', ...(u.rules ?? [])] }
          : { mention: u.mention, name: u.name },
      );
  return { span: [raw.span[0], raw.span[1]], lead: pick('lead'), responsible: pick('responsible'), cooperating: pick('cooperating') };
}

const TITLE_NOTE_RE = /[（(][^（()）]*(?:以下|不再|牵头|负责|配合|单位|部门)[^（()）]*[）)]?$/;

function toSection(text: string, n: OutlineNode, next: RawAssignment | null): Section {
  let title = n.title;
  // "2．做好宣传引导（中宣部指导…）": the assignment that closes a heading is not its title.
  if (next && next.span[0] < n.headEnd) title = text.slice(n.titleStart, next.span[0]).trim();
  title = title.replace(TITLE_NOTE_RE, '').trim() || title;
  return { path: [...n.path], title, span: [n.start, n.end], children: [], deadlines: [], targets: [] };
}

function firstAssignmentAfter(raws: RawAssignment[], pos: number): RawAssignment | null {
  let lo = 0;
  let hi = raws.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (raws[mid].span[0] <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo < raws.length ? raws[lo] : null;
}

function buildTree(items: { node: OutlineNode; section: Section }[]): Section[] {
  const roots: Section[] = [];
  const stack: { depth: number; section: Section }[] = [];
  for (const { node, section } of items) {
    while (stack.length && stack[stack.length - 1].depth >= node.depth) stack.pop();
    if (stack.length) stack[stack.length - 1].section.children.push(section);
    else roots.push(section);
    stack.push({ depth: node.depth, section });
  }
  return roots;
}

/** Index of the deepest outline node whose extent holds `pos` (nodes are in document order). */
function innermostIndex(nodes: OutlineNode[], pos: number): number {
  // Binary search for the last node starting at or before pos, then walk up to one that holds it.
  let lo = 0;
  let hi = nodes.length - 1;
  let idx = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid].start <= pos) {
      idx = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  let depth = Number.POSITIVE_INFINITY;
  for (let i = idx; i >= 0; i--) {
    const n = nodes[i];
    if (n.depth >= depth) continue;
    if (n.end > pos) return i;
    depth = n.depth;
    if (depth === 0) break;
  }
  return -1;
}

function innermost(nodes: OutlineNode[], pos: number): OutlineNode | null {
  const i = innermostIndex(nodes, pos);
  return i >= 0 ? nodes[i] : null;
}

function findTask<T extends { start: number; assignStart: number; end: number }>(
  bounds: T[],
  pos: number,
  isInsideAssignmentOk: boolean,
): T | null {
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = bounds[mid];
    if (pos < b.start) hi = mid - 1;
    else if (pos >= (isInsideAssignmentOk ? b.end : b.assignStart)) lo = mid + 1;
    else return b;
  }
  return null;
}
