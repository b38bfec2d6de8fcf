import { Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { ProjectStatus } from '../../../../shared/schemas/project.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { type TargetProjects, useTargetProjects } from '../api/projects.api.ts';
import { STATUS_COLOURS } from '../project-format.ts';

type Item = TargetProjects['items'][number];

/**
 * The projects that count toward one target (issue 14 item 6), for the task page: each with its
 * county, status and contribution, whether it counts yet (completed, or started, as the target
 * says), the sum and what is still missing. Renders nothing for a target without projects.
 */
export function TargetProjectsPanel({ targetId }: { targetId: string }) {
  const { t } = useI18n();
  const q = useTargetProjects(targetId);
  const d = q.data;
  if (!d || d.items.length === 0) return null;
  const unit = d.unit;
  return (
    <div className="target-projects" data-testid={`target-projects-${targetId}`} style={{ marginTop: 12 }}>
      <Typography.Text strong>{t('projects.targetPanel.title', { metric: d.metric || '—', value: `${d.value}${unit}` })}</Typography.Text>{' '}
      <Typography.Text>
        {t('projects.targetPanel.summary', {
          counts: t(`projects.targetPanel.counts.${d.counts}`),
          from: `${d.fromProjects}${unit}`,
          missing: `${d.missing}${unit}`,
        })}
      </Typography.Text>
      <Table<Item>
        rowKey="projectId"
        size="small"
        pagination={false}
        style={{ marginTop: 4 }}
        dataSource={d.items}
        columns={[
          {
            title: t('projects.plans.project'),
            dataIndex: 'name',
            render: (n: string, r: Item) => <Link to={`/projects/${r.projectId}`}>{n}</Link>,
          },
          { title: t('projects.plans.county'), dataIndex: 'orgName' },
          {
            title: t('projects.plans.state'),
            dataIndex: 'status',
            render: (s: ProjectStatus) => <Tag color={STATUS_COLOURS[s]}>{t(`projects.status.${s}`)}</Tag>,
          },
          {
            title: t('projects.targetPanel.contribution'),
            dataIndex: 'contribution',
            align: 'right',
            render: (v: number) => `${v}${unit}`,
          },
          {
            title: t('projects.targetPanel.counted'),
            dataIndex: 'counted',
            render: (c: boolean) =>
              c ? <Tag color="green">{t('projects.targetPanel.yes')}</Tag> : <Tag>{t('projects.targetPanel.no')}</Tag>,
          },
        ]}
      />
    </div>
  );
}
