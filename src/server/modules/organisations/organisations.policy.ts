import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import { canAdministerTenant, canSeeTenant, type TenancyScope, type TenantNode } from '../../core/tenancy.rule.ts';

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

/**
 * Who may declare `target` a city office (POST /api/tenants): the office of a province, for an
 * organisation of its own registry that is not a tenant yet. A city cannot (403); an
 * installation without tenants has no province to put a city under (409). Another jurisdiction's organisation is 404 (or 403 when merely read).
 */
export function assertCanDeclareCity(
  scope: TenancyScope,
  actorTenant: TenantNode | undefined,
  target: { tenantId: string | null; kind: string; isTenant: boolean },
): void {
  // An installation that declared no tenant has no province yet: a state to change first (409),
  // not a permission the office lacks.
  if (scope.unrestricted) throw new AppError('conflict', '本系统尚未设立省级管理机构，不能设立市级管理机构');
  if (actorTenant?.level !== 'province') throw new AppError('forbidden', '只有省级管理机构可以设立市级管理机构');
  assertCanAdministerOrganisation(scope, target.tenantId);
  if (target.isTenant) throw new AppError('conflict', '该机构已是管理机构');
  if (target.kind === 'group') {
    throw new AppError('validation', '组合单位不能设为市级管理机构', {
      errors: [{ path: 'orgId', message: '组合单位不能设为市级管理机构' }],
    });
  }
}
