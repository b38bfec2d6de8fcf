import { Tag } from 'antd';
import type { DeliveryStatus } from '../../shared/enums.ts';
import { useI18n } from '../lib/i18n.ts';

/** One colour per status everywhere (tags, cards, charts): grey, blue, gold, red, green. */
export const STATUS_COLOURS: Record<DeliveryStatus, string> = {
  not_started: '#8c8c8c',
  on_track: '#1f4e96',
  at_risk: '#d48806',
  overdue: '#c4161c',
  done: '#237804',
};

const TAG_PRESETS: Record<DeliveryStatus, string> = {
  not_started: 'default',
  on_track: 'blue',
  at_risk: 'gold',
  overdue: 'red',
  done: 'green',
};

/** A task's or target's delivery status as a coloured tag in the UI language (ledger, dashboard, reports, task page). */
export function StatusTag({ status }: { status: DeliveryStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={TAG_PRESETS[status]} className={`status-tag status-${status}`}>
      {t(`status.${status}`)}
    </Tag>
  );
}
