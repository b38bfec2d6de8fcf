import { Alert, App as AntApp, Button, DatePicker, Empty, Skeleton, Space, Table, type TableColumnsType, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useId, useState } from 'react';
import type { ReportingPeriod } from '../../../../shared/schemas/reporting.schema.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatDate, formatDateTime, useI18n } from '../../../lib/i18n.ts';
import { useCreatePeriod, usePeriodAction } from '../api/reporting.api.ts';
import '../reporting.css';
import { JurisdictionLabelsCard } from './jurisdiction-labels-card.tsx';
import { PeriodSnapshotDrawer } from './period-snapshot-drawer.tsx';
import { PeriodStatusTag, PlanSelect, usePlanPeriod } from './period-picker.tsx';
import { ScheduleForm } from './schedule-form.tsx';

/**
 * 填报周期 (admin): the plan's reporting schedule (the hourly job opens and closes periods by it), its
 * periods (create one from a start date, open it, close it: freezes the snapshot), and a closed
 * period's snapshot with its amendments; and which organisations report targets by the
 * jurisdiction their label names (the office resolves labels the registry cannot read).
 */
export function PeriodsPage() {
  const { t, locale } = useI18n();
  const { message, modal } = AntApp.useApp();
  const state = usePlanPeriod({ defaultToPeriod: false });
  const create = useCreatePeriod(state.planId ?? '');
  const periodAction = usePeriodAction();
  const [start, setStart] = useState<Dayjs | null>(null);
  const [startError, setStartError] = useState(false);
  const startId = useId();
  const [snapshotOf, setSnapshotOf] = useState<string | null>(null);
  const snapshotPeriod = state.periodList.find((p) => p.id === snapshotOf) ?? null;
  // The schedule form's worked example: the period reported in now, else today.
  const openPeriod = state.periodList.filter((p) => p.status === 'open').at(-1);

  const onError = (error: unknown) => {
    if (isApiError(error) && error.status === 409) message.warning(t('reporting.periods.conflict'));
    else message.error(describeError(error, t));
  };

  const onCreate = () => {
    if (!start) {
      setStartError(true);
      return;
    }
    create.mutate(
      { start: start.format('YYYY-MM-DD') },
      {
        onSuccess: () => {
          message.success(t('reporting.periods.created'));
          setStart(null);
        },
        onError,
      },
    );
  };

  const open = (period: ReportingPeriod) =>
    periodAction.mutate({ period, action: 'open' }, { onSuccess: () => message.success(t('reporting.periods.opened')), onError });

  const close = (period: ReportingPeriod) =>
    modal.confirm({
      title: t('reporting.periods.closeTitle', { label: period.label }),
      content: t('reporting.periods.closeBody'),
      okText: t('reporting.periods.close'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        periodAction
          .mutateAsync({ period, action: 'close' })
          .then(() => {
            message.success(t('reporting.periods.closed'));
          })
          .catch(onError),
    });

  const columns: TableColumnsType<ReportingPeriod> = [
    {
      key: 'label',
      title: t('reporting.period'),
      dataIndex: 'label',
      render: (label: string) => <Typography.Text strong>{label}</Typography.Text>,
    },
    {
      key: 'range',
      title: t('reporting.periods.range'),
      render: (_, p) => `${formatDate(p.start, locale)} – ${formatDate(p.end, locale)}`,
    },
    { key: 'due', title: t('reporting.periods.dueDate'), render: (_, p) => formatDate(p.dueDate, locale) },
    { key: 'status', title: t('reporting.col.status'), width: 100, render: (_, p) => <PeriodStatusTag status={p.status} /> },
    {
      key: 'when',
      title: t('reporting.periods.changedAt'),
      width: 170,
      render: (_, p) => (
        <Typography.Text type="secondary" className="reporting-num">
          {formatDateTime(p.closedAt ?? p.openedAt, locale)}
        </Typography.Text>
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 140,
      render: (_, p) =>
        p.status === 'pending' ? (
          <Button
            size="small"
            type="primary"
            onClick={() => open(p)}
            loading={periodAction.isPending && periodAction.variables?.period.id === p.id}
            aria-label={`${t('reporting.periods.open')}：${p.label}`}
          >
            {t('reporting.periods.open')}
          </Button>
        ) : p.status === 'open' ? (
          <Button size="small" danger onClick={() => close(p)} aria-label={`${t('reporting.periods.close')}：${p.label}`}>
            {t('reporting.periods.close')}
          </Button>
        ) : (
          <Button size="small" onClick={() => setSnapshotOf(p.id)} aria-label={t('periods.viewSnapshotLabel', { label: p.label })}>
            {t('periods.viewSnapshot')}
          </Button>
        ),
    },
  ];

  return (
    <div className="reporting-page">
      <div className="reporting-head">
        <div className="reporting-head-title">
          <h1 className="page-title">{t('reporting.periods.title')}</h1>
        </div>
        <div className="reporting-toolbar">
          <PlanSelect state={state} />
        </div>
      </div>
      {state.planId && <ScheduleForm key={state.planId} planId={state.planId} referenceDate={openPeriod?.start} />}
      <h2 style={{ fontSize: 16, margin: '0 0 8px' }}>{t('periods.list.title')}</h2>
      <div className="reporting-toolbar" style={{ marginBottom: 12 }}>
        <label htmlFor={startId}>{t('reporting.periods.start')}</label>
        <Space.Compact>
          <DatePicker
            id={startId}
            value={start}
            onChange={(d) => {
              setStart(d);
              setStartError(false);
            }}
            status={startError ? 'error' : undefined}
            aria-describedby={startError ? `${startId}-error` : undefined}
          />
          <Button type="primary" onClick={onCreate} loading={create.isPending} disabled={!state.planId}>
            {t('reporting.periods.create')}
          </Button>
        </Space.Compact>
        {startError && (
          <Typography.Text type="danger" id={`${startId}-error`} role="alert">
            {t('reporting.periods.startRequired')}
          </Typography.Text>
        )}
      </div>
      {state.plans.isSuccess && state.planList.length === 0 ? (
        <Empty description={t('reporting.noPlans')} />
      ) : state.periods.isError ? (
        <Alert type="error" showIcon title={describeError(state.periods.error, t)} />
      ) : state.periods.isPending && state.planId ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : (
        <Table<ReportingPeriod>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={state.periodList}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('reporting.noPeriods')} /> }}
        />
      )}
      {state.planId && <JurisdictionLabelsCard key={`labels-${state.planId}`} planId={state.planId} />}
      {state.planId && <PeriodSnapshotDrawer planId={state.planId} period={snapshotPeriod} onClose={() => setSnapshotOf(null)} />}
    </div>
  );
}
