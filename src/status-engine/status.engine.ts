import type { Comparator, DeliveryStatus } from '../shared/enums.ts';

/**
 * The status engine: from a target, its baseline and deadline, the series a unit reported and the
 * date, decide not_started / on_track / at_risk / overdue / done, and say why in words an office
 * can paste into a 通报. Pure: no I/O, no clock (the caller passes `asOf`), so a frozen period
 * snapshot recomputes to the same answer forever.
 */

export interface Observation {
  /** YYYY-MM-DD the value was reached (the end of the reporting period). */
  date: string;
  /** The value reached, cumulative, in the target's unit. */
  value: number;
}

export interface QuantitativeTarget {
  comparator: Comparator;
  value: number;
  /** Where the count started; 0 for "build 70 toilets", the current rate for "reduce leakage to 11%". */
  baseline?: number | null;
}

export interface StatusInput {
  /** Absent for qualitative tasks ("完成总体规划的修编"). */
  target?: QuantitativeTarget | null;
  /** Reported values, any order; only those dated on or before `asOf` count. */
  series?: readonly Observation[];
  /** The unit's own word, used for qualitative tasks and as a floor ("done" needs evidence of the number for targets). */
  reportedStatus?: DeliveryStatus | null;
  /** Completion share 0–100 the unit reported (qualitative tasks). */
  completionPercent?: number | null;
  /** When the work started being measured (plan or period start), YYYY-MM-DD. */
  startDate: string;
  deadline: string | null;
  asOf: string;
}

export interface StatusOptions {
  /** "At risk" when elapsed time share exceeds completion share by more than this (0–1). */
  riskMargin?: number;
}

export interface StatusResult {
  status: DeliveryStatus;
  /** Why, in Chinese: shown in the ledger and bulletins. */
  reason: string;
  /** Completion share 0–1 where it can be computed. */
  progress: number | null;
  /** Value the linear trend of the series reaches on the deadline, when there are two or more points. */
  projected: number | null;
}

const DAY = 86_400_000;
const days = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''));

/** Lower-is-better comparators: 漏损率低于11%, 服务半径不大于300米. */
function isDecreasing(c: Comparator): boolean {
  return c === '<=' || c === '<';
}

/** Whether `v` satisfies the target. "=" reads as "reach": a plan's 新建公厕70座 is met by 70 or more. */
export function meetsTarget(v: number, t: QuantitativeTarget): boolean {
  switch (t.comparator) {
    case '>=':
    case '=':
      return v >= t.value;
    case '>':
      return v > t.value;
    case '<=':
      return v <= t.value;
    case '<':
      return v < t.value;
  }
}

/** Share of the way from baseline to target, clamped to [0, 1]; null when it has no direction. */
export function progressShare(v: number, t: QuantitativeTarget): number | null {
  if (isDecreasing(t.comparator)) {
    const base = t.baseline;
    if (base == null || base <= t.value) return null;
    return clamp01((base - v) / (base - t.value));
  }
  const base = t.baseline ?? 0;
  if (t.value === base) return v >= base ? 1 : 0;
  return clamp01((v - base) / (t.value - base));
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}

