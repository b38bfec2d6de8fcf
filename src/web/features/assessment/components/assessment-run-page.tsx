import { App as AntApp, Alert, Button, Card, Input, Modal, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import {
  type Assessment,
  type Ranking,
  useAssessment,
  useBulletins,
  useConsequences,
  useDecideConsequence,
  useDraftBulletin,
  useRanking,
  useReissue,
  useStage,
} from '../api/assessment.api.ts';
import '../assessment.css';
import { StageTag } from './assessments-page.tsx';
import { ScoreBarChart, TrendChart } from './ranking-charts.tsx';

type Row = Assessment['units'][number] & { progress?: Assessment['progress'][number] };

/**
 * The ranking per peer group. Every number a viewer may open drills down (`canOpen`: the office
 * and leaders any unit, a unit its own): a total to the unit's sheet, a category score to the
 * sheet with that category's lines opened on their events.
 */
function RankingSection({ ranking, canOpen }: { ranking: Ranking; canOpen: (orgId: string) => boolean }) {
  const { t } = useI18n();
  const change = (n: number | null) =>
    n === null
      ? t('assessment.change.new')
      : n > 0
        ? t('assessment.change.up', { n })
        : n < 0
          ? t('assessment.change.down', { n: -n })
          : t('assessment.change.same');
  return (
    <Card title={t('assessment.ranking')} className="assessment-section">
      {ranking.groups.map((g) => {
        const nameOf = new Map(g.rows.map((r) => [r.orgId, r.name]));
        return (
          <section key={g.id ?? 'none'} aria-label={g.label}>
            <Typography.Title level={3}>{g.label}</Typography.Title>
            <div className="assessment-roll">
              <span>
                <Tag color="red">{t('assessment.red')}</Tag>
                {g.red.map((id) => nameOf.get(id)).join('、') || t('assessment.none')}
              </span>
              <span>
                <Tag color="default">{t('assessment.black')}</Tag>
                {g.black.map((id) => nameOf.get(id)).join('、') || t('assessment.none')}
              </span>
            </div>
            <Table
              rowKey="orgId"
              size="small"
              pagination={false}
              dataSource={g.rows}
              columns={[
                { title: t('assessment.col.rank'), dataIndex: 'rank' },
                { title: t('assessment.col.unit'), dataIndex: 'name' },
                {
                  title: t('assessment.col.total'),
                  dataIndex: 'total',
                  className: 'assessment-num',
                  render: (total: number, r: Ranking['groups'][number]['rows'][number]) =>
                    canOpen(r.orgId) ? (
                      <Link
                        to={`/assessments/${ranking.assessmentId}/units/${r.orgId}`}
                        title={t('assessment.drill.total', { unit: r.name })}
                      >
                        {total}
                      </Link>
                    ) : (
                      total
                    ),
                },
                { title: t('assessment.col.tier'), dataIndex: 'tierLabel' },
                { title: t('assessment.change'), dataIndex: 'change', render: (n: number | null) => change(n) },
                ...(g.rows[0]?.categories ?? []).map((c, i) => ({
                  title: c.label,
                  key: c.categoryId,
                  className: 'assessment-num',
                  render: (_: unknown, r: Ranking['groups'][number]['rows'][number]) => {
                    const score = r.categories[i]?.score;
                    return canOpen(r.orgId) && score !== undefined ? (
                      <Link
                        to={`/assessments/${ranking.assessmentId}/units/${r.orgId}?category=${encodeURIComponent(c.categoryId)}`}
                        title={t('assessment.drill.category', { unit: r.name, category: c.label })}
                      >
                        {score}
                      </Link>
                    ) : (
                      score
                    );
                  },
                })),
              ]}
            />
            <ScoreBarChart group={g} tiers={ranking.tiers} label={t('assessment.chart.scores', { group: g.label })} />
          </section>
        );
      })}
      {ranking.trend.length > 1 && (
        <>
          <Typography.Title level={3}>{t('assessment.chart.trend')}</Typography.Title>
          <TrendChart ranking={ranking} label={t('assessment.chart.trend')} />
        </>
      )}
    </Card>
  );
}

/** /assessments/:id — one assessment: stage actions, each unit's progress, ranking, consequences and bulletins. */
export function AssessmentRunPage() {
  const { assessmentId = '' } = useParams();
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const session = useCurrentSession();
  const isAdmin = session.user.role === 'admin';
  const oversight = isAdmin || session.user.role === 'leader';
  const assessment = useAssessment(assessmentId);
  const stage = useStage(assessmentId);
  const reissue = useReissue(assessmentId);
  const draftBulletin = useDraftBulletin(assessmentId);
  const decide = useDecideConsequence();
  const a = assessment.data;
  const ranking = useRanking(assessmentId, Boolean(a) && (oversight || a?.stage !== 'draft'));
  const consequences = useConsequences(assessmentId, oversight && a?.stage === 'final');
  const bulletins = useBulletins(assessmentId);
  const [reason, setReason] = useState('');
  const [reissueOpen, setReissueOpen] = useState(false);
  const fail = (e: unknown) => message.error(describeError(e, t));

  if (assessment.isLoading) return <Skeleton active />;
  if (assessment.error || !a) return <Alert type="error" message={describeError(assessment.error, t)} />;
  const progress = new Map(a.progress.map((p) => [p.orgId, p]));
  const rows: Row[] = a.units.map((u) => ({ ...u, progress: progress.get(u.orgId) }));

  return (
    <div className="assessment-page">
      <div className="assessment-head">
        <Typography.Title level={1} className="page-title">
          {a.title}
        </Typography.Title>
        <StageTag stage={a.stage} />
        <span>{t('assessment.range', { start: a.start, end: a.end })}</span>
        {a.objectionUntil && <span>{t('assessment.objectionUntil', { date: a.objectionUntil })}</span>}
        {a.reissueOf && <Link to={`/assessments/${a.reissueOf}`}>{t('assessment.reissueOf', { id: a.reissueOf.slice(0, 8) })}</Link>}
      </div>
      {isAdmin && (
        <div className="assessment-actions">
          {a.stage === 'draft' && (
            <Button
              type="primary"
              loading={stage.isPending}
              onClick={() =>
                stage.mutate(
                  { action: 'publish', version: a.version },
                  { onSuccess: () => message.success(t('assessment.published')), onError: fail },
                )
              }
            >
              {t('assessment.publish')}
            </Button>
          )}
          {a.stage === 'published' && (
            <Button
              type="primary"
              loading={stage.isPending}
              onClick={() =>
                stage.mutate(
                  { action: 'finalise', version: a.version },
                  { onSuccess: () => message.success(t('assessment.finalised')), onError: fail },
                )
              }
            >
              {t('assessment.finalise')}
            </Button>
          )}
          {a.stage === 'final' && (
            <>
              <Button
                type="primary"
                loading={draftBulletin.isPending}
                onClick={() => draftBulletin.mutate(undefined, { onSuccess: (b) => navigate(`/bulletins/${b.id}`), onError: fail })}
              >
                {t('assessment.bulletin.draft')}
              </Button>
              <Button onClick={() => setReissueOpen(true)}>{t('assessment.reissue')}</Button>
            </>
          )}
        </div>
      )}
      <Modal
        open={reissueOpen}
        title={t('assessment.reissue')}
        onCancel={() => setReissueOpen(false)}
        okButtonProps={{ disabled: reason.trim() === '', loading: reissue.isPending }}
        onOk={() =>
          reissue.mutate(reason, {
            onSuccess: (n) => {
              setReissueOpen(false);
              message.success(t('assessment.reissued'));
              navigate(`/assessments/${n.id}`);
            },
            onError: fail,
          })
        }
      >
        <Input.TextArea
          aria-label={t('assessment.reissueReason')}
          placeholder={t('assessment.reissueReason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>

      <Card title={t('assessment.progress')} className="assessment-section">
        <Table<Row>
          rowKey="orgId"
          size="small"
          pagination={false}
          dataSource={rows}
          columns={[
            {
              title: t('assessment.col.unit'),
              dataIndex: 'name',
              render: (name: string, r) => <Link to={`/assessments/${a.id}/units/${r.orgId}`}>{name}</Link>,
            },
            { title: t('assessment.col.total'), dataIndex: 'total', className: 'assessment-num' },
            { title: t('assessment.col.rank'), dataIndex: 'rank' },
            { title: t('assessment.col.notes'), render: (_, r) => r.progress?.notes ?? '' },
            { title: t('assessment.col.adjustments'), render: (_, r) => r.progress?.adjustments ?? '' },
            {
              title: t('assessment.col.objections'),
              render: (_, r) => (r.progress ? `${r.progress.answered}/${r.progress.objections}` : ''),
            },
          ]}
        />
      </Card>

      {ranking.data ? (
        <RankingSection ranking={ranking.data} canOpen={(orgId) => oversight || orgId === session.user.orgId} />
      ) : (
        !oversight && a.stage === 'draft' && <Alert className="assessment-section" type="info" message={t('assessment.rankingHidden')} />
      )}

      {consequences.data && consequences.data.items.length > 0 && (
        <Card title={t('assessment.consequences')} className="assessment-section">
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={consequences.data.items}
            columns={[
              { title: t('assessment.col.unit'), dataIndex: 'orgName' },
              {
                title: t('assessment.consequences'),
                dataIndex: 'kind',
                render: (k: 'reward' | 'interview' | 'accountability') => t(`assessment.consequence.${k}`),
              },
              { title: t('assessment.col.title'), dataIndex: 'reason' },
              {
                title: t('assessment.col.stage'),
                render: (_, c) =>
                  c.status === 'proposed' && isAdmin ? (
                    <Space>
                      <Button size="small" onClick={() => decide.mutate({ id: c.id, decision: 'confirm' }, { onError: fail })}>
                        {t('assessment.consequence.confirm')}
                      </Button>
                      <Button size="small" onClick={() => decide.mutate({ id: c.id, decision: 'dismiss' }, { onError: fail })}>
                        {t('assessment.consequence.dismiss')}
                      </Button>
                    </Space>
                  ) : (
                    <span>
                      {t(`assessment.consequence.${c.status}`)}
                      {c.noticeId && (
                        <>
                          {' · '}
                          <Link to={`/supervision/${c.noticeId}`}>{t('assessment.consequence.notice')}</Link>
                        </>
                      )}
                    </span>
                  ),
              },
            ]}
          />
        </Card>
      )}

      {(bulletins.data?.items.length ?? 0) > 0 && (
        <Card title={t('assessment.bulletins')} className="assessment-section">
          <ul>
            {bulletins.data!.items.map((b) => (
              <li key={b.id}>
                <Link to={`/bulletins/${b.id}`}>
                  {b.content.docNumber} {b.content.title}
                </Link>{' '}
                <Tag>{t(`assessment.bulletin.status.${b.status}`)}</Tag>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
