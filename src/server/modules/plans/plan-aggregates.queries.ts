/**
 * Plans' reads for the dashboards' scopes (plans owns these tables): which plans a dashboard
 * counts, whose they are, and their tasks as a subquery for other modules' GROUP BY. The counting
 * itself is over the plans' cached ledger rows (ledger/ledger-cache.service.ts, ADR 0009).
 */
import type { DbOrTrx } from '../../db/database.ts';

/** The plan, or every active plan, oldest first, with the tenant that owns it (the dashboard's scope). */
export function listDashboardPlans(db: DbOrTrx, planId: string | undefined) {
  let q = db.selectFrom('plans').select(['id', 'title', 'created_at', 'owner_org_id']);
  q = planId ? q.where('id', '=', planId) : q.where('status', '=', 'active');
  return q.orderBy('created_at').orderBy('id').execute();
}

/** Active plans of `ownerIds` with their title and owner (the province dashboard sums per owner). */
export function listActivePlansOfOwners(db: DbOrTrx, ownerIds: readonly string[]) {
  if (ownerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('plans')
    .select(['id', 'title', 'owner_org_id'])
    .where('status', '=', 'active')
    .where('owner_org_id', 'in', [...ownerIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Each task of the active plans of `ownerIds` with the tenant owning its plan, as a subquery other modules group by. */
export function taskOwnersOfTenants(db: DbOrTrx, ownerIds: readonly string[]) {
  return db
    .selectFrom('tasks')
    .innerJoin('plans', 'plans.id', 'tasks.plan_id')
    .select(['tasks.id as task_id', 'plans.owner_org_id as owner_org_id'])
    .where('plans.status', '=', 'active')
    .where('plans.owner_org_id', 'in', ownerIds.length === 0 ? [''] : [...ownerIds]);
}
