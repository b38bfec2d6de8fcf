import { Button, Checkbox, Input, InputNumber, Radio, Select, Space, Table, Typography } from 'antd';
import type { SchemeFieldIssue } from '../../../../shared/schemas/assessment.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';
import type { SchemeBody } from '../api/assessment.api.ts';
import { fieldStatus, SchemeIssueList } from './scheme-issue-list.tsx';
import { removeColumn } from './scheme-remove-column.tsx';

type Tiers = SchemeBody['tiers'];
type Tier = Tiers['tiers'][number];

/** The usual tier names, best first (优秀、良好、合格、不合格), offered for a new tier. */
export const TIER_NAME_KEYS = ['excellent', 'good', 'pass', 'fail'] as const;

/** A fraction (0.3) as a percentage (30) to 0.01, and back to 4 decimals, so 33.33% stays 0.3333. */
export const toPercent = (f: number | undefined) => (f === undefined ? undefined : Math.round(f * 10000) / 100);
export const fromPercent = (p: number) => Math.round(p * 100) / 10000;

/** A tier without the fields of the other mode (a threshold tier has no quota, a quota tier no minimum). */
function forMode(tier: Tier, mode: Tiers['mode']): Tier {
  const { min, share, count, ...rest } = tier;
  if (mode === 'threshold') return { ...rest, ...(min !== undefined ? { min } : {}) };
  return { ...rest, ...(share !== undefined ? { share } : {}), ...(count !== undefined ? { count } : {}) };
}

/**
 * 等次: threshold (each tier from its minimum score, going down) or quota (each tier a count or a
 * percentage of its peer group); the last tier takes the rest. Checked as typed by the shared schema.
 */
export function SchemeTiersEditor({
  value,
  errors,
  onChange,
}: {
  value: Tiers;
  errors: SchemeFieldIssue[];
  onChange: (next: Tiers) => void;
}) {
  const { t } = useI18n();
  const rows = value.tiers;
  const last = rows.length - 1;
  const setTier = (i: number, tier: Tier) => onChange({ ...value, tiers: rows.map((x, j) => (j === i ? tier : x)) });
  const nextId = () => {
    let n = rows.length + 1;
    while (rows.some((r) => r.id === `t${n}`)) n++;
    return `t${n}`;
  };
  const quotaKind = (r: Tier) => (r.count !== undefined ? 'count' : 'share');
  return (
    <section aria-label={t('assessment.scheme.tiers')}>
      <h2>{t('assessment.scheme.tiers')}</h2>
      <Radio.Group
        aria-label={t('assessment.scheme.tiers.mode')}
        value={value.mode}
        optionType="button"
        onChange={(e) => {
          const mode = e.target.value as Tiers['mode'];
          onChange({ mode, tiers: rows.map((r) => forMode(r, mode)) });
        }}
        options={[
          { value: 'threshold', label: t('assessment.scheme.tiers.threshold') },
          { value: 'quota', label: t('assessment.scheme.tiers.quota') },
        ]}
      />
      <Typography.Paragraph type="secondary" className="scheme-hint">
        {t(value.mode === 'threshold' ? 'assessment.scheme.tiers.thresholdHint' : 'assessment.scheme.tiers.quotaHint')}
      </Typography.Paragraph>
      <Table<Tier & { index: number }>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rows.map((r, index) => ({ ...r, index }))}
        columns={[
          {
            title: t('assessment.scheme.tiers.name'),
            render: (_, r) => (
              <Input
                aria-label={t('assessment.scheme.tiers.nameOf', { n: r.index + 1 })}
                value={r.label}
                status={fieldStatus(errors, `tiers.tiers.${r.index}.label`)}
                onChange={(e) => setTier(r.index, { ...rows[r.index]!, label: e.target.value })}
              />
            ),
          },
          {
            title: t(value.mode === 'threshold' ? 'assessment.scheme.tiers.min' : 'assessment.scheme.tiers.quotaCol'),
            width: 260,
            render: (_, r) => {
              const tier = rows[r.index]!;
              if (r.index === last && tier.min === undefined && tier.count === undefined && tier.share === undefined)
                return <Typography.Text type="secondary">{t('assessment.scheme.tiers.rest')}</Typography.Text>;
              if (value.mode === 'threshold')
                return (
                  <InputNumber
                    aria-label={t('assessment.scheme.tiers.minOf', { n: r.index + 1 })}
                    min={-1000}
                    max={10000}
                    value={tier.min}
                    status={fieldStatus(errors, `tiers.tiers.${r.index}.min`)}
                    suffix={t('assessment.scheme.tiers.pointsSuffix')}
                    onChange={(v) => {
                      const { min: _, ...rest } = tier;
                      setTier(r.index, v === null ? rest : { ...rest, min: v });
                    }}
                  />
                );
              const kind = quotaKind(tier);
              return (
                <Space.Compact>
                  <Select
                    aria-label={t('assessment.scheme.tiers.quotaKindOf', { n: r.index + 1 })}
                    value={kind}
                    className="scheme-quota-kind"
                    onChange={(k: 'count' | 'share') => {
                      const { count, share, ...rest } = tier;
                      const n = kind === 'count' ? count : toPercent(share);
                      if (n === undefined) return setTier(r.index, rest);
                      setTier(r.index, k === 'count' ? { ...rest, count: Math.round(n) } : { ...rest, share: fromPercent(n) });
                    }}
                    options={[
                      { value: 'share', label: t('assessment.scheme.tiers.share') },
                      { value: 'count', label: t('assessment.scheme.tiers.count') },
                    ]}
                  />
                  <InputNumber
                    aria-label={t('assessment.scheme.tiers.quotaOf', { n: r.index + 1 })}
                    min={0}
                    max={kind === 'count' ? 1000 : 100}
                    precision={kind === 'count' ? 0 : undefined}
                    value={kind === 'count' ? tier.count : toPercent(tier.share)}
                    status={fieldStatus(errors, `tiers.tiers.${r.index}.count`)}
                    suffix={kind === 'count' ? t('assessment.scheme.tiers.countSuffix') : '%'}
                    onChange={(v) => {
                      const { count: _c, share: _s, ...rest } = tier;
                      if (v === null) return setTier(r.index, rest);
                      setTier(r.index, kind === 'count' ? { ...rest, count: v } : { ...rest, share: fromPercent(v) });
                    }}
                  />
                </Space.Compact>
              );
            },
          },
          removeColumn(t, (i) => onChange({ ...value, tiers: rows.filter((_, j) => j !== i) }), {
            aria: 'assessment.scheme.tiers.removeOf',
            disabled: rows.length <= 2,
          }),
        ]}
        footer={() => (
          <Button
            size="small"
            disabled={rows.length >= 10 || undefined}
            onClick={() => {
              // The new tier goes before the last (which takes the rest), named by the next usual name.
              const used = new Set(rows.map((r) => r.label));
              const name = TIER_NAME_KEYS.map((k) => t(`assessment.scheme.tiers.preset.${k}`)).find((n) => !used.has(n));
              const tier: Tier = { id: nextId(), label: name ?? t('assessment.scheme.tiers.newTier') };
              onChange({ ...value, tiers: [...rows.slice(0, -1), tier, ...rows.slice(-1)] });
            }}
          >
            {t('assessment.scheme.tiers.add')}
          </Button>
        )}
      />
      <SchemeIssueList errors={errors} prefix="tiers" />
    </section>
  );
}

