/**
 * The scoring engine: scheme + frozen record + the office's entries → every unit's lines,
 * categories, total, tier and rank. Pure and deterministic: arithmetic is done in integer
 * hundredths of a point, so the same input gives the same numbers byte for byte on any machine.
 */
import {
  type AssessmentRecord,
  type AssessmentResult,
  type CategoryScore,
  LADDER,
  type NoticeFact,
  type OfficeInput,
  type ProjectFact,
  type ReportFact,
  type Scheme,
  type SchemeRule,
  type ScoreLine,
  type UnitScore,
} from './assessment.types.ts';

const C = 100;
/** Points → integer hundredths (the engine's unit). */
export const toCents = (points: number): number => Math.round(points * C);
/** Integer hundredths → points. */
export const fromCents = (cents: number): number => cents / C;

const SUBMITTED = new Set(['submitted', 'approved', 'returned']);

/**
 * The fact of each item (task × target) that counts once over the range, kept in the order the
 * items first appear: `first` keeps the earliest period's, `last` the latest's. A target belongs
 * to one task, so an item is found by its target id alone (by its task id for a task-level row);
 * a target seen under another task (never, but not assumed) falls back to the pair as its key.
 * No key string and no map per task is built per fact: a province has 10⁵ facts.
 */
class OncePerItem {
  private readonly byTarget = new Map<string, number>();
  private readonly byTask = new Map<string, number>();
  private readonly byPair = new Map<string, number>();
  readonly facts: ReportFact[] = [];
  constructor(private readonly pick: 'first' | 'last') {}
  offer(f: ReportFact): void {
    let slots = f.targetId === null ? this.byTask : this.byTarget;
    let key = f.targetId ?? f.taskId;
    let slot = slots.get(key);
    if (slot !== undefined && this.facts[slot]!.taskId !== f.taskId) {
      slots = this.byPair;
      key = `${f.taskId}|${f.targetId}`;
      slot = slots.get(key);
    }
    if (slot === undefined) {
      slots.set(key, this.facts.length);
      this.facts.push(f);
      return;
    }
    const seen = this.facts[slot]!;
    if (this.pick === 'first' ? f.periodEnd < seen.periodEnd : f.periodEnd > seen.periodEnd) this.facts[slot] = f;
  }
}

/** The ids of the unit's facts a report rule counts, in the record's order (one pass over the facts). */
function matchReports(rule: SchemeRule, facts: readonly ReportFact[]): string[] {
  const tasks = rule.taskIds ? new Set(rule.taskIds) : null;
  const ids: string[] = [];
  const once =
    rule.kind === 'finished_on_time' || rule.kind === 'deadline_overdue'
      ? new OncePerItem('first')
      : rule.kind === 'target_done'
        ? new OncePerItem('last')
        : null;
  for (const f of facts) {
    if ((rule.frequency && f.frequency !== rule.frequency) || (tasks && !tasks.has(f.taskId))) continue;
    switch (rule.kind) {
      case 'report_late':
        if (f.reportStatus !== null && SUBMITTED.has(f.reportStatus) && f.isLate) ids.push(f.id);
        break;
      case 'report_returned':
        if (f.reportStatus === 'returned') ids.push(f.id);
        break;
      case 'report_missing':
        // A draft never sent is no report.
        if (f.reportStatus === null || f.reportStatus === 'draft') ids.push(f.id);
        break;
      case 'finished_on_time':
        // Counted once per item, by the first period it was finished with its report on time.
        if (f.status === 'done' && (f.reportStatus === 'submitted' || f.reportStatus === 'approved') && !f.isLate) once!.offer(f);
        break;
      case 'target_done':
        // A target counts once, by its status in the last period of the range.
        if (f.targetId !== null) once!.offer(f);
        break;
      case 'deadline_overdue':
        if (f.status === 'overdue') once!.offer(f);
        break;
      default:
        return [];
    }
  }
  if (rule.kind === 'finished_on_time' || rule.kind === 'deadline_overdue') return once!.facts.map((f) => f.id);
  if (rule.kind === 'target_done') return once!.facts.filter((f) => f.status === 'done').map((f) => f.id);
  return ids;
}

function isNoticeLate(n: NoticeFact, asOf: string): boolean {
  return n.answeredOn === null ? n.dueDate < asOf : n.answeredOn > n.dueDate;
}

