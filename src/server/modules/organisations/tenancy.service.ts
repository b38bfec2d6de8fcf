import type { DbOrTrx } from '../../db/database.ts';
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { appendAudit } from '../../core/audit-log.ts';
import { scopeFor, subtreeIds, TENANT_LEVELS, type TenancyScope, type TenantLevel, type TenantNode } from '../../core/tenancy.rule.ts';
import { writeTx } from '../../core/transaction.ts';
import type { DeclareCityTenantBody, Tenant } from '../../../shared/schemas/organisation.schema.ts';
import { assertCanDeclareCity, assertCanReadOrganisation } from './organisations.policy.ts';
import {
  findOrganisationById,
  findTenantIdOfOrg,
  insertTenantRow,
  listOrgIdsOfTenants,
  listParentLinks,
  listTenantIdsOf,
  listTenantRows,
  listTenantRowsWithNames,
  setTenantOfOrgs,
  setTenantOfUntenantedOrgs,
} from './organisations.repository.ts';

/**
 * Tenancy facts of the organisations module (it owns `tenants` and `organisations.tenant_id`):
 * the one place every module's policy asks "whose data may this actor see?"
 * (docs/decisions/0006-tenancy.md). The decision itself is the pure src/server/core/tenancy.rule.ts.
 */

/** The scope of internal callers (CLI, demo seed, jobs, factories): no actor, no tenancy limit. */
export const SYSTEM_SCOPE: TenancyScope = { tenantId: null, unrestricted: true, readable: new Set([null]), administered: new Set([null]) };

/** The declared tenant tree. */
export async function listTenants(db: DbOrTrx): Promise<TenantNode[]> {
  const rows = await listTenantRows(db);
  return rows.map((r) => ({ orgId: r.org_id, level: r.level as TenantLevel, parentOrgId: r.parent_org_id }));
}

/** The tenant an organisation belongs to (null: the implicit jurisdiction); 404 when it does not exist. */
export async function tenantOf(db: DbOrTrx, orgId: string): Promise<string | null> {
  const row = await findTenantIdOfOrg(db, orgId);
  if (!row) throw new AppError('not_found', 'organisation not found');
  return row.tenant_id;
}

/** The tenant of each of `orgIds` that exists (null: the implicit jurisdiction), in one query. */
export function tenantsOfOrgs(db: DbOrTrx, orgIds: readonly string[]): Promise<Map<string, string | null>> {
  return listTenantIdsOf(db, [...new Set(orgIds)]);
}

/** The organisation and every organisation below it in the registry tree (parent links). */
export async function subtreeOf(db: DbOrTrx, orgId: string): Promise<string[]> {
  return subtreeIds(await listParentLinks(db), orgId);
}

/**
 * What `actor` may read and administer: their organisation's tenant, and under a province every
 * city below it. A null actor is an internal caller (SYSTEM_SCOPE). Two small queries; callers
 * inside a transaction pass the transaction so the scope is decided on the facts they then use.
 */
export async function scopeOf(db: DbOrTrx, actor: Actor | null): Promise<TenancyScope> {
  if (!actor) return SYSTEM_SCOPE;
  const [tenants, own] = await Promise.all([listTenants(db), findTenantIdOfOrg(db, actor.orgId)]);
  return scopeFor(tenants, own?.tenant_id ?? null);
}

/**
 * Ids of the organisations whose data `scope` reads, for modules that filter their own rows by
 * organisation (accounts); null when nothing needs filtering (no tenant declared).
 */
export async function orgIdsInScope(db: DbOrTrx, scope: TenancyScope): Promise<string[] | null> {
  if (scope.unrestricted) return null;
  return listOrgIdsOfTenants(db, [...scope.readable]);
}

/** The organisations of one tenant (an office's whole jurisdiction); null for the untenanted installation: every organisation. */
export async function orgIdsOfTenant(db: DbOrTrx, tenantId: string | null): Promise<string[] | null> {
  if (tenantId === null) return null;
  return listOrgIdsOfTenants(db, [tenantId]);
}

/** The organisations of the tenants `scope` administers (its own); null when unrestricted. */
export async function orgIdsAdministered(db: DbOrTrx, scope: TenancyScope): Promise<string[] | null> {
  if (scope.unrestricted) return null;
  return listOrgIdsOfTenants(db, [...scope.administered]);
}

