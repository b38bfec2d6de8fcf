import { Alert, App as AntApp, Modal, Radio, Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { DeliveryStatus } from '../../shared/enums.ts';
import { isApiError } from '../lib/api-client.ts';
import { describeError } from '../lib/errors.ts';
import { useI18n } from '../lib/i18n.ts';
import { useTask, useUpdateTask } from '../lib/api/tasks.api.ts';
import { StatusTag } from './status-tag.tsx';

/** "Overdue" is derived from the deadlines, never stored by hand. */
const SETTABLE: DeliveryStatus[] = ['not_started', 'on_track', 'at_risk', 'done'];

/** The task whose status is being changed, and its 序号 for the dialog title. */
export interface StatusEditTarget {
  taskId: string;
  seq: number;
}

/**
 * Changes a task's stored status. The task is read first for its version; a 409 (someone saved in
 * between) says so, reloads the task and leaves the dialog open on the fresh version.
 */
export function StatusEditModal({ target, onClose }: { target: StatusEditTarget | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const task = useTask(target?.taskId);
  const update = useUpdateTask();
  const [status, setStatus] = useState<DeliveryStatus | undefined>();
  const [conflict, setConflict] = useState(false);

  useEffect(() => {
    if (task.data) setStatus(task.data.status === 'overdue' ? undefined : task.data.status);
  }, [task.data]);
  useEffect(() => {
    if (!target) {
      setConflict(false);
      update.reset();
    }
  }, [target, update.reset]);

  const onOk = () => {
    if (!task.data || !status) return;
    setConflict(false);
    update.mutate(
      { id: task.data.id, body: { version: task.data.version, status } },
      {
        onSuccess: () => {
          message.success(t('ledger.statusSaved'));
          onClose();
        },
        onError: (error) => {
          if (isApiError(error) && error.status === 409) {
            setConflict(true);
            void task.refetch();
          }
        },
      },
    );
  };

  const error = update.error && !(isApiError(update.error) && update.error.status === 409) ? update.error : null;

  return (
    <Modal
      open={Boolean(target)}
      title={target ? t('ledger.editStatusTitle', { seq: target.seq }) : ''}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={onOk}
      onCancel={onClose}
      confirmLoading={update.isPending}
      okButtonProps={{ disabled: !task.data || !status || status === task.data.status }}
      destroyOnHidden
    >
      {conflict && <Alert type="warning" showIcon title={t('ledger.conflict')} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon title={describeError(error, t)} style={{ marginBottom: 12 }} />}
      {task.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : task.isError ? (
        <Alert type="error" showIcon title={describeError(task.error, t)} />
      ) : (
        <>
          <Typography.Paragraph ellipsis={{ rows: 3 }} type="secondary">
            {task.data.text}
          </Typography.Paragraph>
          <Radio.Group
            aria-label={t('ledger.status')}
            value={status}
            onChange={(e) => setStatus(e.target.value as DeliveryStatus)}
            options={SETTABLE.map((value) => ({ value, label: <StatusTag status={value} /> }))}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
            {t('ledger.statusNote')}
          </Typography.Paragraph>
        </>
      )}
    </Modal>
  );
}
