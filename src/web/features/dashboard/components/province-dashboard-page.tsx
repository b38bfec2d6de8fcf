import { Empty, Skeleton, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { DELIVERY_STATUSES } from '../../../../shared/enums.ts';
import type { ProvinceCityRow } from '../../../../shared/schemas/dashboard.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { formatDate, formatNumber, useI18n } from '../../../lib/i18n.ts';
import { useProvinceDashboard } from '../api/dashboard.api.ts';
import './dashboard-page.css';

const sum = (c: Partial<Record<string, number>>) => DELIVERY_STATUSES.reduce((n, s) => n + (c[s] ?? 0), 0);

/** Where a city's row leads: its own dashboard and its ledger, seen from the province (`tenant`). */
export function cityDashboardHref(orgId: string): string {
  return `/dashboard?${new URLSearchParams({ tenant: orgId })}`;
}
export function cityLedgerHref(orgId: string): string {
  return `/ledger?${new URLSearchParams({ tenant: orgId })}`;
}

/**
 * The province office's overview (issue 12 §3): the dashboard one level up, one row per city with
 * its plans, tasks by status, targets, the current period's 填报率 and open 督办; each city opens
 * its own dashboard and ledger.
 */
export function ProvinceDashboardPage() {
  const { t, locale } = useI18n();
  const query = useProvinceDashboard();
  if (query.isError) return <ErrorResult error={query.error} onRetry={() => query.refetch()} />;
  const data = query.data;
  const n = (x: number) => formatNumber(x, locale);
  return (
    <div className="dashboard-page province-dashboard">
      <div className="dash-head">
        <Typography.Title level={1} className="page-title">
          {t('province.title')}
        </Typography.Title>
        {data && (
          <>
            <Typography.Text strong className="dash-scope">
              {t('province.scope', { name: data.province.name })}
            </Typography.Text>
            <Typography.Text type="secondary" className="dash-asof">
              {t('dashboard.asOf', { date: formatDate(data.asOf, locale) })}
            </Typography.Text>
          </>
        )}
      </div>
      {!data ? (
        <Skeleton active />
      ) : data.cities.length === 0 ? (
        <Empty description={t('province.empty')} />
      ) : (
        <Table<ProvinceCityRow>
          className="province-table"
          rowKey={(r) => r.org.id}
          dataSource={data.cities}
          pagination={false}
          size="middle"
          scroll={{ x: 'max-content' }}
          caption={<span className="dash-hint">{t('province.caption')}</span>}
          columns={[
            {
              key: 'city',
              title: t('province.col.city'),
              fixed: 'left',
              render: (_, r) => <Link to={cityDashboardHref(r.org.id)}>{r.org.name}</Link>,
            },
            { key: 'plans', title: t('province.col.plans'), align: 'right', render: (_, r) => n(r.plans) },
            { key: 'tasks', title: t('province.col.tasks'), align: 'right', render: (_, r) => n(sum(r.tasksByStatus)) },
            ...DELIVERY_STATUSES.map((s) => ({
              key: s,
              title: t(`status.${s}`),
              align: 'right' as const,
              render: (_: unknown, r: ProvinceCityRow) => (
                <span className={s === 'overdue' && r.tasksByStatus[s] > 0 ? 'dash-stat-overdue' : undefined}>
                  {n(r.tasksByStatus[s] ?? 0)}
                </span>
              ),
            })),
            {
              key: 'targets',
              title: t('province.col.targets'),
              align: 'right',
              render: (_, r) => `${n(r.targetsByStatus.done ?? 0)} / ${n(sum(r.targetsByStatus))}`,
            },
            {
              key: 'rate',
              title: t('province.col.rate'),
              align: 'right',
              render: (_, r) =>
                r.reporting.rate === null
                  ? t('province.noRate')
                  : t('province.rate', {
                      percent: formatNumber(Math.round(r.reporting.rate * 100), locale),
                      submitted: n(r.reporting.submitted),
                      expected: n(r.reporting.expected),
                    }),
            },
            { key: 'notices', title: t('province.col.notices'), align: 'right', render: (_, r) => n(r.notices.open) },
            { key: 'noticesOverdue', title: t('province.col.noticesOverdue'), align: 'right', render: (_, r) => n(r.notices.overdue) },
            {
              key: 'actions',
              title: t('province.col.actions'),
              render: (_, r) => (
                <Space size="middle">
                  <Link to={cityDashboardHref(r.org.id)} aria-label={t('province.openDashboardOf', { name: r.org.name })}>
                    {t('province.openDashboard')}
                  </Link>
                  <Link to={cityLedgerHref(r.org.id)} aria-label={t('province.openLedgerOf', { name: r.org.name })}>
                    {t('province.openLedger')}
                  </Link>
                </Space>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
