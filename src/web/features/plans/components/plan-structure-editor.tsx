import { ArrowDownOutlined, ArrowLeftOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Form, Input, InputNumber, Popconfirm, Select, Space, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { SectionNode, Task } from '../../../../shared/schemas/plan.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { PageSpinner } from '../../../components/page-spinner.tsx';
import { useOrganisations } from '../../../lib/api/organisations.api.ts';
import { usePlan, usePlanTasks } from '../../../lib/api/plans.api.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import {
  useCreateSection,
  useDeleteSection,
  useMoveSection,
  useMoveTask,
  useRenameSection,
  useUpdatePlanInfo,
} from '../api/plan-structure.api.ts';
import { MergeTaskDialog, SplitTaskDialog } from './plan-structure-editor-dialogs.tsx';
import { TaskFieldsEditor } from './task-fields-editor.tsx';
import './plan-structure-editor.css';

const NO_SECTION = '__none__';

interface FlatSection {
  node: SectionNode;
  depth: number;
  /** Position among its siblings: first / last decide which moves make sense. */
  first: boolean;
  last: boolean;
}

function flatten(nodes: SectionNode[], depth = 0): FlatSection[] {
  return nodes.flatMap((node, i) => [{ node, depth, first: i === 0, last: i === nodes.length - 1 }, ...flatten(node.children, depth + 1)]);
}

const label = (s: SectionNode) => `${s.path.at(-1) ?? ''} ${s.title}`.trim();

/** Runs an edit and shows its refusal in the UI language; true when it went through. */
function useRun() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  return async (fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (error) {
      message.error(describeError(error, t));
      return false;
    }
  };
}

function PlanInfoForm({ plan }: { plan: { id: string; title: string; issuer: string | null; year: number | null; version: number } }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const run = useRun();
  const update = useUpdatePlanInfo(plan.id);
  const [title, setTitle] = useState(plan.title);
  const [issuer, setIssuer] = useState(plan.issuer ?? '');
  const [year, setYear] = useState<number | null>(plan.year);
  useEffect(() => {
    setTitle(plan.title);
    setIssuer(plan.issuer ?? '');
    setYear(plan.year);
  }, [plan.title, plan.issuer, plan.year]);
  const save = async () => {
    const ok = await run(() => update.mutateAsync({ version: plan.version, title: title.trim(), issuer: issuer.trim() || null, year }));
    if (ok) message.success(t('planEdit.saved'));
  };
  return (
    <Card size="small" title={<h2 className="card-heading">{t('planEdit.info')}</h2>} className="pse-card">
      <Form layout="vertical" onFinish={save} className="pse-info">
        <Form.Item label={t('planEdit.planTitle')} htmlFor="pse-title">
          <Input id="pse-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        </Form.Item>
        <Space wrap align="end">
          <Form.Item label={t('planEdit.issuer')} htmlFor="pse-issuer">
            <Input id="pse-issuer" value={issuer} maxLength={200} onChange={(e) => setIssuer(e.target.value)} style={{ width: 280 }} />
          </Form.Item>
          <Form.Item label={t('planEdit.year')} htmlFor="pse-year">
            <InputNumber id="pse-year" value={year} min={1949} max={2100} onChange={(v) => setYear(v)} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={update.isPending} disabled={!title.trim()}>
              {t('planEdit.saveInfo')}
            </Button>
          </Form.Item>
        </Space>
      </Form>
    </Card>
  );
}

