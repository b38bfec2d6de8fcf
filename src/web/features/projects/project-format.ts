/**
 * Money and status display for the project library: the API speaks integer 元, people type and
 * read 万元. Converting typed 万元 to 元 shifts decimal digits as text, so 0.0001 万元 is 1 元 exactly.
 */
import type { ProjectStatus } from '../../../shared/schemas/project.schema.ts';

/** 元 → 万元 text with up to four decimals and thousands separators. */
export function wan(yuan: number, locale = 'zh-CN'): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(yuan / 10_000);
}

/** Typed 万元 (number or text, ≤ 4 decimals, ≥ 0) → integer 元; null when it is not such an amount. */
export function wanToYuan(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const text =
    typeof value === 'number'
      ? Number.isFinite(value)
        ? value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')
        : ''
      : String(value).trim();
  const m = /^(\d{1,8})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) return null;
  const frac = (m[2] ?? '').padEnd(6, '0');
  if (!frac.endsWith('00')) return null;
  return Number(m[1]) * 10_000 + Number(frac.slice(0, 4));
}

export const STATUS_COLOURS: Record<ProjectStatus, string> = {
  draft: '#8c8c8c',
  submitted: '#1677ff',
  returned: '#fa541c',
  admitted: '#13c2c2',
  reserve: '#722ed1',
  in_progress: '#faad14',
  completed: '#52c41a',
  accepted: '#237804',
};

/** A palette for categories (by position in the office's list). */
export const CATEGORY_COLOURS = [
  '#1677ff',
  '#fa8c16',
  '#52c41a',
  '#eb2f96',
  '#13c2c2',
  '#722ed1',
  '#faad14',
  '#a0d911',
  '#2f54eb',
  '#f5222d',
  '#595959',
];

/** A rate (per cent) as text, or a dash. */
export const percent = (value: number | null) => (value === null ? '—' : `${value}%`);
