import type { MyReportRowData } from './api/reporting.api.ts';

/**
 * A target row's name as the county reads it: the metric, and whom it is for when the plan says
 * (two targets of one task can share a metric: 断头路打通比例（甲县） 70%, （市各城区、乙县） 50%).
 * Task-level rows have no metric: null.
 */
export function reportRowName(row: Pick<MyReportRowData, 'metric' | 'jurisdictionLabel'>): string | null {
  if (row.metric === null) return null;
  return row.jurisdictionLabel ? `${row.metric}（${row.jurisdictionLabel}）` : row.metric;
}
