import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { canAdministerTenant, canSeeTenant, type TenancyScope } from '../../core/tenancy.rule.ts';

/**
 * Row-level authorization of the registry (issue 12): an organisation of a tenant outside the
 * actor's scope does not exist for them (404, so ids of other cities are not confirmed); one
 * they read but do not administer (a city, seen from the province) is 403 to change. The route
 * policy `admin` still decides who may write at all.
 */

/** 404 unless `scope` reads organisations of `tenantId`. */
export function assertCanReadOrganisation(scope: TenancyScope, tenantId: string | null): void {
  if (!canSeeTenant(scope, tenantId)) throw new AppError('not_found', 'organisation not found');
}

/** 404 when not readable, 403 when readable but not administered by `scope`. */
export function assertCanAdministerOrganisation(scope: TenancyScope, tenantId: string | null): void {
  assertCanReadOrganisation(scope, tenantId);
  if (!canAdministerTenant(scope, tenantId)) throw new AppError('forbidden', 'this organisation belongs to another jurisdiction');
}

/** The tenant a new organisation belongs to: its parent's, else the creating actor's own. */
export function tenantForNewOrganisation(
  actor: Actor | null,
  scope: TenancyScope,
  parentTenantId: string | null | undefined,
): string | null {
  if (parentTenantId !== undefined) return parentTenantId;
  return actor ? scope.tenantId : null;
}
