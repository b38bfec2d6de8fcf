import { Spin } from 'antd';
import { useI18n } from '../lib/i18n.ts';

export function PageSpinner() {
  const { t } = useI18n();
  return (
    <div style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', minHeight: 240, padding: 48 }}>
      <Spin size="large" description={t('app.loading')} />
    </div>
  );
}
