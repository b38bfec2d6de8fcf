import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { ProjectStatus } from '../../../../shared/schemas/project.schema.ts';
import { describeError } from '../../../lib/errors.ts';
import { formatDate, formatDateTime, useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import {
  type ChangeRequest,
  type ProjectDetail,
  type ProjectReport,
  useChangeRequests,
  useOpenPeriods,
  useProject,
  useProjectReports,
  useProjectWrite,
  useTargetProjects,
} from '../api/projects.api.ts';
import { percent, STATUS_COLOURS, wan, wanToYuan } from '../project-format.ts';
import { ReportReviewActions } from './report-review-actions.tsx';
import { ProjectFilesCard, ReportPhotos } from './project-files.tsx';
import { ProjectsMap } from './projects-map.tsx';

/** /projects/:projectId — one project: details, actions of its life cycle, timeline, monthly 调度, targets, change requests. */
export function ProjectPage() {
  const { projectId = '' } = useParams();
  const { t } = useI18n();
  const project = useProject(projectId);
  if (project.error) return <Alert type="error" showIcon message={describeError(project.error, t)} />;
  if (!project.data) return <Skeleton active />;
  return <ProjectView project={project.data} />;
}

function StatusTag({ status }: { status: ProjectStatus }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOURS[status]}>{t(`projects.status.${status}`)}</Tag>;
}

