import { Alert, Button, ConfigProvider, Input, InputNumber, Select, Space, Table } from 'antd';
import { RULE_KINDS, SCHEME_FULL_MARKS, schemeIssues } from '../../../../shared/schemas/assessment.schema.ts';
import { useOrganisations } from '../../../lib/api/organisations.api.ts';
import { useI18n } from '../../../lib/i18n.ts';
import type { SchemeBody } from '../api/assessment.api.ts';
import { SchemeGroupsEditor, SchemeMultipliersEditor } from './scheme-groups-editor.tsx';
import { fieldStatus, SchemeIssueList } from './scheme-issue-list.tsx';
import { SchemeTiersEditor, SchemeYearEndEditor } from './scheme-tiers-editor.tsx';
import { SchemeVetoesEditor } from './scheme-vetoes-editor.tsx';
import { removeColumn } from './scheme-remove-column.tsx';

type Category = SchemeBody['categories'][number];
type Rule = SchemeBody['rules'][number];

/**
 * The scheme as a form: its categories (with their points, the weights), its measures (rules),
 * vetoes, tiers, peer groups, multipliers and year-end weights, each section checked as it is typed
 * against the shared zod schema (`schemeIssues`, the rules the server applies), with the categories'
 * total against the full marks. `readOnly`: a frozen scheme, shown with every control disabled.
 */
