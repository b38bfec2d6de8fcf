/**
 * The one check of a reported value (完成值), shared by the server's report save, the Excel upload's
 * row check and the web report form, so all three refuse the same values with the same words.
 */

/** How far beyond the target a value may go before the reporter must confirm it (10× the target). */
export const OUTLIER_FACTOR = 10;

/** What the value is checked against: the target's unit, value and optional upper bound. */
export interface ReportValueTarget {
  unit: string | null;
  value: number | null;
  maxValue?: number | null;
}

export type ReportValueVerdict =
  | { ok: true }
  /** Impossible: refused whatever the reporter says. */
  | { ok: false; kind: 'invalid'; reason: string }
  /** Possible but far outside the target's range: accepted only when the reporter confirms it. */
  | { ok: false; kind: 'outlier'; reason: string };

/** True when the unit is a share (%, 百分比, 完成率): its values lie in 0–100. */
export function isPercentUnit(unit: string | null): boolean {
  return unit !== null && /%|％|百分|率/.test(unit);
}

/**
 * Checks a reported value against its target. Negative → invalid; a share outside 0–100 →
 * invalid; more than OUTLIER_FACTOR × the target (or its upper bound) → an outlier unless
 * `confirmOutlier` is true. A null value (not reported yet) passes.
 */
export function checkReportValue(value: number | null, target: ReportValueTarget, confirmOutlier = false): ReportValueVerdict {
  if (value === null) return { ok: true };
  if (!Number.isFinite(value)) return { ok: false, kind: 'invalid', reason: '完成值不是有效数字' };
  if (value < 0) return { ok: false, kind: 'invalid', reason: '完成值不能为负数' };
  if (isPercentUnit(target.unit) && value > 100) return { ok: false, kind: 'invalid', reason: '完成率应在 0–100 之间' };
  const bound = Math.max(target.maxValue ?? 0, target.value ?? 0);
  if (!confirmOutlier && bound > 0 && value > bound * OUTLIER_FACTOR) {
    return { ok: false, kind: 'outlier', reason: `完成值 ${value} 超过目标值 ${bound} 的 ${OUTLIER_FACTOR} 倍，请确认是否填写正确` };
  }
  return { ok: true };
}

/** Checks a completion share (完成率, 0–100). */
export function checkCompletionPercent(percent: number | null): ReportValueVerdict {
  if (percent === null) return { ok: true };
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) return { ok: false, kind: 'invalid', reason: '完成率应在 0–100 之间' };
  return { ok: true };
}
