import type { DbOrTrx } from '../../db/database.ts';
import { tenantsOfOrgs } from '../organisations/organisations.service.ts';
import { findPlanBasics } from '../plans/plan-status.queries.ts';

/**
 * Tenancy of notifications (issue 12, docs/decisions/0006-tenancy.md). Reading is already the
 * user's own (every query is keyed on the user; another user's id is 404). Writing is where a
 * city could leak into another: a notification about a plan's rows (a review's outcome, a 督办)
 * goes only to organisations of the plan's own tenant, whoever the acting service named — a
 * belt to the braces of the services' own checks, so a misassigned organisation of another city
 * never learns of the plan. A plan of no tenant (an untenanted installation) limits nothing.
 */
export async function recipientsWithinPlan(db: DbOrTrx, orgIds: readonly string[], planId: string): Promise<string[]> {
  const owner = (await findPlanBasics(db, planId))?.owner_org_id ?? null;
  if (owner === null) return [...orgIds];
  const tenants = await tenantsOfOrgs(db, orgIds);
  return orgIds.filter((id) => tenants.get(id) === owner);
}
