import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { canAdministerTenant, canSeeTenant } from '../../core/tenancy.rule.ts';
import { listTenants, scopeOf, tenantOf } from '../organisations/organisations.service.ts';
import { listPlanOwners } from './plans.repository.ts';
import { findTargetRow, findTaskRow, listAssignmentRows } from './tasks.repository.ts';

/**
 * Row-level authorization of plan rows (on top of the route policy `write` of
 * src/server/http/policy.ts, which already keeps leader out). The services call these as the first
 * statement inside their writeTx, so the facts decided on are the ones the write then changes.
 *
 * "task write": admin; a `lead` user whose organisation is a lead unit of the task; a `unit`
 * user whose organisation is the task's one and only responsible unit, named directly.
 * A task shared by several units (or given to a group such as 各县区政府) is one ledger row per
 * unit, but its status, text, deadlines and city-wide targets are one record: letting any one
 * county change them would change every other county's row. So on a shared task a unit writes
 * only the targets of its own jurisdiction (see "target write"), and reports its own progress.
 */

/** 404 when the task does not exist, 403 when the actor may not write it ("task write"). */
export async function assertCanWriteTask(db: DbOrTrx, actor: Actor | null, taskId: string): Promise<void> {
  if (!actor) throw new AppError('unauthenticated', 'sign in first');
  const task = await findTaskRow(db, taskId);
  if (!task) throw new AppError('not_found', 'task not found');
  await assertPlanTenant(db, actor, task.plan_id, 'write', 'task not found');
  if (await canWriteTaskRow(db, actor, taskId)) return;
  throw new AppError('forbidden', 'your organisation may not change this task');
}

/** The assignments "task write" looks at: who leads the task and who is responsible for it. */
export interface TaskWriteScope {
  leadOrgIds: readonly string[];
  responsibleOrgIds: readonly string[];
}

/**
 * The "task write" rule itself, over facts already loaded: the task's lead and responsible
 * organisations. The single-task check above and batch readers (the ledger's canEdit) both
 * decide with it.
 */
export function canWriteTaskWithScope(actor: Actor, scope: TaskWriteScope): boolean {
  switch (actor.role) {
    case 'admin':
      return true;
    case 'lead':
      return scope.leadOrgIds.includes(actor.orgId);
    case 'unit':
      return scope.responsibleOrgIds.length === 1 && scope.responsibleOrgIds[0] === actor.orgId;
    default:
      return false;
  }
}

async function canWriteTaskRow(db: DbOrTrx, actor: Actor, taskId: string): Promise<boolean> {
  if (actor.role === 'admin') return true;
  if (actor.role !== 'lead' && actor.role !== 'unit') return false;
  const assignments = await listAssignmentRows(db, [taskId]);
  return canWriteTaskWithScope(actor, {
    leadOrgIds: assignments.filter((a) => a.role === 'lead').map((a) => a.org_id),
    responsibleOrgIds: [...new Set(assignments.filter((a) => a.role === 'responsible').map((a) => a.org_id))],
  });
}

/**
 * "target write": a target of its own jurisdiction is a `unit` user's own number; a target of
 * another jurisdiction never is; a target that names no jurisdiction follows "task write".
 * 404 when the target does not exist.
 */
export async function assertCanWriteTarget(db: DbOrTrx, actor: Actor | null, targetId: string): Promise<void> {
  if (!actor) throw new AppError('unauthenticated', 'sign in first');
  const target = await findTargetRow(db, targetId);
  if (!target) throw new AppError('not_found', 'target not found');
  const task = await findTaskRow(db, target.task_id);
  if (task) await assertPlanTenant(db, actor, task.plan_id, 'write', 'target not found');
  if (actor.role === 'unit' && target.jurisdiction_org_id !== null) {
    if (target.jurisdiction_org_id === actor.orgId) return;
    throw new AppError('forbidden', 'this target belongs to another jurisdiction');
  }
  if (await canWriteTaskRow(db, actor, target.task_id)) return;
  throw new AppError('forbidden', 'your organisation may not change this target');
}

// ——— Tenancy (issue 12, docs/decisions/0006-tenancy.md) ———
// A plan belongs to the tenant that issued it (plans.owner_org_id). Whoever does not read that
// tenant does not see the plan at all (404, the same answer as for an unknown id); a province
// reads its cities' plans but changes only its own (403).

