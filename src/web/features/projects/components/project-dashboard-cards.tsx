import { Card, Empty, Progress, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { PROJECT_STATUSES, type ProjectStatus } from '../../../../shared/schemas/project.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { type ProjectSummary, type RateList, useProjectSummary, useRates } from '../api/projects.api.ts';
import { percent, wan } from '../project-format.ts';

type Rate = RateList['items'][number];
type CountyRow = ProjectSummary['byCounty'][number];

/**
 * The dashboard's project cards (issue 14 item 9), for the plan year of the dashboard's date:
 * projects by status per county, investment completed against the year's plan, and the four
 * rates. The dashboard feature renders it through the app's route (features import no feature).
 */
export function ProjectDashboardCards({ asOf }: { asOf: string }) {
  const { t, locale } = useI18n();
  const year = Number(asOf.slice(0, 4));
  const summary = useProjectSummary(year);
  const rates = useRates(year);
  const counties = summary.data?.byCounty ?? [];
  const rateRows = rates.data?.items ?? [];
  const plan = rateRows.reduce((a, r) => a + r.annualPlan, 0);
  const invested = rateRows.reduce((a, r) => a + r.invested, 0);
  const statuses = PROJECT_STATUSES.filter((s) => counties.some((c) => (c.byStatus[s] ?? 0) > 0));
  const title = (
    <h2 className="card-heading">
      <Link to={`/projects?planYear=${year}`}>{t('projects.dash.title', { year })}</Link>
    </h2>
  );
  if (summary.data && counties.length === 0)
    return (
      <Card size="small" title={title} style={{ marginTop: 16 }}>
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('projects.dash.empty')} />
      </Card>
    );
  return (
    <Card size="small" title={title} style={{ marginTop: 16 }} data-testid="project-dashboard">
      <Space direction="vertical" style={{ width: '100%' }}>
        <div>
          <Typography.Text>{t('projects.dash.investment', { invested: wan(invested, locale), plan: wan(plan, locale) })}</Typography.Text>
          <Progress
            aria-label={t('projects.dash.investment', { invested: wan(invested, locale), plan: wan(plan, locale) })}
            percent={plan > 0 ? Math.round((invested / plan) * 1000) / 10 : 0}
            size="small"
          />
        </div>
        <Table<CountyRow>
          rowKey="orgId"
          size="small"
          pagination={false}
          loading={summary.isLoading}
          scroll={{ x: true }}
          aria-label={t('projects.dash.byStatus')}
          dataSource={counties}
          columns={[
            {
              title: t('projects.balance.county'),
              dataIndex: 'orgName',
              render: (n: string, c: CountyRow) => <Link to={`/projects?orgId=${c.orgId}&planYear=${year}`}>{n}</Link>,
            },
            ...statuses.map((s: ProjectStatus) => ({
              title: t(`projects.status.${s}`),
              key: s,
              align: 'right' as const,
              render: (_: unknown, c: CountyRow) => c.byStatus[s] ?? 0,
            })),
            { title: t('projects.dash.total'), dataIndex: 'total', align: 'right' as const },
          ]}
        />
        <Table<Rate>
          rowKey="orgId"
          size="small"
          pagination={false}
          loading={rates.isLoading}
          scroll={{ x: true }}
          aria-label={t('projects.rates.title')}
          dataSource={rateRows}
          columns={[
            { title: t('projects.balance.county'), dataIndex: 'orgName' },
            {
              title: t('projects.dash.invested'),
              key: 'inv',
              align: 'right',
              render: (_: unknown, r: Rate) => `${wan(r.invested, locale)} / ${wan(r.annualPlan, locale)}`,
            },
            { title: t('projects.rates.start'), dataIndex: 'startRate', align: 'right', render: percent },
            { title: t('projects.rates.investment'), dataIndex: 'investmentRate', align: 'right', render: percent },
            { title: t('projects.rates.funds'), dataIndex: 'fundsRate', align: 'right', render: percent },
            { title: t('projects.rates.onTime'), dataIndex: 'onTimeRate', align: 'right', render: percent },
          ]}
        />
      </Space>
    </Card>
  );
}