function matchNotices(rule: SchemeRule, notices: NoticeFact[], asOf: string): string[] {
  if (rule.kind === 'notice_late') return notices.filter((n) => isNoticeLate(n, asOf)).map((n) => n.id);
  if (rule.kind === 'notice_escalation') return notices.flatMap((n) => n.steps.filter((s) => s.step === rule.step).map((s) => s.id));
  return [];
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function groupOf(scheme: Scheme, orgId: string): string | null {
  return scheme.groups.find((g) => g.orgIds.includes(orgId))?.id ?? null;
}

function byOrg<T extends { orgId: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.orgId);
    if (list) list.push(item);
    else out.set(item.orgId, [item]);
  }
  return out;
}

/** The project rule kinds: each scores `points` × a share of the unit's library projects. */
export type ProjectRuleKind = 'project_start_rate' | 'project_investment_rate' | 'project_funds_rate' | 'project_ontime_rate';

/** Whether a rule is a project rule (its record then carries project facts). */
export function isProjectRule(kind: SchemeRule['kind']): kind is ProjectRuleKind {
  return (
    kind === 'project_start_rate' || kind === 'project_investment_rate' || kind === 'project_funds_rate' || kind === 'project_ontime_rate'
  );
}

/** Σ part / Σ whole over the projects with a positive whole, the part capped at the whole. */
function amountShare(projects: readonly ProjectFact[], whole: (p: ProjectFact) => number, part: (p: ProjectFact) => number) {
  const counted = projects.filter((p) => whole(p) > 0);
  const den = counted.reduce((s, p) => s + whole(p), 0);
  const num = Math.min(
    den,
    counted.reduce((s, p) => s + part(p), 0),
  );
  return { num, den, ids: counted.map((p) => p.id) };
}

/**
 * The share a project rule scores, as an exact fraction num/den, and the projects it counted:
 * 开工率 over the projects due to start by `asOf` (started / due); 投资完成率 over every project
 * with an annual plan (Σ invested / Σ plan, capped at 1); 资金到位率 over every project with
 * planned funds (Σ arrived / Σ planned, capped at 1); 按期竣工率 over the projects due to complete
 * by `asOf` (completed by their end date / due). den 0: nothing due, full points.
 */
export function projectShare(
  kind: ProjectRuleKind,
  projects: readonly ProjectFact[],
  asOf: string,
): { num: number; den: number; ids: string[] } {
  if (kind === 'project_start_rate') {
    const due = projects.filter((p) => p.startDate <= asOf);
    return { num: due.filter((p) => p.started).length, den: due.length, ids: due.map((p) => p.id) };
  }
  if (kind === 'project_ontime_rate') {
    // A fact without an end date (never: the record has them with the rule) is never due.
    const due = projects.filter((p) => p.endDate !== undefined && p.endDate <= asOf);
    const onTime = due.filter((p) => p.completedOn != null && p.completedOn <= p.endDate!);
    return { num: onTime.length, den: due.length, ids: due.map((p) => p.id) };
  }
  if (kind === 'project_funds_rate')
    return amountShare(
      projects,
      (p) => p.fundsPlanned ?? 0,
      (p) => p.fundsArrived ?? 0,
    );
  return amountShare(
    projects,
    (p) => p.annualPlan,
    (p) => p.investedYear,
  );
}

function linesOf(
  scheme: Scheme,
  record: AssessmentRecord,
  office: OfficeInput,
  reports: ReportFact[],
  notices: NoticeFact[],
  orgId: string,
  projects: ProjectFact[] = [],
): ScoreLine[] {
  return scheme.rules.map((rule) => {
    let count = 0;
    let computed = 0;
    let eventIds: string[] = [];
    if (isProjectRule(rule.kind)) {
      const share = projectShare(rule.kind, projects, record.asOf);
      eventIds = share.ids;
      count = share.ids.length;
      // points × num / den in cents, rounded once: exact for any share.
      computed = share.den === 0 ? toCents(rule.points) : Math.round((toCents(rule.points) * share.num) / share.den);
    } else if (rule.kind === 'manual' || rule.kind === 'bonus') {
      const entries = office.manual.filter((m) => m.ruleId === rule.id && m.orgId === orgId);
      const sum = entries.reduce((s, m) => s + toCents(m.points), 0);
      computed = clamp(sum, 0, toCents(rule.max ?? 0));
      count = entries.length;
    } else {
      eventIds =
        rule.kind === 'notice_late' || rule.kind === 'notice_escalation'
          ? matchNotices(rule, notices, record.asOf)
          : matchReports(rule, reports);
      count = eventIds.length;
      computed = count * toCents(rule.points);
    }
    const adjustments = office.adjustments.filter((a) => a.ruleId === rule.id && a.orgId === orgId);
    const adjustment = adjustments.reduce((s, a) => s + toCents(a.delta), 0);
    return {
      orgId,
      ruleId: rule.id,
      categoryId: rule.categoryId,
      label: rule.label,
      count,
      computed: fromCents(computed),
      adjustment: fromCents(adjustment),
      points: fromCents(computed + adjustment),
      eventIds,
      adjustmentIds: adjustments.map((a) => a.id),
    };
  });
}

