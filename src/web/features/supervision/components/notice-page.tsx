import { ArrowLeftOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Descriptions, Input, Table, type TableColumnsType, Timeline, Typography } from 'antd';
import { useId, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorResult } from '../../../components/error-result.tsx';
import { PageSpinner } from '../../../components/page-spinner.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatDate, formatDateTime, useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { useLedgerAsOf } from '../../../lib/api/ledger.api.ts';
import {
  evidenceHref,
  type SupervisionNotice,
  supervisionKeys,
  useAllLedgerRows,
  useEscalate,
  useNotice,
  useNoticeAction,
} from '../api/supervision.api.ts';
import '../supervision.css';
import { AnswerForm } from './answer-form.tsx';
import { isPastDue, NoticeStatusTag, nextStep, StepTag } from './notice-tags.tsx';

type NoticeRowData = SupervisionNotice['rows'][number];

/** On a 409 the server sends the notice as it is now: show it, say so, and fetch it again. */
function useConflictHandler(noticeId: string) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  return (error: unknown) => {
    if (isApiError(error) && error.status === 409) {
      const current = error.current as SupervisionNotice | undefined;
      if (current?.id === noticeId) queryClient.setQueryData(supervisionKeys.detail(noticeId), current);
      message.warning(t('supervision.conflict'));
      void queryClient.invalidateQueries({ queryKey: supervisionKeys.detail(noticeId) });
    } else message.error(describeError(error, t));
  };
}

/** /supervision/:noticeId — one notice: what, by when, on which rows, and what happened since. */
export function NoticePage() {
  const { noticeId = '' } = useParams();
  const { t, locale } = useI18n();
  const session = useCurrentSession();
  const notice = useNotice(noticeId);
  const ledger = useAllLedgerRows();
  const today = useLedgerAsOf();
  const onConflict = useConflictHandler(noticeId);
  const seqOf = useMemo(() => new Map((ledger.data?.rows ?? []).map((r) => [r.taskId, r.seq])), [ledger.data]);

  if (notice.isPending) return <PageSpinner />;
  if (notice.isError) return <ErrorResult error={notice.error} onRetry={() => notice.refetch()} />;
  const n = notice.data;
  const isReceiver = n.rows.some((r) => r.orgId === session.org.id);
  const isAdmin = session.user.role === 'admin';
  const canAnswer = isReceiver && n.status !== 'closed';
  const hasSide = canAnswer || isAdmin;
  // In plan order (then by unit), as the ledger lists them.
  const rows = [...n.rows].sort(
    (a, b) => (seqOf.get(a.taskId) ?? 1e9) - (seqOf.get(b.taskId) ?? 1e9) || a.orgName.localeCompare(b.orgName, 'zh-CN'),
  );
  const past = isPastDue(n, today);

  const columns: TableColumnsType<NoticeRowData> = [
    {
      key: 'task',
      title: t('supervision.detail.task'),
      render: (_, r) => {
        const seq = seqOf.get(r.taskId);
        return (
          <Link
            to={`/tasks/${r.taskId}`}
            className="notice-rows-task"
            title={r.taskText}
            aria-label={t('supervision.detail.viewTask', { text: r.taskText })}
          >
            {seq !== undefined && <strong>{t('supervision.detail.taskSeq', { seq })} </strong>}
            <Typography.Text ellipsis className="notice-rows-text">
              {r.taskText}
            </Typography.Text>
          </Link>
        );
      },
    },
    { key: 'unit', title: t('supervision.detail.unit'), dataIndex: 'orgName', width: 180 },
  ];

  return (
    <div className="notice-page">
      <Link to="/supervision" className="notice-back">
        <ArrowLeftOutlined aria-hidden /> {t('supervision.back')}
      </Link>
      <div className="notice-head">
        <h1 className="page-title">{n.reason}</h1>
        <NoticeStatusTag status={n.status} />
        {n.escalationStep && (
          <span className="notice-head-step">
            <Typography.Text type="secondary">{t('supervision.detail.step')}</Typography.Text>
            <StepTag step={n.escalationStep} />
          </span>
        )}
      </div>
      <div className={hasSide ? 'notice-grid' : 'notice-single'}>
        <div>
          <Card size="small" className="notice-card">
            <Descriptions
              size="small"
              column={1}
              items={[
                {
                  key: 'action',
                  label: t('supervision.detail.requiredAction'),
                  children: <p className="notice-text">{n.requiredAction}</p>,
                },
                {
                  key: 'due',
                  label: t('supervision.detail.dueDate'),
                  children: (
                    <span className={past ? 'supervision-date supervision-date-past' : 'supervision-date'}>
                      {formatDate(n.dueDate, locale)}
                      {past && ` · ${t('supervision.pastDue')}`}
                    </span>
                  ),
                },
                { key: 'issued', label: t('supervision.detail.issuedAt'), children: formatDateTime(n.createdAt, locale) },
                ...(n.closedAt
                  ? [{ key: 'closed', label: t('supervision.detail.closedAt'), children: formatDateTime(n.closedAt, locale) }]
                  : []),
              ]}
            />
          </Card>
          <Card size="small" className="notice-card" title={<h2>{t('supervision.timeline.title')}</h2>}>
            <NoticeTimeline notice={n} />
          </Card>
        </div>
        {hasSide && (
          <div>
            {canAnswer && (
              <Card size="small" className="notice-card" title={<h2>{t('supervision.answer.title')}</h2>}>
                <AnswerForm key={n.id} notice={n} onConflict={onConflict} />
              </Card>
            )}
            {isAdmin && (
              <Card size="small" className="notice-card" title={<h2>{t('supervision.admin.title')}</h2>}>
                <AdminActions notice={n} onError={onConflict} />
              </Card>
            )}
          </div>
        )}
      </div>
      <Card size="small" className="notice-card notice-rows" title={<h2>{t('supervision.detail.rows', { count: n.rows.length })}</h2>}>
        <Table<NoticeRowData>
          size="small"
          rowKey={(r) => `${r.taskId}:${r.orgId}`}
          columns={columns}
          dataSource={rows}
          tableLayout="fixed"
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
        />
      </Card>
    </div>
  );
}

