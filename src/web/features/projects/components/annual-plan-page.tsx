import { Alert, App as AntApp, Button, Card, Input, InputNumber, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useServerYear } from '../../../lib/api/ledger.api.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { type IntakeProgress, type RolloverResult, useIntake, useProjectWrite, useRolloverPreview } from '../api/projects.api.ts';
import { wan } from '../project-format.ts';

type County = IntakeProgress['counties'][number];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * /projects/plans — 年度项目计划: next year's intake (谋划) per county against the office's
 * deadline (overdue counties first, in red), and for the office the year-end roll-over (年度结转)
 * with a preview. The plan year is kept in the URL.
 */
export function AnnualPlanPage() {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const session = useCurrentSession();
  const isAdmin = session.user.role === 'admin';
  const [params, setParams] = useSearchParams();
  // Next year's intake by the server's today (LUOSHI_TODAY on a replayed record), not the browser's.
  const serverYear = useServerYear();
  const year = Number(params.get('planYear')) || serverYear + 1;
  const intake = useIntake(year);
  const [deadline, setDeadline] = useState<string | null>(null);
  const saveDeadline = useProjectWrite<{ planYear: number; deadline: string }, IntakeProgress>('put', () => '/project-intake/deadline');
  const [previewing, setPreviewing] = useState(false);
  const preview = useRolloverPreview(year - 1, previewing && isAdmin);
  const apply = useProjectWrite<{ fromYear: number }, RolloverResult>('post', () => '/project-plans/rollover');
  const money = (v: number) => wan(v, locale);
  const shown = deadline ?? intake.data?.deadline ?? '';

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('projects.plans.title')}
        </Typography.Title>
        <Space>
          <span>{t('projects.plans.year')}</span>
          <InputNumber
            aria-label={t('projects.plans.year')}
            min={2001}
            max={2100}
            value={year}
            onChange={(v) => {
              if (!v) return;
              setParams({ planYear: String(v) }, { replace: true });
              setDeadline(null);
              setPreviewing(false);
            }}
          />
        </Space>
      </Space>
      {intake.error && <Alert type="error" showIcon message={describeError(intake.error, t)} />}
      <Card
        size="small"
        style={{ marginTop: 16 }}
        title={t('projects.plans.intake', { year })}
        extra={
          <Space>
            <span>{t('projects.plans.deadline')}</span>
            {isAdmin ? (
              <>
                <Input
                  aria-label={t('projects.plans.deadline')}
                  style={{ width: 130 }}
                  value={shown}
                  status={shown && !DATE.test(shown) ? 'error' : undefined}
                  onChange={(e) => setDeadline(e.target.value)}
                />
                <Button
                  disabled={!DATE.test(shown) || shown === intake.data?.deadline}
                  loading={saveDeadline.isPending}
                  onClick={() =>
                    saveDeadline.mutate(
                      { planYear: year, deadline: shown },
                      {
                        onSuccess: () => {
                          setDeadline(null);
                          void message.success(t('projects.plans.deadlineSaved'));
                        },
                        onError: (e) => void message.error(describeError(e, t)),
                      },
                    )
                  }
                >
                  {t('projects.plans.saveDeadline')}
                </Button>
              </>
            ) : (
              <strong>{shown}</strong>
            )}
            {intake.data && !intake.data.deadlineSet && (
              <Typography.Text type="secondary">{t('projects.plans.deadlineDefault')}</Typography.Text>
            )}
          </Space>
        }
      >
        <Table<County>
          rowKey="orgId"
          size="small"
          pagination={false}
          loading={intake.isLoading}
          dataSource={intake.data?.counties ?? []}
          data-testid="intake-table"
          rowClassName={(c) => (c.overdue ? 'intake-overdue' : '')}
          onRow={(c) => (c.overdue ? { style: { background: '#fff1f0' } } : {})}
          columns={[
            {
              title: t('projects.plans.county'),
              dataIndex: 'orgName',
              render: (name: string, c: County) => <Link to={`/projects?orgId=${c.orgId}&planYear=${year}`}>{name}</Link>,
            },
            { title: t('projects.plans.drafting'), dataIndex: 'drafting', align: 'right' },
            { title: t('projects.plans.returned'), dataIndex: 'returned', align: 'right' },
            { title: t('projects.plans.submitted'), dataIndex: 'submitted', align: 'right' },
            { title: t('projects.plans.admitted'), dataIndex: 'admitted', align: 'right' },
            { title: t('projects.plans.reserve'), dataIndex: 'reserve', align: 'right' },
            { title: t('projects.plans.carried'), dataIndex: 'carried', align: 'right' },
            { title: t('projects.plans.newInvestment'), dataIndex: 'newInvestment', align: 'right', render: money },
            {
              title: t('projects.plans.state'),
              key: 'state',
              render: (_: unknown, c: County) =>
                c.overdue ? (
                  <Tag color="red">{t('projects.plans.overdue')}</Tag>
                ) : c.done ? (
                  <Tag color="green">{t('projects.plans.done')}</Tag>
                ) : (
                  <Tag color="blue">{t('projects.plans.pending')}</Tag>
                ),
            },
          ]}
        />
      </Card>
      {isAdmin && (
        <Card size="small" style={{ marginTop: 16 }} title={t('projects.plans.rollover', { from: year - 1, to: year })}>
          <Typography.Paragraph type="secondary">{t('projects.plans.rolloverHint')}</Typography.Paragraph>
          <Space style={{ marginBottom: 12 }}>
            <Button onClick={() => (previewing ? void preview.refetch() : setPreviewing(true))} loading={preview.isFetching}>
              {t('projects.plans.preview')}
            </Button>
            {preview.data && preview.data.count > 0 && (
              <Popconfirm
                title={t('projects.plans.applyConfirm', { count: preview.data.count, amount: money(preview.data.remaining), to: year })}
                onConfirm={() =>
                  apply.mutate(
                    { fromYear: year - 1 },
                    {
                      onSuccess: (r) => {
                        void message.success(t('projects.plans.applied', { count: r.count }));
                        void preview.refetch();
                      },
                      onError: (e) => void message.error(describeError(e, t)),
                    },
                  )
                }
              >
                <Button type="primary" loading={apply.isPending}>
                  {t('projects.plans.apply')}
                </Button>
              </Popconfirm>
            )}
            {preview.data && (
              <Typography.Text>
                {preview.data.count === 0
                  ? t('projects.plans.nothing')
                  : t('projects.plans.summary', { count: preview.data.count, amount: money(preview.data.remaining) })}
              </Typography.Text>
            )}
          </Space>
          {preview.error && <Alert type="error" showIcon message={describeError(preview.error, t)} />}
          {preview.data && preview.data.count > 0 && (
            <Table<RolloverResult['items'][number]>
              rowKey="projectId"
              size="small"
              data-testid="rollover-table"
              pagination={{ pageSize: 20 }}
              dataSource={preview.data.items}
              columns={[
                {
                  title: t('projects.plans.project'),
                  dataIndex: 'name',
                  render: (n: string, r) => <Link to={`/projects/${r.projectId}`}>{n}</Link>,
                },
                { title: t('projects.plans.county'), dataIndex: 'orgName' },
                { title: t('projects.plans.total'), dataIndex: 'totalInvestment', align: 'right', render: money },
                { title: t('projects.plans.invested'), dataIndex: 'invested', align: 'right', render: money },
                { title: t('projects.plans.remaining'), dataIndex: 'remaining', align: 'right', render: money },
              ]}
            />
          )}
        </Card>
      )}
    </div>
  );
}
