import { App as AntApp, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { COVERAGE_METHODS, type CoverageMethod } from '../../../../shared/schemas/coverage.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { usePlanTasks, usePlans } from '../../../lib/api/plans.api.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatDateTime, useI18n } from '../../../lib/i18n.ts';
import { type TargetCoverageValue, useLinkTarget, useStandards, useTargetCoverage, useUnlinkTarget } from '../api/coverage.api.ts';
import { percent } from './method-comparison.tsx';

/**
 * 计划指标: plan targets fed by a coverage indicator. Each shows the latest analysis of its standard
 * as a percentage with the method it was measured by; the office links and unlinks them.
 */
export function TargetsPanel({ canEdit, districts }: { canEdit: boolean; districts: string[] }) {
  const { t, locale } = useI18n();
  const targets = useTargetCoverage();
  const unlink = useUnlinkTarget();
  const { message } = AntApp.useApp();
  const [linking, setLinking] = useState(false);
  if (targets.isError) return <ErrorResult error={targets.error} onRetry={() => targets.refetch()} />;
  const columns: TableColumnsType<TargetCoverageValue> = [
    {
      title: t('coverage.target.target'),
      key: 'target',
      render: (_, v) => (
        <Link
          to={`/tasks/${v.target.taskId}`}
        >{`${v.target.metric} ${v.target.value}${v.target.unit}${v.target.jurisdictionLabel ? `（${v.target.jurisdictionLabel}）` : ''}`}</Link>
      ),
    },
    { title: t('coverage.standard.name'), dataIndex: 'standardName' },
    { title: t('coverage.result.district'), dataIndex: 'district', render: (d: string | null) => d ?? t('coverage.result.all') },
    {
      title: t('coverage.target.value'),
      key: 'value',
      render: (_, v) =>
        v.latest ? (
          <span data-testid="coverage-target-value">
            <strong>{percent(v.latest.ratio)}</strong>
            {`（${t(`coverage.method.${v.method}`)}）`}
          </span>
        ) : (
          t('coverage.target.notYet')
        ),
    },
    {
      title: t('coverage.analysis.computedAt'),
      key: 'at',
      render: (_, v) => (v.latest ? formatDateTime(v.latest.computedAt, locale) : '—'),
    },
    ...(canEdit
      ? [
          {
            title: '',
            key: 'unlink',
            width: 90,
            render: (_: unknown, v: TargetCoverageValue) => (
              <Popconfirm
                title={t('coverage.target.unlinkConfirm')}
                okText={t('coverage.target.unlink')}
                cancelText={t('coverage.cancel')}
                onConfirm={() => unlink.mutate(v.targetId, { onError: (e) => message.error(describeError(e, t)) })}
              >
                <Button size="small">{t('coverage.target.unlink')}</Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('coverage.target.help')}</Typography.Paragraph>
      {canEdit && (
        <Button type="primary" onClick={() => setLinking(true)}>
          {t('coverage.target.link')}
        </Button>
      )}
      <Table
        rowKey="targetId"
        size="small"
        loading={targets.isPending}
        columns={columns}
        dataSource={targets.data?.items ?? []}
        pagination={false}
      />
      {linking && <LinkDialog districts={districts} onClose={() => setLinking(false)} />}
    </Space>
  );
}

interface LinkValues {
  planId: string;
  targetId: string;
  standardId: string;
  method: CoverageMethod;
  district: string;
}

const ALL = '__all__';

function LinkDialog({ districts, onClose }: { districts: string[]; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<LinkValues>();
  const plans = usePlans();
  const standards = useStandards();
  const planId = Form.useWatch('planId', form) ?? plans.data?.items[0]?.id ?? '';
  const [q, setQ] = useState('');
  const link = useLinkTarget();
  const onOk = async () => {
    const v = await form.validateFields();
    link.mutate(
      { targetId: v.targetId, standardId: v.standardId, method: v.method, district: v.district === ALL ? null : v.district },
      {
        onSuccess: () => {
          message.success(t('coverage.saved'));
          onClose();
        },
        onError: (e) => message.error(describeError(e, t)),
      },
    );
  };
  const required = [{ required: true, message: t('coverage.analysis.required') }];
  return (
    <Modal
      open
      title={t('coverage.target.link')}
      onCancel={onClose}
      onOk={onOk}
      okText={t('coverage.save')}
      cancelText={t('coverage.cancel')}
      confirmLoading={link.isPending}
      width={640}
    >
      <Form form={form} name="coverage-link" layout="vertical" initialValues={{ method: 'population', district: ALL }}>
        <Form.Item name="planId" label={t('coverage.target.plan')}>
          <Select
            placeholder={plans.data?.items[0]?.title}
            options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
          />
        </Form.Item>
        <Form.Item label={t('coverage.target.search')}>
          <Input.Search allowClear onSearch={setQ} placeholder={t('coverage.target.searchHint')} />
        </Form.Item>
        <Form.Item name="targetId" label={t('coverage.target.target')} rules={required}>
          {planId ? <TargetSelect planId={planId} q={q} /> : <Select loading />}
        </Form.Item>
        <Form.Item name="standardId" label={t('coverage.standard.name')} rules={required}>
          <Select options={(standards.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="method" label={t('coverage.standard.method')}>
            <Select style={{ width: 200 }} options={COVERAGE_METHODS.map((m) => ({ value: m, label: t(`coverage.method.${m}`) }))} />
          </Form.Item>
          <Form.Item name="district" label={t('coverage.result.district')}>
            <Select
              style={{ width: 200 }}
              options={[{ value: ALL, label: t('coverage.result.all') }, ...districts.map((d) => ({ value: d, label: d }))]}
            />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** The targets of the plan's tasks matching `q` (mounted once the plan is known: the tasks query needs its id). */
function TargetSelect({
  planId,
  q,
  ...control
}: {
  planId: string;
  q: string;
  value?: string;
  onChange?: (v: string) => void;
  id?: string;
}) {
  const { t } = useI18n();
  const tasks = usePlanTasks(planId, { q: q || undefined, limit: 100, offset: 0 });
  const options = (tasks.data?.items ?? []).flatMap((task) =>
    task.targets.map((g) => ({
      value: g.id,
      label: t('coverage.target.option', {
        seq: task.seq,
        metric: g.metric,
        value: `${g.value}${g.unit}`,
        where: g.jurisdictionLabel ? `（${g.jurisdictionLabel}）` : '',
      }),
    })),
  );
  return <Select {...control} showSearch optionFilterProp="label" loading={tasks.isFetching} options={options} />;
}
