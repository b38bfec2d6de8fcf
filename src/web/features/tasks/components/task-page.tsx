import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Skeleton, Table, Tag, Timeline, Typography } from 'antd';
import { Fragment, type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { AssignmentRole } from '../../../../shared/enums.ts';
import type { AuditEvent, Task, TaskTarget } from '../../../../shared/schemas/plan.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { PageSpinner } from '../../../components/page-spinner.tsx';
import { formatDate, formatDateTime, formatNumber, useI18n } from '../../../lib/i18n.ts';
import { jurisdictionWords } from '../../../lib/jurisdiction-words.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { useLedger } from '../../../lib/api/ledger.api.ts';
import { StatusEditModal } from '../../../components/status-edit-modal.tsx';
import { StatusTag } from '../../../components/status-tag.tsx';
import { ledgerHref } from '../../../lib/ledger-url.ts';
import { usePlan, usePlanTasks } from '../../../lib/api/plans.api.ts';
import { CoverageFeedTag } from '../../../components/coverage-feed-tag.tsx';
import { assignmentsByRole, orderTargets, targetAmount, targetPlace } from '../../../lib/task-format.ts';
import { useTask, useTaskHistory } from '../../../lib/api/tasks.api.ts';
import { describeHistoryEvent } from '../audit-diff.ts';
import './task-page.css';

const ROLES: AssignmentRole[] = ['lead', 'responsible', 'cooperating'];

function HistoryItem({ event, names }: { event: AuditEvent; names: Record<string, string> }) {
  const { t, locale } = useI18n();
  // Who, when, what: the event in words (statuses, fields and people translated, local time).
  const entry = describeHistoryEvent(event, { t, locale, names });
  return (
    <div className="history-item">
      <div className="history-head">
        <strong>{entry.action}</strong>
        <span className="history-who">{entry.who}</span>
        <time dateTime={event.at} className="history-when">
          {entry.when}
        </time>
      </div>
      {entry.lines.length > 0 && (
        <ul className="history-lines">
          {entry.kind === 'created' || entry.kind === 'deleted' ? (
            <li>
              {t(entry.kind === 'created' ? 'taskPage.summaryCreated' : 'taskPage.summaryDeleted', { summary: entry.lines.join('；') })}
            </li>
          ) : (
            entry.lines.map((line) => <li key={line}>{line}</li>)
          )}
        </ul>
      )}
    </div>
  );
}

function History({ taskId }: { taskId: string }) {
  const { t } = useI18n();
  const history = useTaskHistory(taskId);
  if (history.isPending) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (history.isError) return <ErrorResult error={history.error} onRetry={() => history.refetch()} />;
  if (history.data.items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('taskPage.noHistory')} />;
  const names = history.data.names ?? {};
  return <Timeline items={history.data.items.map((event) => ({ key: event.id, content: <HistoryItem event={event} names={names} /> }))} />;
}

function Related({ task }: { task: Task }) {
  const { t } = useI18n();
  const related = usePlanTasks(task.planId, { sectionId: task.sectionId ?? undefined, limit: 100, offset: 0 });
  if (!task.sectionId) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('taskPage.noRelated')} />;
  if (related.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (related.isError) return <ErrorResult error={related.error} onRetry={() => related.refetch()} />;
  const others = related.data.items.filter((other) => other.id !== task.id);
  if (others.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('taskPage.noRelated')} />;
  return (
    <ul className="related-list">
      {others.map((other) => (
        <li key={other.id}>
          <span className="related-seq">{other.seq}</span>
          <Link to={`/tasks/${other.id}`} title={other.text}>
            {other.text}
          </Link>
          <StatusTag status={other.statusAsOf} />
        </li>
      ))}
    </ul>
  );
}

function TargetsTable({ task }: { task: Task }) {
  const { t, locale } = useI18n();
  if (task.targets.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('taskPage.noTargets')} />;
  return (
    <Table<TaskTarget>
      size="small"
      rowKey="id"
      pagination={false}
      aria-label={t('taskPage.targetsLabel')}
      dataSource={orderTargets(task.targets)}
      rowClassName={(target) => (target.parentTargetId ? 'target-share-row' : '')}
      // Narrow enough for the main column at 1280 px; the status stays pinned in view when it scrolls.
      scroll={{ x: 600 }}
      columns={[
        {
          key: 'place',
          title: t('taskPage.colPlace'),
          width: 96,
          render: (_: unknown, target) => (
            <span className={target.parentTargetId ? 'target-share' : undefined}>{targetPlace(target, t)}</span>
          ),
        },
        {
          key: 'metric',
          title: t('taskPage.colMetric'),
          render: (_: unknown, target) => (
            <>
              {target.metric || '—'}
              <CoverageFeedTag targetId={target.id} />
            </>
          ),
        },
        {
          key: 'amount',
          title: t('taskPage.colAmount'),
          width: 120,
          render: (_: unknown, target) => <span title={target.text || undefined}>{targetAmount(target, t, locale)}</span>,
        },
        {
          key: 'baseline',
          title: t('taskPage.colBaseline'),
          width: 64,
          align: 'right',
          render: (_: unknown, target) => (target.baseline == null ? '—' : formatNumber(target.baseline, locale)),
        },
        {
          key: 'deadline',
          title: t('taskPage.colDeadline'),
          width: 112,
          render: (_: unknown, target) => (target.deadline ? formatDate(target.deadline, locale) : '—'),
        },
        {
          key: 'status',
          title: t('taskPage.colStatus'),
          width: 84,
          fixed: 'right',
          // As the server works it out for the ledger: overdue once its deadline (or the task's) has passed.
          render: (_: unknown, target) => <StatusTag status={target.statusAsOf} />,
        },
      ]}
    />
  );
}

/** /tasks/:taskId — one task: its clause, who does it, by when, how much where, and what changed. */
export function TaskPage({ targetProjects }: { targetProjects?: (targetId: string) => ReactNode } = {}) {
  const { taskId = '' } = useParams();
  const { t, locale } = useI18n();
  const session = useCurrentSession();
  const task = useTask(taskId);
  const plan = usePlan(task.data?.planId ?? '');
  const [showSource, setShowSource] = useState(false);
  const [editing, setEditing] = useState(false);
  // The task's ledger rows carry what the server decided for this user: may they edit. Usually
  // already cached from the ledger the user came from.
  const ledger = useLedger(task.data?.planId);
  const ledgerRows = ledger.data?.rows.filter((row) => row.taskId === taskId) ?? [];

  if (task.isPending) return <PageSpinner />;
  if (task.isError) return <ErrorResult error={task.error} onRetry={() => task.refetch()} />;

  const data = task.data;
  // The server has the last word (403); this only hides a button that would be refused.
  const mayEdit = session.user.role === 'admin' || ledgerRows.some((row) => row.canEdit);
  const section = data.sectionTitle ? `${data.sectionPath.join(' ')} ${data.sectionTitle}` : null;
  // The status the ledger and dashboard show, as the server worked it out (stored, or overdue once
  // a deadline has passed); the stored one is named beside it when they differ.
  const shownStatus = data.statusAsOf;

  return (
    <div className="task-page">
      <Link to={ledgerHref({ planId: data.planId })} className="task-back">
        <ArrowLeftOutlined aria-hidden /> {t('taskPage.back')}
      </Link>
      <div className="task-head">
        <Typography.Title level={1} className="page-title">
          {t('taskPage.title', { seq: data.seq })}
        </Typography.Title>
        <StatusTag status={shownStatus} />
        {shownStatus !== data.status && (
          <span className="task-derived">{t('taskPage.derivedStatus', { stored: t(`status.${data.status}`) })}</span>
        )}
        {mayEdit && (
          <Button size="small" icon={<EditOutlined aria-hidden />} onClick={() => setEditing(true)}>
            {t('ledger.editStatus')}
          </Button>
        )}
      </div>
      <p className="task-meta">
        {plan.data && (
          <Link to={`/plans/${data.planId}`} className="task-plan">
            {plan.data.title}
          </Link>
        )}
        {section && (
          <Link to={ledgerHref({ planId: data.planId, sectionId: data.sectionId ?? undefined })} className="task-section-link">
            {section}
          </Link>
        )}
        <span>{t('taskPage.version', { version: data.version, time: formatDateTime(data.updatedAt, locale) })}</span>
      </p>

      <div className="task-grid">
        <div className="task-main">
          <Card size="small" title={<h2 className="card-heading">{t('taskPage.clause')}</h2>}>
            <p className="task-clause">{data.text}</p>
            {data.span && <p className="task-span">{t('taskPage.sourceSpan', { from: data.span[0] + 1, to: data.span[1] })}</p>}
            <Button
              type="link"
              size="small"
              className="task-source-toggle"
              aria-expanded={showSource}
              aria-controls="task-source"
              onClick={() => setShowSource((v) => !v)}
            >
              {showSource ? t('taskPage.hideSource') : t('taskPage.showSource')}
            </Button>
            {showSource && (
              <div id="task-source" className="task-source">
                <div className="task-source-label">{t('taskPage.assignmentText')}</div>
                <blockquote>{data.assignmentText ?? t('taskPage.noAssignmentText')}</blockquote>
              </div>
            )}
          </Card>

          <div className="task-two">
            <Card size="small" title={<h2 className="card-heading">{t('taskPage.units')}</h2>}>
              <dl className="task-units">
                {ROLES.map((role) => {
                  const units = assignmentsByRole(data, role);
                  return (
                    <div key={role} className="task-units-row">
                      <dt>{t(`assignmentRole.${role}`)}</dt>
                      <dd>
                        {units.length === 0 ? (
                          <span className="cell-empty">{t('taskPage.noUnits')}</span>
                        ) : (
                          units.map((a) => (
                            <Tag key={a.id} title={a.mention && a.mention !== a.orgName ? a.mention : undefined}>
                              {a.orgName}
                            </Tag>
                          ))
                        )}
                      </dd>
                    </div>
                  );
                })}
              </dl>
            </Card>
            <Card size="small" title={<h2 className="card-heading">{t('taskPage.deadlines')}</h2>}>
              {data.deadlines.length === 0 ? (
                <p className="cell-empty">{t('taskPage.noDeadline')}</p>
              ) : (
                <ul className="task-deadlines">
                  {data.deadlines.map((d) => (
                    <li key={d.id}>
                      <time dateTime={d.date}>{formatDate(d.date, locale)}</time>
                      {d.text && <span className="cell-note">{d.text}</span>}
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          </div>

          <Card
            size="small"
            title={<h2 className="card-heading">{t('taskPage.targets', jurisdictionWords(plan.data?.jurisdictionLevel, t))}</h2>}
          >
            <TargetsTable task={data} />
            {data.targets.map((target) => (
              <Fragment key={target.id}>{targetProjects?.(target.id)}</Fragment>
            ))}
          </Card>
        </div>

        <div className="task-side">
          <Card size="small" title={<h2 className="card-heading">{t('taskPage.history')}</h2>}>
            <History taskId={data.id} />
          </Card>
          <Card size="small" title={<h2 className="card-heading">{t('taskPage.related')}</h2>}>
            <Related task={data} />
          </Card>
        </div>
      </div>
      <StatusEditModal target={editing ? { taskId: data.id, seq: data.seq } : null} onClose={() => setEditing(false)} />
    </div>
  );
}