function SectionRow({ item, taskCount, onAddChild }: { item: FlatSection; taskCount: number; onAddChild: (parentId: string) => void }) {
  const { t } = useI18n();
  const run = useRun();
  const rename = useRenameSection();
  const move = useMoveSection();
  const remove = useDeleteSection();
  const { node } = item;
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(node.title);
  const name = label(node);
  const nonEmpty = taskCount > 0 || node.children.length > 0;
  const save = async () => {
    if (await run(() => rename.mutateAsync({ id: node.id, version: node.version, title: title.trim() }))) setEditing(false);
  };
  return (
    <div className="pse-section" style={{ paddingInlineStart: item.depth * 24 }} data-section-id={node.id}>
      <span className="pse-path">{node.path.at(-1)}</span>
      {editing ? (
        <Space size="small">
          <Input
            size="small"
            autoFocus
            aria-label={t('planEdit.sectionTitleLabel', { path: node.path.join(' ') })}
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
            onPressEnter={save}
            style={{ width: 320 }}
          />
          <Button size="small" type="primary" onClick={save} loading={rename.isPending} disabled={!title.trim()}>
            {t('common.save')}
          </Button>
          <Button size="small" onClick={() => setEditing(false)}>
            {t('common.cancel')}
          </Button>
        </Space>
      ) : (
        <strong className="pse-section-title">{node.title}</strong>
      )}
      {!editing && (
        <span className="pse-actions">
          <Button
            size="small"
            type="link"
            onClick={() => {
              setTitle(node.title);
              setEditing(true);
            }}
          >
            {t('planEdit.rename')}
          </Button>
          <Button
            size="small"
            icon={<ArrowUpOutlined aria-hidden />}
            aria-label={t('planEdit.moveUpLabel', { name })}
            disabled={item.first}
            onClick={() => run(() => move.mutateAsync({ id: node.id, version: node.version, direction: 'up' }))}
          />
          <Button
            size="small"
            icon={<ArrowDownOutlined aria-hidden />}
            aria-label={t('planEdit.moveDownLabel', { name })}
            disabled={item.last}
            onClick={() => run(() => move.mutateAsync({ id: node.id, version: node.version, direction: 'down' }))}
          />
          <Button size="small" type="link" onClick={() => onAddChild(node.id)}>
            {t('planEdit.addSubsection')}
          </Button>
          <Tooltip title={nonEmpty ? t('planEdit.sectionNotEmpty') : undefined}>
            <Popconfirm
              title={t('planEdit.deleteSectionConfirm', { name })}
              disabled={nonEmpty}
              onConfirm={() => run(() => remove.mutateAsync({ id: node.id, version: node.version }))}
            >
              <Button size="small" type="link" danger disabled={nonEmpty}>
                {t('planEdit.deleteSection')}
              </Button>
            </Popconfirm>
          </Tooltip>
        </span>
      )}
    </div>
  );
}

function TaskRow({
  task,
  depth,
  first,
  last,
  sectionOptions,
  onEdit,
  onSplit,
  onMerge,
}: {
  task: Task;
  depth: number;
  first: boolean;
  last: boolean;
  sectionOptions: { value: string; label: string }[];
  onEdit: () => void;
  onSplit: () => void;
  onMerge: () => void;
}) {
  const { t } = useI18n();
  const run = useRun();
  const move = useMoveTask();
  const name = t('planEdit.taskNo', { seq: task.seq });
  return (
    <div className="pse-task" style={{ paddingInlineStart: depth * 24 }} data-task-id={task.id}>
      <span className="pse-seq">{name}</span>
      <Typography.Paragraph className="pse-task-text" ellipsis={{ rows: 2, tooltip: task.text }}>
        {task.text}
      </Typography.Paragraph>
      <span className="pse-actions">
        <Select
          size="small"
          aria-label={t('planEdit.sectionOf', { seq: task.seq })}
          value={task.sectionId ?? NO_SECTION}
          options={sectionOptions}
          showSearch={{ optionFilterProp: 'label' }}
          popupMatchSelectWidth={320}
          onChange={(value: string) =>
            run(() => move.mutateAsync({ id: task.id, version: task.version, sectionId: value === NO_SECTION ? null : value }))
          }
          style={{ width: 200 }}
        />
        <Button
          size="small"
          icon={<ArrowUpOutlined aria-hidden />}
          aria-label={t('planEdit.moveUpLabel', { name })}
          disabled={first}
          onClick={() => run(() => move.mutateAsync({ id: task.id, version: task.version, direction: 'up' }))}
        />
        <Button
          size="small"
          icon={<ArrowDownOutlined aria-hidden />}
          aria-label={t('planEdit.moveDownLabel', { name })}
          disabled={last}
          onClick={() => run(() => move.mutateAsync({ id: task.id, version: task.version, direction: 'down' }))}
        />
        <Button size="small" type="link" onClick={onEdit}>
          {t('planEdit.editTask')}
        </Button>
        <Button size="small" type="link" onClick={onSplit}>
          {t('planEdit.split')}
        </Button>
        <Button size="small" type="link" onClick={onMerge}>
          {t('planEdit.merge')}
        </Button>
      </span>
    </div>
  );
}

/**
 * /plans/:planId/edit — the office edits a confirmed plan: its title, issuer and year; its outline
 * (rename, up/down, add, delete an empty section); its tasks (move to another section via the
 * select, up/down, split, merge, and every extracted field in the task drawer). Numbers follow.
 */
