import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { orgIdsOfTenant, scopeOf } from '../organisations/organisations.service.ts';
import { assertCanAdministerPlan, readablePlanIds } from '../plans/plans.policy.ts';
import { ownerOfPlan } from '../plans/plans.service.ts';

/**
 * The tenancy part of reporting's policy (issue 12), in a file of its own so that the services
 * reporting.policy.ts depends on (report rows) can ask it without an import cycle.
 */

// ——— Tenancy (issue 12, docs/decisions/0006-tenancy.md) ———
// Schedules, periods, reports and snapshots follow their plan's tenant: no second column. An
// actor who does not read the plan's tenant does not see the row at all (404, as for an unknown
// id); one who reads but does not administer it (the province, on a city's plan) gets 403 on
// every change, filing and reviewing included. `undefined` actor = internal caller (jobs, other
// modules' services, the demo seed), `null` = system: no limit, as in plans.policy.ts.

/**
 * 404 (as `notFound`) unless `actor` reads the tenant of plan `planId`; with `mode` 'administer'
 * also 403 unless they administer it. The caller has already established that the plan exists.
 */
export async function assertPlanInScope(
  db: DbOrTrx,
  actor: Actor | null | undefined,
  planId: string,
  mode: 'read' | 'administer',
  notFound: string,
): Promise<void> {
  if (!actor) return;
  if (mode === 'administer') return assertCanAdministerPlan(db, actor, planId, notFound);
  if (!(await readablePlanIds(db, actor, [planId])).has(planId)) throw new AppError('not_found', notFound);
}

/**
 * The plan ids among `planIds` whose tenant `actor` reads, or null when nothing needs filtering
 * (an internal caller). Lists filter their SQL by it.
 */
export async function readablePlansAmong(
  db: DbOrTrx,
  actor: Actor | null | undefined,
  planIds?: readonly string[],
): Promise<string[] | null> {
  if (!actor || (await scopeOf(db, actor)).unrestricted) return null;
  return [...(await readablePlanIds(db, actor, planIds))];
}

/**
 * The organisations that may report on plan `planId`: those of the plan's tenant, or null (every
 * organisation) in an installation without tenants. Jobs that act per plan (reminders) start
 * from it instead of asking every user of the installation about every plan.
 */
export async function reportingOrgsOfPlan(db: DbOrTrx, planId: string): Promise<Set<string> | null> {
  const ids = await orgIdsOfTenant(db, await ownerOfPlan(db, planId));
  return ids === null ? null : new Set(ids);
}
