import { Card, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { Plan } from '../../../../shared/schemas/plan.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { formatDateTime, useI18n } from '../../../lib/i18n.ts';
import { usePlans } from '../../../lib/api/plans.api.ts';

export function PlansPage() {
  const { t, locale } = useI18n();
  const plans = usePlans();

  const columns: TableColumnsType<Plan> = [
    {
      title: t('plans.colTitle'),
      dataIndex: 'title',
      key: 'title',
      render: (_: unknown, plan) => <Link to={`/plans/${plan.id}`}>{plan.title}</Link>,
    },
    { title: t('plans.colIssuer'), dataIndex: 'issuer', key: 'issuer', render: (v: string | null) => v ?? '—' },
    { title: t('plans.colYear'), dataIndex: 'year', key: 'year', width: 90, render: (v: number | null) => v ?? '—' },
    { title: t('plans.colTasks'), dataIndex: 'taskCount', key: 'taskCount', width: 90, align: 'right' },
    {
      title: t('plans.colStatus'),
      dataIndex: 'status',
      key: 'status',
      width: 100,
      render: (v: Plan['status']) => <Tag color={v === 'active' ? 'green' : 'default'}>{t(`planStatus.${v}`)}</Tag>,
    },
    {
      title: t('plans.colUpdated'),
      dataIndex: 'updatedAt',
      key: 'updatedAt',
      width: 170,
      render: (v: string) => <time dateTime={v}>{formatDateTime(v, locale)}</time>,
    },
  ];

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, margin: '0 0 16px' }}>
        {t('plans.title')}
      </Typography.Title>
      <Card>
        {plans.isError ? (
          <ErrorResult error={plans.error} onRetry={() => plans.refetch()} />
        ) : (
          <Table<Plan>
            rowKey="id"
            columns={columns}
            dataSource={plans.data?.items ?? []}
            loading={plans.isPending}
            pagination={false}
            locale={{ emptyText: t('plans.empty') }}
            scroll={{ x: 800 }}
          />
        )}
      </Card>
    </>
  );
}
