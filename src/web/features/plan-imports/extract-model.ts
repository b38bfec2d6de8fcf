import type { Comparator, Deadline, PlanExtract, Role, Span, Target, Task, UnitRef } from '../../../plan-parser/plan-extract.types.ts';

export type { Comparator, Deadline, PlanExtract, Role, Span, Target, Task, UnitRef };

export const ROLES: readonly Role[] = ['lead', 'responsible', 'cooperating'];

/** What a highlight in the document stands for. */
export type MarkKind = 'assignment' | 'deadline' | 'target';

/** A run of the document: plain text, or a task clause holding its own runs and highlights. */
export type DocSegment = { kind: 'text'; key: string; text: string } | { kind: 'task'; key: string; taskIndex: number; parts: DocPart[] };

export type DocPart = { key: string; text: string; mark: MarkKind | null };

/** The extract as the server stores it, if it has the shape the web app relies on. */
export function asPlanExtract(value: unknown): PlanExtract {
  const extract = value as Partial<PlanExtract> | null;
  return {
    title: extract?.title ?? null,
    issuer: extract?.issuer ?? null,
    year: extract?.year ?? null,
    sections: Array.isArray(extract?.sections) ? extract.sections : [],
    tasks: Array.isArray(extract?.tasks) ? extract.tasks : [],
  };
}

function isValidSpan(span: Span | undefined, length: number): span is Span {
  return Array.isArray(span) && span[0] >= 0 && span[1] <= length && span[0] < span[1];
}

/**
 * Cuts the document into runs once: text between tasks, and per task its text with the
 * assignment, deadline and target spans marked. O(n log n) in the number of spans; the text is
 * sliced, never walked per character. Overlapping marks are clipped (the earlier one wins).
 */
export function buildDocSegments(text: string, extract: PlanExtract): DocSegment[] {
  const tasks = extract.tasks
    .map((task, taskIndex) => ({ task, taskIndex }))
    .filter(({ task }) => isValidSpan(task.span, text.length))
    .sort((x, y) => x.task.span[0] - y.task.span[0]);
  const segments: DocSegment[] = [];
  let cursor = 0;
  for (const { task, taskIndex } of tasks) {
    const [start, end] = task.span;
    if (start < cursor) continue; // a task inside another one: its text is already shown
    if (start > cursor) segments.push({ kind: 'text', key: `t${cursor}`, text: text.slice(cursor, start) });
    const marks: { span: Span; mark: MarkKind }[] = [];
    if (isValidSpan(task.assignment?.span, text.length)) marks.push({ span: task.assignment.span, mark: 'assignment' });
    for (const d of task.deadlines ?? []) if (isValidSpan(d.span, text.length)) marks.push({ span: d.span, mark: 'deadline' });
    for (const g of task.targets ?? []) if (isValidSpan(g.span, text.length)) marks.push({ span: g.span, mark: 'target' });
    marks.sort((x, y) => x.span[0] - y.span[0] || y.span[1] - x.span[1]);
    const parts: DocPart[] = [];
    let at = start;
    for (const { span, mark } of marks) {
      const from = Math.max(span[0], at, start);
      const to = Math.min(span[1], end);
      if (from >= to) continue;
      if (from > at) parts.push({ key: `p${at}`, text: text.slice(at, from), mark: null });
      parts.push({ key: `m${from}`, text: text.slice(from, to), mark });
      at = to;
    }
    if (at < end) parts.push({ key: `p${at}`, text: text.slice(at, end), mark: null });
    segments.push({ kind: 'task', key: `k${taskIndex}`, taskIndex, parts });
    cursor = end;
  }
  if (cursor < text.length) segments.push({ kind: 'text', key: `t${cursor}`, text: text.slice(cursor) });
  return segments;
}

/** "三 (三) 1" for the section column. */
export function sectionLabel(task: Pick<Task, 'sectionPath'>): string {
  return task.sectionPath.join(' ');
}

/** Returns a copy of the extract with one task replaced. */
export function updateTask(extract: PlanExtract, taskIndex: number, change: (task: Task) => Task): PlanExtract {
  return { ...extract, tasks: extract.tasks.map((task, i) => (i === taskIndex ? change(task) : task)) };
}

export function removeUnit(task: Task, role: Role, index: number): Task {
  return { ...task, assignment: { ...task.assignment, [role]: task.assignment[role].filter((_, i) => i !== index) } };
}

/** Adds a unit to a role unless the same name is already there. */
export function addUnit(task: Task, role: Role, ref: UnitRef): Task {
  if (task.assignment[role].some((u) => u.name === ref.name)) return task;
  return { ...task, assignment: { ...task.assignment, [role]: [...task.assignment[role], ref] } };
}

/** A span at the end of the task's clause: edits made in review point at no words of the document. */
function emptySpanAfter(task: Task): Span {
  return [task.span[1], task.span[1]];
}

export function setDeadlineDate(task: Task, index: number, date: string): Task {
  return { ...task, deadlines: task.deadlines.map((d, i) => (i === index ? { ...d, date } : d)) };
}

export function addDeadline(task: Task, date: string): Task {
  return { ...task, deadlines: [...task.deadlines, { date, text: '', span: emptySpanAfter(task) }] };
}

export function removeDeadline(task: Task, index: number): Task {
  return { ...task, deadlines: task.deadlines.filter((_, i) => i !== index) };
}

export function setTarget(task: Task, index: number, change: Partial<Target>): Task {
  return {
    ...task,
    targets: task.targets.map((g, i) => {
      if (i !== index) return g;
      const next = { ...g, ...change };
      if (next.max === undefined || next.max === null) delete next.max;
      return next;
    }),
  };
}

/** A new target row, prefilled from the task's first target so a district share needs one field. */
export function addTarget(task: Task): Task {
  const first = task.targets[0];
  const target: Target = {
    value: 0,
    unit: first?.unit ?? '',
    comparator: '>=',
    jurisdictions: [],
    metric: first?.metric ?? '',
    text: '',
    span: emptySpanAfter(task),
  };
  return { ...task, targets: [...task.targets, target] };
}

export function removeTarget(task: Task, index: number): Task {
  return { ...task, targets: task.targets.filter((_, i) => i !== index) };
}

/** A short excerpt of a clause for the table: the assignment bracket is shown as tags anyway. */
export function clauseSummary(task: Task, limit = 60): string {
  const [start] = task.span;
  const [assignStart] = task.assignment?.span ?? [task.span[1]];
  const cut = assignStart > start ? task.text.slice(0, assignStart - start) : task.text;
  const body = cut.trim() || task.text;
  return body.length > limit ? `${body.slice(0, limit)}…` : body;
}
