/**
 * PlanExtract → the rows of a plan (plan, sections, tasks, assignments, deadlines, targets).
 * Pure: ids and the clock are passed in, so the mapping is tested without a database and the
 * import inserts the result in one transaction with batched inserts.
 */
import type { Insertable } from 'kysely';
import type { AssignmentsTable, DeadlinesTable, PlansTable, SectionsTable, TargetsTable, TasksTable } from '../../db/database.types.ts';
import type { PlanExtract, Role, Section, Target, UnitRef } from '../../../plan-parser/plan-extract.types.ts';
import type { PlanGraph } from '../plans/plan-graph.types.ts';
import { findPartsOverflow, isAdditiveUnit } from '../plans/target-parts.rule.ts';

export type { PlanGraph };

export interface PlanGraphOptions {
  /** The text the extract's spans index into; stored on the plan. */
  text: string;
  /** Title to use when the parser found none (usually the file name). */
  fallbackTitle: string;
  now: string;
  newId: () => string;
  /** The organisation a unit mention stands for (already resolved or mapped by the admin). */
  orgIdForUnit: (ref: UnitRef) => string | null;
  /** The organisation a jurisdiction label names, when it names exactly one. */
  orgIdForJurisdiction: (label: string) => string | null;
}

const ROLES: Role[] = ['lead', 'responsible', 'cooperating'];

/** Builds every row of a confirmed import. Throws if a unit mention has no organisation. */
export function buildPlanGraph(extract: PlanExtract, opts: PlanGraphOptions): PlanGraph {
  const planId = opts.newId();
  const plan: Insertable<PlansTable> = {
    id: planId,
    title: (extract.title ?? '').trim() || opts.fallbackTitle,
    issuer: extract.issuer,
    year: extract.year,
    status: 'active',
    source_text: opts.text,
    version: 1,
    created_at: opts.now,
    updated_at: opts.now,
  };

  const sections: Insertable<SectionsTable>[] = [];
  const sectionIdByPath = new Map<string, string>();
  // Ordinal is the global document order, so sorting by it reproduces the outline.
  const visit = (list: Section[], parentId: string | null): void => {
    for (const s of list) {
      const id = opts.newId();
      sectionIdByPath.set(pathKey(s.path), id);
      sections.push({
        id,
        plan_id: planId,
        parent_id: parentId,
        path: JSON.stringify(s.path),
        title: s.title,
        ordinal: sections.length + 1,
        span_start: s.span[0],
        span_end: s.span[1],
      });
      visit(s.children, id);
    }
  };
  visit(extract.sections, null);

  const tasks: Insertable<TasksTable>[] = [];
  const assignments: Insertable<AssignmentsTable>[] = [];
  const deadlines: Insertable<DeadlinesTable>[] = [];
  const targets: Insertable<TargetsTable>[] = [];

  extract.tasks.forEach((t, index) => {
    const taskId = opts.newId();
    tasks.push({
      id: taskId,
      plan_id: planId,
      section_id: sectionIdByPath.get(pathKey(t.sectionPath)) ?? null,
      seq: index + 1,
      text: t.text,
      span_start: t.span[0],
      span_end: t.span[1],
      assignment_text: opts.text.slice(t.assignment.span[0], t.assignment.span[1]) || null,
      status: 'not_started',
      version: 1,
      created_at: opts.now,
      updated_at: opts.now,
    });

    // A list can name one body twice (directly and through an alias); the ledger holds it once per role.
    const seen = new Set<string>();
    for (const role of ROLES) {
      for (const ref of t.assignment[role]) {
        const orgId = opts.orgIdForUnit(ref);
        if (!orgId) throw new Error(`unit "${ref.name}" of task ${index + 1} has no organisation`);
        const key = `${orgId}|${role}`;
        if (seen.has(key)) continue;
        seen.add(key);
        assignments.push({ id: opts.newId(), task_id: taskId, org_id: orgId, role, mention: ref.mention });
      }
    }

    for (const d of t.deadlines) {
      deadlines.push({
        id: opts.newId(),
        task_id: taskId,
        date: d.date,
        text: d.text,
        span_start: d.span[0],
        span_end: d.span[1],
      });
    }

    const taskTargets = t.targets.map((x) => ({ source: x, row: targetRow(x, taskId, opts) }));
    linkPartsToTotals(taskTargets, opts.text);
    for (const { row } of taskTargets) targets.push(row);
  });

  return { plan, sections, tasks, assignments, deadlines, targets };
}

function targetRow(x: Target, taskId: string, opts: PlanGraphOptions): Insertable<TargetsTable> {
  const label = x.jurisdictions.length > 0 ? x.jurisdictions.join('、') : null;
  return {
    id: opts.newId(),
    task_id: taskId,
    metric: x.metric,
    unit: x.unit,
    comparator: x.comparator,
    value: x.value,
    max_value: x.max ?? null,
    baseline: null,
    // Only a single named place maps to an organisation; "市城区及两县" stays a label.
    jurisdiction_org_id: x.jurisdictions.length === 1 ? opts.orgIdForJurisdiction(x.jurisdictions[0]) : null,
    jurisdiction_label: label,
    deadline: null,
    parent_target_id: null,
    text: x.text,
    span_start: x.span[0],
    span_end: x.span[1],
    status: 'not_started',
    version: 1,
    created_at: opts.now,
    updated_at: opts.now,
  };
}

const CLAUSE_END = /[。；;]/;

/**
 * "开工建设20公里地下综合管廊,其中甲区9公里、乙区5.5公里…": the parser emits the total first,
 * then the parts with their jurisdictions. A later target is a part of an earlier one when both
 * share an additive unit, the part names a jurisdiction, and "其中" stands between them within one
 * clause (or both carry the same clause text containing 其中). Parts that would overflow the
 * total are left unlinked rather than failing the import: the link is an inference.
 */
export function linkPartsToTotals(items: { source: Target; row: Insertable<TargetsTable> }[], text: string): void {
  for (let i = 0; i < items.length; i++) {
    const total = items[i];
    if (total.row.parent_target_id || !isAdditiveUnit(total.source.unit)) continue;
    const parts: typeof items = [];
    for (let j = i + 1; j < items.length; j++) {
      const part = items[j];
      if (part.source.unit !== total.source.unit || part.source.jurisdictions.length === 0) break;
      if (!isPartOf(total.source, part.source, text)) break;
      parts.push(part);
    }
    if (parts.length === 0) continue;
    const overflow = findPartsOverflow(
      total.source,
      parts.map((p) => p.source),
    );
    if (overflow) continue;
    for (const p of parts) p.row.parent_target_id = total.row.id as string;
    i += parts.length;
  }
}

function isPartOf(total: Target, part: Target, text: string): boolean {
  if (total.jurisdictions.length > 0 && sameList(total.jurisdictions, part.jurisdictions)) return false;
  if (part.span[0] > total.span[0]) {
    const between = text.slice(total.span[0], part.span[0]);
    if (between.includes('其中') && !CLAUSE_END.test(between)) return true;
  }
  if (total.text === part.text) {
    const at = total.text.indexOf('其中');
    return at >= 0 && total.jurisdictions.length === 0;
  }
  return false;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function pathKey(path: string[]): string {
  return path.join('\u0001');
}
