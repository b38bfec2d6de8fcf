import { Tag } from 'antd';
import type { ReportStatus } from '../../../../shared/schemas/reporting.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';

const COLOURS: Record<ReportStatus | 'none', string> = {
  none: 'default',
  draft: 'default',
  submitted: 'blue',
  returned: 'red',
  approved: 'green',
};

/** 草稿 / 已提交 / 已退回 / 已通过, or 未填报 when there is no report yet. */
export function ReportStatusTag({ status, late }: { status: ReportStatus | null; late?: boolean }) {
  const { t } = useI18n();
  const key = status ?? 'none';
  return (
    <>
      <Tag color={COLOURS[key]} bordered={key !== 'none'}>
        {t(`reporting.reportStatus.${key}`)}
      </Tag>
      {late && <Tag color="orange">{t('reporting.late')}</Tag>}
    </>
  );
}
