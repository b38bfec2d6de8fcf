import { EditOutlined } from '@ant-design/icons';
import { Button, Table, type TableColumnsType } from 'antd';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { LedgerRow } from '../../../../shared/schemas/ledger.schema.ts';
import { formatDate, type Locale, type Translate, useI18n } from '../../../lib/i18n.ts';
import { formatLedgerTarget, sectionLabel } from '../ledger-format.ts';
import { LEDGER_COLUMNS, type LedgerColumnKey } from './ledger-columns.ts';
import { StatusTag } from '../../../components/status-tag.tsx';
import './ledger-table.css';

export interface LedgerTableProps {
  rows: LedgerRow[];
  hiddenColumns: readonly LedgerColumnKey[];
  /** Height of the scrolling body; the header stays put above it. */
  height: number;
  loading?: boolean;
  emptyText: string;
  onEdit?: (row: LedgerRow) => void;
  /** Which rows get the edit action; by default those the server marked `canEdit`. */
  isEditable?: (row: LedgerRow) => boolean;
}

function Names({ orgs }: { orgs: { id: string; name: string }[] }) {
  if (orgs.length === 0) return <span className="cell-empty">—</span>;
  return (
    <ul className="cell-list">
      {orgs.map((o) => (
        <li key={o.id}>{o.name}</li>
      ))}
    </ul>
  );
}

/**
 * The ledger as the office's 任务分解表: one row per task × responsible unit. Virtualised (only the
 * rows in view are in the DOM) so that 10,000 rows scroll and filter without stalling.
 */
export const LedgerTable = memo(function LedgerTable({
  rows,
  hiddenColumns,
  height,
  loading,
  emptyText,
  onEdit,
  isEditable = canEditRow,
}: LedgerTableProps) {
  const { t, locale } = useI18n();
  const hasEditable = useMemo(() => rows.some(isEditable), [rows, isEditable]);
  // Built once per language/column choice, not per filter change: antd re-derives its column state from this.
  const columns = useMemo(
    () => buildColumns({ t, locale, hiddenColumns, onEdit: hasEditable ? onEdit : undefined, isEditable }),
    [t, locale, hiddenColumns, hasEditable, onEdit, isEditable],
  );
  // The columns shrink to the table's width (down to a readable minimum) so that at rest nothing sits
  // under the pinned 状态/操作 columns; only a screen too narrow even for the minimums scrolls sideways.
  const holder = useRef<HTMLDivElement>(null);
  const available = useElementWidth(holder);
  const fitted = useMemo(() => fitColumns(columns, available), [columns, available]);
  const width = fitted.reduce((sum, c) => sum + (Number(c.width) || 0), 0);

  return (
    <div ref={holder} className="ledger-table-holder">
      <Table<LedgerRow>
        className="ledger-table"
        rowKey="key"
        size="small"
        bordered
        virtual
        columns={fitted}
        dataSource={rows}
        loading={loading}
        tableLayout="fixed"
        scroll={{ x: width, y: height }}
        pagination={false}
        aria-label={t('ledger.tableLabel')}
        rowClassName={rowClassName}
        locale={{ emptyText }}
      />
    </div>
  );
});

/** The element's content width, kept current as it resizes; 0 before it is measured. */
function useElementWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

// How narrow each shrinkable column may get; the others (序号, 状态, 操作) keep their width.
const MIN_WIDTH: Partial<Record<string, number>> = {
  section: 64,
  text: 150,
  lead: 84,
  responsible: 100,
  cooperating: 72,
  deadlines: 112,
  targets: 120,
  progress: 70,
};
// The table's own borders and the vertical scrollbar of its virtual body.
const CHROME_PX = 12;

/** Columns narrowed in proportion to their slack to fit `available` px, never below MIN_WIDTH. */
export function fitColumns<T>(columns: TableColumnsType<T>, available: number): TableColumnsType<T> {
  const total = columns.reduce((sum, c) => sum + (Number(c.width) || 0), 0);
  const target = available - CHROME_PX;
  if (available <= 0 || total <= target) return columns;
  const slack = columns.reduce((sum, c) => {
    const min = MIN_WIDTH[String(c.key)];
    return min === undefined ? sum : sum + Math.max(0, Number(c.width) - min);
  }, 0);
  if (slack <= 0) return columns;
  const ratio = Math.min(1, (total - target) / slack);
  return columns.map((c) => {
    const min = MIN_WIDTH[String(c.key)];
    if (min === undefined) return c;
    const w = Number(c.width);
    return { ...c, width: Math.floor(w - Math.max(0, w - min) * ratio) };
  });
}

