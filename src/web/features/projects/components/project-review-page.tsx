import { Card, Empty, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { formatDate, formatDateTime, useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import {
  type ChangeRequest,
  type ProjectList,
  type ProjectReport,
  usePendingChangeRequests,
  useProjects,
  useReportQueue,
} from '../api/projects.api.ts';
import { wan } from '../project-format.ts';
import { ReportReviewActions } from './report-review-actions.tsx';

type Row = ProjectList['items'][number];

/** /projects/review — the office's queue: submitted projects, pending change requests, submitted monthly reports. */
export function ProjectReviewPage() {
  const { t, locale } = useI18n();
  const session = useCurrentSession();
  const isAdmin = session.user.role === 'admin';
  const submitted = useProjects({ status: 'submitted' }, 200, 0);
  const changes = usePendingChangeRequests(isAdmin);
  const reports = useReportQueue('submitted');
  return (
    <div>
      <Typography.Title level={3}>{t('projects.review.title')}</Typography.Title>
      <Card size="small" title={t('projects.review.submitted')}>
        <Table<Row>
          rowKey="id"
          size="small"
          pagination={false}
          loading={submitted.isLoading}
          dataSource={submitted.data?.items ?? []}
          locale={{ emptyText: <Empty description={t('projects.review.none')} /> }}
          columns={[
            { title: t('projects.col.name'), dataIndex: 'name', render: (n: string, p) => <Link to={`/projects/${p.id}`}>{n}</Link> },
            { title: t('projects.col.org'), dataIndex: 'orgName' },
            { title: t('projects.col.category'), dataIndex: 'categoryName' },
            { title: t('projects.col.total'), dataIndex: 'totalInvestment', align: 'right', render: (v: number) => wan(v, locale) },
            { title: t('projects.col.year'), dataIndex: 'planYear' },
          ]}
        />
      </Card>
      {isAdmin && (
        <Card size="small" title={t('projects.review.changes')} style={{ marginTop: 16 }}>
          <Table<ChangeRequest>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={changes.data?.items ?? []}
            locale={{ emptyText: <Empty description={t('projects.review.none')} /> }}
            columns={[
              {
                title: t('projects.page.crWhat'),
                dataIndex: 'what',
                render: (w: string, c) => <Link to={`/projects/${c.projectId}`}>{w}</Link>,
              },
              { title: t('projects.page.crWhy'), dataIndex: 'why' },
              { title: '', dataIndex: 'createdAt', render: (d: string) => formatDateTime(d, locale) },
            ]}
          />
        </Card>
      )}
      <Card size="small" title={t('projects.review.reports')} style={{ marginTop: 16 }}>
        <Table<ProjectReport>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={reports.data?.items ?? []}
          locale={{ emptyText: <Empty description={t('projects.review.none')} /> }}
          columns={[
            {
              title: t('projects.col.name'),
              dataIndex: 'projectName',
              render: (n: string, r) => <Link to={`/projects/${r.projectId}`}>{n}</Link>,
            },
            { title: t('projects.report.col.period'), dataIndex: 'periodEnd', render: (d: string) => formatDate(d, locale) },
            { title: t('projects.report.col.investment'), dataIndex: 'investment', align: 'right', render: (v: number) => wan(v, locale) },
            { title: t('projects.report.col.progress'), dataIndex: 'progressText', render: (x: string, r) => `${x} (${r.progressPct}%)` },
            {
              title: t('projects.report.col.status'),
              dataIndex: 'status',
              // The office decides here, without opening each project; a lead reads the queue.
              render: (s: ProjectReport['status'], r) =>
                isAdmin && s === 'submitted' ? <ReportReviewActions report={r} /> : <Tag>{t(`projects.report.status.${s}`)}</Tag>,
            },
          ]}
        />
      </Card>
    </div>
  );
}
