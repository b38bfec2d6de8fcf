import { Alert, Descriptions, Empty, Form, Select, Skeleton, Table, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import {
  type AssessmentListItem,
  useAssessments,
  useSchemes,
  useYearEnd,
  type YearEndIds,
  type YearEndRanking,
} from '../api/assessment.api.ts';
import '../assessment.css';

type Row = YearEndRanking['rows'][number];
const PARTS = ['firstHalf', 'secondHalf', 'review'] as const;
const pct = (w: number) => `${Math.round(w * 1000) / 10}%`;
const score = (n: number | null) => (n === null ? '—' : n.toFixed(2));

/**
 * /assessments/year-end — 年终综合考评: the office (or leadership) picks the first and second
 * half-year assessments and the year-end review (all final, one plan); each unit's three totals
 * are combined with the scheme's weights into the year's result, ranked per peer group. Each
 * score links down to that assessment's score sheet for the unit. The choice is kept in the URL.
 */
export function YearEndPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const list = useAssessments();
  const schemes = useSchemes(true);
  const finals = (list.data?.items ?? []).filter((a) => a.stage === 'final');
  const chosen = Object.fromEntries(PARTS.map((k) => [k, params.get(k) ?? undefined])) as Partial<YearEndIds>;
  const ids: YearEndIds | null = chosen.firstHalf && chosen.secondHalf && chosen.review ? (chosen as YearEndIds) : null;
  const result = useYearEnd(ids);
  const reviewRun = finals.find((a) => a.id === chosen.review);
  const scheme = schemes.data?.items.find((s) => s.id === reviewRun?.schemeId)?.scheme;
  const tierLabel = new Map((scheme?.tiers.tiers ?? []).map((x) => [x.id, x.label]));
  const groupLabel = new Map((scheme?.groups ?? []).map((g) => [g.id, g.label]));

  const choose = (part: (typeof PARTS)[number], id: string | undefined) => {
    const next = new URLSearchParams(params);
    if (id) next.set(part, id);
    else next.delete(part);
    setParams(next, { replace: true });
  };
  const options = finals.map((a: AssessmentListItem) => ({ value: a.id, label: `${a.title}（${a.start} — ${a.end}）` }));

  const groups = new Map<string | null, Row[]>();
  for (const r of result.data?.rows ?? []) {
    const list = groups.get(r.groupId);
    if (list) list.push(r);
    else groups.set(r.groupId, [r]);
  }
  const partCell = (part: (typeof PARTS)[number]) => (_: unknown, r: Row) =>
    r[part] === null || !chosen[part] ? (
      score(r[part])
    ) : (
      <Link
        to={`/assessments/${chosen[part]}/units/${r.orgId}`}
        aria-label={t('assessment.yearEnd.drill', { unit: r.name, part: t(`assessment.yearEnd.${part}`) })}
      >
        {score(r[part])}
      </Link>
    );

  return (
    <div className="assessment-page">
      <Typography.Title level={1} className="page-title">
        {t('assessment.yearEnd.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('assessment.yearEnd.intro')}</Typography.Paragraph>
      {list.isLoading ? (
        <Skeleton active />
      ) : (
        <Form layout="inline" className="assessment-new">
          {PARTS.map((part) => (
            <Form.Item key={part} label={t(`assessment.yearEnd.${part}`)} htmlFor={`year-end-${part}`}>
              <Select
                id={`year-end-${part}`}
                className="assessment-select"
                allowClear
                value={chosen[part]}
                onChange={(v: string | undefined) => choose(part, v)}
                options={options}
                placeholder={t('assessment.yearEnd.pick')}
              />
            </Form.Item>
          ))}
        </Form>
      )}
      {!ids && <Empty description={t('assessment.yearEnd.pickAll')} />}
      {result.isError && <Alert type="error" showIcon title={describeError(result.error, t)} />}
      {ids && result.isLoading && <Skeleton active />}
      {result.data && (
        <>
          <Descriptions size="small" column={{ xs: 1, sm: 3 }} bordered title={t('assessment.yearEnd.weights')}>
            {PARTS.map((part) => (
              <Descriptions.Item key={part} label={t(`assessment.yearEnd.${part}`)}>
                {pct(result.data.weights[part])}
              </Descriptions.Item>
            ))}
          </Descriptions>
          {[...groups.entries()].map(([groupId, rows]) => (
            <section key={groupId ?? ''} aria-label={groupLabel.get(groupId ?? '') ?? t('assessment.yearEnd.ungrouped')}>
              <Typography.Title level={3}>{groupLabel.get(groupId ?? '') ?? t('assessment.yearEnd.ungrouped')}</Typography.Title>
              <Table<Row>
                rowKey="orgId"
                size="small"
                pagination={false}
                dataSource={[...rows].sort((a, b) => a.rank - b.rank)}
                scroll={{ x: 'max-content' }}
                columns={[
                  { title: t('assessment.yearEnd.rank'), dataIndex: 'rank', width: 70 },
                  { title: t('assessment.yearEnd.unit'), dataIndex: 'name' },
                  ...PARTS.map((part) => ({
                    title: t(`assessment.yearEnd.${part}`),
                    key: part,
                    render: partCell(part),
                    align: 'right' as const,
                  })),
                  {
                    title: t('assessment.yearEnd.total'),
                    key: 'total',
                    align: 'right' as const,
                    render: (_: unknown, r: Row) => <strong>{r.total.toFixed(2)}</strong>,
                  },
                  { title: t('assessment.yearEnd.tier'), key: 'tier', render: (_: unknown, r: Row) => tierLabel.get(r.tierId) ?? r.tierId },
                ]}
              />
            </section>
          ))}
        </>
      )}
    </div>
  );
}
