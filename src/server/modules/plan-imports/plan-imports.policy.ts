import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { canAdministerTenant, canSeeTenant } from '../../core/tenancy.rule.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { orgIdsInScope, scopeOf } from '../organisations/organisations.service.ts';
import { assertCanAdministerPlan, ownerForNewPlan, readablePlanIds } from '../plans/plans.policy.ts';

/**
 * Tenancy of plan imports (issue 12, docs/decisions/0006-tenancy.md), on top of the route policy
 * `admin`. A draft belongs to the tenant of the user who made it (`plan_imports.owner_org_id`; for a
 * revision, the revised plan's): another city's draft does not exist for you (404), the province
 * reads its cities' drafts but changes none (403). The draft's unit mentions resolve only against
 * the organisations of its own tenant: a second city whose plan says 市住建局 gets its own
 * 市住建局, never city A's. `null` actor = internal caller (CLI, demo seed): no limit.
 */

/** The tenant a new draft belongs to: that of `actor`'s organisation (null for internal callers). */
export function ownerForNewImport(db: DbOrTrx, actor: Actor | null): Promise<string | null> {
  return ownerForNewPlan(db, actor?.orgId ?? null);
}

/** 404 unless `actor` reads the draft's tenant; with `mode` 'administer', 403 unless they administer it. */
export async function assertCanUseImport(
  db: DbOrTrx,
  actor: Actor | null,
  ownerOrgId: string | null,
  mode: 'read' | 'administer',
): Promise<void> {
  if (!actor) return;
  const scope = await scopeOf(db, actor);
  if (!canSeeTenant(scope, ownerOrgId)) throw new AppError('not_found', 'plan import not found');
  if (mode === 'administer' && !canAdministerTenant(scope, ownerOrgId)) {
    throw new AppError('forbidden', 'this plan import belongs to another jurisdiction');
  }
}

/**
 * For a revision draft: the plan to revise must be one `actor` administers. A plan they do not
 * read answers as a plan that does not exist (false: the caller's 422 on revisesPlanId); one they
 * read but do not administer is 403.
 */
export async function canReviseImportPlan(db: DbOrTrx, actor: Actor | null, planId: string): Promise<boolean> {
  if (!actor) return true;
  if (!(await readablePlanIds(db, actor, [planId])).has(planId)) return false;
  await assertCanAdministerPlan(db, actor, planId);
  return true;
}

/**
 * The organisations a draft of tenant `ownerOrgId` may resolve its mentions to and be mapped to:
 * the organisations of that tenant; null when nothing is filtered (an installation without
 * tenants, or a draft of the implicit jurisdiction).
 */
export async function importOrgIds(db: DbOrTrx, ownerOrgId: string | null): Promise<Set<string> | null> {
  if (ownerOrgId === null) return null;
  const own = new Set([ownerOrgId]);
  const ids = await orgIdsInScope(db, { tenantId: ownerOrgId, unrestricted: false, readable: own, administered: own });
  return ids === null ? null : new Set(ids);
}
