import { ArrowLeftOutlined, CheckOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { PlanImport } from '../../../../shared/schemas/plan-import.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { PageSpinner } from '../../../components/page-spinner.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useOrganisations } from '../../../lib/api/organisations.api.ts';
import { useConfirmImport, useMapMentions, usePlanImport, useSaveExtract } from '../api/plan-imports.api.ts';
import { asPlanExtract, buildDocSegments, type PlanExtract, type Task, updateTask } from '../extract-model.ts';
import { DocumentView } from './document-view.tsx';
import { ExtractTable } from './extract-table.tsx';
import { RevisionDiffPanel } from './revision-diff.tsx';
import { UnresolvedPanel } from './unresolved-panel.tsx';
import type { OrgOption } from './unit-cell.tsx';
import './plan-imports.css';

/** Edits are saved this long after the last change, or at once with 保存修改. */
export const AUTOSAVE_MS = 1500;

/** Why 确认导入 is not available yet, or null when it is. */
export function confirmBlocker(
  draft: Pick<PlanImport, 'status' | 'unresolved'>,
  extract: PlanExtract,
  state: { hasUnsavedEdits: boolean; isSaving: boolean },
  t: ReturnType<typeof useI18n>['t'],
): string | null {
  if (draft.status !== 'draft') return t('imports.review.blockedStatus', { status: t(`importStatus.${draft.status}`) });
  if (extract.tasks.length === 0) return t('imports.review.blockedNoTasks');
  const unmapped = draft.unresolved.filter((u) => !u.orgId).length;
  if (unmapped > 0) return t('imports.review.blockedUnmapped', { count: unmapped });
  if (state.isSaving) return t('imports.review.blockedSaving');
  if (state.hasUnsavedEdits) return t('imports.review.blockedUnsaved');
  return null;
}

function NewImportButton() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Button type="primary" onClick={() => navigate('/imports/new')}>
      {t('imports.new.title')}
    </Button>
  );
}

/** /imports/:importId — the parser's reading of a plan, side by side with its text, to correct and confirm. */
export function ImportReviewPage() {
  const { importId = '' } = useParams();
  const draft = usePlanImport(importId);
  if (draft.isPending) return <PageSpinner />;
  if (draft.isError) {
    const isGone = isApiError(draft.error) && draft.error.status === 404;
    return (
      <ErrorResult
        error={draft.error}
        onRetry={isGone ? undefined : () => draft.refetch()}
        extra={isGone ? <NewImportButton /> : undefined}
      />
    );
  }
  return <ImportReview draft={draft.data} />;
}

