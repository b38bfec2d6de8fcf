import { CloseOutlined, PlusOutlined } from '@ant-design/icons';
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { formatDate, useI18n } from '../../../lib/i18n.ts';
import type { Deadline } from '../extract-model.ts';

export interface DeadlineCellProps {
  deadlines: Deadline[];
  taskNo: number;
  readOnly?: boolean;
  onChange: (index: number, date: string) => void;
  onAdd: (date: string) => void;
  onRemove: (index: number) => void;
  /** The plan's year: a new deadline starts at its year end. */
  year: number | null;
}

/** 完成时限: a date picker per deadline with the plan's own words under it. */
export function DeadlineCell({ deadlines, taskNo, readOnly, onChange, onAdd, onRemove, year }: DeadlineCellProps) {
  const { t, locale } = useI18n();
  const [editing, setEditing] = useState<number | null>(null);
  if (readOnly) {
    if (deadlines.length === 0) return <span className="cell-empty">—</span>;
    return (
      <ul className="cell-list">
        {deadlines.map((d, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: extract items have no ids; edits address them by position.
          <li key={`${d.date}-${i}`}>
            <time dateTime={d.date}>{formatDate(d.date, locale)}</time>
            {d.text && <div className="cell-note">{d.text}</div>}
          </li>
        ))}
      </ul>
    );
  }
  return (
    // Clicks inside edit the row's dates: they should not also re-scroll the document.
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops propagation; the controls inside are the interactive ones.
    // biome-ignore lint/a11y/useKeyWithClickEvents: as above.
    <div className="deadline-cell" onClick={(event) => event.stopPropagation()}>
      <ul className="cell-list">
        {deadlines.map((d, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: extract items have no ids; edits address them by position.
          <li key={`${i}-${d.span[0]}`} className="deadline-item">
            <span className="deadline-row">
              {editing === i ? (
                <DatePicker
                  size="small"
                  autoFocus
                  defaultOpen
                  allowClear={false}
                  value={dayjs(d.date)}
                  format="YYYY-MM-DD"
                  aria-label={t('imports.review.deadlineLabel', { n: taskNo, i: i + 1 })}
                  onChange={(value) => {
                    if (value) onChange(i, value.format('YYYY-MM-DD'));
                    setEditing(null);
                  }}
                  onOpenChange={(open) => !open && setEditing(null)}
                  className="deadline-picker"
                />
              ) : (
                // A plain button until edited: a plan has hundreds of dates, a picker each is heavy.
                <button
                  type="button"
                  className="deadline-value"
                  aria-label={t('imports.review.editDeadline', { n: taskNo, i: i + 1, date: formatDate(d.date, locale) })}
                  onClick={() => setEditing(i)}
                >
                  <time dateTime={d.date}>{d.date}</time>
                </button>
              )}
              <button
                type="button"
                className="icon-button"
                aria-label={t('imports.review.removeDeadline', { n: taskNo, i: i + 1 })}
                onClick={() => onRemove(i)}
              >
                <CloseOutlined aria-hidden />
              </button>
            </span>
            {d.text && <div className="cell-note">{d.text}</div>}
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="unit-add"
        aria-label={t('imports.review.addDeadlineLabel', { n: taskNo })}
        onClick={() => onAdd(`${year ?? new Date().getFullYear()}-12-31`)}
      >
        <PlusOutlined aria-hidden /> {t('imports.review.addDeadline')}
      </button>
    </div>
  );
}
