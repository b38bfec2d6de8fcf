import { Alert, App as AntApp, Button, Descriptions, Empty, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { OfficePublication, PublishableSource } from '../../../../shared/schemas/publication.schema.ts';
import { StatusTag } from '../../../components/status-tag.tsx';
import { describeError } from '../../../lib/errors.ts';
import { formatDateTime, useI18n } from '../../../lib/i18n.ts';
import {
  type PublicationPreview,
  useOfficePublications,
  usePreview,
  usePublish,
  usePublishableSources,
  useWithdraw,
} from '../api/publications.api.ts';

const PREVIEW_TASKS = 20;

/** Where the public reads a publication of each kind. */
function publicPathOf(kind: string, id: string): string {
  if (kind === 'assessment') return `/public/rankings#p-${id}`;
  if (kind === 'bulletin') return `/public/bulletins#p-${id}`;
  if (kind === 'project_library') return `/public/projects/${id}`;
  return `/public/p/${id}`;
}
const pct = (p: number) => `${Math.round(p * 1000) / 10}%`;

/**
 * 向社会公布: the office previews exactly what the public will see for a closed period, publishes it,
 * and withdraws a publication with a reason. The public pages themselves are served at /public.
 */
export function PublicationsPage() {
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const sources = usePublishableSources();
  const publications = useOfficePublications();
  const preview = usePreview();
  const publish = usePublish();
  const withdraw = useWithdraw();
  const [previewing, setPreviewing] = useState<{ source: PublishableSource; data: PublicationPreview } | null>(null);
  const [withdrawing, setWithdrawing] = useState<OfficePublication | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const openPreview = (source: PublishableSource) =>
    preview.mutate(
      { kind: source.kind, sourceId: source.sourceId },
      { onSuccess: (data) => setPreviewing({ source, data }), onError: (e) => message.error(describeError(e, t)) },
    );

  const doPublish = () => {
    if (!previewing) return;
    publish.mutate(
      { kind: previewing.source.kind, sourceId: previewing.source.sourceId },
      {
        onSuccess: () => {
          message.success(t('publications.published'));
          setPreviewing(null);
        },
        onError: (e) => message.error(describeError(e, t)),
      },
    );
  };

  const doWithdraw = async () => {
    if (!withdrawing) return;
    let reason: string;
    try {
      ({ reason } = await form.validateFields());
    } catch {
      // The form shows what is missing.
      return;
    }
    withdraw.mutate(
      { id: withdrawing.id, reason },
      {
        onSuccess: () => {
          message.success(t('publications.withdrawn'));
          setWithdrawing(null);
          form.resetFields();
        },
        onError: (e) => message.error(describeError(e, t)),
      },
    );
  };

  return (
    <div className="publications-page">
      <Space style={{ justifyContent: 'space-between', width: '100%', flexWrap: 'wrap' }}>
        <h1 className="page-title">{t('publications.title')}</h1>
        <a href="/public" target="_blank" rel="noreferrer">
          {t('publications.openPortal')}
        </a>
      </Space>
      <Typography.Paragraph type="secondary">{t('publications.intro')}</Typography.Paragraph>

      <h2>{t('publications.sources')}</h2>
      {sources.isError && <Alert type="error" showIcon title={describeError(sources.error, t)} />}
      <Table<PublishableSource>
        rowKey="sourceId"
        loading={sources.isPending}
        dataSource={sources.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('publications.empty')} /> }}
        columns={[
          { title: t('publications.kind'), width: 120, render: (_, src) => t(`publications.kind.${src.kind}`) },
          { title: t('publications.source'), dataIndex: 'title' },
          { title: t('publications.asOf'), dataIndex: 'asOf', width: 120 },
          {
            title: t('publications.state'),
            width: 120,
            render: (_, s) =>
              s.publicationId ? (
                <Tag color="green">{t('publications.state.published')}</Tag>
              ) : (
                <Tag>{t('publications.state.unpublished')}</Tag>
              ),
          },
          {
            title: t('publications.actions'),
            width: 160,
            render: (_, s) =>
              s.publicationId ? (
                <a href={publicPathOf(s.kind, s.publicationId)} target="_blank" rel="noreferrer">
                  {t('publications.view')}
                </a>
              ) : (
                <Button onClick={() => openPreview(s)} loading={preview.isPending && preview.variables?.sourceId === s.sourceId}>
                  {t('publications.preview')}
                </Button>
              ),
          },
        ]}
      />

      <h2>{t('publications.list')}</h2>
      <Table<OfficePublication>
        rowKey="id"
        loading={publications.isPending}
        dataSource={publications.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('publications.none')} /> }}
        columns={[
          { title: t('publications.publication'), dataIndex: 'title' },
          { title: t('publications.publishedAt'), width: 170, render: (_, p) => formatDateTime(p.publishedAt, locale) },
          { title: t('publications.publishedBy'), dataIndex: 'publishedBy', width: 120 },
          {
            title: t('publications.state'),
            render: (_, p) =>
              p.withdrawnAt ? (
                <Space direction="vertical" size={0}>
                  <Tag color="red">{t('publications.state.withdrawn')}</Tag>
                  <Typography.Text type="secondary">
                    {t('publications.withdrawnReason', { reason: p.withdrawnReason ?? '' })}
                  </Typography.Text>
                </Space>
              ) : (
                <Tag color="green">{t('publications.state.published')}</Tag>
              ),
          },
          {
            title: t('publications.actions'),
            width: 200,
            render: (_, p) => (
              <Space>
                <a href={publicPathOf(p.kind, p.id)} target="_blank" rel="noreferrer">
                  {t('publications.view')}
                </a>
                {!p.withdrawnAt && (
                  <Button danger onClick={() => setWithdrawing(p)}>
                    {t('publications.withdraw')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />

      <Modal
        open={previewing !== null}
        title={previewing ? t('publications.previewTitle', { title: previewing.data.title }) : ''}
        width={900}
        onCancel={() => setPreviewing(null)}
        footer={
          <Popconfirm title={t('publications.publishConfirm')} onConfirm={doPublish}>
            <Button type="primary" loading={publish.isPending}>
              {t('publications.publish')}
            </Button>
          </Popconfirm>
        }
      >
        {previewing && <PreviewBody data={previewing.data} />}
      </Modal>

      <Modal
        open={withdrawing !== null}
        title={withdrawing ? t('publications.withdrawTitle', { title: withdrawing.title }) : ''}
        okText={t('publications.withdraw')}
        okButtonProps={{ danger: true, loading: withdraw.isPending }}
        onOk={doWithdraw}
        onCancel={() => setWithdrawing(null)}
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('publications.withdrawReason')}
            extra={t('publications.withdrawReasonHelp')}
            rules={[{ required: true, whitespace: true, message: t('publications.withdrawReasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

/** The preview: the same numbers and rows the public pages render from this payload. */
function PreviewBody({ data }: { data: PublicationPreview }) {
  const { t } = useI18n();
  const note = <Alert type="info" showIcon title={t('publications.previewNote')} style={{ marginBottom: 12 }} />;
  const payload = data.payload;
  if ('groups' in payload) {
    return (
      <>
        {note}
        {payload.groups.map((g) => (
          <div key={g.id ?? ''}>
            <h3>{g.label}</h3>
            <Table
              size="small"
              rowKey="orgId"
              pagination={false}
              dataSource={g.rows}
              columns={[
                { title: t('publications.rank'), dataIndex: 'rank', width: 70 },
                { title: t('publications.unit'), dataIndex: 'name' },
                { title: t('publications.score'), dataIndex: 'total', width: 90 },
                { title: t('publications.tier'), dataIndex: 'tierLabel', width: 90 },
                { title: t('publications.roll'), width: 90, render: (_, r) => (r.roll ? t(`publications.roll.${r.roll}`) : '') },
              ]}
            />
          </div>
        ))}
      </>
    );
  }
  if ('projects' in payload) {
    return (
      <>
        {note}
        <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
          <Descriptions.Item label={t('publications.projectCount')}>{payload.totals.count}</Descriptions.Item>
          <Descriptions.Item label={t('publications.totalInvestmentWan')}>{payload.totals.totalInvestmentWan}</Descriptions.Item>
        </Descriptions>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={payload.projects.slice(0, PREVIEW_TASKS)}
          columns={[
            { title: t('publications.projectName'), dataIndex: 'name' },
            { title: t('publications.county'), dataIndex: 'orgName', width: 100 },
            { title: t('publications.totalInvestmentWan'), dataIndex: 'totalInvestmentWan', width: 140 },
            { title: t('publications.projectStatus'), width: 100, render: (_, p) => t(`projects.status.${p.status}`) },
            { title: t('publications.imageProgress'), width: 100, render: (_, p) => (p.progressPct === null ? '—' : `${p.progressPct}%`) },
          ]}
        />
      </>
    );
  }
  if ('content' in payload) {
    return (
      <>
        {note}
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t('publications.source')}>{payload.content.title}</Descriptions.Item>
          <Descriptions.Item label={t('publications.docNumber')}>{payload.content.docNumber}</Descriptions.Item>
          <Descriptions.Item label={t('publications.docDate')}>{payload.content.date}</Descriptions.Item>
        </Descriptions>
      </>
    );
  }
  if (!data.summary) return note;
  return (
    <>
      {note}
      <Descriptions title={t('publications.overall')} size="small" column={{ xs: 1, sm: 3 }} bordered>
        <Descriptions.Item label={t('publications.tasks')}>{data.summary.total}</Descriptions.Item>
        <Descriptions.Item label={t('publications.shareDone')}>{pct(data.summary.shareDone)}</Descriptions.Item>
        <Descriptions.Item label={t('status.overdue')}>{data.summary.counts.overdue ?? 0}</Descriptions.Item>
      </Descriptions>
      <h3>{t('publications.byDistrict')}</h3>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data.districts}
        columns={[
          { title: t('publications.district'), dataIndex: 'name' },
          { title: t('publications.tasks'), render: (_, d) => d.summary.total },
          { title: t('status.done'), render: (_, d) => d.summary.counts.done ?? 0 },
          { title: t('status.on_track'), render: (_, d) => d.summary.counts.on_track ?? 0 },
          { title: t('status.at_risk'), render: (_, d) => d.summary.counts.at_risk ?? 0 },
          { title: t('status.overdue'), render: (_, d) => d.summary.counts.overdue ?? 0 },
          { title: t('publications.shareDone'), render: (_, d) => pct(d.summary.shareDone) },
        ]}
      />
      <h3>{t('publications.taskList', { n: PREVIEW_TASKS })}</h3>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={payload.tasks.slice(0, PREVIEW_TASKS)}
        columns={[
          { title: t('publications.seq'), dataIndex: 'seq', width: 60 },
          { title: t('publications.task'), dataIndex: 'text', ellipsis: true },
          { title: t('publications.units'), render: (_, task) => task.units.map((u) => u.name).join('、') },
          { title: t('publications.status'), width: 110, render: (_, task) => <StatusTag status={task.status} /> },
        ]}
      />
    </>
  );
}
