import type { Organisation, Tenant } from '../../../shared/schemas/organisation.schema.ts';

/** An organisation with the organisations directly below it, for the registry's tree view. */
export type OrganisationNode = Organisation & { children?: OrganisationNode[] };

/**
 * The registry as a tree (province → city → county; departments under their level), in the
 * order given. An organisation whose parent is not in `items` (filtered out, or outside the
 * viewer's jurisdiction) is a root, and so is one whose parent chain would loop, so every
 * organisation shows exactly once.
 */
export function buildOrganisationTree(items: readonly Organisation[]): OrganisationNode[] {
  const byId = new Map(items.map((o) => [o.id, o]));
  const nodes = new Map<string, OrganisationNode>(items.map((o) => [o.id, { ...o }]));
  const loops = (id: string): boolean => {
    const seen = new Set<string>([id]);
    for (let p = byId.get(id)?.parentId; p && byId.has(p); p = byId.get(p)?.parentId) {
      if (seen.has(p)) return true;
      seen.add(p);
    }
    return false;
  };
  const roots: OrganisationNode[] = [];
  for (const o of items) {
    const node = nodes.get(o.id)!;
    const parent = o.parentId ? nodes.get(o.parentId) : undefined;
    if (parent && !loops(o.id)) {
      parent.children = [...(parent.children ?? []), node];
    } else {
      roots.push(node);
    }
  }
  return roots;
}

/** A node of the jurisdictions view: a province or city office, or a county of a city. */
export interface JurisdictionNode {
  key: string;
  name: string;
  level: 'province' | 'city' | 'county';
  children: JurisdictionNode[];
}

/**
 * The jurisdictions as a tree: each province with its cities, each city (or a province's own
 * registry) with its county-level organisations (kind 'jurisdiction'), by name. A city whose
 * province the viewer does not read is a root.
 */
export function buildJurisdictionTree(tenants: readonly Tenant[], organisations: readonly Organisation[]): JurisdictionNode[] {
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'zh-CN');
  const visible = new Set(tenants.map((t) => t.orgId));
  const counties = (tenantId: string): JurisdictionNode[] =>
    organisations
      .filter((o) => o.kind === 'jurisdiction' && o.tenantId === tenantId && !visible.has(o.id))
      .sort(byName)
      .map((o) => ({ key: o.id, name: o.name, level: 'county' as const, children: [] }));
  const node = (t: Tenant): JurisdictionNode => ({
    key: t.orgId,
    name: t.name,
    level: t.level,
    children: [
      ...tenants
        .filter((c) => c.parentOrgId === t.orgId)
        .sort(byName)
        .map(node),
      ...counties(t.orgId),
    ],
  });
  return tenants
    .filter((t) => t.parentOrgId === null || !visible.has(t.parentOrgId))
    .sort(byName)
    .map(node);
}