export function ImportReview({ draft }: { draft: PlanImport }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const organisations = useOrganisations();
  const save = useSaveExtract(draft.id);
  const mapMentions = useMapMentions(draft.id);
  const confirm = useConfirmImport(draft.id);
  const readOnly = draft.status !== 'draft';

  const serverExtract = useMemo(() => asPlanExtract(draft.extract), [draft.extract]);
  // Edits not yet acknowledged by the server; the table shows them over the stored extract.
  const [pending, setPending] = useState<PlanExtract | null>(null);
  const extract = pending ?? serverExtract;

  const [activeTask, setActiveTask] = useState<number | null>(null);
  const [docScroll, setDocScroll] = useState({ n: 0, focus: false });
  const [rowScroll, setRowScroll] = useState({ n: 0, focus: false });
  const [expanded, setExpanded] = useState<number[]>([]);
  // A revision opens on what changed; a new plan on its tasks.
  const [tab, setTab] = useState(draft.diff ? 'changes' : 'tasks');

  const orgList = organisations.data?.items;
  const orgOptions = useMemo<OrgOption[]>(
    () =>
      (orgList ?? [])
        .map((o) => ({ value: o.id, label: o.name, search: [o.name, ...o.aliases].join(' '), kind: o.kind }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN')),
    [orgList],
  );
  const orgNames = useMemo(() => new Map((orgList ?? []).map((o) => [o.id, o.name])), [orgList]);
  const jurisdictionOptions = useMemo(
    () => (orgList ?? []).filter((o) => o.kind === 'jurisdiction').map((o) => ({ value: o.name, label: o.name })),
    [orgList],
  );

  // Highlights depend on spans only: rebuilt when a mark is removed or added, not on every keystroke of a metric.
  const spanKey = useMemo(
    () =>
      extract.tasks
        .map((task) => [task.span, task.assignment?.span, task.deadlines.map((d) => d.span), task.targets.map((g) => g.span)])
        .flat(3)
        .join(','),
    [extract.tasks],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: spanKey stands for the spans of extract.
  const segments = useMemo(() => buildDocSegments(draft.text, extract), [draft.text, spanKey]);

  const sendEdits = useCallback(
    (edits: PlanExtract) => {
      save.mutate(edits, {
        // Later edits made while this one was in flight stay pending and get their own save.
        onSuccess: () => setPending((current) => (current === edits ? null : current)),
      });
    },
    [save.mutate],
  );

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!pending || save.isPending) return;
    timer.current = setTimeout(() => sendEdits(pending), AUTOSAVE_MS);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [pending, save.isPending, sendEdits]);

  // Leaving with edits not yet saved: let the browser ask first.
  useEffect(() => {
    if (!pending) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [pending]);

  const saveNow = () => {
    if (timer.current) clearTimeout(timer.current);
    if (pending) sendEdits(pending);
  };

  const onEditTask = useCallback(
    (taskIndex: number, change: (task: Task) => Task) => {
      setPending((current) => updateTask(current ?? serverExtract, taskIndex, change));
    },
    [serverExtract],
  );

  const toggleExpanded = useCallback(
    (taskIndex: number) => setExpanded((open) => (open.includes(taskIndex) ? open.filter((k) => k !== taskIndex) : [...open, taskIndex])),
    [],
  );
  const selectFromTable = useCallback((taskIndex: number, viaKeyboard: boolean) => {
    setActiveTask(taskIndex);
    setDocScroll((s) => ({ n: s.n + 1, focus: viaKeyboard }));
  }, []);
  const selectFromDocument = useCallback((taskIndex: number, viaKeyboard: boolean) => {
    setTab('tasks');
    setActiveTask(taskIndex);
    setRowScroll((s) => ({ n: s.n + 1, focus: viaKeyboard }));
  }, []);
  const showTask = useCallback((taskIndex: number) => {
    setTab('tasks');
    setActiveTask(taskIndex);
    setDocScroll((s) => ({ n: s.n + 1, focus: false }));
    setRowScroll((s) => ({ n: s.n + 1, focus: true }));
  }, []);

  const blocker = confirmBlocker(draft, extract, { hasUnsavedEdits: pending !== null, isSaving: save.isPending }, t);
  const targetCount = extract.tasks.reduce((n, task) => n + task.targets.length, 0);
  const deadlineCount = extract.tasks.reduce((n, task) => n + task.deadlines.length, 0);
  const isRevision = Boolean(draft.revisesPlanId);

  const onConfirm = () =>
    confirm.mutate(undefined, {
      onSuccess: (result) => {
        message.success(t('imports.review.confirmed', { count: result.taskCount }));
        navigate(`/plans/${result.planId}`);
      },
      onError: (error) => message.error(describeError(error, t)),
    });

  const saveState = save.isPending
    ? t('imports.review.saving')
    : pending
      ? t('imports.review.unsaved')
      : save.isSuccess
        ? t('imports.review.saved')
        : null;

  const diffCount = draft.diff ? draft.diff.added.length + draft.diff.removed.length + draft.diff.edited.length : 0;

  const tasksPane = (
    <div className="review-panes">
      <Card
        size="small"
        className="review-doc-card"
        title={
          <h2 id="review-doc-heading" className="review-heading">
            {t('imports.review.document')}
          </h2>
        }
        extra={
          <ul className="doc-legend" aria-label={t('imports.review.legend')}>
            <li>
              <mark className="doc-mark doc-mark-assignment">{t('imports.review.legendAssignment')}</mark>
            </li>
            <li>
              <mark className="doc-mark doc-mark-deadline">{t('imports.review.legendDeadline')}</mark>
            </li>
            <li>
              <mark className="doc-mark doc-mark-target">{t('imports.review.legendTarget')}</mark>
            </li>
          </ul>
        }
      >
        <DocumentView
          segments={segments}
          activeTask={activeTask}
          scrollRequest={docScroll.n}
          focusRequest={docScroll.focus}
          onSelectTask={selectFromDocument}
          labelledBy="review-doc-heading"
        />
      </Card>
      <Card
        size="small"
        className="review-table-card"
        title={<h2 className="review-heading">{t('imports.review.tasksHeading', { count: extract.tasks.length })}</h2>}
      >
        <ExtractTable
          extract={extract}
          unresolved={draft.unresolved}
          orgOptions={orgOptions}
          orgNames={orgNames}
          jurisdictionOptions={jurisdictionOptions}
          readOnly={readOnly}
          activeTask={activeTask}
          scrollRequest={rowScroll.n}
          focusRequest={rowScroll.focus}
          expanded={expanded}
          onToggleExpanded={toggleExpanded}
          onSelectTask={selectFromTable}
          onEditTask={onEditTask}
        />
      </Card>
    </div>
  );

  return (
    <div className="import-review">
      <Link to="/imports/new" className="plan-back">
        <ArrowLeftOutlined aria-hidden /> {t('imports.review.back')}
      </Link>
      <div className="review-head">
        <div className="review-title">
          <Typography.Title level={1} style={{ fontSize: 20, margin: '0 0 6px' }}>
            {(() => {
              const title = extract.title ?? draft.title;
              if (!title) return isRevision ? t('imports.review.titleRevision') : t('imports.review.title');
              return t(isRevision ? 'imports.review.titleRevisionOf' : 'imports.review.titleOf', { title });
            })()}
          </Typography.Title>
          <div className="review-meta">
            <Tag color={draft.status === 'draft' ? 'gold' : draft.status === 'confirmed' ? 'green' : 'default'}>
              {t(`importStatus.${draft.status}`)}
            </Tag>
            {draft.filename && <span className="review-filename">{draft.filename}</span>}
            <span>{t('imports.review.summary', { tasks: extract.tasks.length, targets: targetCount, deadlines: deadlineCount })}</span>
          </div>
        </div>
        {!readOnly && (
          <div className="review-actions">
            <span className="review-save-state" aria-live="polite">
              {saveState}
            </span>
            <Button icon={<SaveOutlined aria-hidden />} onClick={saveNow} disabled={!pending} loading={save.isPending}>
              {t('imports.review.save')}
            </Button>
            <Tooltip title={blocker}>
              <span className="confirm-wrap">
                <Button
                  type="primary"
                  icon={<CheckOutlined aria-hidden />}
                  onClick={onConfirm}
                  disabled={blocker !== null}
                  loading={confirm.isPending}
                  aria-describedby="confirm-reason"
                >
                  {isRevision ? t('imports.review.confirmRevision') : t('imports.review.confirm')}
                </Button>
              </span>
            </Tooltip>
          </div>
        )}
      </div>
      {!readOnly && (
        <p id="confirm-reason" className={`confirm-reason${blocker ? ' is-blocked' : ''}`}>
          {blocker ?? t('imports.review.confirmReady')}
        </p>
      )}
      {save.isError && pending && (
        <Alert
          type="error"
          showIcon
          className="review-alert"
          title={t('imports.review.saveFailed', { detail: describeError(save.error, t) })}
          action={
            <Button size="small" onClick={saveNow}>
              {t('common.retry')}
            </Button>
          }
        />
      )}
      {readOnly && (
        <Alert
          type={draft.status === 'confirmed' ? 'success' : 'info'}
          showIcon
          className="review-alert"
          title={t('imports.review.readOnly', { status: t(`importStatus.${draft.status}`) })}
          action={
            draft.planId ? (
              <Button size="small" onClick={() => navigate(`/plans/${draft.planId}`)}>
                {t('imports.review.openPlan')}
              </Button>
            ) : undefined
          }
        />
      )}
      {organisations.isError && <Alert type="warning" showIcon className="review-alert" title={describeError(organisations.error, t)} />}
      <UnresolvedPanel
        mentions={draft.unresolved}
        orgOptions={orgOptions}
        orgNames={orgNames}
        readOnly={readOnly}
        isMapping={mapMentions.isPending}
        onMap={(mapping) => mapMentions.mutateAsync([mapping])}
        onShowTask={showTask}
      />
      {draft.diff ? (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'tasks', label: t('imports.review.tabTasks'), children: tasksPane },
            {
              key: 'changes',
              label: t('imports.review.tabChanges', { count: diffCount }),
              children: <RevisionDiffPanel diff={draft.diff} onShowTask={showTask} />,
            },
          ]}
        />
      ) : (
        tasksPane
      )}
    </div>
  );
}
