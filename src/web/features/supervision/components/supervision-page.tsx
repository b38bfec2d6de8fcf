import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Select, Skeleton, Table, type TableColumnsType, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  ESCALATION_STEPS,
  type EscalationStep,
  NOTICE_STATUSES,
  type NoticeStatus,
} from '../../../../shared/schemas/supervision.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatDate, formatDateTime, formatNumber, useI18n } from '../../../lib/i18n.ts';
import { useIsPhone } from '../../../lib/use-is-phone.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { useLedgerAsOf } from '../../../lib/api/ledger.api.ts';
import { type SupervisionNotice, useNotices } from '../api/supervision.api.ts';
import '../supervision.css';
import { IssueNoticeDialog } from './issue-notice-dialog.tsx';
import { isPastDue, NoticeStatusTag, StepTag } from './notice-tags.tsx';
import { ProposalsPanel } from './proposals-panel.tsx';

export type StepFilter = EscalationStep | 'none';

export interface NoticeFilter {
  status?: NoticeStatus;
  step?: StepFilter;
  /** `?active=1`: not closed (the dashboard's ladder counts only these). */
  active?: boolean;
  /** `?overdue=1`: not closed and past its due date (the dashboard's 逾期未办结). */
  overdue?: boolean;
}

/** Reads `?status=`, `?step=`, `?active=1` and `?overdue=1` (the dashboard links here with them), dropping unknown values. */
export function parseNoticeFilter(params: URLSearchParams): NoticeFilter {
  const status = params.get('status') ?? '';
  const step = params.get('step') ?? '';
  return {
    status: (NOTICE_STATUSES as readonly string[]).includes(status) ? (status as NoticeStatus) : undefined,
    step: step === 'none' || (ESCALATION_STEPS as readonly string[]).includes(step) ? (step as StepFilter) : undefined,
    active: params.get('active') === '1' || undefined,
    overdue: params.get('overdue') === '1' || undefined,
  };
}

export function matchesNoticeFilter(notice: SupervisionNotice, filter: NoticeFilter, today: string): boolean {
  if (filter.status && notice.status !== filter.status) return false;
  if (filter.step && (notice.escalationStep ?? 'none') !== filter.step) return false;
  if (filter.active && notice.status === 'closed') return false;
  if (filter.overdue && !isPastDue(notice, today)) return false;
  return true;
}

