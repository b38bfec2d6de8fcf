import { Button, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { ErrorResult } from '../../../components/error-result.tsx';
import { formatDate, formatNumber, useI18n } from '../../../lib/i18n.ts';
import { type CoverageLayer, useLayers } from '../api/coverage.api.ts';
import { LayerImportDialog } from './layer-import-dialog.tsx';

/** The facility and demand layers (newest first) and, for the office, the import dialog. */
export function LayersPanel({ canEdit }: { canEdit: boolean }) {
  const { t, locale } = useI18n();
  const layers = useLayers();
  const [importing, setImporting] = useState(false);
  if (layers.isError) return <ErrorResult error={layers.error} onRetry={() => layers.refetch()} />;
  const columns: TableColumnsType<CoverageLayer> = [
    { title: t('coverage.layer.name'), dataIndex: 'name' },
    {
      title: t('coverage.layer.role'),
      dataIndex: 'role',
      render: (r: CoverageLayer['role']) => <Tag color={r === 'demand' ? 'purple' : 'blue'}>{t(`coverage.role.${r}`)}</Tag>,
    },
    { title: t('coverage.layer.kind'), dataIndex: 'kind' },
    { title: t('coverage.layer.count'), dataIndex: 'featureCount', align: 'right', render: (n: number) => formatNumber(n, locale) },
    {
      title: t('coverage.layer.weight'),
      dataIndex: 'totalWeight',
      align: 'right',
      render: (n: number, l) => (l.role === 'demand' ? formatNumber(Math.round(n), locale) : '—'),
    },
    { title: t('coverage.layer.datum'), dataIndex: 'declaredDatum', render: (d: string) => t(`coverage.datum.${d as 'WGS84'}`) },
    { title: t('coverage.layer.asOf'), dataIndex: 'asOf', render: (d: string) => formatDate(d, locale) },
    { title: t('coverage.layer.file'), dataIndex: 'filename', ellipsis: true },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {canEdit && (
        <Button type="primary" onClick={() => setImporting(true)}>
          {t('coverage.import.open')}
        </Button>
      )}
      <Table
        rowKey="id"
        size="small"
        loading={layers.isPending}
        columns={columns}
        dataSource={layers.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
      />
      {importing && <LayerImportDialog onClose={() => setImporting(false)} />}
    </Space>
  );
}
