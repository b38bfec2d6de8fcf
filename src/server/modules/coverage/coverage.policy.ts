/**
 * Who may manage coverage (import layers, edit standards, run analyses): the office (admin).
 * Called by the services inside their transactions.
 *
 * Tenancy (docs/decisions/0006-tenancy.md, step 2b): a layer and an analysis belong to the tenant
 * of the organisation of the user who created them (`created_by`, recorded on both already; no
 * second column). A layer or analysis of a tenant the caller does not read is 404; one they read
 * but do not administer (a city's, seen from the province) cannot be used to run an analysis or
 * make draft projects (403). Rows created by no one (an internal seed) belong to no tenant. The
 * standards are installation-wide norms (service radii), read by every tenant.
 */
import { AppError } from '../../core/app-error.ts';
import type { Actor } from '../../core/actor.ts';
import { canAdministerTenant, canSeeTenant } from '../../core/tenancy.rule.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { listTenants, scopeOf, tenantOf } from '../organisations/organisations.service.ts';
import { assertCanAdministerTask, assertCanReadTask } from '../plans/plans.policy.ts';
import { getUser } from '../users/users.service.ts';

/** 403 unless the office. */
export function assertCanManageCoverage(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('forbidden', '只有市级统筹办公室（管理员）可以导入图层、修改覆盖标准或运行分析');
}

async function tenantOfCreator(db: DbOrTrx, createdBy: string | null): Promise<string | null> {
  if (!createdBy) return null;
  const user = await getUser(db, createdBy).catch(() => null);
  return user ? tenantOf(db, user.orgId).catch(() => null) : null;
}

/**
 * The rows (layers or analyses) `actor` reads, or with `mode` 'write' administers. A null actor
 * is an internal caller (no limit). One scope query and one lookup per distinct creator.
 */
export async function coverageInScope<T extends { created_by: string | null }>(
  db: DbOrTrx,
  actor: Actor | null,
  rows: readonly T[],
  mode: 'read' | 'write' = 'read',
): Promise<T[]> {
  const scope = await scopeOf(db, actor);
  if (scope.unrestricted) return [...rows];
  const byCreator = new Map<string | null, string | null>();
  for (const creator of new Set(rows.map((r) => r.created_by))) byCreator.set(creator, await tenantOfCreator(db, creator));
  const ok = (tenant: string | null) => (mode === 'read' ? canSeeTenant(scope, tenant) : canAdministerTenant(scope, tenant));
  return rows.filter((r) => ok(byCreator.get(r.created_by) ?? null));
}

/**
 * The rows created within the tenant of `ownerCreatedBy` (the user who made a target's coverage
 * link): a target of city A reads only city A's analyses of an installation-wide standard. All
 * rows when no tenant is declared.
 */
export async function sameTenantAs<T extends { created_by: string | null }>(
  db: DbOrTrx,
  ownerCreatedBy: string | null,
  rows: readonly T[],
): Promise<T[]> {
  if ((await listTenants(db)).length === 0) return [...rows];
  const owner = await tenantOfCreator(db, ownerCreatedBy);
  const byCreator = new Map<string | null, string | null>();
  for (const creator of new Set(rows.map((r) => r.created_by))) byCreator.set(creator, await tenantOfCreator(db, creator));
  return rows.filter((r) => (byCreator.get(r.created_by) ?? null) === owner);
}

/**
 * A target's coverage link: 404 when `actor` does not read the target's plan, 403 with `mode`
 * 'write' when they read but do not administer it (plans.policy decides).
 */
export async function assertTargetInScope(db: DbOrTrx, actor: Actor | null, taskId: string, mode: 'read' | 'write'): Promise<void> {
  const check = mode === 'read' ? assertCanReadTask : assertCanAdministerTask;
  await check(db, actor, taskId).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', '指标不存在') : err;
  });
}

/** 404 (as `notFound`) when `actor` does not read the row; 403 with `mode` 'write' when they read but do not administer it. */
export async function assertCoverageInScope(
  db: DbOrTrx,
  actor: Actor | null,
  row: { created_by: string | null },
  mode: 'read' | 'write',
  notFound: string,
): Promise<void> {
  if ((await coverageInScope(db, actor, [row], 'read')).length === 0) throw new AppError('not_found', notFound);
  if (mode === 'write' && (await coverageInScope(db, actor, [row], 'write')).length === 0)
    throw new AppError('forbidden', '该图层或分析属于其他辖区，只能查看');
}
