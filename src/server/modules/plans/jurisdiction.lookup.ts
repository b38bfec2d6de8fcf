/**
 * Maps the jurisdiction a target names in the plan (甲县, 甲区, 乙区) to an organisation, when
 * the label names exactly one. Plans name places, the registry holds bodies: "甲县" may be the
 * jurisdiction itself or an alias of 甲县政府, so the government suffixes are tried as well.
 */
export interface OrgNameEntry {
  id: string;
  name: string;
  aliases: string[];
  kind: string;
}

const GOVERNMENT_SUFFIXES = ['', '政府', '人民政府', '管委会', '管委'];

/** Builds a label → organisation id function over a list of organisations; null when none or ambiguous. */
export function buildJurisdictionLookup(orgs: OrgNameEntry[]): (label: string) => string | null {
  const byName = new Map<string, OrgNameEntry[]>();
  const add = (key: string, org: OrgNameEntry) => {
    const k = key.trim();
    if (!k) return;
    const list = byName.get(k);
    if (!list) byName.set(k, [org]);
    else if (!list.includes(org)) list.push(org);
  };
  for (const org of orgs) {
    add(org.name, org);
    for (const a of org.aliases) add(a, org);
  }
  return (label: string) => {
    const base = label.trim();
    if (!base) return null;
    for (const suffix of GOVERNMENT_SUFFIXES) {
      const found = byName.get(base + suffix);
      if (!found) continue;
      if (found.length === 1) return found[0].id;
      // Ambiguous name: a place is best represented by its jurisdiction body, if only one is.
      const places = found.filter((o) => o.kind === 'jurisdiction');
      return places.length === 1 ? places[0].id : null;
    }
    return null;
  };
}
