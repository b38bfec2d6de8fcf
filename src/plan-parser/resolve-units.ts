/**
 * Attaches organisation ids to the unit mentions of an extract. Matching is by canonical name or
 * alias after folding width (NFKC) and whitespace, with a few spelling variants plans use freely
 * (人民政府/政府, 管委会/管委). Groups resolve to the group's own id; expanding a group to its
 * members is the server's job, where the registry can change.
 */
import type { OrgRegistry, PlanExtract, ResolveResult, Role, UnresolvedMention } from './plan-extract.types.ts';

/** Folds a name for comparison: NFKC, no whitespace, no brackets' width differences. */
export function foldName(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

function variants(s: string): string[] {
  const f = foldName(s);
  const out = new Set([f]);
  out.add(f.replace(/人民政府$/, '政府'));
  out.add(f.replace(/管委会$/, '管委'));
  out.add(f.replace(/管理委员会$/, '管委'));
  return [...out];
}

/**
 * Resolves every UnitRef of `extract` against `registry`. Returns a copy of the extract with
 * `orgId` set where a match was found, plus the mentions left unresolved with where they occur.
 */
export function resolveUnits(extract: PlanExtract, registry: OrgRegistry): ResolveResult {
  const index = new Map<string, string>();
  for (const org of registry.organisations ?? []) {
    for (const n of [org.name, ...(org.aliases ?? [])]) {
      for (const v of variants(n)) if (!index.has(v)) index.set(v, org.id);
    }
  }
  const lookup = (name: string, mention: string): string | undefined => {
    for (const v of [...variants(name), ...variants(mention)]) {
      const id = index.get(v);
      if (id) return id;
    }
    return undefined;
  };
  const unresolved = new Map<string, UnresolvedMention>();
  const roles: Role[] = ['lead', 'responsible', 'cooperating'];
  const tasks = extract.tasks.map((task, taskIndex) => {
    const assignment = { ...task.assignment };
    for (const role of roles) {
      assignment[role] = task.assignment[role].map((u) => {
        const orgId = lookup(u.name, u.mention);
        if (orgId) return { ...u, orgId };
        const key = foldName(u.name);
        const entry = unresolved.get(key) ?? { mention: u.mention, name: u.name, occurrences: [] };
        entry.occurrences.push({ taskIndex, role });
        unresolved.set(key, entry);
        const { orgId: _drop, ...rest } = u;
        return rest;
      });
    }
    return { ...task, assignment };
  });
  return { extract: { ...extract, tasks }, unresolved: [...unresolved.values()] };
}