/** The plans among `planIds` that `actor` may read (all plans when `planIds` is omitted). */
export async function readablePlanIds(db: DbOrTrx, actor: Actor | null, planIds?: readonly string[]): Promise<Set<string>> {
  const [scope, owners] = await Promise.all([scopeOf(db, actor), listPlanOwners(db, planIds)]);
  return new Set([...owners].filter(([, owner]) => canSeeTenant(scope, owner)).map(([id]) => id));
}

/**
 * The plans among `planIds` that `actor` reads, narrowed to those `tenant` issued when given
 * (a province user drilling into one city): 404 when `tenant` is not a tenant the actor reads.
 */
export async function readablePlanIdsOfTenant(
  db: DbOrTrx,
  actor: Actor | null,
  planIds: readonly string[],
  tenant: string | undefined,
): Promise<Set<string>> {
  if (tenant === undefined) return readablePlanIds(db, actor, planIds);
  const [scope, owners, tenants] = await Promise.all([scopeOf(db, actor), listPlanOwners(db, planIds), listTenants(db)]);
  if (!tenants.some((t) => t.orgId === tenant) || !canSeeTenant(scope, tenant)) throw new AppError('not_found', 'tenant not found');
  return new Set([...owners].filter(([, owner]) => owner === tenant).map(([id]) => id));
}

/** 404 when the plan does not exist or belongs to a tenant `actor` does not read. */
export async function assertCanReadPlan(db: DbOrTrx, actor: Actor | null, planId: string): Promise<void> {
  const [scope, owners] = await Promise.all([scopeOf(db, actor), listPlanOwners(db, [planId])]);
  if (!owners.has(planId) || !canSeeTenant(scope, owners.get(planId) ?? null)) throw new AppError('not_found', 'plan not found');
}

/**
 * 404 as assertCanReadPlan; 403 when the actor reads the plan but does not administer its tenant.
 * `notFound` names what the caller was looking for (a section of the plan is "not found", not its plan).
 */
export async function assertCanAdministerPlan(
  db: DbOrTrx,
  actor: Actor | null,
  planId: string,
  notFound = 'plan not found',
): Promise<void> {
  const [scope, owners] = await Promise.all([scopeOf(db, actor), listPlanOwners(db, [planId])]);
  const owner = owners.get(planId) ?? null;
  if (!owners.has(planId) || !canSeeTenant(scope, owner)) throw new AppError('not_found', notFound);
  if (!canAdministerTenant(scope, owner)) throw new AppError('forbidden', 'this plan belongs to another jurisdiction');
}

/** The tenant a new plan belongs to: that of the organisation of the user who creates it (null for internal callers). */
export async function ownerForNewPlan(db: DbOrTrx, actorOrgId: string | null): Promise<string | null> {
  return actorOrgId === null ? null : tenantOf(db, actorOrgId);
}

// A task's or target's plan must be in the actor's scope: 404 (as `notFound`) when they do not
// read it, 403 on a write when they read but do not administer it.
async function assertPlanTenant(db: DbOrTrx, actor: Actor | null, planId: string, mode: 'read' | 'write', notFound: string): Promise<void> {
  const [scope, owners] = await Promise.all([scopeOf(db, actor), listPlanOwners(db, [planId])]);
  const owner = owners.get(planId) ?? null;
  if (!canSeeTenant(scope, owner)) throw new AppError('not_found', notFound);
  if (mode === 'write' && !canAdministerTenant(scope, owner)) throw new AppError('forbidden', 'this plan belongs to another jurisdiction');
}

/** 404 when the task does not exist or its plan belongs to a tenant `actor` does not read. */
export async function assertCanReadTask(db: DbOrTrx, actor: Actor | null, taskId: string): Promise<void> {
  const task = await findTaskRow(db, taskId);
  if (!task) throw new AppError('not_found', 'task not found');
  await assertPlanTenant(db, actor, task.plan_id, 'read', 'task not found');
}

/**
 * For the office's edits of a task's rows that have no row rule of their own (assignments):
 * 404 when the task is unknown or out of scope, 403 when its plan is read but not administered.
 */
export async function assertCanAdministerTask(db: DbOrTrx, actor: Actor | null, taskId: string): Promise<void> {
  const task = await findTaskRow(db, taskId);
  if (!task) throw new AppError('not_found', 'task not found');
  await assertPlanTenant(db, actor, task.plan_id, 'write', 'task not found');
}
