/**
 * Which organisations report which row of a plan: the one rule that "my reports", the Excel
 * template, the dashboard's 填报率, reminders, the filing check and the period snapshot all read.
 * Pure: the caller loads the plan's tasks, targets, assignments and the registry; nothing here
 * touches the database.
 *
 * - A target for named jurisdictions is reported by those jurisdictions only: the label is split
 *   into its parts ("市各城区、浚县" → 市各城区, 浚县), each part is resolved (the office's
 *   resolution of that label first, then the registry's names and aliases), and groups are
 *   expanded to their members (各县区 → each county). Parts that resolve to nothing are listed
 *   as `unresolved`, for the office to resolve.
 * - A target whose label names no registry organisation (全市, 市区, or no label) is reported by
 *   the task's responsible units (groups expanded) and, for their summary, its lead units.
 * - A task's own row (the task-level summary) is reported by its responsible and lead units.
 */

/** Why an organisation reports a row: the target is its jurisdiction, it is responsible for the task, or it leads it. */
export type ReportBasis = 'jurisdiction' | 'responsible' | 'lead';

export interface ReporterTarget {
  id: string;
  taskId: string;
  jurisdictionOrgId: string | null;
  jurisdictionLabel: string | null;
}

export interface ReporterContext {
  /** Organisations a label (or a part of one) names: the office's resolution, else the registry; null when none. */
  resolveLabel(label: string): readonly string[] | null;
  /** Members of a group organisation; undefined when the organisation is not a group. */
  membersOf(orgId: string): readonly string[] | undefined;
  /** The task's responsible units as assigned (groups not yet expanded). */
  responsibleOf(taskId: string): readonly string[];
  /** The task's lead units. */
  leadOf(taskId: string): readonly string[];
}

export interface TargetReporters {
  orgIds: string[];
  basis: 'jurisdiction' | 'responsible';
  /** Parts of the label that name no organisation (shown to the office to resolve). */
  unresolved: string[];
}

/** One row someone reports: a task's summary (targetId null) or a target, by one organisation. */
export interface ReportingRow {
  taskId: string;
  targetId: string | null;
  orgId: string;
  basis: ReportBasis;
}

// 、，, and the joining words plans use between jurisdictions ("淇县和浚县", "淇县及浚县").
const LABEL_SEPARATORS = /[、，,；;／/]|(?<=[县区市])(?:和|及|与)/u;

/** The parts of a jurisdiction label: "市各城区、浚县" → ["市各城区", "浚县"]. */
export function splitJurisdictionLabel(label: string): string[] {
  return label
    .split(LABEL_SEPARATORS)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** Expands groups to their members (recursively, cycles ignored), keeping first-seen order and no duplicates. */
export function expandOrgs(orgIds: readonly string[], membersOf: ReporterContext['membersOf']): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const members = membersOf(id);
    if (members === undefined) out.push(id);
    else for (const m of members) visit(m);
  };
  for (const id of orgIds) visit(id);
  return out;
}

/** The organisations that report a target, and why (see the module comment). */
export function targetReporters(target: ReporterTarget, ctx: ReporterContext): TargetReporters {
  const label = target.jurisdictionLabel?.trim() ?? '';
  // The office's resolution of the whole label wins over what the import read.
  const whole = label ? ctx.resolveLabel(label) : null;
  if (whole && whole.length > 0) return { orgIds: expandOrgs(whole, ctx.membersOf), basis: 'jurisdiction', unresolved: [] };
  if (target.jurisdictionOrgId !== null) {
    return { orgIds: expandOrgs([target.jurisdictionOrgId], ctx.membersOf), basis: 'jurisdiction', unresolved: [] };
  }
  const named: string[] = [];
  const unresolved: string[] = [];
  for (const part of label ? splitJurisdictionLabel(label) : []) {
    const ids = ctx.resolveLabel(part);
    if (ids && ids.length > 0) named.push(...ids);
    else unresolved.push(part);
  }
  if (named.length > 0) return { orgIds: expandOrgs(named, ctx.membersOf), basis: 'jurisdiction', unresolved };
  return { orgIds: expandOrgs(ctx.responsibleOf(target.taskId), ctx.membersOf), basis: 'responsible', unresolved };
}

/**
 * Every row of a plan with the organisation that reports it: per task its responsible units
 * (basis responsible) and lead units (basis lead); per target its reporters from
 * {@link targetReporters}, and for a target no jurisdiction names also the task's lead units.
 * One entry per (task, target, organisation) and side (unit or lead): the first basis found wins.
 */
export function planReportingRows(taskIds: readonly string[], targets: readonly ReporterTarget[], ctx: ReporterContext): ReportingRow[] {
  const rows: ReportingRow[] = [];
  const seen = new Set<string>();
  const add = (taskId: string, targetId: string | null, orgId: string, basis: ReportBasis) => {
    // A unit's row and a lead unit's row are told apart: an organisation may be both on a task.
    const key = `${taskId}/${targetId ?? ''}/${orgId}/${basis === 'lead' ? 'lead' : 'unit'}`;
    if (seen.has(key)) return;
    seen.add(key);
    rows.push({ taskId, targetId, orgId, basis });
  };
  for (const taskId of taskIds) {
    for (const orgId of expandOrgs(ctx.responsibleOf(taskId), ctx.membersOf)) add(taskId, null, orgId, 'responsible');
    // A group never leads: lead units are named directly.
    for (const orgId of ctx.leadOf(taskId)) add(taskId, null, orgId, 'lead');
  }
  for (const t of targets) {
    const r = targetReporters(t, ctx);
    for (const orgId of r.orgIds) add(t.taskId, t.id, orgId, r.basis);
    if (r.basis === 'responsible') for (const orgId of ctx.leadOf(t.taskId)) add(t.taskId, t.id, orgId, 'lead');
  }
  return rows;
}

/** Whether an organisation files `row` in the given role: a unit files jurisdiction and responsible rows, a lead unit lead rows. */
export function rowFiledByRole(basis: ReportBasis, role: string): boolean {
  if (role === 'unit') return basis === 'jurisdiction' || basis === 'responsible';
  if (role === 'lead') return basis === 'lead';
  return false;
}
