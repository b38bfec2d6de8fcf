import { type Insertable, sql, type Updateable } from 'kysely';
import type { OrgKind } from '../../../shared/enums.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { updateIfVersion } from '../../core/versioned-update.ts';
import type { OrganisationRow, OrganisationsTable } from '../../db/database.types.ts';

export interface OrganisationFilter {
  q?: string;
  kind?: OrgKind;
  /** Only organisations of these tenants (`null`: untenanted ones); all when omitted. */
  tenantIds?: ReadonlyArray<string | null>;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listOrganisationRows(db: DbOrTrx, f: OrganisationFilter = {}): Promise<OrganisationRow[]> {
  const pattern = f.q ? `%${escapeLike(f.q)}%` : undefined;
  return db
    .selectFrom('organisations')
    .selectAll()
    .$if(f.kind !== undefined, (qb) => qb.where('kind', '=', f.kind!))
    .$if(f.tenantIds !== undefined, (qb) =>
      qb.where((eb) => {
        const named = f.tenantIds!.filter((t): t is string => t !== null);
        // The scope always names at least one tenant (its own), so the list is never empty.
        const ors = [];
        if (named.length > 0) ors.push(eb('tenant_id', 'in', named));
        if (f.tenantIds!.includes(null)) ors.push(eb('tenant_id', 'is', null));
        return eb.or(ors);
      }),
    )
    .$if(pattern !== undefined, (qb) =>
      // SQLite has no default LIKE escape character; name one so both dialects agree.
      qb.where(sql<boolean>`(name like ${pattern} escape '\\' or aliases like ${pattern} escape '\\')`),
    )
    .orderBy('name')
    .execute();
}

export async function findOrganisationById(db: DbOrTrx, id: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The organisation named `name` in `tenantId`'s registry (names are unique per tenant). */
export async function findOrganisationByName(db: DbOrTrx, tenantId: string | null, name: string): Promise<OrganisationRow | undefined> {
  return db
    .selectFrom('organisations')
    .selectAll()
    .where('name', '=', name)
    .where((eb) => (tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', tenantId)))
    .executeTakeFirst();
}

export async function findExistingOrganisationIds(db: DbOrTrx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('organisations').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

export async function insertOrganisation(db: DbOrTrx, row: Insertable<OrganisationsTable>): Promise<void> {
  await db.insertInto('organisations').values(row).execute();
}

/** Updates only if the row is still at `version`; returns whether it was. */
export async function updateOrganisationIfVersion(
  db: DbOrTrx,
  id: string,
  version: number,
  patch: Updateable<OrganisationsTable>,
): Promise<boolean> {
  return (await updateIfVersion(db, 'organisations', id, version, patch)) === 1;
}

/** Sets fields without touching `version`: for rows created earlier in the same transaction. */
export async function setOrganisationFields(db: DbOrTrx, id: string, patch: Updateable<OrganisationsTable>): Promise<void> {
  await db.updateTable('organisations').set(patch).where('id', '=', id).execute();
}

export async function deleteOrganisationIfVersion(db: DbOrTrx, id: string, version: number): Promise<boolean> {
  const res = await db.deleteFrom('organisations').where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

/** Member ids per group id, for the given groups (all groups when omitted). */
export async function listMembers(db: DbOrTrx, groupIds?: string[]): Promise<Map<string, string[]>> {
  if (groupIds && groupIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisation_members')
    .select(['group_id', 'member_id'])
    .$if(groupIds !== undefined, (qb) => qb.where('group_id', 'in', groupIds!))
    .orderBy('group_id')
    .orderBy('member_id')
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.group_id) ?? [];
    list.push(r.member_id);
    out.set(r.group_id, list);
  }
  return out;
}

export async function replaceMembers(db: DbOrTrx, groupId: string, memberIds: string[]): Promise<void> {
  await db.deleteFrom('organisation_members').where('group_id', '=', groupId).execute();
  if (memberIds.length > 0) {
    await db
      .insertInto('organisation_members')
      .values(memberIds.map((member_id) => ({ group_id: groupId, member_id })))
      .execute();
  }
}

/** Child organisations of one organisation; a non-zero count blocks deletion (users and plans count theirs, OrganisationUseChecks). */
export async function countOrganisationUses(db: DbOrTrx, id: string): Promise<{ children: number }> {
  const row = await db
    .selectFrom('organisations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_id', '=', id)
    .executeTakeFirst();
  return { children: Number(row?.n ?? 0) };
}

/** parent_id of every organisation: for cycle checks over the whole tree. */
export async function listParentLinks(db: DbOrTrx): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('organisations').select(['id', 'parent_id']).execute();
  return new Map(rows.map((r) => [r.id, r.parent_id]));
}

/** Members of every group, with the member's name, kind and division code (for district order). */
export function listGroupMemberRows(db: DbOrTrx) {
  return db
    .selectFrom('organisation_members')
    .innerJoin('organisations', 'organisations.id', 'organisation_members.member_id')
    .select([
      'organisation_members.group_id',
      'organisation_members.member_id',
      'organisations.name',
      'organisations.kind',
      'organisations.admin_code',
    ])
    .execute();
}

/** Kind and division code of organisations (the dashboard's district axis is kind 'jurisdiction'). */
export function listOrganisationKindRows(db: DbOrTrx) {
  return db.selectFrom('organisations').select(['id', 'kind', 'admin_code']).execute();
}

/** Id and name of the given organisations; `in (…)` lists in chunks, below the parameter caps. */
export async function listOrganisationNameRows(db: DbOrTrx, ids: readonly string[]) {
  const unique = [...new Set(ids)];
  const out = [];
  for (let i = 0; i < unique.length; i += 5000) {
    out.push(
      ...(await db
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('id', 'in', unique.slice(i, i + 5000))
        .execute()),
    );
  }
  return out;
}

// ——— Tenancy (issue 12, docs/decisions/0006-tenancy.md) ———

/** Every declared tenant: the tree the tenancy rule decides on (a handful of rows: 1 + cities). */
export async function listTenantRows(db: DbOrTrx): Promise<Array<{ org_id: string; level: string; parent_org_id: string | null }>> {
  return db.selectFrom('tenants').select(['org_id', 'level', 'parent_org_id']).orderBy('org_id').execute();
}

/** Every declared tenant with its organisation's name, by name (the jurisdictions screen). */
export async function listTenantRowsWithNames(
  db: DbOrTrx,
): Promise<Array<{ org_id: string; level: string; parent_org_id: string | null; created_at: string; name: string }>> {
  return db
    .selectFrom('tenants')
    .innerJoin('organisations', 'organisations.id', 'tenants.org_id')
    .select(['tenants.org_id', 'tenants.level', 'tenants.parent_org_id', 'tenants.created_at', 'organisations.name'])
    .orderBy('organisations.name')
    .execute();
}

export async function insertTenantRow(
  db: DbOrTrx,
  row: { org_id: string; level: string; parent_org_id: string | null; created_at: string },
): Promise<void> {
  await db.insertInto('tenants').values(row).execute();
}

/** The tenant of one organisation: undefined when the organisation does not exist. */
export async function findTenantIdOfOrg(db: DbOrTrx, orgId: string): Promise<{ tenant_id: string | null } | undefined> {
  return db.selectFrom('organisations').select('tenant_id').where('id', '=', orgId).executeTakeFirst();
}

/** Ids of the organisations belonging to any of `tenantIds` (`null`: the untenanted ones). */
export async function listOrgIdsOfTenants(db: DbOrTrx, tenantIds: ReadonlyArray<string | null>): Promise<string[]> {
  const named = tenantIds.filter((t): t is string => t !== null);
  const withNull = tenantIds.includes(null);
  if (named.length === 0 && !withNull) return [];
  const rows = await db
    .selectFrom('organisations')
    .select('id')
    .where((eb) => {
      const ors = [];
      if (named.length > 0) ors.push(eb('tenant_id', 'in', named));
      if (withNull) ors.push(eb('tenant_id', 'is', null));
      return eb.or(ors);
    })
    .execute();
  return rows.map((r) => r.id);
}

/** Puts the given organisations under `tenantId` (set-based). */
export async function setTenantOfOrgs(db: DbOrTrx, orgIds: string[], tenantId: string | null): Promise<void> {
  if (orgIds.length === 0) return;
  await db.updateTable('organisations').set({ tenant_id: tenantId }).where('id', 'in', orgIds).execute();
}

/** Tenant of each of the given organisations (absent ids are left out). */
export async function listTenantIdsOf(db: DbOrTrx, ids: readonly string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'tenant_id'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.tenant_id ?? null]));
}

/** Puts every organisation that belongs to no tenant under `tenantId` (one statement). */
export async function setTenantOfUntenantedOrgs(db: DbOrTrx, tenantId: string): Promise<void> {
  await db.updateTable('organisations').set({ tenant_id: tenantId }).where('tenant_id', 'is', null).execute();
}
