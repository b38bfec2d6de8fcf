import type { Actor } from '../../core/actor.ts';
import { GLOBAL_CHAIN, planChain } from '../../core/audit-log.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { listTenants, scopeOf } from '../organisations/organisations.service.ts';
import { readablePlanIds } from '../plans/plans.policy.ts';

/**
 * Which audit chains an actor may verify and read (issue 12, docs/decisions/0006-tenancy.md,
 * amendment "audit chains"), on top of the route policy `admin`. A plan's chain follows its
 * plan's tenant: a city verifies its own plans' chains, the province its own and its cities'
 * (it reads their records). The installation chain (`global`: organisations, accounts,
 * settings of every tenant) is verified by the administrator of a root tenant only — one with
 * no tenant above it (the province, or a city that stands alone) — and by everyone on an
 * installation without tenants. A city under a province gets its plans' chains only.
 */

/** The chains `actor` may verify, or null for every chain (internal callers, untenanted installations). */
export async function auditChainsReadableBy(db: DbOrTrx, actor: Actor | null | undefined): Promise<string[] | null> {
  if (!actor) return null;
  const scope = await scopeOf(db, actor);
  if (scope.unrestricted) return null;
  const [tenants, plans] = await Promise.all([listTenants(db), readablePlanIds(db, actor)]);
  const own = tenants.find((t) => t.orgId === scope.tenantId);
  const chains = [...plans].map(planChain);
  if (own && own.parentOrgId === null) chains.push(GLOBAL_CHAIN);
  return chains.sort();
}
