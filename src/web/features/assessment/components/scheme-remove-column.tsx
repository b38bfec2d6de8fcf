import { Button } from 'antd';
import type { ColumnType } from 'antd/es/table';
import type { Translate } from '../../../lib/i18n.ts';
import type { MessageKey } from '../../../locales/zh-CN.ts';

/**
 * The 操作 column every scheme table ends with: one 删除 per row. `aria` names the button by its
 * row number (删除第N个等次…) where a page has several such tables, so a screen reader and a test
 * can tell them apart; `disabled` while the table is at its minimum (two tiers, one group).
 */
export function removeColumn<R extends { index: number }>(
  t: Translate,
  onRemove: (index: number) => void,
  options: { aria?: MessageKey; disabled?: boolean } = {},
): ColumnType<R> {
  const { aria, disabled } = options;
  return {
    key: 'remove',
    title: t('assessment.scheme.form.actions'),
    width: 90,
    render: (_, row) => (
      <Button
        size="small"
        danger
        disabled={disabled || undefined}
        aria-label={aria ? t(aria, { n: row.index + 1 }) : undefined}
        onClick={() => onRemove(row.index)}
      >
        {t('assessment.scheme.form.remove')}
      </Button>
    ),
  };
}