function categoriesOf(scheme: Scheme, lines: ScoreLine[]): CategoryScore[] {
  return scheme.categories.map((c) => {
    const base = toCents(c.points);
    const raw = lines.filter((l) => l.categoryId === c.id).reduce((s, l) => s + toCents(l.points), 0);
    // A category never goes below zero, nor loses more than its cap, nor gains more than its cap.
    const lo = -Math.min(base, c.maxDeduction === undefined ? base : toCents(c.maxDeduction));
    const hi = c.maxAddition === undefined ? Number.POSITIVE_INFINITY : toCents(c.maxAddition);
    const applied = clamp(raw, lo, hi);
    return {
      categoryId: c.id,
      label: c.label,
      base: fromCents(base),
      raw: fromCents(raw),
      applied: fromCents(applied),
      score: fromCents(base + applied),
    };
  });
}

function multiplierOf(scheme: Scheme, orgId: string, groupId: string | null): number {
  return scheme.multipliers
    .filter((m) => m.orgIds?.includes(orgId) || (groupId !== null && m.groupId === groupId))
    .reduce((f, m) => f * m.factor, 1);
}

function vetoesOf(scheme: Scheme, office: OfficeInput, notices: NoticeFact[], orgId: string): string[] {
  const topRung = Math.max(-1, ...notices.flatMap((n) => n.steps.map((s) => LADDER.indexOf(s.step))));
  return scheme.vetoes
    .filter((v) =>
      v.when.kind === 'manual' ? office.vetoes.some((o) => o.vetoId === v.id && o.orgId === orgId) : topRung >= LADDER.indexOf(v.when.step),
    )
    .map((v) => v.id);
}

/** A unit as ranking and tiering see it. */
export interface RankInput {
  orgId: string;
  name: string;
  groupId: string | null;
  total: number;
  vetoes: string[];
}

/**
 * Ranks each peer group (competition ranking: equal totals share a rank, 1, 2, 2, 4; the order
 * among equals is by name, then id) and gives tiers. Threshold tiers: the first tier whose `min`
 * the total reaches. Quota tiers: each tier takes its `count` (or ⌊share × group size⌋) next units
 * in rank order and also every unit tied with the last one taken, so equal scores never get
 * different tiers; the last tier takes the rest. Vetoes: `fail` puts a unit in the last tier,
 * `no_top` keeps it out of the first (it takes no first-tier quota).
 */
export function rankAndTier<T extends RankInput>(scheme: Scheme, units: T[]): (T & { rank: number; tierId: string })[] {
  const tiers = scheme.tiers.tiers;
  const last = tiers[tiers.length - 1]!.id;
  const effect = (u: RankInput) => {
    const effects = new Set(scheme.vetoes.filter((v) => u.vetoes.includes(v.id)).map((v) => v.effect));
    return effects.has('fail') ? 'fail' : effects.has('no_top') ? 'no_top' : null;
  };
  const out: (T & { rank: number; tierId: string })[] = [];
  const groupIds = [...new Set(units.map((u) => u.groupId))];
  for (const gid of groupIds) {
    const members = units
      .filter((u) => u.groupId === gid)
      .sort((a, b) => toCents(b.total) - toCents(a.total) || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.orgId < b.orgId ? -1 : 1));
    const ranks = new Map<string, number>();
    members.forEach((u, i) => {
      const prev = members[i - 1];
      ranks.set(u.orgId, prev && toCents(prev.total) === toCents(u.total) ? ranks.get(prev.orgId)! : i + 1);
    });
    const tierOf = new Map<string, string>();
    if (scheme.tiers.mode === 'threshold') {
      for (const u of members) tierOf.set(u.orgId, tiers.find((t) => toCents(u.total) >= toCents(t.min ?? 0))?.id ?? last);
    } else {
      let pool = members.filter((u) => effect(u) !== 'fail');
      tiers.slice(0, -1).forEach((t, ti) => {
        const quota = t.count ?? Math.floor((t.share ?? 0) * members.length);
        const eligible = pool.filter((u) => !(ti === 0 && effect(u) === 'no_top'));
        const taken = eligible.slice(0, quota);
        const edge = taken[taken.length - 1];
        if (edge) for (const u of eligible.slice(quota)) if (toCents(u.total) === toCents(edge.total)) taken.push(u);
        for (const u of taken) tierOf.set(u.orgId, t.id);
        pool = pool.filter((u) => !tierOf.has(u.orgId));
      });
    }
    for (const u of members) {
      let tierId = tierOf.get(u.orgId) ?? last;
      const e = effect(u);
      if (e === 'fail') tierId = last;
      else if (e === 'no_top' && tierId === tiers[0]!.id) tierId = tiers[1]?.id ?? last;
      out.push({ ...u, rank: ranks.get(u.orgId)!, tierId });
    }
  }
  return out;
}