type NoticeEvent =
  | { kind: 'issued'; at: string }
  | { kind: 'answer'; at: string; response: SupervisionNotice['responses'][number] }
  | { kind: 'escalation'; at: string; escalation: SupervisionNotice['escalations'][number] }
  | { kind: 'closed'; at: string; note: string }
  | { kind: 'reopened'; at: string; note: string };

/** Answers, escalation steps and the office's close / re-open (with their notes) in one chronological list, starting with the issue. */
export function NoticeTimeline({ notice }: { notice: SupervisionNotice }) {
  const { t, locale } = useI18n();
  const events: NoticeEvent[] = [
    { kind: 'issued' as const, at: notice.createdAt },
    ...notice.responses.map((response) => ({ kind: 'answer' as const, at: response.at, response })),
    ...notice.escalations.map((escalation) => ({ kind: 'escalation' as const, at: escalation.at, escalation })),
    ...notice.actions.map(
      (a): NoticeEvent =>
        a.action === 'close' ? { kind: 'closed', at: a.at, note: a.note } : { kind: 'reopened', at: a.at, note: a.note },
    ),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const when = (at: string) => (
    <time dateTime={at} className="notice-event-when">
      {formatDateTime(at, locale)}
    </time>
  );
  return (
    <>
      <Timeline
        className="notice-timeline"
        items={events.map((e, i) => {
          if (e.kind === 'issued' || e.kind === 'closed' || e.kind === 'reopened') {
            const title = {
              issued: 'supervision.timeline.issued',
              closed: 'supervision.timeline.closed',
              reopened: 'supervision.timeline.reopened',
            } as const;
            return {
              key: `${e.kind}-${i}`,
              color: e.kind === 'closed' ? 'green' : e.kind === 'reopened' ? 'orange' : 'gray',
              content: (
                <>
                  <div className="notice-event-head">
                    <strong>{t(title[e.kind])}</strong>
                    {when(e.at)}
                  </div>
                  {e.kind !== 'issued' && e.note && <p className="notice-event-body">{e.note}</p>}
                </>
              ),
            };
          }
          if (e.kind === 'answer') {
            const r = e.response;
            return {
              key: `answer-${r.id}`,
              color: 'blue',
              content: (
                <>
                  <div className="notice-event-head">
                    <strong>{t('supervision.timeline.answer', { org: r.orgName })}</strong>
                    {when(e.at)}
                  </div>
                  <p className="notice-event-body">{r.text}</p>
                  {(r.evidence ?? []).length > 0 && (
                    <ul className="notice-evidence" aria-label={t('supervision.timeline.evidence')}>
                      {(r.evidence ?? []).map((f) => (
                        <li key={f.id}>
                          <a
                            href={evidenceHref(f.id)}
                            download={f.filename}
                            aria-label={t('supervision.timeline.download', { name: f.filename })}
                          >
                            <PaperClipOutlined aria-hidden /> {f.filename}
                          </a>
                        </li>
                      ))}
                    </ul>
                  )}
                </>
              ),
            };
          }
          const s = e.escalation;
          return {
            key: `step-${s.step}-${s.at}`,
            color: 'red',
            content: (
              <>
                <div className="notice-event-head">
                  <strong>{t('supervision.timeline.escalation', { step: t(`supervision.step.${s.step}`) })}</strong>
                  {when(e.at)}
                </div>
                {s.note && <p className="notice-event-body">{s.note}</p>}
              </>
            ),
          };
        })}
      />
      {events.length === 1 && notice.status !== 'closed' && (
        <Typography.Text type="secondary" className="notice-timeline-empty">
          {t('supervision.timeline.empty')}
        </Typography.Text>
      )}
    </>
  );
}

/** The office's hand on a notice: close it (with a note), re-open it, or climb exactly one rung. */
function AdminActions({ notice, onError }: { notice: SupervisionNotice; onError: (error: unknown) => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const action = useNoticeAction();
  const escalate = useEscalate();
  const [closeNote, setCloseNote] = useState('');
  const [stepNote, setStepNote] = useState('');
  const closeId = useId();
  const stepId = useId();
  const next = nextStep(notice.escalationStep);
  const busy = action.isPending || escalate.isPending;

  if (notice.status === 'closed') {
    return (
      <div className="notice-form notice-admin-block">
        <Typography.Text type="secondary">{t('supervision.admin.closedHint')}</Typography.Text>
        <Button
          onClick={() =>
            action.mutate({ notice, action: 'reopen' }, { onSuccess: () => message.success(t('supervision.admin.reopened')), onError })
          }
          loading={action.isPending}
          disabled={busy}
        >
          {t('supervision.admin.reopen')}
        </Button>
      </div>
    );
  }

  const stepLabel = next ? t(`supervision.step.${next}`) : '';
  return (
    <div className="notice-form">
      <div className="notice-admin-block">
        <label htmlFor={stepId} className="notice-label">
          {next ? t('supervision.admin.escalate', { step: stepLabel }) : t('supervision.admin.lastStep')}
        </label>
        {next && (
          <>
            <Input.TextArea
              id={stepId}
              autoSize={{ minRows: 2, maxRows: 5 }}
              maxLength={2000}
              placeholder={t('supervision.admin.escalateNotePlaceholder')}
              value={stepNote}
              onChange={(e) => setStepNote(e.target.value)}
            />
            <div className="notice-form-footer">
              <Button
                danger
                loading={escalate.isPending}
                disabled={busy}
                onClick={() =>
                  escalate.mutate(
                    { notice, step: next, note: stepNote.trim() },
                    {
                      onSuccess: () => {
                        setStepNote('');
                        message.success(t('supervision.admin.escalated', { step: stepLabel }));
                      },
                      onError,
                    },
                  )
                }
              >
                {t('supervision.admin.escalate', { step: stepLabel })}
              </Button>
            </div>
          </>
        )}
      </div>
      <div className="notice-admin-block">
        <label htmlFor={closeId} className="notice-label">
          {t('supervision.admin.note')}
        </label>
        <Input.TextArea
          id={closeId}
          autoSize={{ minRows: 2, maxRows: 5 }}
          maxLength={2000}
          placeholder={t('supervision.admin.closeNotePlaceholder')}
          value={closeNote}
          onChange={(e) => setCloseNote(e.target.value)}
        />
        <div className="notice-form-footer">
          <Button
            type="primary"
            loading={action.isPending}
            disabled={busy}
            onClick={() =>
              action.mutate(
                { notice, action: 'close', note: closeNote.trim() || undefined },
                {
                  onSuccess: () => {
                    setCloseNote('');
                    message.success(t('supervision.admin.closed'));
                  },
                  onError,
                },
              )
            }
          >
            {t('supervision.admin.close')}
          </Button>
        </div>
      </div>
    </div>
  );
}
