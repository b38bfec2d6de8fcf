import { AlertOutlined, FileExcelOutlined, PrinterOutlined, SettingOutlined } from '@ant-design/icons';
import { Button, Checkbox, Empty, Pagination, Popover, Select, Space, Tooltip, Typography } from 'antd';
import { type ComponentType, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { filterLedgerRows, ledgerSearch } from '../../../../shared/ledger-filter.ts';
import { todayInShanghai } from '../../../../shared/china-date.ts';
import {
  LEDGER_PAGE_SIZE_MAX,
  type LedgerFilter,
  type LedgerRow,
  type LedgerSort,
  type OrgRef,
  parseLedgerFilterParams,
} from '../../../../shared/schemas/ledger.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { PageSpinner } from '../../../components/page-spinner.tsx';
import { formatDate, formatNumber, useI18n } from '../../../lib/i18n.ts';
import { useCurrentSession } from '../../../lib/session.ts';
import { usePlan, usePlans } from '../../../lib/api/plans.api.ts';
import { useLedgerPage } from '../../../lib/api/ledger.api.ts';
import { ledgerExportHref } from '../../../lib/ledger-url.ts';
import { LEDGER_COLUMNS, type LedgerColumnKey, readHiddenColumns, writeHiddenColumns } from './ledger-columns.ts';
import { LedgerTable } from './ledger-table.tsx';
import { LedgerToolbar } from './ledger-toolbar.tsx';
import { type StatusEditTarget, StatusEditModal } from '../../../components/status-edit-modal.tsx';
import './ledger-page.css';

/** Filters the rows with the server's own function; times it for the benchmark (performance.measure). */
export function useFilteredRows(rows: readonly LedgerRow[] | undefined, filter: LedgerFilter): LedgerRow[] {
  return useMemo(() => {
    if (!rows) return [];
    const start = performance.now();
    const result = filterLedgerRows(rows, filter);
    performance.measure?.('ledger-filter', { start, end: performance.now() });
    return result;
  }, [rows, filter]);
}

/** Room for the table body: the window below the table's top, less the page's bottom padding. */
function useBodyHeight(ref: React.RefObject<HTMLElement | null>): number {
  const [height, setHeight] = useState(480);
  useEffect(() => {
    const measure = () => {
      const top = ref.current?.getBoundingClientRect().top ?? 240;
      // The header row (~40 px) sits above the scrolling body.
      setHeight(Math.max(320, Math.floor(window.innerHeight - top - 40 - 24)));
    };
    measure();
    window.addEventListener('resize', measure);
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    if (ref.current?.parentElement) observer?.observe(ref.current.parentElement);
    return () => {
      window.removeEventListener('resize', measure);
      observer?.disconnect();
    };
  }, [ref]);
  return height;
}

function ColumnChooser({ hidden, onChange }: { hidden: LedgerColumnKey[]; onChange: (hidden: LedgerColumnKey[]) => void }) {
  const { t } = useI18n();
  const choosable = LEDGER_COLUMNS.filter((c) => !('fixed' in c));
  const visible = choosable.map((c) => c.key).filter((k) => !hidden.includes(k));
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={t('ledger.columnsLabel')}
      content={
        <Checkbox.Group
          className="ledger-column-chooser"
          aria-label={t('ledger.columnsLabel')}
          value={visible}
          options={choosable.map((c) => ({ value: c.key, label: t(c.title) }))}
          onChange={(checked) => onChange(choosable.map((c) => c.key).filter((k) => !checked.includes(k)))}
        />
      }
    >
      <Button icon={<SettingOutlined aria-hidden />} aria-haspopup="dialog">
        {t('ledger.columns')}
      </Button>
    </Popover>
  );
}

/**
 * The dialog that issues 督办 on the filtered rows. It belongs to the supervision feature; the router
 * (src/web/app/router.tsx) passes it in, so the ledger feature imports no other feature.
 */
export type SuperviseRowsDialog = ComponentType<{ open: boolean; onClose: () => void; prefill: readonly LedgerRow[] }>;

