/**
 * The one arithmetic rule between targets: a district share (a target with a parent) is part of a
 * city total, so for quantities that add up the parts may not exceed the total. Pure, so the
 * import (which links parts to totals) and the target service (which guards edits) agree.
 */

// Counts, lengths, areas, volumes and money add up across districts; percentages, ratios, rates,
// durations and per-capita figures do not (two districts at 50% are not 100%).
const ADDITIVE_UNITS = new Set([
  '个',
  '座',
  '条',
  '所',
  '处',
  '家',
  '户',
  '套',
  '栋',
  '幢',
  '间',
  '台',
  '辆',
  '盏',
  '棵',
  '株',
  '项',
  '批',
  '片',
  '块',
  '张',
  '根',
  '人',
  '人次',
  '万人',
  '公里',
  '千米',
  '米',
  '延米',
  'km',
  'm',
  '平方米',
  '万平方米',
  '平方公里',
  '公顷',
  '亩',
  '万亩',
  '立方米',
  '万立方米',
  '吨',
  '万吨',
  '千瓦',
  '万千瓦',
  '元',
  '万元',
  '亿元',
]);

/** True when values in this unit can be summed across jurisdictions (个, 公里, 万平方米 … not %, 分钟). */
export function isAdditiveUnit(unit: string): boolean {
  return ADDITIVE_UNITS.has(unit.trim());
}

export interface TargetQuantity {
  value: number;
  unit: string;
}

// Plans write decimals like 5.5 公里; summing floats must not reject an exact split.
const EPSILON = 1e-9;

/**
 * Checks that district shares fit in their total. Returns a message naming the numbers when they
 * do not, or null when they fit or the rule does not apply (units not additive, or differing).
 */
export function findPartsOverflow(total: TargetQuantity, parts: TargetQuantity[]): string | null {
  if (!isAdditiveUnit(total.unit)) return null;
  const comparable = parts.filter((p) => p.unit.trim() === total.unit.trim());
  const sum = comparable.reduce((acc, p) => acc + p.value, 0);
  if (sum <= total.value + EPSILON * Math.max(1, Math.abs(total.value))) return null;
  return (
    `the district shares add up to ${formatNumber(sum)} ${total.unit}, ` +
    `more than the total of ${formatNumber(total.value)} ${total.unit}`
  );
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)));
}