function ProjectView({ project: p }: { project: ProjectDetail }) {
  const { t, locale } = useI18n();
  const session = useCurrentSession();
  const role = session.user.role;
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const own = role === 'unit' && session.user.orgId === p.orgId;
  const isAdmin = role === 'admin';
  const action = useProjectWrite<{ path: string; body: unknown }>(
    'post',
    (b) => `/projects/${p.id}/${b.path}`,
    (b) => b.body,
  );
  const [reviewNote, setReviewNote] = useState('');
  const [completedOn, setCompletedOn] = useState<Dayjs | null>(null);
  const [changing, setChanging] = useState(false);
  const run = (path: string, body: Record<string, unknown>, done: string) =>
    action.mutate({ path, body: { version: p.version, ...body } }, { onSuccess: () => void message.success(done) });
  const editable = (own || isAdmin) && (p.status === 'draft' || p.status === 'returned');
  const inLibrary = ['admitted', 'reserve', 'in_progress', 'completed', 'accepted'].includes(p.status);

  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {p.name} <StatusTag status={p.status} />
        </Typography.Title>
        <Space wrap>
          {editable && <Button onClick={() => navigate(`/projects/${p.id}/edit`)}>{t('projects.page.edit')}</Button>}
          {editable && (
            <Button type="primary" loading={action.isPending} onClick={() => run('submit', {}, t('projects.page.submitted'))}>
              {t('projects.page.submit')}
            </Button>
          )}
          {(own || isAdmin) && inLibrary && <Button onClick={() => setChanging(true)}>{t('projects.page.requestChange')}</Button>}
          {isAdmin && p.status === 'completed' && (
            <Button type="primary" onClick={() => run('accept', {}, t('projects.page.reviewed'))}>
              {t('projects.page.accept')}
            </Button>
          )}
        </Space>
      </Space>
      {p.status === 'returned' && p.returnReason && (
        <Alert style={{ marginTop: 12 }} type="warning" showIcon message={t('projects.page.returnReason', { reason: p.returnReason })} />
      )}
      {action.error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={describeError(action.error, t)} />}
      {isAdmin && p.status === 'submitted' && (
        <Card size="small" title={t('projects.page.review')} style={{ marginTop: 12 }}>
          <Input.TextArea
            rows={2}
            value={reviewNote}
            onChange={(e) => setReviewNote(e.target.value)}
            placeholder={t('projects.page.reviewNote')}
            aria-label={t('projects.page.reviewNote')}
          />
          <Space style={{ marginTop: 8 }}>
            <Button type="primary" onClick={() => run('review', { decision: 'admit', note: reviewNote }, t('projects.page.reviewed'))}>
              {t('projects.page.admit')}
            </Button>
            <Button
              onClick={() =>
                run('review', { decision: 'reserve', note: reviewNote, planYear: p.planYear + 1 }, t('projects.page.reviewed'))
              }
            >
              {t('projects.page.reserve')}
            </Button>
            <Button danger onClick={() => run('review', { decision: 'return', note: reviewNote }, t('projects.page.reviewed'))}>
              {t('projects.page.return')}
            </Button>
          </Space>
        </Card>
      )}
      {isAdmin && p.status === 'reserve' && (
        <Button
          style={{ marginTop: 12 }}
          onClick={() => action.mutate({ path: 'promote', body: { version: p.version, planYear: p.planYear } })}
        >
          {t('projects.page.promote')}
        </Button>
      )}
      {(own || isAdmin) && p.status === 'in_progress' && (
        <Space style={{ marginTop: 12 }}>
          <DatePicker value={completedOn} onChange={setCompletedOn} placeholder={t('projects.page.completedOn')} />
          <Button
            disabled={!completedOn}
            onClick={() => completedOn && run('complete', { completedOn: completedOn.format('YYYY-MM-DD') }, t('projects.page.reviewed'))}
          >
            {t('projects.page.complete')}
          </Button>
        </Space>
      )}

      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('projects.page.details')}>
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label={t('projects.col.org')}>{p.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('projects.form.category')}>{p.categoryName}</Descriptions.Item>
              <Descriptions.Item label={t('projects.form.owner')}>{p.ownerName}</Descriptions.Item>
              <Descriptions.Item label={t('projects.form.nature')}>{t(`projects.nature.${p.nature}`)}</Descriptions.Item>
              <Descriptions.Item label={t('projects.form.address')}>{p.address}</Descriptions.Item>
              <Descriptions.Item label={t('projects.form.year')}>{p.planYear}</Descriptions.Item>
              <Descriptions.Item label={t('projects.form.start')}>{formatDate(p.startDate, locale)}</Descriptions.Item>
              <Descriptions.Item label={t('projects.form.end')}>{formatDate(p.endDate, locale)}</Descriptions.Item>
              <Descriptions.Item label={t('projects.form.total')}>{wan(p.totalInvestment, locale)}</Descriptions.Item>
              <Descriptions.Item label={t('projects.form.annual')}>{wan(p.annualPlan, locale)}</Descriptions.Item>
              <Descriptions.Item label={t('projects.form.scale')} span={2}>
                {p.scale}
              </Descriptions.Item>
              <Descriptions.Item label={t('projects.form.funding')} span={2}>
                {p.funding
                  .map((f) => `${f.sourceName} ${wan(f.planned, locale)}（${t('projects.form.arrived')} ${wan(f.arrived, locale)}）`)
                  .join('；')}
              </Descriptions.Item>
              <Descriptions.Item label={t('projects.form.prep')} span={2}>
                {p.prep
                  .map((x) => `${t(`projects.prep.${x.kind}`)}：${t(`projects.prepState.${x.state}`)}${x.docNo ? ` ${x.docNo}` : ''}`)
                  .join('；')}
              </Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph style={{ marginTop: 8 }}>
              {t('projects.page.invested', {
                year: wan(p.investedThisYear, locale),
                yearPct: percent(p.annualPlan > 0 ? Math.round((p.investedThisYear / p.annualPlan) * 1000) / 10 : null),
                total: wan(p.investedSinceStart, locale),
              })}
              {p.progressPct !== null && ` · ${t('projects.page.progressPct', { pct: p.progressPct })}`}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('projects.page.timeline')}>
            <Timeline
              items={p.timeline.map((s) => ({
                color: STATUS_COLOURS[s.to],
                children: (
                  <div data-testid="timeline-entry">
                    <div>
                      {s.from
                        ? t('projects.page.timelineEntry', { from: t(`projects.status.${s.from}`), to: t(`projects.status.${s.to}`) })
                        : t('projects.page.created')}
                    </div>
                    {s.note && <Typography.Text type="secondary">{s.note}</Typography.Text>}
                    <div>
                      <Typography.Text type="secondary">
                        {s.actorName ?? ''} {formatDateTime(s.at, locale)}
                      </Typography.Text>
                    </div>
                  </div>
                ),
              }))}
            />
          </Card>
          <Card size="small" style={{ marginTop: 16 }}>
            <ProjectsMap
              points={[{ id: p.id, name: p.name, lng: p.location.lng, lat: p.location.lat, colour: STATUS_COLOURS[p.status] }]}
              height={320}
            />
          </Card>
        </Col>
      </Row>
      {/* Full width: eleven columns of monthly figures do not fit beside the timeline. */}
      <ReportsCard project={p} canReport={(own || isAdmin) && (p.status === 'admitted' || p.status === 'in_progress')} />
      <ProjectFilesCard
        projectId={p.id}
        canUpload={isAdmin || (own && ['draft', 'returned', 'admitted', 'in_progress'].includes(p.status))}
      />
      <TargetsCard project={p} />
      <ChangeRequestsCard project={p} />
      {changing && <ChangeRequestDialog project={p} onClose={() => setChanging(false)} />}
    </div>
  );
}

