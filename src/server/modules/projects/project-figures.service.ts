/**
 * The project library's figures: the four rates (开工率, 投资完成率, 资金到位率, 按期竣工率) per
 * county and category, the funding balance (资金综合平衡方案) per county and plan year, and the
 * projects that count toward a target. Each aggregate is one SQL statement in the repository.
 */
import type { FundingBalance, ProjectSummary, RateRow, TargetProjects } from '../../../shared/schemas/project.schema.ts';
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { writeTx } from '../../core/transaction.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { listOrganisations } from '../organisations/organisations.service.ts';
import { assertCanAdministerTask, assertCanReadTask } from '../plans/plans.policy.ts';
import { getTarget } from '../plans/targets.service.ts';
import { assertOffice, isUnfiltered, readScope, tenantOrgFilter } from './projects.policy.ts';
import {
  balanceRows,
  findTargetRule,
  listProjectRows,
  listTargetProjectRows,
  putTargetRule,
  rateCounts,
  statusCountRows,
} from './projects.repository.ts';
import { getLists } from './projects.service.ts';

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);
const isOversight = (actor: Actor) => actor.role === 'admin' || actor.role === 'leader';

async function names(db: DbOrTrx) {
  return new Map((await listOrganisations(db)).items.map((o) => [o.id, o.name]));
}

/** The four rates per county (and category); a unit or lead department sees its own organisation's rows. */
export async function projectRates(
  db: DbOrTrx,
  actor: Actor,
  planYear: number,
  asOf: string,
  byCategory: boolean,
): Promise<{ items: RateRow[] }> {
  const [rows, orgs, inTenants] = await Promise.all([rateCounts(db, planYear, asOf, byCategory), names(db), tenantOrgFilter(db, actor)]);
  return {
    items: rows
      .filter((r) => (isOversight(actor) || r.org_id === actor.orgId) && (!inTenants || inTenants.has(r.org_id)))
      .map((r) => ({
        orgId: r.org_id,
        orgName: orgs.get(r.org_id) ?? '',
        categoryCode: r.category_code,
        projects: r.projects,
        started: r.started,
        annualPlan: r.annual_plan,
        invested: r.invested,
        fundsPlanned: r.funds_planned,
        fundsArrived: r.funds_arrived,
        dueByAsOf: r.due,
        completedOnTime: r.on_time,
        startRate: pct(r.started, r.projects),
        investmentRate: pct(r.invested, r.annual_plan),
        fundsRate: pct(r.funds_arrived, r.funds_planned),
        onTimeRate: pct(r.on_time, r.due),
      })),
  };
}

/** The funding balance of each county (one county for a unit) for a plan year. */
export async function fundingBalance(db: DbOrTrx, actor: Actor, planYear: number, orgId?: string): Promise<FundingBalance> {
  const only = isOversight(actor) ? orgId : actor.orgId;
  const [all, orgs, lists, inTenants] = await Promise.all([
    balanceRows(db, planYear, only),
    names(db),
    getLists(db),
    tenantOrgFilter(db, actor),
  ]);
  // Grouped per county already: the tenancy filter drops the other tenants' counties.
  const rows = inTenants ? all.filter((r) => inTenants.has(r.org_id)) : all;
  const sourceName = new Map(lists.fundingSources.map((s) => [s.code, s.name]));
  const byOrg = new Map<string, typeof rows>();
  for (const r of rows) byOrg.set(r.org_id, [...(byOrg.get(r.org_id) ?? []), r]);
  const counties = [...byOrg.entries()].map(([id, list]) => {
    const needs = list.reduce((a, r) => a + r.needs, 0);
    const planned = list.reduce((a, r) => a + r.planned, 0);
    const arrived = list.reduce((a, r) => a + r.arrived, 0);
    const bySource = new Map<string, { planned: number; arrived: number }>();
    for (const r of list) {
      const s = bySource.get(r.source_code) ?? { planned: 0, arrived: 0 };
      s.planned += r.planned;
      s.arrived += r.arrived;
      bySource.set(r.source_code, s);
    }
    return {
      orgId: id,
      orgName: orgs.get(id) ?? '',
      needs,
      planned,
      arrived,
      gap: needs - planned,
      balanced: needs === planned,
      outstanding: Math.max(0, needs - arrived),
      bySource: lists.fundingSources
        .filter((s) => bySource.has(s.code))
        .map((s) => ({ sourceCode: s.code, sourceName: sourceName.get(s.code) ?? s.code, ...bySource.get(s.code)! })),
      pivot: list.map((r) => ({ categoryCode: r.category_code, sourceCode: r.source_code, planned: r.planned })),
    };
  });
  counties.sort((a, b) => a.orgName.localeCompare(b.orgName, 'zh-CN'));
  return { planYear, counties };
}

