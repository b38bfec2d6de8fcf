import { Checkbox, App as AntApp, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Task } from '../../../../shared/schemas/plan.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useMergeTask, useSplitTask } from '../api/plan-structure.api.ts';

/** Where to cut a clause by default: after the first sentence that is not the last (。；), else the middle. */
export function defaultSplit(text: string): [string, string] {
  const m = /[。；;]/.exec(text);
  const at = m && m.index + 1 < text.length ? m.index + 1 : Math.ceil(text.length / 2);
  return [text.slice(0, at), text.slice(at)];
}

/** Splits a task in two: the first part stays (with its reports), the second becomes a new task. */
export function SplitTaskDialog({ task, onClose }: { task: Task | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const split = useSplitTask();
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [targetIds, setTargetIds] = useState<string[]>([]);
  useEffect(() => {
    if (!task) return;
    const [a, b] = defaultSplit(task.text);
    setFirst(a);
    setSecond(b);
    setTargetIds([]);
  }, [task]);
  const submit = async () => {
    if (!task) return;
    try {
      await split.mutateAsync({ id: task.id, version: task.version, text: first.trim(), newText: second.trim(), targetIds });
      onClose();
    } catch (error) {
      message.error(describeError(error, t));
    }
  };
  return (
    <Modal
      open={task !== null}
      title={task ? t('planEdit.splitTitle', { seq: task.seq }) : ''}
      okText={t('planEdit.splitSubmit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !first.trim() || !second.trim(), loading: split.isPending }}
      onOk={submit}
      onCancel={onClose}
      width={720}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('planEdit.splitHint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('planEdit.splitFirst')} htmlFor="split-first">
          <Input.TextArea id="split-first" value={first} onChange={(e) => setFirst(e.target.value)} autoSize={{ minRows: 2, maxRows: 8 }} />
        </Form.Item>
        <Form.Item label={t('planEdit.splitSecond')} htmlFor="split-second">
          <Input.TextArea
            id="split-second"
            value={second}
            onChange={(e) => setSecond(e.target.value)}
            autoSize={{ minRows: 2, maxRows: 8 }}
          />
        </Form.Item>
        {task && task.targets.length > 0 && (
          <Form.Item label={t('planEdit.splitTargets')}>
            <Checkbox.Group
              value={targetIds}
              onChange={(v) => setTargetIds(v as string[])}
              options={task.targets.map((x) => ({
                value: x.id,
                label: `${x.jurisdictionName ?? x.jurisdictionLabel ?? ''}${x.jurisdictionName || x.jurisdictionLabel ? '：' : ''}${x.metric} ${x.value}${x.unit}`,
              }))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** Merges another task into this one; the other must have no reports or 督办 (the server refuses, in words). */
export function MergeTaskDialog({ task, tasks, onClose }: { task: Task | null; tasks: Task[]; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const merge = useMergeTask();
  const [otherId, setOtherId] = useState<string | null>(null);
  const [text, setText] = useState('');
  const other = tasks.find((x) => x.id === otherId) ?? null;
  useEffect(() => {
    setOtherId(null);
    setText(task?.text ?? '');
  }, [task]);
  useEffect(() => {
    if (task && other) setText(`${task.text}${other.text}`);
  }, [task, other]);
  const submit = async () => {
    if (!task || !other) return;
    try {
      await merge.mutateAsync({
        id: task.id,
        version: task.version,
        otherTaskId: other.id,
        otherVersion: other.version,
        text: text.trim(),
      });
      onClose();
    } catch (error) {
      message.error(describeError(error, t));
    }
  };
  return (
    <Modal
      open={task !== null}
      title={task ? t('planEdit.mergeTitle', { seq: task.seq }) : ''}
      okText={t('planEdit.mergeSubmit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !other || !text.trim(), loading: merge.isPending }}
      onOk={submit}
      onCancel={onClose}
      width={720}
      destroyOnHidden
    >
      {task && <Typography.Paragraph type="secondary">{t('planEdit.mergeHint', { seq: task.seq })}</Typography.Paragraph>}
      <Form layout="vertical">
        <Form.Item label={t('planEdit.mergeOther')} htmlFor="merge-other">
          <Select
            id="merge-other"
            showSearch={{ optionFilterProp: 'label' }}
            value={otherId}
            onChange={setOtherId}
            options={tasks
              .filter((x) => x.id !== task?.id)
              .map((x) => ({ value: x.id, label: `${t('planEdit.taskNo', { seq: x.seq })} ${x.text.slice(0, 40)}` }))}
          />
        </Form.Item>
        <Form.Item label={t('planEdit.mergeText')} htmlFor="merge-text">
          <Input.TextArea id="merge-text" value={text} onChange={(e) => setText(e.target.value)} autoSize={{ minRows: 3, maxRows: 10 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
