import { App as AntApp, Button, Card, Form, Input, InputNumber, Select, Skeleton, Table, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { usePlans } from '../../../lib/api/plans.api.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { type AssessmentListItem, useAssessments, useCreateAssessment, useSchemes } from '../api/assessment.api.ts';
import '../assessment.css';

export const STAGE_COLOURS = { draft: 'blue', published: 'orange', final: 'green' } as const;

export function StageTag({ stage }: { stage: AssessmentListItem['stage'] }) {
  const { t } = useI18n();
  return <Tag color={STAGE_COLOURS[stage]}>{t(`assessment.stage.${stage}`)}</Tag>;
}

function NewAssessmentCard() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const schemes = useSchemes(true);
  const plans = usePlans();
  const create = useCreateAssessment();
  const latest = (schemes.data?.items ?? []).filter((s, _, all) => !all.some((o) => o.familyId === s.familyId && o.revision > s.revision));
  return (
    <Card title={t('assessment.new')} className="assessment-new" extra={<Link to="/assessments/schemes">{t('assessment.schemes')}</Link>}>
      <Form
        layout="inline"
        initialValues={{ objectionDays: 5 }}
        onFinish={(v: { schemeId: string; planId: string; title: string; start: string; end: string; objectionDays: number }) =>
          create.mutate(v, {
            onSuccess: (a) => {
              message.success(t('assessment.created'));
              navigate(`/assessments/${a.id}`);
            },
            onError: (e) => message.error(describeError(e, t)),
          })
        }
      >
        <Form.Item name="schemeId" label={t('assessment.field.scheme')} rules={[{ required: true }]}>
          <Select
            className="assessment-select"
            options={latest.map((s) => ({ value: s.id, label: `${s.name} · ${t('assessment.scheme.revision', { n: s.revision })}` }))}
          />
        </Form.Item>
        <Form.Item name="planId" label={t('assessment.field.plan')} rules={[{ required: true }]}>
          <Select className="assessment-select" options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))} />
        </Form.Item>
        <Form.Item name="title" label={t('assessment.field.title')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="start" label={t('assessment.field.start')} rules={[{ required: true }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="end" label={t('assessment.field.end')} rules={[{ required: true }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="objectionDays" label={t('assessment.field.objectionDays')}>
          <InputNumber min={1} max={60} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('assessment.create')}
        </Button>
      </Form>
    </Card>
  );
}

/** /assessments — every assessment; the office starts new ones here. */
export function AssessmentsPage() {
  const { t } = useI18n();
  const session = useCurrentSession();
  const list = useAssessments();
  return (
    <div className="assessment-page">
      <Typography.Title level={1} className="page-title">
        {t('assessment.title')}
      </Typography.Title>
      {(session.user.role === 'admin' || session.user.role === 'leader') && (
        <Typography.Paragraph>
          <Link to="/assessments/year-end">{t('assessment.yearEnd.link')}</Link>
        </Typography.Paragraph>
      )}
      {session.user.role === 'admin' && <NewAssessmentCard />}
      {list.isLoading ? (
        <Skeleton active />
      ) : (
        <Table<AssessmentListItem>
          rowKey="id"
          dataSource={list.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('assessment.empty') }}
          columns={[
            {
              title: t('assessment.col.title'),
              dataIndex: 'title',
              render: (title: string, a) => <Link to={`/assessments/${a.id}`}>{title}</Link>,
            },
            { title: t('assessment.col.range'), render: (_, a) => t('assessment.range', { start: a.start, end: a.end }) },
            {
              title: t('assessment.col.stage'),
              dataIndex: 'stage',
              render: (stage: AssessmentListItem['stage']) => <StageTag stage={stage} />,
            },
          ]}
        />
      )}
    </div>
  );
}
