import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { canAdministerTenant, canSeeTenant } from '../../core/tenancy.rule.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { orgIdsInScope, scopeOf, tenantOf } from '../organisations/organisations.service.ts';

/**
 * Row-level authorization of accounts (issue 12, docs/decisions/0006-tenancy.md): an account
 * belongs to the tenant of its organisation. An admin lists and changes only accounts of the
 * tenant they administer; an account of a tenant they do not read does not exist for them (404).
 * The route policy `admin` still decides who may manage accounts at all.
 */

/** Organisations whose accounts `actor` may list; null: no limit (internal caller or no tenant declared). */
export async function accountOrgScope(db: DbOrTrx, actor: Actor | null): Promise<string[] | null> {
  return orgIdsInScope(db, await scopeOf(db, actor));
}

/**
 * 404 when the account's organisation is outside what `actor` reads, 403 when they read but do
 * not administer it (a province admin looking at a city's account).
 */
export async function assertCanAdministerAccountOrg(db: DbOrTrx, actor: Actor | null, orgId: string): Promise<void> {
  const scope = await scopeOf(db, actor);
  if (scope.unrestricted) return;
  const tenant = await tenantOf(db, orgId);
  if (!canSeeTenant(scope, tenant)) throw new AppError('not_found', 'user not found');
  if (!canAdministerTenant(scope, tenant)) throw new AppError('forbidden', 'this account belongs to another jurisdiction');
}

/** For a new or moved account: the target organisation must be one the actor administers (400 otherwise, as if unknown). */
export async function assertCanPlaceAccountIn(db: DbOrTrx, actor: Actor | null, orgId: string): Promise<void> {
  const scope = await scopeOf(db, actor);
  if (scope.unrestricted) return;
  const tenant = await tenantOf(db, orgId).catch(() => undefined);
  if (tenant === undefined || !canSeeTenant(scope, tenant)) {
    throw new AppError('validation', 'unknown organisation', { errors: [{ path: 'orgId', message: 'unknown organisation' }] });
  }
  if (!canAdministerTenant(scope, tenant)) throw new AppError('forbidden', 'this organisation belongs to another jurisdiction');
}
