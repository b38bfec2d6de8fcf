import type { JurisdictionLabel, JurisdictionLabelList, PutJurisdictionLabelBody } from '../../../shared/schemas/reporting.schema.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import { listOrganisations } from '../organisations/organisations.service.ts';
import { buildJurisdictionLookup } from '../plans/jurisdiction.lookup.ts';
import { findPlanBasics, listPlanReporterAssignments, listPlanReporterTargets, listStatusTasks } from '../plans/plan-status.queries.ts';
import { listLabelResolutionRows, replaceLabelResolution } from './reporting.repository.ts';
import { assertPlanInScope } from './reporting-tenancy.policy.ts';
import {
  planReportingRows,
  type ReporterContext,
  type ReporterTarget,
  type ReportingRow,
  rowFiledByRole,
  splitJurisdictionLabel,
  type TargetReporters,
  targetReporters,
} from './target-reporters.rule.ts';

/**
 * Loads what target-reporters.rule.ts decides over (a plan's tasks, targets, assignments, the
 * registry and the office's label resolutions) and answers from it. Every consumer of "who
 * reports this row" — my reports (and so the Excel template and reminders), the filing check,
 * the dashboard's 填报率 and the period snapshot — goes through here.
 */
export interface PlanReporting {
  /** Every (row, organisation) of the plan. */
  rows: ReportingRow[];
  /** The rows `orgId` files when its user has `role` (unit: jurisdiction + responsible; lead: lead). */
  rowsFor(orgId: string, role: string): ReportingRow[];
  /** Who reports one target, and why. */
  reportersOf(targetId: string): TargetReporters | undefined;
  ctx: ReporterContext;
}

// `owner`: the plan's tenant when the caller has read it already (undefined: read the plan here).
async function loadContext(db: DbOrTrx, planId: string, taskIds?: string[], organisations?: OrganisationList, owner?: string | null) {
  // The plan first (read once): its tenant narrows the organisations read (a province has 400, a city 25).
  const tenant = owner !== undefined ? owner : ((await findPlanBasics(db, planId))?.owner_org_id ?? null);
  const [all, assignments, resolutions] = await Promise.all([
    organisations ?? (tenant === null ? listOrganisations(db) : listOrganisations(db, { tenantIds: [tenant] })),
    listPlanReporterAssignments(db, planId, taskIds),
    listLabelResolutionRows(db, planId),
  ]);
  // A label names an organisation of the plan's own tenant only (issue 12): names are unique per
  // installation, so without this a second city's plan saying 甲县 would make city A's 甲县 its reporter.
  const orgs = { items: reporterOrgsOf(all.items, tenant) };
  const lookup = buildJurisdictionLookup(orgs.items);
  const members = new Map(orgs.items.filter((o) => o.kind === 'group').map((o) => [o.id, o.memberIds]));
  const resolved = new Map<string, string[]>();
  for (const r of resolutions) resolved.set(r.label, [...(resolved.get(r.label) ?? []), r.org_id]);
  const responsible = new Map<string, string[]>();
  const lead = new Map<string, string[]>();
  for (const a of assignments) {
    const map = a.role === 'lead' ? lead : responsible;
    map.set(a.task_id, [...(map.get(a.task_id) ?? []), a.org_id]);
  }
  // Assignment order is not stored; sort so every consumer sees the same order.
  for (const list of [...responsible.values(), ...lead.values()]) list.sort();
  const ctx: ReporterContext = {
    resolveLabel: (label) => {
      const office = resolved.get(label.trim());
      if (office) return office;
      const id = lookup(label);
      return id ? [id] : null;
    },
    membersOf: (id) => members.get(id),
    responsibleOf: (taskId) => responsible.get(taskId) ?? [],
    leadOf: (taskId) => lead.get(taskId) ?? [],
  };
  return { ctx, resolved, orgs: orgs.items };
}

/** The installation's organisations as listOrganisations returns them: loaded once for many plans. */
export type OrganisationList = Awaited<ReturnType<typeof listOrganisations>>;

// The organisations that may report on a plan of tenant `owner`: those of that tenant (all on a
// plan of no tenant, the single-city case).
function reporterOrgsOf<T extends { tenantId?: string | null }>(orgs: readonly T[], owner: string | null): T[] {
  return owner === null ? [...orgs] : orgs.filter((o) => (o.tenantId ?? null) === owner);
}

/** The plan's reporting rows (optionally only those of some tasks). */
export async function loadPlanReporting(
  db: DbOrTrx,
  planId: string,
  options: { taskIds?: string[]; organisations?: OrganisationList } = {},
): Promise<PlanReporting> {
  const [{ ctx }, tasks, targets] = await Promise.all([
    loadContext(db, planId, options.taskIds, options.organisations),
    listStatusTasks(db, planId, options.taskIds),
    listPlanReporterTargets(db, planId, options.taskIds),
  ]);
  return reportingOver(
    tasks.map((t) => t.id),
    targets.map((t) => ({
      id: t.id,
      taskId: t.task_id,
      jurisdictionOrgId: t.jurisdiction_org_id,
      jurisdictionLabel: t.jurisdiction_label,
    })),
    ctx,
  );
}

