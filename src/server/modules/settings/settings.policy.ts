/**
 * Who may change what the whole installation shares (its name and office name; the project
 * library's category and funding-source lists ask the same): the office (admin) of a root
 * tenant — the province, or a city that sits under no province — or any admin of an
 * installation that has declared no tenant. A city under a province, or an account of an
 * organisation outside every tenant, may not (403): those names are the province's, shown to
 * every city (docs/decisions/0006-tenancy.md, step 2b). The single-city install (its city is the
 * one root tenant) keeps its admin editing them. Called inside the service's transaction.
 */
import type { Actor } from '../../core/actor.ts';
import { AppError } from '../../core/app-error.ts';
import type { DbOrTrx } from '../../db/database.ts';
import { getOrganisation, listTenants, scopeOf } from '../organisations/organisations.service.ts';

/** Whether `actor` administers the installation-wide settings (see the module comment). */
export async function canEditInstallation(db: DbOrTrx, actor: Actor | null): Promise<boolean> {
  if (!actor) return true;
  if (actor.role !== 'admin') return false;
  const scope = await scopeOf(db, actor);
  if (scope.unrestricted) return true;
  if (scope.tenantId === null) return false;
  const own = (await listTenants(db)).find((t) => t.orgId === scope.tenantId);
  return own !== undefined && own.parentOrgId === null;
}

/**
 * The office name `actor` is shown: the installation's, except for a user of a tenant below the
 * root (a city under a province), who sees their own tenant organisation's name — "市百城办" of
 * the province's installation is not their office. Null: keep the installation's.
 */
export async function officeNameFor(db: DbOrTrx, actor: Actor | null): Promise<string | null> {
  if (!actor) return null;
  const scope = await scopeOf(db, actor);
  if (scope.unrestricted || scope.tenantId === null) return null;
  const own = (await listTenants(db)).find((t) => t.orgId === scope.tenantId);
  if (!own || own.parentOrgId === null) return null;
  return (await getOrganisation(db, own.orgId)).name;
}

/** 403 unless `actor` administers the installation-wide settings. */
export async function assertCanEditInstallation(db: DbOrTrx, actor: Actor | null): Promise<void> {
  if (!(await canEditInstallation(db, actor)))
    throw new AppError('forbidden', '只有省级（或未归属上级的）百城办管理员可以修改全系统共用的设置');
}
