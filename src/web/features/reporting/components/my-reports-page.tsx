import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Empty, Skeleton, Table, type TableColumnsType, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { describeError } from '../../../lib/errors.ts';
import { formatDate, formatNumber, useI18n, withUnit } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { useIsPhone } from '../../../lib/use-is-phone.ts';
import { templateHref } from '../api/reporting-files.api.ts';
import { type MyReportRowData, useMyReports, usePeriodSnapshots } from '../api/reporting.api.ts';
import '../reporting.css';
import { PeriodSelect, PeriodStatusTag, PlanSelect, usePlanPeriod } from './period-picker.tsx';
import { isEditable, ReportForm } from './report-form.tsx';
import { ReportStatusTag } from './report-status-tag.tsx';
import { ReportUploadDialog } from './report-upload-dialog.tsx';
import { SubmitAllDrafts } from './submit-all-drafts.tsx';
import { reportRowName } from '../report-row-name.ts';

const rowKey = (row: MyReportRowData) => `${row.taskId}:${row.targetId ?? '-'}`;

/** 进度填报: every target and task the caller's organisation reports on in a period. */
export function MyReportsPage() {
  const { t, locale } = useI18n();
  const state = usePlanPeriod();
  const my = useMyReports(state.period?.id);
  const [openKey, setOpenKey] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const items = my.data?.items ?? [];
  const period = my.data?.period ?? state.period;
  const open = items.find((row) => rowKey(row) === openKey) ?? null;
  const session = useCurrentSession();
  const phone = useIsPhone();

  // 上次通过值: this organisation's approved value frozen in the latest closed period before this one.
  const previous = useMemo(
    () => (period ? state.periodList.filter((p) => p.status === 'closed' && p.start < period.start).at(-1) : undefined),
    [state.periodList, period],
  );
  const snapshots = usePeriodSnapshots(previous?.id);
  const lastApproved = useMemo(() => {
    const map = new Map<string, number>();
    for (const s of snapshots.data?.items ?? []) {
      if (s.orgId !== session.org.id || s.reportStatus !== 'approved' || s.effective.reportedValue === null) continue;
      map.set(`${s.taskId}:${s.targetId ?? '-'}`, s.effective.reportedValue);
    }
    return map;
  }, [snapshots.data, session.org.id]);
  const lastValue = (row: MyReportRowData): number | null =>
    row.report?.status === 'approved' && row.report.value !== null ? row.report.value : (lastApproved.get(rowKey(row)) ?? null);

  const counts = useMemo(() => {
    const filled = items.filter((r) => r.report).length;
    const submitted = items.filter((r) => r.report && (r.report.status === 'submitted' || r.report.status === 'approved')).length;
    return { filled, total: items.length, submitted };
  }, [items]);

  const columns: TableColumnsType<MyReportRowData> = [
    {
      key: 'item',
      title: t('reporting.col.item'),
      render: (_, row) => (
        <>
          <Typography.Text className="reporting-item-text" ellipsis={{ tooltip: row.taskText }}>
            {reportRowName(row) ?? row.taskText}
          </Typography.Text>
          <div>
            <Typography.Text type="secondary" className="reporting-item-sub">
              {t('reporting.taskSeq', { seq: row.taskSeq })}
              {row.targetId ? '' : ` · ${t('reporting.taskLevel')}`}
            </Typography.Text>
          </div>
          {row.report?.status === 'returned' && row.report.reviewComment && (
            <span className="reporting-comment">{t('reporting.returnedComment', { comment: row.report.reviewComment })}</span>
          )}
        </>
      ),
    },
    {
      key: 'target',
      title: t('reporting.col.target'),
      width: 120,
      render: (_, row) => (
        <span className="reporting-num">
          {row.targetValue === null ? t('common.none') : withUnit(formatNumber(row.targetValue, locale), row.unit)}
        </span>
      ),
    },
    {
      key: 'last',
      title: t('reporting.col.lastValue'),
      width: 120,
      render: (_, row) => {
        const value = lastValue(row);
        return <span className="reporting-num">{value === null ? t('common.none') : withUnit(formatNumber(value, locale), row.unit)}</span>;
      },
    },
    {
      key: 'status',
      title: t('reporting.col.status'),
      width: 170,
      render: (_, row) => <ReportStatusTag status={row.report?.status ?? null} late={row.report?.isLate} />,
    },
    {
      key: 'action',
      title: t('common.actions'),
      width: 90,
      render: (_, row) => {
        const label = period && isEditable(row.report, period) ? t('reporting.fill') : t('reporting.view');
        return (
          <Button
            size="small"
            type={label === t('reporting.fill') ? 'primary' : 'default'}
            onClick={() => setOpenKey(rowKey(row))}
            aria-label={`${label}：${reportRowName(row) ?? row.taskText}`}
          >
            {label}
          </Button>
        );
      },
    },
  ];

  return (
    <div className="reporting-page">
      <div className="reporting-head">
        <div className="reporting-head-title">
          <h1 className="page-title">{t('reporting.my.title')}</h1>
          {period && <PeriodStatusTag status={period.status} />}
          {period && <Typography.Text type="secondary">{t('reporting.due', { date: formatDate(period.dueDate, locale) })}</Typography.Text>}
          {my.data && (
            <Typography.Text className="reporting-progress" aria-live="polite">
              {t('reporting.my.progress', counts)}
            </Typography.Text>
          )}
        </div>
        <div className="reporting-toolbar">
          <PlanSelect state={state} />
          <PeriodSelect state={state} />
        </div>
      </div>
      {period && my.data && items.length > 0 && (
        <div className="reporting-toolbar reporting-actions">
          <Button icon={<DownloadOutlined aria-hidden />} href={templateHref(period.id)} download>
            {t('reportingFiles.template.download')}
          </Button>
          <Button icon={<UploadOutlined aria-hidden />} onClick={() => setUploading(true)} disabled={period.status !== 'open'}>
            {t('reportingFiles.upload.open')}
          </Button>
          <SubmitAllDrafts items={items} disabled={period.status !== 'open'} />
        </div>
      )}
      {state.plans.isSuccess && state.planList.length === 0 ? (
        <Empty description={t('reporting.noPlans')} />
      ) : state.periods.isSuccess && state.periodList.length === 0 ? (
        <Empty description={t('reporting.noPeriods')} />
      ) : my.isError ? (
        <Alert type="error" showIcon title={describeError(my.error, t)} />
      ) : my.isPending && state.period ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : phone ? (
        <MyReportCards
          items={items}
          lastValue={lastValue}
          isFill={(row) => Boolean(period && isEditable(row.report, period))}
          onOpen={(row) => setOpenKey(rowKey(row))}
        />
      ) : (
        <Table<MyReportRowData>
          size="small"
          rowKey={rowKey}
          columns={columns}
          dataSource={items}
          pagination={false}
          scroll={{ y: 'calc(100vh - 276px)' }}
          locale={{ emptyText: <Empty description={t('reporting.my.empty')} /> }}
          onRow={(row) => ({ onDoubleClick: () => setOpenKey(rowKey(row)) })}
        />
      )}
      {period && <ReportUploadDialog open={uploading} onClose={() => setUploading(false)} periodId={period.id} items={items} />}
      <Drawer
        open={Boolean(open)}
        onClose={() => setOpenKey(null)}
        size={phone ? '100%' : 640}
        title={open ? t('reporting.form.title', { item: reportRowName(open) ?? t('reporting.taskSeq', { seq: open.taskSeq }) }) : ''}
        destroyOnHidden
      >
        {open && period && (
          <>
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 3, expandable: true }}>
              {t('reporting.taskSeq', { seq: open.taskSeq })} · {open.taskText}
            </Typography.Paragraph>
            <ReportForm key={rowKey(open)} period={period} row={open} onSubmitted={() => setOpenKey(null)} />
          </>
        )}
      </Drawer>
    </div>
  );
}