// Another tenant's target is as unknown as a missing one.
const notFoundAsTarget = (err: unknown): never => {
  throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', 'target not found') : err;
};

const COUNTED: Record<'completed' | 'started', readonly string[]> = {
  completed: ['completed', 'accepted'],
  started: ['in_progress', 'completed', 'accepted'],
};

/** A target's linked projects, which of them count (completed, or started, as the target says) and what is still missing. */
export async function targetProjects(db: DbOrTrx, actor: Actor, targetId: string): Promise<TargetProjects> {
  const target = await getTarget(db, targetId);
  await assertCanReadTask(db, actor, target.taskId).catch(notFoundAsTarget);
  const [rule, rows, orgs, scope] = await Promise.all([
    findTargetRule(db, targetId),
    listTargetProjectRows(db, targetId),
    names(db),
    readScope(db, actor),
  ]);
  const counts = (rule ?? 'completed') as 'completed' | 'started';
  const counted = (status: string) => COUNTED[counts].includes(status);
  const fromProjects = rows.filter((r) => counted(r.status)).reduce((a, r) => a + Number(r.contribution), 0);
  // The sum counts every project; the list names only those the caller may read.
  const visible = isUnfiltered(scope) ? null : new Set((await listProjectRows(db, scope, {}, 10_000, 0)).map((p) => p.id));
  return {
    targetId,
    metric: target.metric,
    unit: target.unit,
    value: target.value,
    counts,
    fromProjects,
    missing: Math.max(0, target.value - fromProjects),
    items: rows
      .filter((r) => !visible || visible.has(r.id))
      .map((r) => ({
        projectId: r.id,
        name: r.name,
        orgName: orgs.get(r.org_id) ?? '',
        status: r.status as TargetProjects['items'][number]['status'],
        contribution: Number(r.contribution),
        counted: counted(r.status),
      })),
  };
}

/** Sets whether a target counts completed or started projects (office). */
export async function setTargetRule(db: DbOrTrx, actor: Actor, targetId: string, counts: 'completed' | 'started'): Promise<TargetProjects> {
  assertOffice(actor);
  await writeTx(db, async (trx) => {
    const target = await getTarget(trx, targetId);
    await assertCanAdministerTask(trx, actor, target.taskId).catch(notFoundAsTarget);
    await putTargetRule(trx, targetId, counts);
    await appendAudit(trx, {
      actorId: actor.userId,
      action: 'target.project_rule',
      entityType: 'target',
      entityId: targetId,
      after: { counts },
    });
  });
  return targetProjects(db, actor, targetId);
}

/** The dashboard's project counts: the plan year's projects per county and status, as far as the caller may see. */
export async function projectSummary(db: DbOrTrx, actor: Actor, planYear: number): Promise<ProjectSummary> {
  const scope = await readScope(db, actor);
  const [rows, orgs] = await Promise.all([statusCountRows(db, scope, planYear), names(db)]);
  const byOrg = new Map<string, Record<string, number>>();
  for (const r of rows) byOrg.set(r.org_id, { ...byOrg.get(r.org_id), [r.status]: r.n });
  const byCounty = [...byOrg.entries()].map(([orgId, byStatus]) => ({
    orgId,
    orgName: orgs.get(orgId) ?? '',
    total: Object.values(byStatus).reduce((a, n) => a + n, 0),
    byStatus,
  }));
  byCounty.sort((a, b) => a.orgName.localeCompare(b.orgName, 'zh-CN'));
  return { planYear, byCounty };
}