/**
 * Declares `orgId` a tenant (a province's or a city's office) under `parentOrgId` (a city's
 * province, or null for a root). The organisation and its registry subtree that belonged to
 * the same tenant as it move to the new tenant; with `adoptUntenanted`, so does every
 * organisation that belongs to no tenant yet (an install's existing registry becoming one
 * city, as the migration does; plans follow with plans' `adoptUntenantedPlans`). Internal
 * (seed, CLI, tests) until the province screens of the next step; audited.
 */
export async function declareTenant(
  db: DbOrTrx,
  actor: Actor | null,
  orgId: string,
  spec: { level: TenantLevel; parentOrgId: string | null; adoptUntenanted?: boolean },
): Promise<void> {
  if (!TENANT_LEVELS.includes(spec.level)) throw new AppError('validation', 'unknown tenant level');
  await writeTx(db, async (trx) => {
    const tenants = await listTenants(trx);
    if (tenants.some((t) => t.orgId === orgId)) throw new AppError('conflict', 'the organisation is already a tenant');
    if (spec.parentOrgId !== null) {
      const parent = tenants.find((t) => t.orgId === spec.parentOrgId);
      if (parent?.level !== 'province') throw new AppError('validation', 'a tenant sits under a province');
      if (spec.level !== 'city') throw new AppError('validation', 'only a city sits under a province');
    }
    const previous = await tenantOf(trx, orgId);
    const parents = await listParentLinks(trx);
    const subtree = subtreeIds(parents, orgId);
    const sameTenant = new Set(await listOrgIdsOfTenants(trx, [previous]));
    await insertTenantRow(trx, { org_id: orgId, level: spec.level, parent_org_id: spec.parentOrgId, created_at: new Date().toISOString() });
    await setTenantOfOrgs(
      trx,
      subtree.filter((id) => sameTenant.has(id)),
      orgId,
    );
    if (spec.adoptUntenanted) await setTenantOfUntenantedOrgs(trx, orgId);
    await appendAudit(trx, {
      actorId: actor?.userId ?? null,
      action: 'tenant.declare',
      entityType: 'organisation',
      entityId: orgId,
      after: { level: spec.level, parentOrgId: spec.parentOrgId, adoptUntenanted: spec.adoptUntenanted === true },
    });
  });
}

/**
 * The declared tenants `actor` reads (GET /api/tenants): a province office sees itself and its
 * cities, a city office itself, an internal caller or an installation without tenants all of them.
 */
export async function listVisibleTenants(db: DbOrTrx, actor?: Actor | null): Promise<{ items: Tenant[] }> {
  const scope = actor === undefined ? SYSTEM_SCOPE : await scopeOf(db, actor);
  const rows = await listTenantRowsWithNames(db);
  const items = rows
    .filter((r) => scope.unrestricted || scope.readable.has(r.org_id))
    .map((r) => ({ orgId: r.org_id, name: r.name, level: r.level as TenantLevel, parentOrgId: r.parent_org_id, createdAt: r.created_at }));
  return { items };
}

/**
 * A province office declares an organisation of its own registry a city office under it
 * (POST /api/tenants, organisations.policy `assertCanDeclareCity`). The organisation's registry
 * subtree moves into the new city (declareTenant); audited as `tenant.declare`.
 */
export async function declareCityTenant(db: DbOrTrx, actor: Actor | null, body: DeclareCityTenantBody): Promise<Tenant> {
  return writeTx(db, async (trx) => {
    const scope = await scopeOf(trx, actor);
    const tenants = await listTenants(trx);
    const target = await findOrganisationById(trx, body.orgId);
    if (!target) throw new AppError('not_found', '未找到该机构');
    assertCanReadOrganisation(scope, target.tenant_id ?? null);
    assertCanDeclareCity(
      scope,
      tenants.find((t) => t.orgId === scope.tenantId),
      { tenantId: target.tenant_id ?? null, kind: target.kind, isTenant: tenants.some((t) => t.orgId === target.id) },
    );
    await declareTenant(trx, actor, target.id, { level: 'city', parentOrgId: scope.tenantId });
    const created = (await listTenantRowsWithNames(trx)).find((r) => r.org_id === target.id)!;
    return { orgId: created.org_id, name: created.name, level: 'city', parentOrgId: created.parent_org_id, createdAt: created.created_at };
  });
}
