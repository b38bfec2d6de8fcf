import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Form, Input, Select, Skeleton, Table, Typography } from 'antd';
import { useEffect } from 'react';
import { JURISDICTION_LEVELS, type JurisdictionLevel } from '../../../../shared/enums.ts';
import type { Plan } from '../../../../shared/schemas/plan.schema.ts';
import { RequireAdmin } from '../../../app/require-session.tsx';
import { ErrorResult } from '../../../components/error-result.tsx';
import { api, isApiError } from '../../../lib/api-client.ts';
import { planKeys, usePlans } from '../../../lib/api/plans.api.ts';
import { useSettings, useUpdateSettings } from '../../../lib/api/settings.api.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';

/** /settings — the installation's name and office name, and each plan's jurisdiction level (admin). */
export function SettingsPage() {
  return (
    <RequireAdmin>
      <Settings />
    </RequireAdmin>
  );
}

interface SettingsForm {
  name: string;
  officeName: string;
}

function Settings() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const settings = useSettings();
  const update = useUpdateSettings();
  const [form] = Form.useForm<SettingsForm>();

  useEffect(() => {
    if (settings.data) form.setFieldsValue({ name: settings.data.name, officeName: settings.data.officeName });
  }, [settings.data, form]);

  if (settings.isError) return <ErrorResult error={settings.error} onRetry={() => settings.refetch()} />;

  const onFinish = (values: SettingsForm) =>
    update.mutate(
      { version: settings.data!.version, name: values.name, officeName: values.officeName },
      {
        onSuccess: () => message.success(t('settings.saved')),
        onError: (error) => message.error(isApiError(error) && error.status === 409 ? t('settings.conflict') : describeError(error, t)),
      },
    );

  return (
    <div className="settings-page">
      <Typography.Title level={1} style={{ fontSize: 20 }}>
        {t('settings.title')}
      </Typography.Title>
      <Card size="small">
        <Typography.Paragraph type="secondary">{t('settings.intro')}</Typography.Paragraph>
        {!settings.data ? (
          <Skeleton active paragraph={{ rows: 3 }} />
        ) : (
          <Form<SettingsForm>
            form={form}
            layout="vertical"
            onFinish={onFinish}
            style={{ maxWidth: 520 }}
            disabled={update.isPending || !settings.data.canEdit}
          >
            {settings.data.canEdit ? null : (
              <Typography.Paragraph className="settings-readonly">{t('settings.readOnly')}</Typography.Paragraph>
            )}
            <Form.Item
              label={t('settings.name')}
              name="name"
              extra={t('settings.nameHelp')}
              rules={[{ required: true, whitespace: true, max: 200, message: t('common.required', { field: t('settings.name') }) }]}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              label={t('settings.officeName')}
              name="officeName"
              extra={t('settings.officeNameHelp')}
              rules={[{ required: true, whitespace: true, max: 200, message: t('common.required', { field: t('settings.officeName') }) }]}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={update.isPending}>
              {t('settings.save')}
            </Button>
          </Form>
        )}
      </Card>
      <PlanLevels />
    </div>
  );
}

/** Each plan's jurisdiction level: how the dashboard and the ledger word its jurisdictions. */
function PlanLevels() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const plans = usePlans();
  const queryClient = useQueryClient();
  const patch = useMutation({
    mutationFn: (input: { plan: Plan; level: JurisdictionLevel }) =>
      api.patch<Plan>(`/plans/${encodeURIComponent(input.plan.id)}`, { version: input.plan.version, jurisdictionLevel: input.level }),
    onSuccess: (plan) => message.success(t('settings.planSaved', { title: plan.title })),
    onError: (error) => message.error(describeError(error, t)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: planKeys.all }),
  });
  if (plans.isError) return <ErrorResult error={plans.error} onRetry={() => plans.refetch()} />;
  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      title={
        <h2 className="card-heading" style={{ fontSize: 15, fontWeight: 600, margin: 0 }}>
          {t('settings.plans')}
        </h2>
      }
    >
      <Typography.Paragraph type="secondary">{t('settings.plansHint')}</Typography.Paragraph>
      <Table<Plan>
        rowKey="id"
        size="small"
        loading={plans.isPending}
        pagination={false}
        dataSource={plans.data?.items ?? []}
        columns={[
          { title: t('plans.colTitle'), dataIndex: 'title', key: 'title' },
          {
            title: t('jurisdictionLevel.label'),
            key: 'level',
            width: 240,
            render: (_: unknown, plan) => (
              <Select<JurisdictionLevel>
                aria-label={`${t('jurisdictionLevel.label')}：${plan.title}`}
                value={plan.jurisdictionLevel}
                style={{ width: '100%' }}
                disabled={patch.isPending}
                options={JURISDICTION_LEVELS.map((level) => ({ value: level, label: t(`jurisdictionLevel.${level}`) }))}
                onChange={(level) => patch.mutate({ plan, level })}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
