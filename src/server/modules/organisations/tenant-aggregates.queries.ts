/**
 * Organisations' facts for the province dashboard, grouped by tenant in one query (issue 12 §3).
 */
import type { DbOrTrx } from '../../db/database.ts';

/** The counties and districts (kind 'jurisdiction') of the given tenants, with their tenant. */
export function listJurisdictionsOfTenants(db: DbOrTrx, tenantIds: readonly string[]) {
  if (tenantIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'tenant_id', 'admin_code'])
    .where('kind', '=', 'jurisdiction')
    .where('tenant_id', 'in', [...tenantIds])
    .execute();
}
