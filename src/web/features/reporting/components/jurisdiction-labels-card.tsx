import { Alert, App as AntApp, Button, Select, Skeleton, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { JurisdictionLabel } from '../../../../shared/schemas/reporting.schema.ts';
import { useOrganisations } from '../../../lib/api/organisations.api.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useJurisdictionLabels, useResolveJurisdictionLabel } from '../api/periods.api.ts';

/**
 * 指标填报单位 (admin, on the periods screen): each jurisdiction label of the plan's targets, the
 * organisations that report targets with it (the server's target-reporters rule), and, for a
 * label the registry cannot read (市城区, 两县), the office's choice of organisations.
 */
export function JurisdictionLabelsCard({ planId }: { planId: string }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const labels = useJurisdictionLabels(planId);
  const organisations = useOrganisations();
  const resolve = useResolveJurisdictionLabel(planId);
  const [editing, setEditing] = useState<Record<string, string[]>>({});
  const names = useMemo(() => new Map((organisations.data?.items ?? []).map((o) => [o.id, o.name])), [organisations.data]);
  const options = useMemo(
    () => (organisations.data?.items ?? []).filter((o) => o.kind !== 'group').map((o) => ({ value: o.id, label: o.name })),
    [organisations.data],
  );

  const save = (label: JurisdictionLabel) => {
    const orgIds = editing[label.label] ?? label.resolution ?? [];
    resolve.mutate(
      { label: label.label, orgIds },
      {
        onSuccess: () => {
          message.success(t('jurisdictionLabels.saved'));
          setEditing(({ [label.label]: _, ...rest }) => rest);
        },
        onError: (error) => message.error(describeError(error, t)),
      },
    );
  };

  const columns: TableColumnsType<JurisdictionLabel> = [
    { key: 'label', title: t('jurisdictionLabels.col.label'), dataIndex: 'label', width: 180 },
    { key: 'targets', title: t('jurisdictionLabels.col.targets'), dataIndex: 'targetCount', width: 80, align: 'right' },
    {
      key: 'reporters',
      title: t('jurisdictionLabels.col.reporters'),
      render: (_, l) => (
        <Space size={4} wrap>
          {l.reporterOrgIds.length === 0 ? (
            <Typography.Text type="secondary">{t('jurisdictionLabels.byResponsible')}</Typography.Text>
          ) : (
            l.reporterOrgIds.map((id) => <Tag key={id}>{names.get(id) ?? id}</Tag>)
          )}
          {l.resolution && <Tag color="blue">{t('jurisdictionLabels.office')}</Tag>}
          {l.unresolved.length > 0 && <Tag color="orange">{t('jurisdictionLabels.unresolved', { parts: l.unresolved.join('、') })}</Tag>}
        </Space>
      ),
    },
    {
      key: 'resolution',
      title: t('jurisdictionLabels.col.resolution'),
      width: 360,
      render: (_, l) => (
        <Space.Compact style={{ width: '100%' }}>
          <Select
            mode="multiple"
            allowClear
            style={{ width: '100%' }}
            placeholder={t('jurisdictionLabels.pick')}
            aria-label={t('jurisdictionLabels.pickLabel', { label: l.label })}
            options={options}
            optionFilterProp="label"
            value={editing[l.label] ?? l.resolution ?? []}
            onChange={(value: string[]) => setEditing((e) => ({ ...e, [l.label]: value }))}
          />
          <Button
            onClick={() => save(l)}
            disabled={editing[l.label] === undefined}
            loading={resolve.isPending && resolve.variables?.label === l.label}
          >
            {t('jurisdictionLabels.save')}
          </Button>
        </Space.Compact>
      ),
    },
  ];

  return (
    <section aria-labelledby="jurisdiction-labels-title" style={{ margin: '24px 0' }}>
      <h2 id="jurisdiction-labels-title" style={{ fontSize: 16, margin: '0 0 8px' }}>
        {t('jurisdictionLabels.title')}
      </h2>
      <Typography.Paragraph type="secondary">{t('jurisdictionLabels.help')}</Typography.Paragraph>
      {labels.isError ? (
        <Alert type="error" showIcon title={describeError(labels.error, t)} />
      ) : labels.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : (
        <Table<JurisdictionLabel>
          size="small"
          rowKey="label"
          columns={columns}
          dataSource={labels.data.items}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('jurisdictionLabels.empty') }}
        />
      )}
    </section>
  );
}