/** /supervision — 督办: every notice for the office and leadership, the organisation's inbox for units. */
export function SupervisionPage() {
  const { t, locale } = useI18n();
  const session = useCurrentSession();
  const role = session.user.role;
  const isAdmin = role === 'admin';
  const scope = isAdmin || role === 'leader' ? 'all' : 'inbox';
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => parseNoticeFilter(params), [params]);
  // Every notice once; status and rung filter in the browser, so a filter change never waits.
  const notices = useNotices(scope);
  const today = useLedgerAsOf();
  const [issuing, setIssuing] = useState(false);

  const all = notices.data?.items ?? [];
  const items = useMemo(() => all.filter((n) => matchesNoticeFilter(n, filter, today)), [all, filter, today]);

  const setFilter = (key: 'status' | 'step', value: string | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const phone = useIsPhone();
  const columns: TableColumnsType<SupervisionNotice> = [
    {
      key: 'reason',
      title: t('supervision.col.reason'),
      render: (_, n) => (
        <>
          <Link to={`/supervision/${n.id}`} className="supervision-reason">
            {n.reason}
          </Link>
          <div className="supervision-sub">
            <Typography.Text type="secondary" ellipsis={{ tooltip: n.requiredAction }}>
              {n.requiredAction}
            </Typography.Text>
          </div>
        </>
      ),
    },
    {
      key: 'rows',
      title: t('supervision.col.rows'),
      width: 220,
      render: (_, n) => {
        const units = [...new Set(n.rows.map((r) => r.orgName))];
        return (
          <>
            <span className="supervision-date">
              {t('supervision.rowsCount', {
                rows: formatNumber(new Set(n.rows.map((r) => r.taskId)).size, locale),
                units: formatNumber(units.length, locale),
              })}
            </span>
            <div className="supervision-sub">
              <Typography.Text type="secondary" ellipsis={{ tooltip: units.join('、') }}>
                {units.join('、')}
              </Typography.Text>
            </div>
          </>
        );
      },
    },
    {
      key: 'dueDate',
      title: t('supervision.col.dueDate'),
      width: 150,
      render: (_, n) => {
        const past = isPastDue(n, today);
        return (
          <span className={past ? 'supervision-date supervision-date-past' : 'supervision-date'}>
            {formatDate(n.dueDate, locale)}
            {past && <span className="supervision-sub">{t('supervision.pastDue')}</span>}
          </span>
        );
      },
    },
    { key: 'status', title: t('supervision.col.status'), width: 96, render: (_, n) => <NoticeStatusTag status={n.status} /> },
    { key: 'step', title: t('supervision.col.step'), width: 96, render: (_, n) => <StepTag step={n.escalationStep} /> },
    {
      key: 'issued',
      title: t('supervision.col.issued'),
      width: 130,
      render: (_, n) => (
        <time dateTime={n.createdAt} className="supervision-date">
          {formatDateTime(n.createdAt, locale).slice(0, 10)}
        </time>
      ),
    },
  ];

  return (
    <div className="supervision-page">
      <div className="supervision-head">
        <div className="supervision-head-title">
          <h1 className="page-title">{scope === 'all' ? t('supervision.title') : t('supervision.inboxTitle')}</h1>
          {notices.data && (
            <output className="supervision-count" aria-live="polite">
              {t('supervision.count', { count: formatNumber(items.length, locale) })}
            </output>
          )}
        </div>
        <div className="supervision-toolbar">
          <Select<NoticeStatus | ''>
            className="supervision-filter"
            aria-label={t('supervision.filter.status')}
            value={filter.status ?? ''}
            onChange={(v) => setFilter('status', v || undefined)}
            options={[
              { value: '', label: t('supervision.filter.allStatuses') },
              ...NOTICE_STATUSES.map((s) => ({ value: s, label: t(`supervision.status.${s}`) })),
            ]}
          />
          <Select<StepFilter | ''>
            className="supervision-filter"
            aria-label={t('supervision.filter.step')}
            value={filter.step ?? ''}
            onChange={(v) => setFilter('step', v || undefined)}
            options={[
              { value: '', label: t('supervision.filter.allSteps') },
              { value: 'none', label: t('supervision.step.none') },
              ...ESCALATION_STEPS.map((s) => ({ value: s, label: t(`supervision.step.${s}`) })),
            ]}
          />
          {(filter.status || filter.step || filter.active || filter.overdue) && (
            <Button onClick={() => setParams(new URLSearchParams(), { replace: true })}>{t('supervision.filter.reset')}</Button>
          )}
          {isAdmin && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setIssuing(true)}>
              {t('supervision.issue')}
            </Button>
          )}
        </div>
      </div>
      {isAdmin && <ProposalsPanel notices={all} />}
      {notices.isError ? (
        <Alert type="error" showIcon title={describeError(notices.error, t)} />
      ) : notices.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : phone ? (
        // A phone's inbox: one card per notice (matter, due date, status, rung), each opening the notice.
        items.length === 0 ? (
          <Empty description={t('supervision.empty')} />
        ) : (
          <ul className="supervision-cards" aria-label={scope === 'all' ? t('supervision.title') : t('supervision.inboxTitle')}>
            {items.map((n) => {
              const past = isPastDue(n, today);
              return (
                <li key={n.id} className="supervision-card">
                  <Link to={`/supervision/${n.id}`} className="supervision-reason">
                    {n.reason}
                  </Link>
                  <Typography.Text type="secondary" className="supervision-sub">
                    {n.requiredAction}
                  </Typography.Text>
                  <div className="supervision-card-meta">
                    <span className={past ? 'supervision-date supervision-date-past' : 'supervision-date'}>
                      {t('supervision.col.dueDate')} {formatDate(n.dueDate, locale)}
                      {past && ` · ${t('supervision.pastDue')}`}
                    </span>
                    <NoticeStatusTag status={n.status} />
                    <StepTag step={n.escalationStep} />
                  </div>
                </li>
              );
            })}
          </ul>
        )
      ) : (
        <Table<SupervisionNotice>
          size="small"
          rowKey="id"
          className="supervision-table"
          columns={columns}
          dataSource={items}
          tableLayout="fixed"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('supervision.empty')} /> }}
        />
      )}
      {isAdmin && <IssueNoticeDialog open={issuing} onClose={() => setIssuing(false)} />}
    </div>
  );
}