export function PlanStructureEditorPage() {
  const { planId = '' } = useParams();
  const { t } = useI18n();
  const run = useRun();
  const plan = usePlan(planId);
  const tasks = usePlanTasks(planId, { limit: 500, offset: 0 });
  const organisations = useOrganisations();
  const createSection = useCreateSection(planId);
  const [adding, setAdding] = useState<{ parentId: string | null } | null>(null);
  const [newTitle, setNewTitle] = useState('');
  const [editingId, setEditingId] = useState<string | null>(null);
  const [splitting, setSplitting] = useState<Task | null>(null);
  const [merging, setMerging] = useState<Task | null>(null);

  const flat = useMemo(() => flatten(plan.data?.sections ?? []), [plan.data]);
  const taskList = tasks.data?.items ?? [];
  const bySection = useMemo(() => {
    const m = new Map<string, Task[]>();
    for (const task of taskList) {
      const key = task.sectionId ?? NO_SECTION;
      const arr = m.get(key);
      if (arr) arr.push(task);
      else m.set(key, [task]);
    }
    return m;
  }, [taskList]);
  const sectionOptions = useMemo(
    () => [
      { value: NO_SECTION, label: t('planEdit.noSection') },
      ...flat.map((f) => ({ value: f.node.id, label: `${'\u3000'.repeat(f.depth)}${label(f.node)}` })),
    ],
    [flat, t],
  );
  const orgOptions = useMemo(
    () =>
      (organisations.data?.items ?? [])
        .map((o) => ({ value: o.id, label: o.name, search: [o.name, ...o.aliases].join(' ') }))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN')),
    [organisations.data],
  );

  if (plan.isPending) return <PageSpinner />;
  if (plan.isError) return <ErrorResult error={plan.error} onRetry={() => plan.refetch()} />;

  const addSection = async () => {
    if (!adding || !newTitle.trim()) return;
    if (await run(() => createSection.mutateAsync({ title: newTitle.trim(), parentId: adding.parentId }))) {
      setAdding(null);
      setNewTitle('');
    }
  };
  const taskRows = (key: string, depth: number) => {
    const list = bySection.get(key) ?? [];
    return list.map((task, i) => (
      <TaskRow
        key={task.id}
        task={task}
        depth={depth}
        first={i === 0}
        last={i === list.length - 1}
        sectionOptions={sectionOptions}
        onEdit={() => setEditingId(task.id)}
        onSplit={() => setSplitting(task)}
        onMerge={() => setMerging(task)}
      />
    ));
  };
  const editing = taskList.find((x) => x.id === editingId) ?? null;

  return (
    <div className="plan-structure-editor">
      <Link to={`/plans/${planId}`} className="plan-back">
        <ArrowLeftOutlined aria-hidden /> {t('planEdit.back')}
      </Link>
      <Typography.Title level={1} style={{ fontSize: 20, margin: '0 0 12px' }}>
        {t('planEdit.title', { title: plan.data.title })}
      </Typography.Title>
      <PlanInfoForm plan={plan.data} />
      <Card
        size="small"
        className="pse-card"
        title={<h2 className="card-heading">{t('planEdit.structure')}</h2>}
        extra={
          <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => setAdding({ parentId: null })}>
            {t('planEdit.addRootSection')}
          </Button>
        }
      >
        <Alert type="info" showIcon title={t('planEdit.structureHint')} className="pse-hint" />
        {adding && (
          <Form layout="inline" onFinish={addSection} className="pse-add">
            <Form.Item label={t('planEdit.newSectionTitle')} htmlFor="pse-new-section">
              <Input
                id="pse-new-section"
                autoFocus
                value={newTitle}
                maxLength={200}
                onChange={(e) => setNewTitle(e.target.value)}
                style={{ width: 320 }}
              />
            </Form.Item>
            <Space size="small">
              <Button type="primary" size="small" htmlType="submit" loading={createSection.isPending} disabled={!newTitle.trim()}>
                {t('common.save')}
              </Button>
              <Button size="small" onClick={() => setAdding(null)}>
                {t('common.cancel')}
              </Button>
            </Space>
          </Form>
        )}
        {tasks.isError && <ErrorResult error={tasks.error} onRetry={() => tasks.refetch()} />}
        <div className="pse-outline" aria-busy={tasks.isFetching}>
          {taskRows(NO_SECTION, 0)}
          {flat.map((item) => (
            <div key={item.node.id} className="pse-block">
              <SectionRow
                item={item}
                taskCount={bySection.get(item.node.id)?.length ?? 0}
                onAddChild={(parentId) => {
                  setNewTitle('');
                  setAdding({ parentId });
                }}
              />
              {taskRows(item.node.id, item.depth + 1)}
            </div>
          ))}
        </div>
      </Card>
      <TaskFieldsEditor task={editing} orgOptions={orgOptions} onClose={() => setEditingId(null)} />
      <SplitTaskDialog task={splitting} onClose={() => setSplitting(null)} />
      <MergeTaskDialog task={merging} tasks={taskList} onClose={() => setMerging(null)} />
    </div>
  );
}
