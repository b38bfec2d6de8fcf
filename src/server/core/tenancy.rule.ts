/**
 * Tenancy (issue 12, docs/decisions/0006-tenancy.md): which jurisdictions an actor reads and
 * administers, decided over facts already loaded (the tenant tree and the actor's own tenant).
 * Pure: no database, no server imports. Every module's policy asks this one rule through the
 * organisations service (`scopeOf`), never a filter of its own.
 *
 * A tenant is an organisation that administers a jurisdiction of its own (a province's or a
 * city's office). Every organisation belongs to exactly one tenant; a plan to the tenant that
 * issued it. `null` is the implicit jurisdiction of an installation that has declared no tenant.
 */

export const TENANT_LEVELS = ['province', 'city'] as const;
export type TenantLevel = (typeof TENANT_LEVELS)[number];

/** One tenant of the tree: a city points at its province. */
export interface TenantNode {
  orgId: string;
  level: TenantLevel;
  parentOrgId: string | null;
}

/** What an actor may see and administer, as tenant ids (`null` = the implicit jurisdiction). */
export interface TenancyScope {
  /** The actor's own tenant. */
  tenantId: string | null;
  /** True when the installation has declared no tenant: every row is in the one jurisdiction. */
  unrestricted: boolean;
  /** Tenants whose data the actor reads: their own, and under a province every tenant below it. */
  readable: ReadonlySet<string | null>;
  /** Tenants whose plans, organisations and accounts the actor may change: their own only. */
  administered: ReadonlySet<string | null>;
}

/** The tenants at or below `rootId` in the tenant tree (cycle-safe; the root first). */
export function tenantsBelow(tenants: readonly TenantNode[], rootId: string): string[] {
  const children = new Map<string, string[]>();
  for (const t of tenants) {
    if (t.parentOrgId === null) continue;
    const list = children.get(t.parentOrgId) ?? [];
    list.push(t.orgId);
    children.set(t.parentOrgId, list);
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const queue = [rootId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    queue.push(...(children.get(id) ?? []));
  }
  return out;
}

/**
 * The scope of an actor whose organisation belongs to `actorTenantId`. A province reads every
 * tenant below it (its cities) but administers only its own; a city reads and administers
 * itself. A tenant id that is not in the tree (a dangling reference) reads only itself.
 */
export function scopeFor(tenants: readonly TenantNode[], actorTenantId: string | null): TenancyScope {
  const unrestricted = tenants.length === 0;
  if (actorTenantId === null) {
    return { tenantId: null, unrestricted, readable: new Set([null]), administered: new Set([null]) };
  }
  const own = tenants.find((t) => t.orgId === actorTenantId);
  const readable = own?.level === 'province' ? tenantsBelow(tenants, actorTenantId) : [actorTenantId];
  return { tenantId: actorTenantId, unrestricted, readable: new Set(readable), administered: new Set([actorTenantId]) };
}

/** Whether data of `tenantId` is visible in `scope`. */
export function canSeeTenant(scope: TenancyScope, tenantId: string | null): boolean {
  return scope.unrestricted || scope.readable.has(tenantId);
}

/** Whether data of `tenantId` may be changed by an actor of `scope` (route and row policies still apply). */
export function canAdministerTenant(scope: TenancyScope, tenantId: string | null): boolean {
  return scope.unrestricted || scope.administered.has(tenantId);
}

/**
 * The organisations at or below `rootId` in the registry tree given as id → parent id
 * (cycle-safe; the root first). The registry's tree view and `subtreeOf` use it.
 */
export function subtreeIds(parents: ReadonlyMap<string, string | null>, rootId: string): string[] {
  const children = new Map<string, string[]>();
  for (const [id, parent] of parents) {
    if (parent === null) continue;
    const list = children.get(parent) ?? [];
    list.push(id);
    children.set(parent, list);
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const queue = parents.has(rootId) ? [rootId] : [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    queue.push(...(children.get(id) ?? []));
  }
  return out;
}
