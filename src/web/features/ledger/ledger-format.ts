import type { LedgerRow, LedgerTarget } from '../../../shared/schemas/ledger.schema.ts';
import type { Locale, Translate } from '../../lib/i18n.ts';
import { targetAmount } from '../../lib/task-format.ts';

/** "甲区：道路改造 不少于 9公里": where, what, how much — as the 任务分解表 writes it. */
export function formatLedgerTarget(target: LedgerTarget, t: Translate, locale: Locale): string {
  const place = target.jurisdictionLabel ?? t('ledger.cityWide');
  const sep = locale === 'en' ? ': ' : '：';
  const metric = target.metric ? `${target.metric} ` : '';
  return `${place}${sep}${metric}${targetAmount(target, t, locale)}`;
}

/** The responsible unit of a row, with the group it came through (各县区政府) when there was one. */
export function responsibleLabel(row: Pick<LedgerRow, 'responsible'>): string {
  return row.responsible?.name ?? '—';
}

export function sectionLabel(row: Pick<LedgerRow, 'sectionPath' | 'sectionTitle'>): string {
  if (!row.sectionTitle) return '';
  return `${row.sectionPath.join(' ')} ${row.sectionTitle}`.trim();
}
