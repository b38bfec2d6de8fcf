import { App as AntApp, Button, Card, Form, InputNumber, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { describeError } from '../../../lib/errors.ts';
import { formatNumber, useI18n } from '../../../lib/i18n.ts';
import { type CoverageAnalysis, type SuggestionResult, useAcceptSites, useSuggestSites } from '../api/coverage.api.ts';

interface SiteRow {
  seq: number;
  lng: number;
  lat: number;
  gain: number;
}

interface Row {
  key: 'greedy' | 'exact';
  covered: number;
  sites: number;
  candidates: number;
  ms: number;
  status: string;
}

/**
 * 选址建议: N new sites in a district covering the most residents left uncovered — greedy (fast,
 * with its guarantee and this instance's upper bound) beside the exact MILP on a reduced set.
 */
export function SuggestionPanel({
  analysis,
  onResult,
  onDistrict,
}: {
  analysis: CoverageAnalysis;
  onResult: (r: SuggestionResult | null) => void;
  onDistrict: (d: string | null) => void;
}) {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const suggest = useSuggestSites(analysis.id);
  const accept = useAcceptSites(analysis.id);
  const [selected, setSelected] = useState<number[]>([]);
  const worst = [...analysis.districts].sort((a, b) => b.uncoveredWeight - a.uncoveredWeight)[0]?.district;
  const result = suggest.data;
  const onFinish = (v: { district: string; count: number; gridSpacing: number }) => {
    onDistrict(v.district);
    setSelected([]);
    suggest.mutate(v, { onSuccess: onResult, onError: (error) => message.error(describeError(error, t)) });
  };
  // The greedy sites are the recommendation (the exact set is the check beside it).
  const siteRows: SiteRow[] = (result?.greedy.sites ?? []).map((s, k) => ({ seq: k + 1, ...s }));
  const onAccept = () => {
    const sites = siteRows.filter((r) => selected.includes(r.seq)).map(({ seq, lng, lat }) => ({ seq, lng, lat }));
    accept.mutate(
      { sites },
      {
        onSuccess: (res) => {
          setSelected([]);
          message.success(t('coverage.suggest.accepted', { count: res.items.length }));
        },
        onError: (error) => message.error(describeError(error, t)),
      },
    );
  };
  const siteColumns: TableColumnsType<SiteRow> = [
    { title: t('coverage.suggest.seq'), dataIndex: 'seq', render: (n: number) => t('coverage.suggest.siteName', { n }) },
    { title: t('coverage.suggest.lngLat'), key: 'at', render: (_, r) => `${r.lng.toFixed(5)}, ${r.lat.toFixed(5)}` },
    { title: t('coverage.suggest.gain'), dataIndex: 'gain', align: 'right', render: (n: number) => formatNumber(Math.round(n), locale) },
  ];
  const share = (covered: number) =>
    result && result.uncoveredBefore > 0 ? `${((covered / result.uncoveredBefore) * 100).toFixed(1)}%` : '—';
  const rows: Row[] = result
    ? [
        {
          key: 'greedy',
          covered: result.greedy.covered,
          sites: result.greedy.sites.length,
          candidates: result.candidateCount,
          ms: result.greedyMs,
          status: '',
        },
        {
          key: 'exact',
          covered: result.exact.covered,
          sites: result.exact.sites.length,
          candidates: result.exact.candidateCount,
          ms: result.exact.ms,
          status: result.exact.status,
        },
      ]
    : [];
  const columns: TableColumnsType<Row> = [
    { title: t('coverage.suggest.method'), dataIndex: 'key', render: (k: Row['key']) => t(`coverage.suggest.${k}`) },
    {
      title: t('coverage.suggest.covered'),
      dataIndex: 'covered',
      align: 'right',
      render: (n: number) => formatNumber(Math.round(n), locale),
    },
    { title: t('coverage.suggest.share'), key: 'share', align: 'right', render: (_, r) => share(r.covered) },
    { title: t('coverage.suggest.sites'), dataIndex: 'sites', align: 'right' },
    { title: t('coverage.suggest.candidates'), dataIndex: 'candidates', align: 'right', render: (n: number) => formatNumber(n, locale) },
    { title: t('coverage.suggest.time'), dataIndex: 'ms', align: 'right', render: (ms: number) => `${Math.round(ms)} ms` },
    { title: t('coverage.suggest.status'), dataIndex: 'status' },
  ];
  return (
    <Card size="small" title={t('coverage.suggest.title')}>
      <Typography.Paragraph type="secondary">{t('coverage.suggest.help', { radius: analysis.standard.radiusM })}</Typography.Paragraph>
      <Form name="coverage-suggest" layout="inline" onFinish={onFinish} initialValues={{ district: worst, count: 5, gridSpacing: 250 }}>
        <Form.Item
          name="district"
          label={t('coverage.result.district')}
          rules={[{ required: true, message: t('coverage.analysis.required') }]}
        >
          <Select style={{ width: 160 }} options={analysis.districts.map((d) => ({ value: d.district, label: d.district }))} />
        </Form.Item>
        <Form.Item name="count" label={t('coverage.suggest.count')}>
          <InputNumber min={1} max={30} />
        </Form.Item>
        <Form.Item name="gridSpacing" label={t('coverage.suggest.spacing')}>
          <InputNumber min={100} max={5000} step={50} addonAfter="m" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={suggest.isPending}>
          {t('coverage.suggest.run')}
        </Button>
      </Form>
      {result && (
        <div data-testid="coverage-suggestions" style={{ marginTop: 12 }}>
          <Typography.Paragraph>
            {t('coverage.suggest.summary', {
              district: result.district,
              before: formatNumber(Math.round(result.uncoveredBefore), locale),
              bound: formatNumber(Math.round(result.greedy.upperBound), locale),
              factor: (result.greedy.guaranteeFactor * 100).toFixed(1),
            })}
          </Typography.Paragraph>
          <Table rowKey="key" size="small" columns={columns} dataSource={rows} pagination={false} />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
            {t('coverage.suggest.exactNote')}
          </Typography.Paragraph>
          <Table<SiteRow>
            data-testid="coverage-suggested-sites"
            rowKey="seq"
            size="small"
            columns={siteColumns}
            dataSource={siteRows}
            pagination={false}
            rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
          />
          <Space style={{ marginTop: 8 }}>
            <Button onClick={onAccept} disabled={selected.length === 0} loading={accept.isPending}>
              {t('coverage.suggest.accept')}
            </Button>
            <Typography.Text type="secondary">{t('coverage.suggest.acceptHelp')}</Typography.Text>
          </Space>
        </div>
      )}
    </Card>
  );
}
