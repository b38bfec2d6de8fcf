import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useServerYear } from '../../../lib/api/ledger.api.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import {
  balanceExportHref,
  type FundingBalance,
  type RateList,
  useFundingBalance,
  useProjectLists,
  useRates,
} from '../api/projects.api.ts';
import { percent, wan } from '../project-format.ts';
import './funding-balance-page.css';

type County = FundingBalance['counties'][number];

/** /projects/funding — 资金综合平衡方案 per county for a plan year (kept in the URL), its pivot, and the four rates. */
export function FundingBalancePage() {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  // The server's today, not the browser's: a record kept as of 2018 opens on 2018's balance.
  const serverYear = useServerYear();
  const year = Number(params.get('planYear')) || serverYear;
  const balance = useFundingBalance(year);
  const rates = useRates(year);
  const lists = useProjectLists();
  const counties = balance.data?.counties ?? [];
  const sources = (lists.data?.fundingSources ?? []).filter((s) => counties.some((c) => c.bySource.some((b) => b.sourceCode === s.code)));
  const categories = (lists.data?.categories ?? []).filter((k) => counties.some((c) => c.pivot.some((p) => p.categoryCode === k.code)));
  const money = (v: number) => wan(v, locale);

  return (
    <div className="funding-balance-page">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('projects.balance.title')}
        </Typography.Title>
        <Space className="funding-balance-actions">
          <span>{t('projects.balance.year')}</span>
          <InputNumber
            aria-label={t('projects.balance.year')}
            min={2000}
            max={2100}
            value={year}
            onChange={(v) => v && setParams({ planYear: String(v) }, { replace: true })}
          />
          <Button icon={<DownloadOutlined aria-hidden />} href={balanceExportHref(year)}>
            {t('projects.balance.export')}
          </Button>
          {/* The office hands the plan in on paper too: the page prints without the menu (funding-balance-page.css). */}
          <Button icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()}>
            {t('projects.balance.print')}
          </Button>
        </Space>
      </Space>
      {balance.error && <Alert type="error" showIcon message={describeError(balance.error, t)} />}
      <Card size="small" style={{ marginTop: 16 }}>
        <Table<County>
          rowKey="orgId"
          size="small"
          pagination={false}
          loading={balance.isLoading}
          dataSource={counties}
          locale={{ emptyText: <Empty description={t('projects.balance.empty')} /> }}
          scroll={{ x: true }}
          data-testid="balance-table"
          columns={[
            { title: t('projects.balance.county'), dataIndex: 'orgName', fixed: 'left' },
            { title: t('projects.balance.needs'), dataIndex: 'needs', align: 'right', render: money },
            ...sources.map((s) => ({
              title: s.name,
              key: s.code,
              align: 'right' as const,
              render: (_: unknown, c: County) => money(c.bySource.find((b) => b.sourceCode === s.code)?.planned ?? 0),
            })),
            { title: t('projects.balance.planned'), dataIndex: 'planned', align: 'right', render: money },
            { title: t('projects.balance.arrived'), dataIndex: 'arrived', align: 'right', render: money },
            { title: t('projects.balance.outstanding'), dataIndex: 'outstanding', align: 'right', render: money },
            { title: t('projects.balance.gap'), dataIndex: 'gap', align: 'right', render: money },
            {
              title: t('projects.balance.check'),
              dataIndex: 'balanced',
              render: (b: boolean) => (
                <Tag color={b ? 'green' : 'red'}>{b ? t('projects.balance.balanced') : t('projects.balance.unbalanced')}</Tag>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('projects.balance.pivot')} style={{ marginTop: 16 }}>
        <Table
          rowKey="code"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={sources}
          columns={[
            { title: '', dataIndex: 'name' },
            ...categories.map((k) => ({
              title: k.name,
              key: k.code,
              align: 'right' as const,
              render: (_: unknown, s: { code: string }) =>
                money(
                  counties.reduce(
                    (a, c) =>
                      a + c.pivot.filter((p) => p.sourceCode === s.code && p.categoryCode === k.code).reduce((x, p) => x + p.planned, 0),
                    0,
                  ),
                ),
            })),
          ]}
        />
      </Card>
      <Card size="small" title={t('projects.rates.title')} style={{ marginTop: 16 }}>
        <Table<RateList['items'][number]>
          rowKey="orgId"
          size="small"
          pagination={false}
          dataSource={rates.data?.items ?? []}
          columns={[
            { title: t('projects.balance.county'), dataIndex: 'orgName' },
            { title: t('projects.rates.projects'), dataIndex: 'projects', align: 'right' },
            { title: t('projects.rates.start'), dataIndex: 'startRate', align: 'right', render: percent },
            { title: t('projects.rates.investment'), dataIndex: 'investmentRate', align: 'right', render: percent },
            { title: t('projects.rates.funds'), dataIndex: 'fundsRate', align: 'right', render: percent },
            { title: t('projects.rates.onTime'), dataIndex: 'onTimeRate', align: 'right', render: percent },
          ]}
        />
      </Card>
    </div>
  );
}
