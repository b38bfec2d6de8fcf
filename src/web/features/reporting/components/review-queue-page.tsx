import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useId, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ProgressReport } from '../../../../shared/schemas/reporting.schema.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatDateTime, formatNumber, useI18n } from '../../../lib/i18n.ts';
import { useLedger } from '../../../lib/api/ledger.api.ts';
import { fetchOrganisation } from '../../../lib/api/organisations.api.ts';
import { usePeriodReports, useReportAction } from '../api/reporting.api.ts';
import '../reporting.css';
import { PeriodSelect, PeriodStatusTag, PlanSelect, usePlanPeriod } from './period-picker.tsx';
import { EvidenceLinks } from './evidence-section.tsx';
import { ReportStatusTag } from './report-status-tag.tsx';

const REVIEW_FILTERS = ['submitted', 'approved', 'returned', 'all'] as const;
type ReviewFilter = (typeof REVIEW_FILTERS)[number];

/**
 * 审核: the submitted reports of a period the caller may review; approve, or return with a
 * comment. `?status=approved|returned|all` shows the reports already reviewed instead (read only):
 * a lead department reads every district's reports on the tasks it leads here.
 */
export function ReviewQueuePage() {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const state = usePlanPeriod();
  // `?orgId=` (the dashboard links a district here): only that organisation's reports.
  const [params, setParams] = useSearchParams();
  const orgId = params.get('orgId') ?? undefined;
  const filter: ReviewFilter = (REVIEW_FILTERS as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as ReviewFilter)
    : 'submitted';
  const reports = usePeriodReports(state.period?.id, filter === 'all' ? undefined : filter, orgId);
  const action = useReportAction();
  const [returning, setReturning] = useState<ProgressReport | null>(null);
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState(false);
  const commentId = useId();
  const items = (reports.data?.items ?? []).filter(
    (r) => (filter === 'all' ? r.status !== 'draft' : r.status === filter) && (!orgId || r.orgId === orgId),
  );
  const setFilter = (next: ReviewFilter) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (next === 'submitted') p.delete('status');
        else p.set('status', next);
        return p;
      },
      { replace: true },
    );
  const org = useQuery({
    queryKey: ['organisations', 'detail', orgId ?? ''],
    queryFn: () => fetchOrganisation(orgId ?? ''),
    enabled: Boolean(orgId) && !items.length,
    staleTime: 60_000,
  });
  const orgName = items[0]?.orgName ?? org.data?.name ?? '…';
  const clearOrg = () =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.delete('orgId');
        return next;
      },
      { replace: true },
    );
  // Task numbers from the plan's ledger (already cached when the reviewer came from it).
  const ledger = useLedger(state.planId);
  const seqOf = useMemo(() => new Map((ledger.data?.rows ?? []).map((r) => [r.taskId, r.seq])), [ledger.data]);

  const onError = (error: unknown) => {
    if (isApiError(error) && error.status === 409) {
      message.warning(t('reporting.review.conflict'));
      void reports.refetch();
    } else message.error(describeError(error, t));
  };

  const approve = (report: ProgressReport) =>
    action.mutate({ report, action: 'approve' }, { onSuccess: () => message.success(t('reporting.review.approved')), onError });

  const confirmReturn = () => {
    if (!returning) return;
    if (!comment.trim()) {
      setCommentError(true);
      return;
    }
    action.mutate(
      { report: returning, action: 'return', comment: comment.trim() },
      {
        onSuccess: () => {
          message.success(t('reporting.review.returned'));
          setReturning(null);
        },
        onError: (error) => {
          setReturning(null);
          onError(error);
        },
      },
    );
  };

  const startReturn = (report: ProgressReport) => {
    setComment('');
    setCommentError(false);
    setReturning(report);
  };

  const columns: TableColumnsType<ProgressReport> = [
    {
      key: 'org',
      title: t('reporting.col.org'),
      width: 180,
      render: (_, r) => (
        <>
          <Typography.Text strong>{r.orgName}</Typography.Text>
          <br />
          <Link to={`/tasks/${r.taskId}`} className="reporting-item-sub">
            {seqOf.has(r.taskId) ? `${t('reporting.taskSeq', { seq: seqOf.get(r.taskId) ?? '' })} · ` : ''}
            {r.targetId ? t('reporting.col.target') : t('reporting.taskLevel')}
          </Link>
        </>
      ),
    },
    {
      key: 'value',
      title: t('reporting.col.value'),
      width: 140,
      render: (_, r) => (
        <span className="reporting-num">
          {r.value === null ? t('common.none') : formatNumber(r.value, locale)}
          {r.completionPercent !== null && ` · ${formatNumber(r.completionPercent, locale)}%`}
        </span>
      ),
    },
    {
      key: 'content',
      title: t('reporting.col.content'),
      render: (_, r) => (
        <>
          <p className="reporting-review-text">{r.narrative || t('common.none')}</p>
          {r.problems && (
            <Typography.Text type="secondary" className="reporting-item-sub">
              {t('reporting.review.problems', { text: r.problems })}
            </Typography.Text>
          )}
          {r.nextSteps && (
            <>
              <br />
              <Typography.Text type="secondary" className="reporting-item-sub">
                {t('reporting.review.nextSteps', { text: r.nextSteps })}
              </Typography.Text>
            </>
          )}
          <EvidenceLinks reportId={r.id} />
        </>
      ),
    },
    {
      key: 'submitted',
      title: t('reporting.col.submittedAt'),
      width: 170,
      render: (_, r) => (
        <>
          <span className="reporting-num">{formatDateTime(r.submittedAt, locale)}</span>
          <br />
          <ReportStatusTag status={r.status} late={r.isLate} />
        </>
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 150,
      render: (_, r) =>
        r.status !== 'submitted' ? null : (
          <Space size={4}>
            <Button
              size="small"
              type="primary"
              onClick={() => approve(r)}
              disabled={action.isPending}
              aria-label={`${t('reporting.review.approve')}：${r.orgName}`}
            >
              {t('reporting.review.approve')}
            </Button>
            <Button
              size="small"
              danger
              onClick={() => startReturn(r)}
              disabled={action.isPending}
              aria-label={`${t('reporting.review.return')}：${r.orgName}`}
            >
              {t('reporting.review.return')}
            </Button>
          </Space>
        ),
    },
  ];

  return (
    <div className="reporting-page">
      <div className="reporting-head">
        <div className="reporting-head-title">
          <h1 className="page-title">{t('reporting.review.title')}</h1>
          {state.period && <PeriodStatusTag status={state.period.status} />}
          {reports.data && (
            <Typography.Text className="reporting-progress">
              {filter === 'submitted'
                ? t('reporting.review.count', { count: items.length })
                : t('reportingFiles.review.shown', { count: items.length })}
            </Typography.Text>
          )}
          {orgId && (
            <span>
              <Tag color="blue">{t('reportingFiles.review.orgFilter', { org: orgName })}</Tag>
              <Button size="small" type="link" onClick={clearOrg}>
                {t('reportingFiles.review.clearOrg')}
              </Button>
            </span>
          )}
        </div>
        <div className="reporting-toolbar">
          <Select<ReviewFilter>
            aria-label={t('reportingFiles.review.statusFilter')}
            value={filter}
            onChange={setFilter}
            style={{ minWidth: 150 }}
            options={REVIEW_FILTERS.map((f) => ({ value: f, label: t(`reportingFiles.review.status.${f}`) }))}
          />
          <PlanSelect state={state} />
          <PeriodSelect state={state} />
        </div>
      </div>
      {state.periods.isSuccess && state.periodList.length === 0 ? (
        <Empty description={t('reporting.noPeriods')} />
      ) : reports.isError ? (
        <Alert type="error" showIcon title={describeError(reports.error, t)} />
      ) : reports.isPending && state.period ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <Table<ProgressReport>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={items}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{
            emptyText: <Empty description={t(filter === 'submitted' ? 'reporting.review.empty' : 'reportingFiles.review.emptyOther')} />,
          }}
        />
      )}
      <Modal
        open={Boolean(returning)}
        title={t('reporting.review.returnTitle')}
        okText={t('reporting.review.return')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        onOk={confirmReturn}
        onCancel={() => setReturning(null)}
        confirmLoading={action.isPending}
        destroyOnHidden
      >
        {returning && (
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }}>
            {returning.orgName} · {returning.narrative}
          </Typography.Paragraph>
        )}
        <Form layout="vertical" component={false}>
          <Form.Item
            label={t('reporting.review.comment')}
            htmlFor={commentId}
            required
            validateStatus={commentError ? 'error' : undefined}
            help={commentError ? t('reporting.review.commentRequired') : undefined}
          >
            <Input.TextArea
              id={commentId}
              autoFocus
              autoSize={{ minRows: 3, maxRows: 6 }}
              maxLength={2000}
              value={comment}
              onChange={(e) => {
                setComment(e.target.value);
                if (e.target.value.trim()) setCommentError(false);
              }}
              onKeyDown={(e) => {
                if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') confirmReturn();
              }}
            />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
