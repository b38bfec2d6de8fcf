/** 填报率 bands: the colour a district's rate is drawn in, the same in the chart, the table and the legend. */
export type RateBand = 'high' | 'mid' | 'low' | 'none';
export const RATE_BANDS: readonly RateBand[] = ['high', 'mid', 'low', 'none'];

/** Each colour keeps ≥ 4.5:1 on white, so it also serves as the percentage's text colour. */
export const RATE_COLOURS: Record<RateBand, string> = {
  high: '#237804',
  mid: '#1f4e96',
  low: '#c4161c',
  none: '#767676',
};

/**
 * The rate as a whole percentage, rounded down so that 99.6% never reads as 100% (all in) and the
 * band always agrees with the number shown. Null when nothing is expected.
 */
export function ratePercent(rate: number | null): number | null {
  if (rate === null || !Number.isFinite(rate)) return null;
  return Math.max(0, Math.min(100, Math.floor(rate * 100 + 1e-9)));
}

export function rateBand(rate: number | null): RateBand {
  const percent = ratePercent(rate);
  if (percent === null) return 'none';
  if (percent >= 90) return 'high';
  if (percent >= 60) return 'mid';
  return 'low';
}

export function formatPercent(rate: number | null): string {
  const percent = ratePercent(rate);
  return percent === null ? '—' : `${percent}%`;
}
