import type { DbOrTrx } from '../../db/database.ts';
import { listOrganisationNames } from '../organisations/organisations.service.ts';
import type { AssignmentRow, AssignmentRowWithOrg, TargetRow, TargetRowWithOrg } from './tasks.repository.ts';

/**
 * Names the organisations on assignment rows with one call to organisations' service for the whole
 * batch (organisations owns the table; plans no longer joins it). Order is kept; a row whose
 * organisation is missing is dropped, as the inner join it replaces did.
 */
export async function withAssignmentOrgNames(db: DbOrTrx, rows: readonly AssignmentRow[]): Promise<AssignmentRowWithOrg[]> {
  if (rows.length === 0) return [];
  const names = await listOrganisationNames(
    db,
    rows.map((r) => r.org_id),
  );
  return rows.flatMap((r) => {
    const orgName = names.get(r.org_id);
    return orgName === undefined ? [] : [{ ...r, org_name: orgName }];
  });
}

/**
 * Names the jurisdiction of target rows with one call to organisations' service for the whole batch;
 * null when the target names none or the organisation is missing (the left join it replaces).
 */
export async function withJurisdictionNames(db: DbOrTrx, rows: readonly TargetRow[]): Promise<TargetRowWithOrg[]> {
  const ids = rows.flatMap((r) => (r.jurisdiction_org_id === null ? [] : [r.jurisdiction_org_id]));
  const names = ids.length === 0 ? new Map<string, string>() : await listOrganisationNames(db, ids);
  return rows.map((r) => ({ ...r, jurisdiction_name: r.jurisdiction_org_id === null ? null : (names.get(r.jurisdiction_org_id) ?? null) }));
}
