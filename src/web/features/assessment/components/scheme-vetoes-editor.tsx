import { Button, Input, Select, Table, Typography } from 'antd';
import { ESCALATION_STEPS } from '../../../../shared/enums.ts';
import type { SchemeFieldIssue } from '../../../../shared/schemas/assessment.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';
import type { SchemeBody } from '../api/assessment.api.ts';
import { fieldStatus, SchemeIssueList } from './scheme-issue-list.tsx';
import { removeColumn } from './scheme-remove-column.tsx';

type Veto = SchemeBody['vetoes'][number];

/** A veto's condition as one select value: `manual`, or `escalation:<step>` (that rung or above). */
const conditionOf = (v: Veto) => (v.when.kind === 'manual' ? 'manual' : `escalation:${v.when.step}`);
const whenOf = (c: string): Veto['when'] =>
  c === 'manual'
    ? { kind: 'manual' }
    : { kind: 'escalation_at_least', step: c.slice('escalation:'.length) as (typeof ESCALATION_STEPS)[number] };

/**
 * 一票否决: each veto's label, its condition (the office marks it, or a 督办 escalation reached a
 * rung) and its effect (never the first tier, or straight to the last), named by the scheme's tiers.
 */
export function SchemeVetoesEditor({
  value,
  tiers,
  errors,
  onChange,
}: {
  value: Veto[];
  tiers: SchemeBody['tiers']['tiers'];
  errors: SchemeFieldIssue[];
  onChange: (next: Veto[]) => void;
}) {
  const { t } = useI18n();
  const set = (i: number, patch: Partial<Veto>) => onChange(value.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const first = tiers[0]?.label ?? '';
  const lastTier = tiers.at(-1)?.label ?? '';
  const nextId = () => {
    let n = value.length + 1;
    while (value.some((v) => v.id === `v${n}`)) n++;
    return `v${n}`;
  };
  return (
    <section aria-label={t('assessment.scheme.vetoes')}>
      <h2>{t('assessment.scheme.vetoes')}</h2>
      <Table<Veto & { index: number }>
        rowKey="id"
        size="small"
        pagination={false}
        locale={{ emptyText: <Typography.Text type="secondary">{t('assessment.scheme.vetoes.none')}</Typography.Text> }}
        dataSource={value.map((v, index) => ({ ...v, index }))}
        columns={[
          {
            title: t('assessment.scheme.form.label'),
            render: (_, v) => (
              <Input
                aria-label={t('assessment.scheme.vetoes.labelOf', { n: v.index + 1 })}
                value={v.label}
                status={fieldStatus(errors, `vetoes.${v.index}.label`)}
                onChange={(e) => set(v.index, { label: e.target.value })}
              />
            ),
          },
          {
            title: t('assessment.scheme.vetoes.when'),
            width: 240,
            render: (_, v) => (
              <Select
                aria-label={t('assessment.scheme.vetoes.whenOf', { n: v.index + 1 })}
                className="assessment-select"
                value={conditionOf(v)}
                onChange={(c: string) => set(v.index, { when: whenOf(c) })}
                options={[
                  { value: 'manual', label: t('assessment.scheme.vetoes.manual') },
                  ...ESCALATION_STEPS.map((s) => ({
                    value: `escalation:${s}`,
                    label: t('assessment.scheme.vetoes.escalation', { step: t(`supervision.step.${s}`) }),
                  })),
                ]}
              />
            ),
          },
          {
            title: t('assessment.scheme.vetoes.effect'),
            width: 220,
            render: (_, v) => (
              <Select
                aria-label={t('assessment.scheme.vetoes.effectOf', { n: v.index + 1 })}
                className="assessment-select"
                value={v.effect}
                onChange={(e: Veto['effect']) => set(v.index, { effect: e })}
                options={[
                  { value: 'no_top', label: t('assessment.scheme.vetoes.noTop', { tier: first }) },
                  { value: 'fail', label: t('assessment.scheme.vetoes.fail', { tier: lastTier }) },
                ]}
              />
            ),
          },
          removeColumn(t, (i) => onChange(value.filter((_, j) => j !== i)), { aria: 'assessment.scheme.vetoes.removeOf' }),
        ]}
        footer={() => (
          <Button
            size="small"
            disabled={value.length >= 20 || undefined}
            onClick={() =>
              onChange([
                ...value,
                { id: nextId(), label: t('assessment.scheme.vetoes.newVeto'), when: { kind: 'manual' }, effect: 'no_top' },
              ])
            }
          >
            {t('assessment.scheme.vetoes.add')}
          </Button>
        )}
      />
      <SchemeIssueList errors={errors} prefix="vetoes" />
    </section>
  );
}