/**
 * The reporting rule over some rows of a plan only, for a filing check (one save, a sheet's
 * rows): the summary rows of `taskIds` (tasks of the plan, already read by the caller) and the
 * targets given (read by the caller too), with the plan's tenant `ownerOrgId`. Who reports a
 * target depends on that target and its task's assignments alone, so these rows are exactly
 * those loadPlanReporting gives for them; what is read here is the rest of the rule's inputs
 * (the tasks' assignments, the office's label resolutions, the registry), once. Also returns the
 * names of the registry's organisations, which the caller's report DTOs carry.
 */
export async function loadRowsReporting(
  db: DbOrTrx,
  plan: { id: string; ownerOrgId: string | null },
  taskIds: readonly string[],
  targets: readonly ReporterTarget[],
): Promise<PlanReporting & { orgNames: Map<string, string> }> {
  const { ctx, orgs } = await loadContext(db, plan.id, [...taskIds], undefined, plan.ownerOrgId);
  return { ...reportingOver(taskIds, targets, ctx), orgNames: new Map(orgs.map((o) => [o.id, o.name])) };
}

function reportingOver(taskIds: readonly string[], targets: readonly ReporterTarget[], ctx: ReporterContext): PlanReporting {
  const rows = planReportingRows(taskIds, targets, ctx);
  const byTarget = new Map(targets.map((t) => [t.id, t]));
  return {
    rows,
    ctx,
    rowsFor: (orgId, role) => rows.filter((r) => r.orgId === orgId && rowFiledByRole(r.basis, role)),
    reportersOf: (targetId) => {
      const t = byTarget.get(targetId);
      return t ? targetReporters(t, ctx) : undefined;
    },
  };
}

// ---- the office's label resolutions ----

async function describeLabels(db: DbOrTrx, planId: string): Promise<JurisdictionLabel[]> {
  const [{ ctx, resolved }, targets] = await Promise.all([loadContext(db, planId), listPlanReporterTargets(db, planId)]);
  const counts = new Map<string, number>();
  for (const t of targets) {
    const label = t.jurisdiction_label?.trim();
    if (!label) continue;
    const parts = splitJurisdictionLabel(label);
    for (const key of new Set([label, ...parts])) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // What a label alone names: responsibleOf is empty, so "no organisation named" reads as no reporters.
  const alone: ReporterContext = { ...ctx, responsibleOf: () => [] };
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'zh-CN'))
    .map(([label, targetCount]) => {
      const r = targetReporters({ id: '', taskId: '', jurisdictionOrgId: null, jurisdictionLabel: label }, alone);
      return {
        label,
        targetCount,
        resolution: resolved.get(label) ?? null,
        reporterOrgIds: r.orgIds,
        unresolved: r.unresolved,
      };
    });
}

/**
 * The distinct jurisdiction labels (and their parts) of a plan's targets: whom each names, and the
 * office's resolution. 404 when the plan is not in `actor`'s jurisdictions (omitted: internal).
 */
export async function listJurisdictionLabels(db: DbOrTrx, planId: string, actor?: Actor | null): Promise<JurisdictionLabelList> {
  if (!(await findPlanBasics(db, planId))) throw new AppError('not_found', 'plan not found');
  await assertPlanInScope(db, actor, planId, 'read', 'plan not found');
  return { items: await describeLabels(db, planId) };
}

/**
 * The office resolves a label of the plan's targets (or a part of one) to organisations: from
 * then on targets with that label are reported by those organisations (groups expanded). An empty
 * list removes the resolution. Audited; 404 for a label no target of the plan uses.
 */
export async function putJurisdictionLabel(
  db: Db,
  planId: string,
  body: PutJurisdictionLabelBody,
  actor: Actor | null,
): Promise<JurisdictionLabel> {
  return writeTx(db, async (trx) => {
    if (!(await findPlanBasics(trx, planId))) throw new AppError('not_found', 'plan not found');
    await assertPlanInScope(trx, actor, planId, 'administer', 'plan not found');
    const before = await listJurisdictionLabels(trx, planId);
    const label = body.label.trim();
    const current = before.items.find((l) => l.label === label);
    if (!current) throw new AppError('not_found', 'no target of this plan has this jurisdiction label');
    const orgIds = [...new Set(body.orgIds)];
    // Another city's organisation is as unknown here as one that does not exist.
    const owner = (await findPlanBasics(trx, planId))?.owner_org_id ?? null;
    const known = new Set(reporterOrgsOf((await listOrganisations(trx)).items, owner).map((o) => o.id));
    const unknown = orgIds.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new AppError('validation', 'unknown organisation', {
        errors: [{ path: 'orgIds', message: `unknown organisation ${unknown[0]}` }],
      });
    }
    await replaceLabelResolution(trx, planId, label, orgIds, new Date().toISOString());
    const after = (await describeLabels(trx, planId)).find((l) => l.label === label)!;
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'jurisdiction_label.resolve',
      entityType: 'plan',
      entityId: planId,
      before: current,
      after,
    });
    return after;
  });
}
