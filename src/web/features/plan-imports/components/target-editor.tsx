import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Input, InputNumber, Select } from 'antd';
import { COMPARATORS } from '../../../../shared/enums.ts';
import { formatNumber, type Locale, type Translate, useI18n } from '../../../lib/i18n.ts';
import type { Comparator, Target } from '../extract-model.ts';

export interface TargetEditorProps {
  targets: Target[];
  taskNo: number;
  jurisdictionOptions: { value: string; label: string }[];
  readOnly?: boolean;
  onChange: (index: number, change: Partial<Target>) => void;
  onAdd: () => void;
  onRemove: (index: number) => void;
}

const COMPARATOR_SIGNS: Record<Comparator, string> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<', '=': '=' };

/** "甲区 · 地下综合管廊 ≥ 9 公里": one line per target for the table cell. */
export function targetLine(target: Target, t: Translate, locale: Locale): { place: string; amount: string; metric: string } {
  const value =
    target.max !== undefined && target.max !== target.value
      ? t('target.range', { min: formatNumber(target.value, locale), max: formatNumber(target.max, locale) })
      : formatNumber(target.value, locale);
  const sign = target.comparator === '=' ? '' : `${COMPARATOR_SIGNS[target.comparator]} `;
  return {
    place: target.jurisdictions.length > 0 ? target.jurisdictions.join('、') : t('target.cityWide'),
    metric: target.metric,
    amount: `${sign}${value}${target.unit === '%' || locale !== 'en' ? '' : ' '}${target.unit}`,
  };
}

/** 量化指标 per district as rows of fields: where, what, comparator, how much, unit. */
export function TargetEditor({ targets, taskNo, jurisdictionOptions, readOnly, onChange, onAdd, onRemove }: TargetEditorProps) {
  const { t } = useI18n();
  const label = (field: string, i: number) => t('imports.review.targetField', { field, n: taskNo, i: i + 1 });
  const comparatorOptions = COMPARATORS.map((c) => ({ value: c, label: `${COMPARATOR_SIGNS[c]} ${t(`comparator.${c}`)}`.trim() }));
  return (
    <div className="target-editor">
      {targets.length === 0 ? (
        <p className="cell-empty">{t('imports.review.noTargets')}</p>
      ) : (
        <table className="target-grid">
          <caption className="visually-hidden">{t('imports.review.targetsHeading', { n: taskNo })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('imports.review.jurisdiction')}</th>
              <th scope="col">{t('imports.review.metric')}</th>
              <th scope="col">{t('imports.review.comparator')}</th>
              <th scope="col">{t('imports.review.value')}</th>
              <th scope="col">{t('imports.review.max')}</th>
              <th scope="col">{t('imports.review.unit')}</th>
              <th scope="col">{t('imports.review.source')}</th>
              {!readOnly && (
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {targets.map((target, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: extract items have no ids; edits address them by position.
              <tr key={`${i}-${target.span[0]}`}>
                <td>
                  <Select
                    mode="tags"
                    size="small"
                    disabled={readOnly}
                    aria-label={label(t('imports.review.jurisdiction'), i)}
                    placeholder={t('target.cityWide')}
                    value={target.jurisdictions}
                    options={jurisdictionOptions}
                    onChange={(value: string[]) => onChange(i, { jurisdictions: value })}
                    style={{ width: '100%', minWidth: 140 }}
                  />
                </td>
                <td>
                  <Input
                    size="small"
                    disabled={readOnly}
                    aria-label={label(t('imports.review.metric'), i)}
                    value={target.metric}
                    onChange={(e) => onChange(i, { metric: e.target.value })}
                  />
                </td>
                <td>
                  <Select
                    size="small"
                    disabled={readOnly}
                    aria-label={label(t('imports.review.comparator'), i)}
                    value={target.comparator}
                    options={comparatorOptions}
                    onChange={(value: Comparator) => onChange(i, { comparator: value })}
                    popupMatchSelectWidth={false}
                    style={{ width: 96 }}
                  />
                </td>
                <td>
                  <InputNumber
                    size="small"
                    disabled={readOnly}
                    aria-label={label(t('imports.review.value'), i)}
                    value={target.value}
                    onChange={(value) => typeof value === 'number' && onChange(i, { value })}
                    style={{ width: 84 }}
                  />
                </td>
                <td>
                  <InputNumber
                    size="small"
                    disabled={readOnly}
                    aria-label={label(t('imports.review.max'), i)}
                    value={target.max ?? null}
                    onChange={(value) => onChange(i, { max: typeof value === 'number' ? value : undefined })}
                    style={{ width: 72 }}
                  />
                </td>
                <td>
                  <Input
                    size="small"
                    disabled={readOnly}
                    aria-label={label(t('imports.review.unit'), i)}
                    value={target.unit}
                    onChange={(e) => onChange(i, { unit: e.target.value })}
                    style={{ width: 64 }}
                  />
                </td>
                <td className="target-source">{target.text || '—'}</td>
                {!readOnly && (
                  <td>
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined aria-hidden />}
                      aria-label={label(t('imports.review.removeTarget'), i)}
                      onClick={() => onRemove(i)}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!readOnly && (
        <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={onAdd} className="target-add">
          {t('imports.review.addTarget')}
        </Button>
      )}
    </div>
  );
}