export function SchemeForm({
  value,
  onChange,
  readOnly = false,
}: {
  value: SchemeBody;
  onChange: (next: SchemeBody) => void;
  readOnly?: boolean;
}) {
  const { t } = useI18n();
  const organisations = useOrganisations();
  const orgs = organisations.data?.items ?? [];
  const { errors, pointsTotal } = schemeIssues(value);
  const setCategory = (i: number, patch: Partial<Category>) =>
    onChange({ ...value, categories: value.categories.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const setRule = (i: number, patch: Partial<Rule>) =>
    onChange({ ...value, rules: value.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const nextId = (prefix: string, ids: string[]) => {
    let n = ids.length + 1;
    while (ids.includes(`${prefix}${n}`)) n++;
    return `${prefix}${n}`;
  };
  // A frozen scheme disables every control at once; an explicit `disabled={false}` would win over
  // it, so the editors' own conditions pass `cond || undefined`.
  return (
    <ConfigProvider componentDisabled={readOnly}>
      <div className="scheme-form">
        <h2>{t('assessment.scheme.categories')}</h2>
        <Table<Category & { index: number }>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={value.categories.map((c, index) => ({ ...c, index }))}
          columns={[
            {
              title: t('assessment.scheme.form.label'),
              render: (_, c) => (
                <Input
                  aria-label={t('assessment.scheme.form.categoryLabel', { n: c.index + 1 })}
                  value={c.label}
                  onChange={(e) => setCategory(c.index, { label: e.target.value })}
                />
              ),
            },
            {
              title: t('assessment.scheme.form.weight'),
              width: 140,
              render: (_, c) => (
                <InputNumber
                  aria-label={t('assessment.scheme.form.categoryPoints', { n: c.index + 1 })}
                  min={0}
                  max={1000}
                  value={c.points}
                  onChange={(v) => setCategory(c.index, { points: v ?? 0 })}
                />
              ),
            },
            removeColumn(t, (i) => onChange({ ...value, categories: value.categories.filter((_, j) => j !== i) })),
          ]}
          footer={() => (
            <Space>
              <Button
                size="small"
                onClick={() =>
                  onChange({
                    ...value,
                    categories: [
                      ...value.categories,
                      {
                        id: nextId(
                          'c',
                          value.categories.map((c) => c.id),
                        ),
                        label: t('assessment.scheme.form.newCategory'),
                        points: 0,
                      },
                    ],
                  })
                }
              >
                {t('assessment.scheme.form.addCategory')}
              </Button>
              <span>{t('assessment.scheme.form.total', { n: pointsTotal ?? 0, full: SCHEME_FULL_MARKS })}</span>
            </Space>
          )}
        />
        <SchemeIssueList errors={errors} prefix="categories" />
        {pointsTotal !== null && pointsTotal !== SCHEME_FULL_MARKS && (
          <Alert type="warning" showIcon title={t('assessment.scheme.form.totalOff', { n: pointsTotal, full: SCHEME_FULL_MARKS })} />
        )}
        <h2>{t('assessment.scheme.rules')}</h2>
        <Table<Rule & { index: number }>
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={value.rules.map((r, index) => ({ ...r, index }))}
          columns={[
            {
              title: t('assessment.scheme.form.label'),
              render: (_, r) => (
                <Input
                  aria-label={t('assessment.scheme.form.ruleLabel', { n: r.index + 1 })}
                  value={r.label}
                  onChange={(e) => setRule(r.index, { label: e.target.value })}
                />
              ),
            },
            {
              title: t('assessment.scheme.categories'),
              width: 160,
              render: (_, r) => (
                <Select
                  aria-label={t('assessment.scheme.form.ruleCategory', { n: r.index + 1 })}
                  className="assessment-select"
                  value={r.categoryId}
                  onChange={(v: string) => setRule(r.index, { categoryId: v })}
                  options={value.categories.map((c) => ({ value: c.id, label: c.label }))}
                />
              ),
            },
            {
              title: t('assessment.scheme.form.kind'),
              width: 200,
              render: (_, r) => (
                <Select
                  aria-label={t('assessment.scheme.form.ruleKind', { n: r.index + 1 })}
                  className="assessment-select"
                  value={r.kind}
                  onChange={(v: Rule['kind']) => setRule(r.index, { kind: v })}
                  options={RULE_KINDS.map((k) => ({ value: k, label: t(`assessment.ruleKind.${k}`) }))}
                />
              ),
            },
            {
              title: t('assessment.scheme.form.points'),
              width: 120,
              render: (_, r) =>
                r.kind === 'manual' || r.kind === 'bonus' ? (
                  <InputNumber
                    aria-label={t('assessment.scheme.form.ruleMax', { n: r.index + 1 })}
                    min={0}
                    max={1000}
                    value={r.max}
                    onChange={(v) => setRule(r.index, { max: v ?? 0 })}
                  />
                ) : (
                  <InputNumber
                    aria-label={t('assessment.scheme.form.rulePoints', { n: r.index + 1 })}
                    min={-1000}
                    max={1000}
                    value={r.points}
                    onChange={(v) => setRule(r.index, { points: v ?? 0 })}
                  />
                ),
            },
            removeColumn(t, (i) => onChange({ ...value, rules: value.rules.filter((_, j) => j !== i) })),
          ]}
          footer={() => (
            <Button
              size="small"
              disabled={value.categories.length === 0 || undefined}
              onClick={() =>
                onChange({
                  ...value,
                  rules: [
                    ...value.rules,
                    {
                      id: nextId(
                        'r',
                        value.rules.map((r) => r.id),
                      ),
                      categoryId: value.categories[0]!.id,
                      kind: 'report_missing',
                      label: t('assessment.scheme.form.newRule'),
                      points: -1,
                    },
                  ],
                })
              }
            >
              {t('assessment.scheme.form.addRule')}
            </Button>
          )}
        />
        <SchemeIssueList errors={errors} prefix="rules" />
        <SchemeVetoesEditor
          value={value.vetoes}
          tiers={value.tiers.tiers}
          errors={errors}
          onChange={(vetoes) => onChange({ ...value, vetoes })}
        />
        <SchemeTiersEditor value={value.tiers} errors={errors} onChange={(tiers) => onChange({ ...value, tiers })} />
        <Space className="assessment-section">
          <span>{t('assessment.scheme.honourCount')}</span>
          <InputNumber
            aria-label={t('assessment.scheme.honourCount')}
            min={0}
            max={50}
            precision={0}
            value={value.honourCount}
            status={fieldStatus(errors, 'honourCount')}
            onChange={(v) => onChange({ ...value, honourCount: v ?? 0 })}
          />
        </Space>
        <SchemeGroupsEditor
          value={value.groups}
          organisations={orgs}
          errors={errors}
          onChange={(groups) => onChange({ ...value, groups })}
        />
        <SchemeMultipliersEditor
          value={value.multipliers}
          groups={value.groups}
          organisations={orgs}
          errors={errors}
          onChange={(multipliers) => onChange({ ...value, multipliers })}
        />
        <SchemeYearEndEditor
          value={value.yearEnd}
          errors={errors}
          onChange={(yearEnd) => {
            const { yearEnd: _, ...rest } = value;
            onChange(yearEnd ? { ...rest, yearEnd } : rest);
          }}
        />
        <SchemeIssueList errors={errors} prefix="honourCount" />
        {errors.length > 0 && (
          <Alert
            className="assessment-section"
            type="error"
            showIcon
            title={t('assessment.scheme.form.invalid')}
            description={t('assessment.scheme.form.invalidCount', { n: errors.length })}
          />
        )}
      </div>
    </ConfigProvider>
  );
}