/**
 * Rows a page of the web ledger holds: the server's largest page, so a city's ledger (a few
 * hundred rows) is one page the virtualised table scrolls, and a province's pages through.
 */
export const WEB_LEDGER_PAGE_SIZE = LEDGER_PAGE_SIZE_MAX;

/** The view state besides the filter, kept in the URL next to it: sort and page. */
function viewOf(params: URLSearchParams): { sort?: LedgerSort; page: number } {
  const page = Number(params.get('page'));
  return { sort: params.get('sort') === 'due' ? 'due' : undefined, page: Number.isInteger(page) && page > 1 ? page : 1 };
}

/**
 * /ledger — the 台账: every task × responsible unit of a plan, filtered by the URL. The server
 * filters, sorts, counts and pages (GET /api/ledger/page, the shared filter's SQL); the choices of
 * the unit selects and their counts are its facets.
 */
export function LedgerPage({ superviseDialog: SuperviseDialog }: { superviseDialog?: SuperviseRowsDialog }) {
  const { t, locale } = useI18n();
  const session = useCurrentSession();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const urlFilter = useMemo(() => parseLedgerFilterParams(params), [params]);
  const plans = usePlans();
  const planList = useMemo(
    () => (plans.data?.items ?? []).filter((p) => p.status === 'active' || p.id === urlFilter.planId),
    [plans.data, urlFilter.planId],
  );
  const planId = urlFilter.planId ?? planList[0]?.id;
  const filter = useMemo<LedgerFilter>(() => ({ ...urlFilter, planId }), [urlFilter, planId]);
  const view = useMemo(() => viewOf(params), [params]);
  const ledger = useLedgerPage(filter, { ...view, pageSize: WEB_LEDGER_PAGE_SIZE });
  const plan = usePlan(planId ?? '');
  const rows = useMemo(() => ledger.data?.rows ?? [], [ledger.data]);
  const [hidden, setHidden] = useState<LedgerColumnKey[]>(readHiddenColumns);
  const [editing, setEditing] = useState<StatusEditTarget | null>(null);
  const [supervising, setSupervising] = useState(false);
  const tableRef = useRef<HTMLDivElement>(null);
  const bodyHeight = useBodyHeight(tableRef);

  // A changed filter starts again at page 1; the sort stays.
  const update = useCallback(
    (changes: Partial<LedgerFilter>) =>
      setParams((prev) => ledgerSearch({ ...parseLedgerFilterParams(prev), ...changes }, { sort: viewOf(prev).sort }), { replace: true }),
    [setParams],
  );
  const setView = (next: { sort?: LedgerSort; page?: number }) =>
    setParams(
      (prev) => {
        const sort = 'sort' in next ? next.sort : viewOf(prev).sort;
        const page = next.page ?? 1;
        return ledgerSearch(parseLedgerFilterParams(prev), { sort, page: page > 1 ? String(page) : undefined });
      },
      { replace: true },
    );
  const reset = () => setParams(ledgerSearch({ planId: urlFilter.planId }, { sort: view.sort }), { replace: true });
  const onEdit = useCallback((row: LedgerRow) => setEditing({ taskId: row.taskId, seq: row.seq }), []);
  // A status is the task's, shared by all its rows; a department or county changes it from its own
  // rows (isMine), not from another county's, even where the task policy would let it.
  const isScoped = session.user.role === 'lead' || session.user.role === 'unit';
  const isEditable = useCallback((row: LedgerRow) => row.canEdit && (!isScoped || row.isMine), [isScoped]);
  const onHiddenChange = (next: LedgerColumnKey[]) => {
    setHidden(next);
    writeHiddenColumns(next);
  };

  const leads: OrgRef[] = ledger.data?.facets.lead ?? [];
  const orgs: OrgRef[] = ledger.data?.facets.org ?? [];

  if (plans.isPending) return <PageSpinner />;
  if (plans.isError) return <ErrorResult error={plans.error} onRetry={() => plans.refetch()} />;
  if (!planId) {
    return (
      <div className="ledger-page">
        <Typography.Title level={1} className="page-title">
          {t('ledger.title')}
        </Typography.Title>
        <Empty description={t('ledger.noPlans')} />
      </div>
    );
  }

  const asOf = ledger.data?.asOf ?? todayInShanghai();
  const total = ledger.data?.unfiltered ?? 0;
  const kept = ledger.data?.total ?? 0;
  const isMineView = Boolean(filter.mine);
  const printSearch = ledgerSearch(filter);

  return (
    <div className="ledger-page">
      <div className="ledger-head">
        <div className="ledger-head-title">
          <Typography.Title level={1} className="page-title">
            {isMineView ? t('ledger.mineTitle') : t('ledger.title')}
          </Typography.Title>
          <Typography.Text type="secondary" className="ledger-plan-title">
            {planList.find((p) => p.id === planId)?.title}
          </Typography.Text>
        </div>
        <Space wrap size="small" className="ledger-head-actions">
          <output className="ledger-count" aria-live="polite">
            {!ledger.data
              ? null
              : kept === total
                ? t('ledger.count', { count: formatNumber(kept, locale) })
                : t('ledger.countOf', { count: formatNumber(kept, locale), total: formatNumber(total, locale) })}
          </output>
          <Typography.Text type="secondary" className="ledger-asof">
            {t('ledger.asOf', { date: formatDate(asOf, locale) })}
          </Typography.Text>
          <Select
            aria-label={t('ledger.sort')}
            className="ledger-sort"
            value={view.sort ?? 'default'}
            options={[
              { value: 'default', label: t('ledger.sortDefault') },
              { value: 'due', label: t('ledger.sortDue') },
            ]}
            onChange={(sort: LedgerSort) => setView({ sort: sort === 'default' ? undefined : sort })}
            popupMatchSelectWidth={false}
          />
          <ColumnChooser hidden={hidden} onChange={onHiddenChange} />
          {session.user.role === 'admin' && (
            <Tooltip title={t('supervision.ledgerButtonHint', { count: rows.length })}>
              <Button icon={<AlertOutlined aria-hidden />} onClick={() => setSupervising(true)} disabled={!ledger.data}>
                {t('supervision.ledgerButton')}
              </Button>
            </Tooltip>
          )}
          <Tooltip title={t('ledger.printHint')}>
            <Button icon={<PrinterOutlined aria-hidden />} onClick={() => navigate(`/ledger/print?${printSearch}`)}>
              {t('ledger.print')}
            </Button>
          </Tooltip>
          <Tooltip title={t('ledger.exportHint', { count: kept })}>
            <Button type="primary" icon={<FileExcelOutlined aria-hidden />} href={ledgerExportHref(filter, ledger.data?.asOf)} download>
              {t('ledger.export')}
            </Button>
          </Tooltip>
        </Space>
      </div>
      <LedgerToolbar
        filter={filter}
        onChange={update}
        onReset={reset}
        plans={planList}
        sections={plan.data?.sections ?? []}
        leads={leads}
        orgs={orgs}
        asOf={asOf}
        showMine={session.user.role === 'lead' || session.user.role === 'unit'}
      />
      <div ref={tableRef}>
        {ledger.isError ? (
          <ErrorResult error={ledger.error} onRetry={() => ledger.refetch()} />
        ) : (
          <LedgerTable
            rows={rows}
            hiddenColumns={hidden}
            height={bodyHeight}
            loading={ledger.isPending}
            emptyText={t('ledger.empty')}
            onEdit={onEdit}
            isEditable={isEditable}
          />
        )}
        {kept > WEB_LEDGER_PAGE_SIZE && (
          <Pagination
            className="ledger-pagination"
            size="small"
            current={view.page}
            pageSize={WEB_LEDGER_PAGE_SIZE}
            total={kept}
            showSizeChanger={false}
            onChange={(page) => setView({ page })}
          />
        )}
      </div>
      <StatusEditModal target={editing} onClose={() => setEditing(null)} />
      {session.user.role === 'admin' && SuperviseDialog && (
        <SuperviseDialog open={supervising} onClose={() => setSupervising(false)} prefill={rows} />
      )}
    </div>
  );
}
