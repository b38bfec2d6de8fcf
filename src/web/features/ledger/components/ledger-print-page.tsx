import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ledgerSearch } from '../../../../shared/ledger-filter.ts';
import { parseLedgerFilterParams } from '../../../../shared/schemas/ledger.schema.ts';
import { ErrorResult } from '../../../components/error-result.tsx';
import { PageSpinner } from '../../../components/page-spinner.tsx';
import { formatDate, formatDateTime, useI18n } from '../../../lib/i18n.ts';
import { jurisdictionWords } from '../../../lib/jurisdiction-words.ts';
import { usePlans } from '../../../lib/api/plans.api.ts';
import { useLedger } from '../../../lib/api/ledger.api.ts';
import { formatLedgerTarget, sectionLabel } from '../ledger-format.ts';
import { useFilteredRows } from './ledger-page.tsx';
import './ledger-print-page.css';

/**
 * /ledger/print?… — every filtered row as a plain table (no virtualisation, no app chrome) for
 * paper: A4 landscape, the header repeated on each page.
 */
export function LedgerPrintPage() {
  const { t, locale } = useI18n();
  const [params] = useSearchParams();
  const urlFilter = useMemo(() => parseLedgerFilterParams(params), [params]);
  const plans = usePlans();
  const plan = (plans.data?.items ?? []).find((p) => p.id === urlFilter.planId) ?? plans.data?.items.find((p) => p.status === 'active');
  const filter = useMemo(() => ({ ...urlFilter, planId: plan?.id }), [urlFilter, plan?.id]);
  const ledger = useLedger(plan?.id);
  const rows = useFilteredRows(ledger.data?.rows, filter);

  if (plans.isPending || (plan && ledger.isPending)) return <PageSpinner />;
  if (plans.isError) return <ErrorResult error={plans.error} onRetry={() => plans.refetch()} />;
  if (ledger.isError) return <ErrorResult error={ledger.error} onRetry={() => ledger.refetch()} />;

  const filters = [
    filter.status && `${t('ledger.status')}=${t(`status.${filter.status}`)}`,
    (filter.dueFrom || filter.dueTo) && `${t('ledger.due')}=${filter.dueFrom ?? '…'}~${filter.dueTo ?? '…'}`,
    filter.q && `${t('ledger.search')}=“${filter.q}”`,
    filter.mine && t('ledger.mine'),
    filter.sectionId &&
      `${t('ledger.section')}=${sectionLabel(rows.find((r) => r.sectionId === filter.sectionId) ?? { sectionPath: [], sectionTitle: null })}`,
    filter.orgId &&
      `${t('ledger.org', jurisdictionWords(plan?.jurisdictionLevel, t))}=${rows.find((r) => r.responsible?.id === filter.orgId)?.responsible?.name ?? ''}`,
    filter.leadOrgId && `${t('ledger.lead')}=${rows[0]?.lead.find((o) => o.id === filter.leadOrgId)?.name ?? ''}`,
  ].filter(Boolean);

  return (
    <main className="ledger-print">
      <Space className="ledger-print-actions" size="middle">
        <Link to={`/ledger?${ledgerSearch(urlFilter)}`}>
          <ArrowLeftOutlined aria-hidden /> {t('print.back')}
        </Link>
        <Button type="primary" icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()}>
          {t('print.print')}
        </Button>
      </Space>
      <h1>{plan?.title ?? t('ledger.title')}</h1>
      <p className="ledger-print-meta">
        <span>{t('print.filters', { filters: filters.length ? filters.join('；') : t('print.noFilters') })}</span>
        <span>{t('ledger.count', { count: rows.length })}</span>
        <span>{t('ledger.asOf', { date: formatDate(ledger.data?.asOf, locale) })}</span>
        <span>{t('print.generated', { time: formatDateTime(new Date().toISOString(), locale) })}</span>
      </p>
      <table className="ledger-print-table">
        <thead>
          <tr>
            <th scope="col">{t('ledger.col.seq')}</th>
            <th scope="col">{t('ledger.col.section')}</th>
            <th scope="col">{t('ledger.col.text')}</th>
            <th scope="col">{t('ledger.col.lead')}</th>
            <th scope="col">{t('ledger.col.responsible')}</th>
            <th scope="col">{t('ledger.col.cooperating')}</th>
            <th scope="col">{t('ledger.col.deadlines')}</th>
            <th scope="col">{t('ledger.col.targets')}</th>
            <th scope="col">{t('ledger.col.status')}</th>
            <th scope="col">{t('ledger.col.progress')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <td className="num">{row.seq}</td>
              <td>{sectionLabel(row)}</td>
              <td>{row.text}</td>
              <td>{row.lead.map((o) => o.name).join('、')}</td>
              <td>
                {row.responsible?.name ?? '—'}
                {row.viaGroup && <div className="note">{t('ledger.via', { group: row.viaGroup.name })}</div>}
              </td>
              <td>{row.cooperating.map((o) => o.name).join('、')}</td>
              <td>{row.deadlines.map((d) => formatDate(d, locale)).join('；')}</td>
              <td>
                {row.targets.map((target) => (
                  <div key={target.id}>{formatLedgerTarget(target, t, locale)}</div>
                ))}
              </td>
              <td>{t(`status.${row.status}`)}</td>
              <td>{row.latestProgress ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p>{t('ledger.empty')}</p>}
    </main>
  );
}
