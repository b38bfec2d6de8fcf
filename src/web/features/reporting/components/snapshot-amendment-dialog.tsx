import { Alert, App as AntApp, Descriptions, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../../shared/enums.ts';
import type { CreateAmendmentBody, PeriodSnapshot } from '../../../../shared/schemas/reporting.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatNumber, useI18n, withUnit } from '../../../lib/i18n.ts';
import { useAmendSnapshot } from '../api/periods.api.ts';

interface Values {
  reportedValue: number | null;
  completionPercent: number | null;
  reportedStatus: DeliveryStatus | null;
  computedStatus: DeliveryStatus;
  reasonText: string;
  reason: string;
}

type Effective = PeriodSnapshot['effective'];

/** What a snapshot row is called in the dialog: "第 7 项 · 改造城市道路" and its unit. */
export interface AmendTarget {
  snapshot: PeriodSnapshot;
  item: string;
  orgName: string;
  /** The target's unit of measure (公里), when a target row. */
  unit: string | null;
}

/**
 * 更正: records an amendment beside a frozen snapshot row. The fields start at the row's effective
 * values; only those changed are sent, with the reason (required). The frozen row is never edited.
 */
export function SnapshotAmendmentDialog({
  periodId,
  target,
  onClose,
  onAmended,
}: {
  periodId: string;
  target: AmendTarget | null;
  onClose: () => void;
  onAmended?: (row: PeriodSnapshot) => void;
}) {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const amend = useAmendSnapshot(periodId);
  const [nothingChanged, setNothingChanged] = useState(false);
  const snap = target?.snapshot;
  const isTarget = Boolean(snap?.targetId);

  const num = (n: number | null) => (n === null ? '—' : formatNumber(n, locale));
  const statusOptions = DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }));
  const show = (e: Effective) => [
    ...(isTarget
      ? [
          {
            key: 'v',
            label: t('periods.field.reportedValue'),
            children: e.reportedValue === null ? '—' : withUnit(num(e.reportedValue), target?.unit),
          },
        ]
      : []),
    {
      key: 'p',
      label: t('periods.field.completionPercent'),
      children: e.completionPercent === null ? '—' : `${num(e.completionPercent)}%`,
    },
    { key: 'r', label: t('periods.field.reportedStatus'), children: e.reportedStatus ? t(`status.${e.reportedStatus}`) : '—' },
    { key: 'c', label: t('periods.field.computedStatus'), children: t(`status.${e.computedStatus}`) },
  ];

  const onOk = async () => {
    if (!snap) return;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const e = snap.effective;
    const body: Record<string, unknown> = { reason: values.reason.trim() };
    if (isTarget && (values.reportedValue ?? null) !== e.reportedValue) body.reportedValue = values.reportedValue ?? null;
    if ((values.completionPercent ?? null) !== e.completionPercent) body.completionPercent = values.completionPercent ?? null;
    if ((values.reportedStatus ?? null) !== e.reportedStatus) body.reportedStatus = values.reportedStatus ?? null;
    if (values.computedStatus !== e.computedStatus) body.computedStatus = values.computedStatus;
    const reasonText = values.reasonText?.trim() ?? '';
    if (reasonText && reasonText !== e.reason) body.reasonText = reasonText;
    if (Object.keys(body).length === 1) {
      setNothingChanged(true);
      return;
    }
    amend.mutate(
      { snapshotId: snap.id, body: body as CreateAmendmentBody },
      {
        onSuccess: (row) => {
          message.success(t('periods.amend.saved'));
          onAmended?.(row);
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open={Boolean(target)}
      title={target ? t('periods.amend.title', { item: `${target.item}（${target.orgName}）` }) : ''}
      okText={t('periods.amend.submit')}
      cancelText={t('common.cancel')}
      onOk={onOk}
      onCancel={onClose}
      confirmLoading={amend.isPending}
      width={640}
      destroyOnHidden
    >
      {snap && (
        <>
          <Alert type="info" showIcon title={t('periods.amend.notice')} style={{ marginBottom: 12 }} />
          <Descriptions
            size="small"
            column={isTarget ? 4 : 3}
            layout="vertical"
            bordered
            title={<span style={{ fontSize: 14 }}>{t('periods.originalLabel')}</span>}
            items={show(snap)}
            style={{ marginBottom: 8 }}
          />
          {snap.amendments.length > 0 && (
            <Descriptions
              size="small"
              column={isTarget ? 4 : 3}
              layout="vertical"
              bordered
              title={<span style={{ fontSize: 14 }}>{t('periods.amend.current')}</span>}
              items={show(snap.effective)}
              style={{ marginBottom: 8 }}
            />
          )}
          {amend.isError && <Alert type="error" showIcon role="alert" title={describeError(amend.error, t)} style={{ marginBottom: 12 }} />}
          {nothingChanged && (
            <Alert type="warning" showIcon role="alert" title={t('periods.amend.nothingChanged')} style={{ marginBottom: 12 }} />
          )}
          <Form<Values>
            form={form}
            layout="vertical"
            name="amend"
            requiredMark={false}
            onValuesChange={() => setNothingChanged(false)}
            initialValues={{
              reportedValue: snap.effective.reportedValue,
              completionPercent: snap.effective.completionPercent,
              reportedStatus: snap.effective.reportedStatus,
              computedStatus: snap.effective.computedStatus,
              reasonText: snap.effective.reason,
              reason: '',
            }}
          >
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 12 }}>
              {isTarget && (
                <Form.Item label={t('periods.field.reportedValue')} name="reportedValue">
                  <InputNumber
                    autoFocus
                    placeholder={t('periods.amend.noStatus')}
                    style={{ width: '100%' }}
                    suffix={target?.unit || undefined}
                  />
                </Form.Item>
              )}
              <Form.Item label={t('periods.field.completionPercent')} name="completionPercent">
                <InputNumber
                  autoFocus={!isTarget}
                  placeholder={t('periods.amend.noStatus')}
                  min={0}
                  max={100}
                  style={{ width: '100%' }}
                  suffix="%"
                />
              </Form.Item>
              <Form.Item label={t('periods.field.reportedStatus')} name="reportedStatus">
                <Select allowClear placeholder={t('periods.amend.noStatus')} options={statusOptions} />
              </Form.Item>
              <Form.Item label={t('periods.field.computedStatus')} name="computedStatus" rules={[{ required: true }]}>
                <Select options={statusOptions} />
              </Form.Item>
            </div>
            <Form.Item label={t('periods.field.reason')} name="reasonText">
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
            </Form.Item>
            <Form.Item
              label={t('periods.amend.reason')}
              name="reason"
              rules={[{ required: true, whitespace: true, message: t('periods.amend.reasonRequired') }]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder={t('periods.amend.reasonPlaceholder')} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