const MAX_TARGET_LINES = 3;
const canEditRow = (row: LedgerRow) => row.canEdit;

const rowClassName = (row: LedgerRow) => (row.isMine ? 'ledger-row-mine' : '');

function buildColumns({
  t,
  locale,
  hiddenColumns,
  onEdit,
  isEditable,
}: {
  t: Translate;
  locale: Locale;
  hiddenColumns: readonly LedgerColumnKey[];
  onEdit?: (row: LedgerRow) => void;
  isEditable: (row: LedgerRow) => boolean;
}): TableColumnsType<LedgerRow> {
  const hidden = new Set<string>(hiddenColumns);

  const render: Record<LedgerColumnKey, (row: LedgerRow) => React.ReactNode> = {
    seq: (row) => row.seq,
    section: (row) => (
      <span className="ledger-section" title={sectionLabel(row)}>
        {sectionLabel(row) || '—'}
      </span>
    ),
    text: (row) => (
      <Link
        to={`/tasks/${row.taskId}`}
        className="ledger-text"
        title={row.text}
        aria-label={`${t('ledger.openTask', { seq: row.seq })}: ${row.text.slice(0, 40)}`}
      >
        {row.text}
      </Link>
    ),
    lead: (row) => <Names orgs={row.lead} />,
    responsible: (row) =>
      row.responsible ? (
        <span>
          {row.responsible.name}
          {row.isMine && <span className="ledger-mine">{t('ledger.mineTag')}</span>}
          {row.viaGroup && <span className="cell-note">{t('ledger.via', { group: row.viaGroup.name })}</span>}
        </span>
      ) : (
        <span className="cell-empty">—</span>
      ),
    cooperating: (row) => <Names orgs={row.cooperating} />,
    deadlines: (row) =>
      row.deadlines.length === 0 ? (
        <span className="cell-empty">—</span>
      ) : (
        <ul className="cell-list">
          {row.deadlines.map((d) => (
            <li key={d}>
              <time dateTime={d}>{formatDate(d, locale)}</time>
            </li>
          ))}
        </ul>
      ),
    targets: (row) =>
      row.targets.length === 0 ? (
        <span className="cell-empty">—</span>
      ) : (
        // At most three lines per row keeps rows short enough to scan; the rest are one click away.
        <ul className="cell-list ledger-targets" title={row.targets.map((x) => formatLedgerTarget(x, t, locale)).join('\n')}>
          {row.targets.slice(0, MAX_TARGET_LINES).map((target) => (
            <li key={target.id}>{formatLedgerTarget(target, t, locale)}</li>
          ))}
          {row.targets.length > MAX_TARGET_LINES && (
            <li className="cell-note">{t('ledger.moreTargets', { count: row.targets.length - MAX_TARGET_LINES })}</li>
          )}
        </ul>
      ),
    status: (row) => <StatusTag status={row.status} />,
    progress: (row) =>
      row.latestProgress ? <span className="ledger-progress">{row.latestProgress}</span> : <span className="cell-empty">—</span>,
  };

  const columns: TableColumnsType<LedgerRow> = LEDGER_COLUMNS.filter((c) => !hidden.has(c.key)).map((c) => ({
    key: c.key,
    title: t(c.title),
    width: c.width,
    fixed: c.key === 'seq' ? 'start' : c.key === 'status' ? 'end' : undefined,
    align: c.key === 'seq' ? 'center' : undefined,
    render: (_: unknown, row: LedgerRow) => render[c.key](row),
  }));
  if (onEdit) {
    columns.push({
      key: 'actions',
      title: t('ledger.col.actions'),
      width: 100,
      fixed: 'end',
      render: (_: unknown, row: LedgerRow) =>
        isEditable(row) ? (
          <Button
            type="link"
            size="small"
            icon={<EditOutlined aria-hidden />}
            aria-label={t('ledger.editStatusFor', { seq: row.seq, unit: row.responsible?.name ?? '—' })}
            onClick={() => onEdit(row)}
          >
            {t('ledger.editStatus')}
          </Button>
        ) : null,
    });
  }
  return columns;
}
