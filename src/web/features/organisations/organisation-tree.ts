import type { Organisation } from '../../../shared/schemas/organisation.schema.ts';

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