type YearEnd = NonNullable<SchemeBody['yearEnd']>;
const WEIGHTS = ['firstHalf', 'secondHalf', 'review'] as const;

/**
 * 年终综合考评的权重: the two half-years and the year-end review, in percent, their sum shown as
 * typed and checked (100%) by the shared schema. Without weights the scheme has no year-end use.
 */
export function SchemeYearEndEditor({
  value,
  errors,
  onChange,
}: {
  value: YearEnd | undefined;
  errors: SchemeFieldIssue[];
  onChange: (next: YearEnd | undefined) => void;
}) {
  const { t } = useI18n();
  const sum = value ? Math.round(WEIGHTS.reduce((s, k) => s + value[k], 0) * 10000) / 100 : 0;
  return (
    <section aria-label={t('assessment.scheme.yearEnd')}>
      <h2>{t('assessment.scheme.yearEnd')}</h2>
      <Checkbox
        checked={value !== undefined}
        onChange={(e) => onChange(e.target.checked ? { firstHalf: 0.3, secondHalf: 0.3, review: 0.4 } : undefined)}
      >
        {t('assessment.scheme.yearEnd.use')}
      </Checkbox>
      {value && (
        <Space wrap className="scheme-weights">
          {WEIGHTS.map((k) => (
            <InputNumber
              key={k}
              aria-label={t(`assessment.scheme.yearEnd.${k}`)}
              prefix={t(`assessment.scheme.yearEnd.${k}`)}
              suffix="%"
              min={0}
              max={100}
              value={toPercent(value[k])}
              status={fieldStatus(errors, 'yearEnd')}
              onChange={(v) => onChange({ ...value, [k]: fromPercent(v ?? 0) })}
            />
          ))}
          <Typography.Text type={sum === 100 ? 'success' : 'danger'} className="assessment-num">
            {t('assessment.scheme.yearEnd.sum', { n: sum })}
          </Typography.Text>
        </Space>
      )}
      <SchemeIssueList errors={errors} prefix="yearEnd" />
    </section>
  );
}
