/**
 * The extraction contract (mirrors ../shared/plans/README.md, kept in sync by hand).
 * Offsets are JavaScript string indices into the text exactly as given to parsePlan
 * (after BOM removal, line endings untouched). A span is [start, end).
 */
export type Span = [number, number];

export interface PlanExtract {
  title: string | null;
  issuer: string | null;
  year: number | null;
  sections: Section[];
  tasks: Task[];
}

export interface Section {
  /** Number tokens from the root, without trailing 、 or .: ["三", "(三)", "1"]. */
  path: string[];
  title: string;
  span: Span;
  children: Section[];
  /** Deadlines in this section's own text that belong to no task. */
  deadlines: Deadline[];
  targets: Target[];
}

export type Role = 'lead' | 'responsible' | 'cooperating';

export interface Assignment {
  span: Span;
  lead: UnitRef[];
  responsible: UnitRef[];
  cooperating: UnitRef[];
}

export interface Task {
  sectionPath: string[];
  text: string;
  span: Span;
  assignment: Assignment;
  deadlines: Deadline[];
  targets: Target[];
}

export interface UnitRef {
  /** As written inside the list. */
  mention: string;
  /** Normalised: shared level prefix / type suffix distributed, 等 dropped. */
  name: string;
  orgId?: string;
  /** With `explain: true` only: the rules that read this unit (see {@link Why}). */
  why?: Why;
}

/**
 * Rule ids, with their argument after a colon, that explain how an item was read; set only when
 * parsePlan runs with `explain: true`, so the contract's output is unchanged otherwise.
 * Units: role.label:牵头单位 · role.verb:负责 · role.default · role.mark · role.table:牵头单位 ·
 * role.first-leads · role.first-leads-onward · role.carried · role.carried-onward · role.carried-note ·
 * name.etc:等部门 · name.prefix:省 · name.suffix:局 · name.qualifier:各.
 * Deadlines: date.ymd · date.ym-typo · date.year-part:年底 · date.year:到|goal|verb · date.month ·
 * date.part:年底 · date.tail:前 · date.year-from:2018.
 * Targets: unit:万吨标准煤 · cmp.before:不低于 · cmp.after:以上 · cmp.list:… · cmp.none ·
 * juris.local · juris.subject · juris.pair · juris.each · juris.label · juris.none ·
 * metric.own · metric.noun-after · metric.carried · metric.change.
 */
export type Why = string[];

export interface Deadline {
  /** YYYY-MM-DD, the last day meant. */
  date: string;
  text: string;
  span: Span;
  /** With `explain: true` only. */
  why?: Why;
}

export type Comparator = '>=' | '<=' | '>' | '<' | '=';

export interface Target {
  value: number;
  max?: number;
  unit: string;
  comparator: Comparator;
  jurisdictions: string[];
  metric: string;
  text: string;
  span: Span;
  /** With `explain: true` only. */
  why?: Why;
}

export interface ParseOptions {
  /** Year to assume when the document states none (defaults to the year found in the header). */
  defaultYear?: number;
  /** Record on each unit, deadline and target the rules that read it (`why`). Off by default. */
  explain?: boolean;
}

/** Organisation registry as shipped in samples/hebi-orgs.json and imported/exported by the server. */
export interface OrgRegistry {
  organisations: RegistryOrg[];
}

export type OrgKind = 'jurisdiction' | 'department' | 'enterprise' | 'office' | 'group';

export interface RegistryOrg {
  id: string;
  name: string;
  /** Short names and aliases: 市住建局 for 市住房和城乡建设局. */
  aliases: string[];
  kind: OrgKind;
  /** Administrative division code for jurisdictions (淇县 410622). */
  adminCode?: string;
  parentId?: string;
  /** For kind 'group': the ids it stands for (各县区政府、管委 → 7 bodies). */
  members?: string[];
}

export interface UnresolvedMention {
  mention: string;
  name: string;
  /** Where it occurs: task index and role. */
  occurrences: { taskIndex: number; role: Role }[];
}

export interface ResolveResult {
  extract: PlanExtract;
  unresolved: UnresolvedMention[];
}