/** Least-squares line through the points (x in days from the first), evaluated at `at`; null under two distinct dates. */
export function projectLinear(series: readonly Observation[], at: string): number | null {
  if (series.length < 2) return null;
  const x0 = series[0].date;
  const xs = series.map((o) => days(x0, o.date));
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = series.reduce((a, o) => a + o.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (series[i].value - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return my + slope * (days(x0, at) - mx);
}

/** Elapsed share of the time from start to deadline at `asOf`, clamped to [0, 1]. */
export function timeShare(startDate: string, deadline: string, asOf: string): number {
  const total = days(startDate, deadline);
  if (total <= 0) return asOf >= deadline ? 1 : 0;
  return clamp01(days(startDate, asOf) / total);
}

/**
 * Whether a deadline (YYYY-MM-DD) has passed on `asOf`: the day after it. Due today is not late.
 * The one "past the deadline" test, for computeStatus and statusAsOf alike.
 */
export function isPastDeadline(deadline: string, asOf: string): boolean {
  return asOf > deadline;
}

/**
 * The status a task, target or ledger row shows on `asOf`: its stored status (what the engine or
 * a person last decided), except that anything not done becomes overdue once one of its deadlines
 * has passed, without waiting for the next recomputation. The ledger, the dashboard, the Excel
 * export and the task page all show this; the browser never works it out itself.
 */
export function statusAsOf(stored: DeliveryStatus, deadlines: readonly string[], asOf: string): DeliveryStatus {
  if (stored === 'done') return 'done';
  if (deadlines.some((d) => isPastDeadline(d, asOf))) return 'overdue';
  return stored;
}

/**
 * Computes the delivery status of one target or task at `asOf`, with the reason in words.
 * Quantitative targets judge the reported numbers (a unit saying "done" does not make 50 of 70
 * toilets done); qualitative tasks use the reported status, completion share and deadline.
 */
export function computeStatus(input: StatusInput, options: StatusOptions = {}): StatusResult {
  const margin = options.riskMargin ?? 0.2;
  const { target, deadline, asOf, startDate } = input;
  const series = [...(input.series ?? [])].filter((o) => o.date <= asOf).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const pastDeadline = deadline !== null && isPastDeadline(deadline, asOf);
  const elapsed = deadline ? timeShare(startDate, deadline, asOf) : null;

  if (!target) return computeQualitative(input, elapsed, pastDeadline, margin);

  const latest = series.at(-1);
  if (!latest) {
    if (pastDeadline) return result('overdue', `已过完成时限（${deadline}），未报送任何进展`, null, null);
    return result('not_started', '尚未报送进展', null, null);
  }
  const progress = progressShare(latest.value, target);
  const goal = `${cmpWord(target.comparator)}${fmt(target.value)}`;
  if (meetsTarget(latest.value, target)) {
    return result('done', `已达到目标：${fmt(latest.value)}（目标${goal}）`, progress ?? 1, null);
  }
  if (pastDeadline) {
    return result('overdue', `已过完成时限（${deadline}），目前${fmt(latest.value)}，未达到目标${goal}`, progress, null);
  }
  const projected = deadline ? projectLinear(series, deadline) : null;
  if (projected !== null && !meetsTarget(projected, target)) {
    return result('at_risk', `按当前进度推算，到${deadline}约为${fmt(round2(projected))}，达不到目标${goal}`, progress, projected);
  }
  if (elapsed !== null && progress !== null && elapsed - progress > margin) {
    return result('at_risk', `时间已过${pct(elapsed)}，完成${pct(progress)}，进度滞后`, progress, projected);
  }
  const done = progress !== null ? `，完成${pct(progress)}` : '';
  return result('on_track', `正常推进：目前${fmt(latest.value)}${done}（目标${goal}）`, progress, projected);
}

function computeQualitative(input: StatusInput, elapsed: number | null, pastDeadline: boolean, margin: number): StatusResult {
  const reported = input.reportedStatus ?? null;
  const completion = input.completionPercent == null ? null : clamp01(input.completionPercent / 100);
  if (reported === 'done' || completion === 1) return result('done', '责任单位报告已完成', 1, null);
  if (pastDeadline) return result('overdue', `已过完成时限（${input.deadline}），尚未完成`, completion, null);
  if (reported === null && completion === null) return result('not_started', '尚未报送进展', null, null);
  if (elapsed !== null && completion !== null && elapsed - completion > margin) {
    return result('at_risk', `时间已过${pct(elapsed)}，完成${pct(completion)}，进度滞后`, completion, null);
  }
  if (reported === 'at_risk') return result('at_risk', '责任单位报告存在风险', completion, null);
  if (reported === 'not_started' && (completion ?? 0) === 0) return result('not_started', '责任单位报告尚未启动', completion, null);
  return result('on_track', completion !== null ? `正常推进，完成${pct(completion)}` : '正常推进', completion, null);
}

function cmpWord(c: Comparator): string {
  return { '>=': '不低于', '>': '超过', '=': '', '<=': '不超过', '<': '低于' }[c];
}
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
function result(status: DeliveryStatus, reason: string, progress: number | null, projected: number | null): StatusResult {
  return { status, reason, progress, projected };
}

export interface RollUpItem {
  status: DeliveryStatus;
  /** Relative weight (a task's share of its section); 1 when absent. */
  weight?: number;
  progress?: number | null;
}

export interface RollUpResult {
  status: DeliveryStatus;
  /** Weighted completion 0–1 over items with a progress figure (done counts 1, not started 0). */
  progress: number | null;
  counts: Record<DeliveryStatus, number>;
}

/**
 * Rolls item statuses up to their parent (task from its targets, section from its tasks, a
 * district or lead department from its rows). The worst signal wins, because a section with one
 * overdue task is not "on track" for the office: overdue > at_risk > on_track > not_started; done
 * only when everything is done.
 */
export function rollUp(items: readonly RollUpItem[]): RollUpResult {
  const counts: Record<DeliveryStatus, number> = { not_started: 0, on_track: 0, at_risk: 0, overdue: 0, done: 0 };
  let wSum = 0;
  let pSum = 0;
  for (const it of items) {
    counts[it.status]++;
    const w = it.weight ?? 1;
    const p = it.progress ?? (it.status === 'done' ? 1 : it.status === 'not_started' ? 0 : null);
    if (p !== null && w > 0) {
      wSum += w;
      pSum += w * p;
    }
  }
  const n = items.length;
  let status: DeliveryStatus;
  if (n === 0) status = 'not_started';
  else if (counts.done === n) status = 'done';
  else if (counts.overdue > 0) status = 'overdue';
  else if (counts.at_risk > 0) status = 'at_risk';
  else if (counts.on_track > 0 || counts.done > 0) status = 'on_track';
  else status = 'not_started';
  return { status, progress: wSum > 0 ? pSum / wSum : null, counts };
}
