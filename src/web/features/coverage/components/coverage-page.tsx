import { Alert, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import '../coverage.css';
import { AnalysisPanel } from './analysis-panel.tsx';
import { LayersPanel } from './layers-panel.tsx';
import { StandardsPanel } from './standards-panel.tsx';
import { TargetsPanel } from './targets-panel.tsx';
import { useDistrictNames } from '../api/coverage.api.ts';

const TABS = ['analysis', 'targets', 'layers', 'standards'] as const;
type Tab = (typeof TABS)[number];

/**
 * 服务半径覆盖 (office and leadership): the analysis with its gap map and the three methods side
 * by side, the facility and demand layers, and the coverage standards. The tab is in the URL.
 */
export function CoveragePage() {
  const { t } = useI18n();
  const session = useCurrentSession();
  const canEdit = session.user.role === 'admin';
  const districts = useDistrictNames();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'analysis';
  const setTab = (key: string) =>
    setParams(
      (p) => {
        p.set('tab', key);
        return p;
      },
      { replace: true },
    );
  return (
    <div className="coverage-page">
      <h1 className="page-title">{t('coverage.title')}</h1>
      <Typography.Paragraph type="secondary">{t('coverage.intro')}</Typography.Paragraph>
      <Alert type="info" showIcon className="coverage-notice" message={t('coverage.syntheticNotice')} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'analysis', label: t('coverage.tab.analysis'), children: <AnalysisPanel canEdit={canEdit} /> },
          {
            key: 'targets',
            label: t('coverage.tab.targets'),
            children: <TargetsPanel canEdit={canEdit} districts={districts.data ?? []} />,
          },
          { key: 'layers', label: t('coverage.tab.layers'), children: <LayersPanel canEdit={canEdit} /> },
          { key: 'standards', label: t('coverage.tab.standards'), children: <StandardsPanel canEdit={canEdit} /> },
        ]}
      />
    </div>
  );
}
