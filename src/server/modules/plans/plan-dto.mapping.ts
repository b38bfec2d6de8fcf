import type { JurisdictionLevel, PlanStatus } from '../../../shared/enums.ts';
/** Row → DTO mapping for plans, sections, tasks and their children (snake_case rows, camelCase DTOs). */
import type { Selectable } from 'kysely';
import { statusAsOf } from '../../../status-engine/index.ts';
import type { DeadlinesTable, SectionsTable } from '../../db/database.types.ts';
import type { Assignment, Deadline, Plan, Section, SectionNode, Target, Task } from '../../../shared/schemas/plan.schema.ts';
import type { AssignmentRowWithOrg, TargetRowWithOrg, TaskRowWithSection } from './tasks.repository.ts';

export interface PlanRowWithCount {
  id: string;
  title: string;
  issuer: string | null;
  year: number | null;
  status: PlanStatus;
  jurisdiction_level: JurisdictionLevel;
  version: number;
  created_at: string;
  updated_at: string;
  task_count: number | string | null;
}

export function toPlan(row: PlanRowWithCount): Plan {
  return {
    id: row.id,
    title: row.title,
    issuer: row.issuer,
    year: row.year,
    status: row.status,
    jurisdictionLevel: row.jurisdiction_level,
    taskCount: Number(row.task_count ?? 0),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toSection(row: Selectable<SectionsTable>): Section {
  return {
    id: row.id,
    planId: row.plan_id,
    parentId: row.parent_id,
    path: JSON.parse(row.path) as string[],
    title: row.title,
    ordinal: row.ordinal,
    span: [row.span_start, row.span_end],
    version: Number(row.version ?? 1),
  };
}

/** Rows sorted by ordinal → the outline as a tree; an orphan (parent missing) becomes a root. */
export function toSectionTree(rows: Selectable<SectionsTable>[]): SectionNode[] {
  const nodes = new Map<string, SectionNode>();
  for (const r of rows) nodes.set(r.id, { ...toSection(r), children: [] });
  const roots: SectionNode[] = [];
  for (const r of rows) {
    const node = nodes.get(r.id)!;
    const parent = r.parent_id ? nodes.get(r.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export function toAssignment(row: AssignmentRowWithOrg): Assignment {
  return {
    id: row.id,
    taskId: row.task_id,
    orgId: row.org_id,
    orgName: row.org_name,
    role: row.role,
    mention: row.mention,
  };
}

export function toDeadline(row: Selectable<DeadlinesTable>): Deadline {
  return {
    id: row.id,
    taskId: row.task_id,
    date: row.date,
    text: row.text,
    span: row.span_start === null || row.span_end === null ? null : [row.span_start, row.span_end],
  };
}

export function toTarget(row: TargetRowWithOrg): Target {
  return {
    id: row.id,
    taskId: row.task_id,
    metric: row.metric,
    unit: row.unit,
    comparator: row.comparator,
    value: Number(row.value),
    maxValue: row.max_value === null ? null : Number(row.max_value),
    baseline: row.baseline === null ? null : Number(row.baseline),
    jurisdictionOrgId: row.jurisdiction_org_id,
    jurisdictionName: row.jurisdiction_name ?? null,
    jurisdictionLabel: row.jurisdiction_label,
    deadline: row.deadline,
    parentTargetId: row.parent_target_id,
    text: row.text,
    span: row.span_start === null || row.span_end === null ? null : [row.span_start, row.span_end],
    status: row.status,
    version: row.version,
  };
}

// Role order as an office reads a task: lead, responsible, cooperating.
const ROLE_ORDER: Record<string, number> = { lead: 0, responsible: 1, cooperating: 2 };

/**
 * Assembles task DTOs from rows loaded in batches (one query per child table, not per task), with
 * the status each task and target shows on `asOf` (statusAsOf: the ledger's rule; a target without
 * its own deadline goes by the task's).
 */
export function toTasks(
  rows: TaskRowWithSection[],
  assignments: AssignmentRowWithOrg[],
  deadlines: Selectable<DeadlinesTable>[],
  targets: TargetRowWithOrg[],
  asOf: string,
): Task[] {
  const byTask = <T extends { task_id: string }>(list: T[]): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const x of list) {
      const arr = m.get(x.task_id);
      if (arr) arr.push(x);
      else m.set(x.task_id, [x]);
    }
    return m;
  };
  const a = byTask(assignments);
  const d = byTask(deadlines);
  const t = byTask(targets);
  return rows.map((r) => {
    const taskDeadlines = (d.get(r.id) ?? []).map(toDeadline);
    const taskDates = taskDeadlines.map((x) => x.date);
    const status = r.status;
    return {
      id: r.id,
      planId: r.plan_id,
      sectionId: r.section_id,
      sectionPath: r.section_path ? (JSON.parse(r.section_path) as string[]) : [],
      sectionTitle: r.section_title ?? null,
      seq: r.seq,
      text: r.text,
      span: r.span_start === null || r.span_end === null ? null : [r.span_start, r.span_end],
      assignmentText: r.assignment_text,
      status,
      statusAsOf: statusAsOf(status, taskDates, asOf),
      assignments: (a.get(r.id) ?? [])
        .slice()
        .sort((x, y) => (ROLE_ORDER[x.role] ?? 9) - (ROLE_ORDER[y.role] ?? 9))
        .map(toAssignment),
      deadlines: taskDeadlines,
      targets: (t.get(r.id) ?? []).map((row) => {
        const target = toTarget(row);
        return { ...target, statusAsOf: statusAsOf(target.status, target.deadline ? [target.deadline] : taskDates, asOf) };
      }),
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}