function ReportsCard({ project: p, canReport }: { project: ProjectDetail; canReport: boolean }) {
  const { t, locale } = useI18n();
  const session = useCurrentSession();
  // A report's photos: its unit or the office, while the report is a draft or returned (the server decides).
  const canPhoto = session.user.role === 'admin' || (session.user.role === 'unit' && session.user.orgId === p.orgId);
  const { message } = AntApp.useApp();
  const reports = useProjectReports(p.id);
  const periods = useOpenPeriods();
  const save = useProjectWrite<Record<string, unknown>, ProjectReport>('post', () => `/projects/${p.id}/reports`);
  const [form] = Form.useForm();
  const filed = new Set(
    (reports.data?.items ?? []).filter((r) => r.status === 'submitted' || r.status === 'approved').map((r) => r.periodId),
  );
  const open = (periods.data ?? []).filter((x) => !filed.has(x.id));
  // Ten columns a month must not squeeze a header to one character a line (1440 px beside the menu):
  // headers stay on one line, the problems share the progress column, and the table scrolls
  // sideways on narrower screens with the period and the review column held in place.
  const columns = [
    {
      title: t('projects.report.col.period'),
      dataIndex: 'periodEnd',
      width: 124,
      fixed: 'left' as const,
      render: (d: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDate(d, locale)}</span>,
    },
    {
      title: t('projects.report.col.investment'),
      dataIndex: 'investment',
      width: 104,
      align: 'right' as const,
      render: (v: number) => wan(v, locale),
    },
    {
      title: t('projects.report.col.cumYear'),
      dataIndex: 'cumulativeYear',
      width: 128,
      align: 'right' as const,
      render: (v: number) => wan(v, locale),
    },
    { title: t('projects.report.col.pctYear'), dataIndex: 'pctOfAnnualPlan', width: 96, align: 'right' as const, render: percent },
    {
      title: t('projects.report.col.cumTotal'),
      dataIndex: 'cumulativeTotal',
      width: 104,
      align: 'right' as const,
      render: (v: number) => wan(v, locale),
    },
    { title: t('projects.report.col.pctTotal'), dataIndex: 'pctOfTotal', width: 84, align: 'right' as const, render: percent },
    {
      title: t('projects.report.col.arrived'),
      dataIndex: 'arrivals',
      width: 104,
      align: 'right' as const,
      render: (a: ProjectReport['arrivals']) =>
        wan(
          a.reduce((x, r) => x + r.amount, 0),
          locale,
        ),
    },
    {
      title: t('projects.report.col.progress'),
      dataIndex: 'progressText',
      render: (v: string, r: ProjectReport) => (
        <>
          <div>{`${v} (${r.progressPct}%)`}</div>
          {r.problems && (
            <Typography.Text type="warning">
              {t('projects.report.problems')}：{r.problems}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: t('projects.files.photos'),
      key: 'photos',
      width: 190,
      render: (_: unknown, r: ProjectReport) => (
        <ReportPhotos projectId={p.id} reportId={r.id} canUpload={canPhoto && (r.status === 'draft' || r.status === 'returned')} />
      ),
    },
    {
      title: t('projects.report.col.status'),
      dataIndex: 'status',
      width: 80,
      fixed: 'right' as const,
      render: (s: ProjectReport['status'], r: ProjectReport) =>
        session.user.role === 'admin' && s === 'submitted' ? (
          <ReportReviewActions report={r} />
        ) : (
          <>
            <div>{t(`projects.report.status.${s}`)}</div>
            {s === 'returned' && r.reviewNote && <Typography.Text type="warning">{r.reviewNote}</Typography.Text>}
          </>
        ),
    },
  ].map((c) => ({ ...c, onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' as const } }) }));
  return (
    <Card size="small" title={t('projects.page.reports')} style={{ marginTop: 16 }}>
      <Table<ProjectReport>
        rowKey="id"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={reports.data?.items ?? []}
        locale={{ emptyText: t('projects.page.noReports') }}
        // Wider than the card on a narrow screen: scroll sideways rather than squeeze a header to one character a line.
        scroll={{ x: 1160 }}
      />
      {canReport && (
        <Card size="small" type="inner" title={t('projects.report.title')} style={{ marginTop: 12 }}>
          {open.length === 0 ? (
            <Typography.Text type="secondary">{t('projects.report.noOpenPeriod')}</Typography.Text>
          ) : (
            <Form
              form={form}
              layout="vertical"
              initialValues={{ periodId: open[0]?.id, started: true, progressPct: 0 }}
              onFinish={(v: {
                periodId: string;
                investment: string;
                progressText?: string;
                progressPct: number;
                problems?: string;
                started: boolean;
                arrivals?: Record<string, string | undefined>;
              }) =>
                save.mutate(
                  {
                    periodId: v.periodId,
                    investment: wanToYuan(v.investment) ?? 0,
                    progressText: v.progressText ?? '',
                    progressPct: v.progressPct,
                    problems: v.problems ?? '',
                    started: v.started,
                    arrivals: p.funding
                      .map((f) => ({ sourceCode: f.sourceCode, amount: wanToYuan(v.arrivals?.[f.sourceCode] ?? '') ?? 0 }))
                      .filter((a) => a.amount > 0),
                    submit: true,
                  },
                  { onSuccess: () => void message.success(t('projects.report.saved')) },
                )
              }
            >
              <Space wrap align="start">
                <Form.Item name="periodId" label={t('projects.report.period')} rules={[{ required: true }]}>
                  <Select style={{ width: 150 }} options={open.map((x) => ({ value: x.id, label: x.label }))} />
                </Form.Item>
                <Form.Item
                  name="investment"
                  label={t('projects.report.investment')}
                  rules={[
                    { required: true, message: t('projects.form.required') },
                    {
                      validator: (_, v) =>
                        wanToYuan(v) === null ? Promise.reject(new Error(t('projects.form.wanInvalid'))) : Promise.resolve(),
                    },
                  ]}
                >
                  <Input style={{ width: 160 }} inputMode="decimal" />
                </Form.Item>
                <Form.Item name="progressPct" label={t('projects.report.progressPct')} rules={[{ required: true }]}>
                  <InputNumber min={0} max={100} />
                </Form.Item>
                <Form.Item name="started" label={t('projects.report.started')} valuePropName="checked">
                  <Switch />
                </Form.Item>
              </Space>
              <Typography.Text strong>{t('projects.report.arrivals')}</Typography.Text>
              <Space wrap align="start" style={{ marginTop: 8 }}>
                {p.funding.map((f) => (
                  <Form.Item
                    key={f.sourceCode}
                    name={['arrivals', f.sourceCode]}
                    label={f.sourceName}
                    rules={[
                      {
                        validator: (_, v) =>
                          !v || wanToYuan(v) !== null ? Promise.resolve() : Promise.reject(new Error(t('projects.form.wanInvalid'))),
                      },
                    ]}
                  >
                    <Input style={{ width: 130 }} inputMode="decimal" aria-label={`${t('projects.report.arrivals')} ${f.sourceName}`} />
                  </Form.Item>
                ))}
              </Space>
              <Form.Item name="progressText" label={t('projects.report.progressText')}>
                <Input.TextArea rows={2} maxLength={20_000} />
              </Form.Item>
              <Form.Item name="problems" label={t('projects.report.problems')}>
                <Input.TextArea rows={2} maxLength={20_000} />
              </Form.Item>
              {save.error && <Alert type="error" showIcon message={describeError(save.error, t)} style={{ marginBottom: 8 }} />}
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                {t('projects.report.submit')}
              </Button>
            </Form>
          )}
        </Card>
      )}
    </Card>
  );
}

function TargetsCard({ project: p }: { project: ProjectDetail }) {
  const { t } = useI18n();
  if (p.targets.length === 0) return null;
  return (
    <Card size="small" title={t('projects.page.targets')} style={{ marginTop: 16 }}>
      {p.targets.map((x) => (
        <TargetLine key={x.targetId} targetId={x.targetId} contribution={x.contribution} />
      ))}
    </Card>
  );
}

function TargetLine({ targetId, contribution }: { targetId: string; contribution: number }) {
  const { t } = useI18n();
  const target = useTargetProjects(targetId);
  if (!target.data) return null;
  const d = target.data;
  return (
    <div>
      {d.metric} {d.value}
      {d.unit} · {t('projects.page.contribution', { value: `${contribution}${d.unit}` })} · {d.fromProjects}/{d.value}
      {d.unit}
    </div>
  );
}

function ChangeRequestsCard({ project: p }: { project: ProjectDetail }) {
  const { t, locale } = useI18n();
  const session = useCurrentSession();
  const list = useChangeRequests(p.id);
  const decide = useProjectWrite<{ id: string; decision: 'approve' | 'reject' }, ChangeRequest>(
    'post',
    (b) => `/project-change-requests/${b.id}/decision`,
    (b) => ({ decision: b.decision }),
  );
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card size="small" title={t('projects.page.changeRequests')} style={{ marginTop: 16 }}>
      {decide.error && <Alert type="error" showIcon message={describeError(decide.error, t)} />}
      {items.map((c) => (
        <Space key={c.id} direction="vertical" style={{ width: '100%', marginBottom: 8 }}>
          <div>
            <Tag>{t(`projects.page.crStatus.${c.status}`)}</Tag>
            {c.what} — {c.why} <Typography.Text type="secondary">{formatDateTime(c.createdAt, locale)}</Typography.Text>
          </div>
          {session.user.role === 'admin' && c.status === 'pending' && (
            <Space>
              <Button size="small" type="primary" onClick={() => decide.mutate({ id: c.id, decision: 'approve' })}>
                {t('projects.page.crApprove')}
              </Button>
              <Button size="small" onClick={() => decide.mutate({ id: c.id, decision: 'reject' })}>
                {t('projects.page.crReject')}
              </Button>
            </Space>
          )}
        </Space>
      ))}
    </Card>
  );
}

function ChangeRequestDialog({ project: p, onClose }: { project: ProjectDetail; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const send = useProjectWrite<Record<string, unknown>, ChangeRequest>('post', () => `/projects/${p.id}/change-requests`);
  const [form] = Form.useForm();
  return (
    <Modal open title={t('projects.page.requestChange')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={send.isPending}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ name: p.name }}
        onFinish={(v: { what: string; why: string; name?: string }) =>
          send.mutate(
            { what: v.what, why: v.why, patch: v.name && v.name !== p.name ? { name: v.name } : {} },
            {
              onSuccess: () => {
                void message.success(t('projects.page.crSent'));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item
          name="what"
          label={t('projects.page.crWhat')}
          rules={[{ required: true, whitespace: true, message: t('projects.form.required') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="why"
          label={t('projects.page.crWhy')}
          rules={[{ required: true, whitespace: true, message: t('projects.form.required') }]}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="name" label={t('projects.page.crName')}>
          <Input />
        </Form.Item>
        {send.error && <Alert type="error" showIcon message={describeError(send.error, t)} />}
      </Form>
    </Modal>
  );
}
