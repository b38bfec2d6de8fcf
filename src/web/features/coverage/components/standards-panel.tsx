import { App as AntApp, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { COVERAGE_METHODS, ROAD_CLASSES } from '../../../../shared/schemas/coverage.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { type CoverageStandard, useSaveStandard, useStandards } from '../api/coverage.api.ts';

/** The coverage standards as data: service radius per facility kind (per road class), method, target. */
export function StandardsPanel({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const standards = useStandards();
  const [editing, setEditing] = useState<CoverageStandard | 'new' | null>(null);
  if (standards.isError) return <ErrorResult error={standards.error} onRetry={() => standards.refetch()} />;
  const radius = (s: CoverageStandard) =>
    s.radiusByRoadClass
      ? ROAD_CLASSES.map((c) => `${t(`coverage.roadClass.${c}`)} ${s.radiusByRoadClass![c]} m`).join(' / ')
      : `${s.radiusM} m`;
  const columns: TableColumnsType<CoverageStandard> = [
    { title: t('coverage.standard.name'), dataIndex: 'name' },
    { title: t('coverage.standard.kind'), dataIndex: 'facilityKind' },
    { title: t('coverage.standard.radius'), key: 'radius', render: (_, s) => radius(s) },
    { title: t('coverage.standard.method'), dataIndex: 'method', render: (m: CoverageStandard['method']) => t(`coverage.method.${m}`) },
    { title: t('coverage.standard.target'), dataIndex: 'targetRatio', render: (r: number) => `${Math.round(r * 1000) / 10}%` },
    { title: t('coverage.standard.note'), dataIndex: 'note', ellipsis: true },
    ...(canEdit
      ? [
          {
            title: '',
            key: 'edit',
            width: 80,
            render: (_: unknown, s: CoverageStandard) => (
              <Button size="small" onClick={() => setEditing(s)}>
                {t('coverage.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {canEdit && (
        <Button type="primary" onClick={() => setEditing('new')}>
          {t('coverage.standard.new')}
        </Button>
      )}
      <Table
        rowKey="id"
        size="small"
        loading={standards.isPending}
        columns={columns}
        dataSource={standards.data?.items ?? []}
        pagination={false}
      />
      {editing && <StandardDialog standard={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

interface FormValues {
  name: string;
  facilityKind: string;
  radiusM: number;
  byRoadClass: boolean;
  main_street?: number;
  ordinary_road?: number;
  riverside_park?: number;
  method: CoverageStandard['method'];
  targetPercent: number;
  note?: string;
}

function StandardDialog({ standard, onClose }: { standard: CoverageStandard | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FormValues>();
  const save = useSaveStandard();
  const byRoadClass = Form.useWatch('byRoadClass', form);
  const initial: Partial<FormValues> = standard
    ? {
        name: standard.name,
        facilityKind: standard.facilityKind,
        radiusM: standard.radiusM,
        byRoadClass: standard.radiusByRoadClass !== null,
        ...(standard.radiusByRoadClass ?? {}),
        method: standard.method,
        targetPercent: Math.round(standard.targetRatio * 1000) / 10,
        note: standard.note,
      }
    : {
        radiusM: 500,
        byRoadClass: false,
        main_street: 300,
        ordinary_road: 500,
        riverside_park: 800,
        method: 'population',
        targetPercent: 100,
      };

  const onOk = async () => {
    const v = await form.validateFields();
    const body = {
      name: v.name,
      facilityKind: v.facilityKind,
      radiusM: v.radiusM,
      radiusByRoadClass: v.byRoadClass
        ? { main_street: v.main_street!, ordinary_road: v.ordinary_road!, riverside_park: v.riverside_park! }
        : null,
      method: v.method,
      targetRatio: v.targetPercent / 100,
      note: v.note ?? '',
    };
    save.mutate(
      { id: standard?.id, version: standard?.version, body },
      {
        onSuccess: () => {
          message.success(t('coverage.saved'));
          onClose();
        },
        onError: (error) =>
          message.error(isApiError(error) && error.isVersionConflict ? t('coverage.standard.conflict') : describeError(error, t)),
      },
    );
  };

  const radiusRule = [{ required: true, message: t('coverage.standard.radiusRequired') }];
  return (
    <Modal
      open
      title={standard ? t('coverage.standard.edit') : t('coverage.standard.new')}
      onCancel={onClose}
      onOk={onOk}
      okText={t('coverage.save')}
      cancelText={t('coverage.cancel')}
      confirmLoading={save.isPending}
    >
      <Form form={form} name="coverage-standard" layout="vertical" initialValues={initial}>
        <Form.Item
          name="name"
          label={t('coverage.standard.name')}
          rules={[{ required: true, whitespace: true, message: t('coverage.standard.nameRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="facilityKind"
          label={t('coverage.standard.kind')}
          rules={[{ required: true, whitespace: true, message: t('coverage.import.kindRequired') }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="radiusM" label={t('coverage.standard.radiusDefault')} rules={radiusRule}>
          <InputNumber min={1} max={20000} addonAfter="m" />
        </Form.Item>
        <Form.Item name="byRoadClass" label={t('coverage.standard.byRoadClass')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {byRoadClass && (
          <Space wrap>
            {ROAD_CLASSES.map((c) => (
              <Form.Item key={c} name={c} label={t(`coverage.roadClass.${c}`)} rules={radiusRule}>
                <InputNumber min={1} max={20000} addonAfter="m" />
              </Form.Item>
            ))}
          </Space>
        )}
        <Form.Item name="method" label={t('coverage.standard.method')}>
          <Select options={COVERAGE_METHODS.map((m) => ({ value: m, label: t(`coverage.method.${m}`) }))} />
        </Form.Item>
        <Form.Item
          name="targetPercent"
          label={t('coverage.standard.target')}
          rules={[{ required: true, message: t('coverage.standard.targetRequired') }]}
        >
          <InputNumber min={0} max={100} addonAfter="%" />
        </Form.Item>
        <Form.Item name="note" label={t('coverage.standard.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