/**
 * Scores every unit of the record under the scheme: lines (each with the ids of the events or
 * office entries behind it), category scores after caps, the total after multipliers, vetoes,
 * tier and rank. Units are returned by group, then rank.
 */
export function scoreAssessment(scheme: Scheme, record: AssessmentRecord, office: OfficeInput): AssessmentResult {
  // Facts indexed by unit once: a province's record has 10⁵ rows and 10² units.
  const reportsOf = byOrg(record.reports);
  const noticesOf = byOrg(record.notices);
  const projectsOf = byOrg(record.projects ?? []);
  const scored = record.units.map((u) => {
    const notices = noticesOf.get(u.orgId) ?? [];
    const lines = linesOf(scheme, record, office, reportsOf.get(u.orgId) ?? [], notices, u.orgId, projectsOf.get(u.orgId) ?? []);
    const categories = categoriesOf(scheme, lines);
    const groupId = groupOf(scheme, u.orgId);
    const subtotalCents = categories.reduce((s, c) => s + toCents(c.score), 0);
    const multiplier = multiplierOf(scheme, u.orgId, groupId);
    return {
      orgId: u.orgId,
      name: u.name,
      groupId,
      lines,
      categories,
      subtotal: fromCents(subtotalCents),
      multiplier,
      total: fromCents(Math.round(subtotalCents * multiplier)),
      vetoes: vetoesOf(scheme, office, notices, u.orgId),
    };
  });
  const ranked: UnitScore[] = rankAndTier(scheme, scored);
  return { units: ranked };
}

/**
 * Year-end comprehensive score (年终综合考评): the weighted sum of the two half-year totals and the
 * year-end review, per unit (a part a unit lacks counts 0). Ranked and tiered like one assessment.
 */
export function combineYearEnd(
  scheme: Scheme,
  units: { orgId: string; name: string; vetoes: string[] }[],
  totals: { firstHalf: Map<string, number>; secondHalf: Map<string, number>; review: Map<string, number> },
): (RankInput & { rank: number; tierId: string })[] {
  const w = scheme.yearEnd ?? { firstHalf: 0.5, secondHalf: 0.5, review: 0 };
  const combined = units.map((u) => {
    const cents =
      toCents(totals.firstHalf.get(u.orgId) ?? 0) * w.firstHalf +
      toCents(totals.secondHalf.get(u.orgId) ?? 0) * w.secondHalf +
      toCents(totals.review.get(u.orgId) ?? 0) * w.review;
    return { orgId: u.orgId, name: u.name, groupId: groupOf(scheme, u.orgId), total: fromCents(Math.round(cents)), vetoes: u.vetoes };
  });
  return rankAndTier(scheme, combined);
}

/**
 * 红榜 / 黑榜 of a group: the `count` best and worst by rank, and every unit tied with the edge.
 * A vetoed unit is never on the 红榜. A group of one has no 黑榜.
 */
export function honourRoll<T extends RankInput & { rank: number }>(
  units: T[],
  groupId: string | null,
  count: number,
): { red: T[]; black: T[] } {
  const members = units.filter((u) => u.groupId === groupId).sort((a, b) => a.rank - b.rank);
  if (count <= 0 || members.length === 0) return { red: [], black: [] };
  const eligible = members.filter((u) => u.vetoes.length === 0);
  const redEdge = eligible[Math.min(count, eligible.length) - 1];
  const red = redEdge ? eligible.filter((u) => u.rank <= redEdge.rank) : [];
  const worstFirst = [...members].reverse();
  const blackEdge = worstFirst[Math.min(count, worstFirst.length) - 1]!;
  const black = members.length < 2 ? [] : worstFirst.filter((u) => u.rank >= blackEdge.rank && !red.includes(u));
  return { red, black };
}