/**
 * My reports on a phone: one card per row (what, target, last approved value, status, 填报) instead
 * of the wide table, which a 390 px screen squeezes to one character per line.
 */
function MyReportCards({
  items,
  lastValue,
  isFill,
  onOpen,
}: {
  items: MyReportRowData[];
  lastValue: (row: MyReportRowData) => number | null;
  isFill: (row: MyReportRowData) => boolean;
  onOpen: (row: MyReportRowData) => void;
}) {
  const { t, locale } = useI18n();
  if (items.length === 0) return <Empty description={t('reporting.my.empty')} />;
  const amount = (value: number | null, unit: string | null) =>
    value === null ? t('common.none') : withUnit(formatNumber(value, locale), unit);
  return (
    <ul className="reporting-cards" aria-label={t('reporting.my.title')}>
      {items.map((row) => {
        const name = reportRowName(row) ?? row.taskText;
        const label = isFill(row) ? t('reporting.fill') : t('reporting.view');
        return (
          <li key={rowKey(row)} className="reporting-card" data-row-key={rowKey(row)}>
            <div className="reporting-card-head">
              <strong className="reporting-card-name">{name}</strong>
              <ReportStatusTag status={row.report?.status ?? null} late={row.report?.isLate} />
            </div>
            <Typography.Text type="secondary" className="reporting-item-sub">
              {t('reporting.taskSeq', { seq: row.taskSeq })}
              {row.targetId ? '' : ` · ${t('reporting.taskLevel')}`}
            </Typography.Text>
            <dl className="reporting-card-numbers">
              <div>
                <dt>{t('reporting.col.target')}</dt>
                <dd className="reporting-num">{amount(row.targetValue, row.unit)}</dd>
              </div>
              <div>
                <dt>{t('reporting.col.lastValue')}</dt>
                <dd className="reporting-num">{amount(lastValue(row), row.unit)}</dd>
              </div>
            </dl>
            {row.report?.status === 'returned' && row.report.reviewComment && (
              <span className="reporting-comment">{t('reporting.returnedComment', { comment: row.report.reviewComment })}</span>
            )}
            <Button block type={isFill(row) ? 'primary' : 'default'} onClick={() => onOpen(row)} aria-label={`${label}：${name}`}>
              {label}
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
