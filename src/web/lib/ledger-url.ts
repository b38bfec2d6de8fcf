import { LEDGER_FILTER_KEYS, ledgerSearch } from '../../shared/ledger-filter.ts';
import type { LedgerFilter } from '../../shared/schemas/ledger.schema.ts';

/**
 * The ledger's whole view state lives in the URL under the API's own LedgerFilter names, so a
 * dashboard link, a reload, a shared link and the Excel export all mean the same rows. The names,
 * the reader (parseLedgerFilterParams) and the writer (ledgerSearch) are shared with the server;
 * these are the web's links on top of them.
 */

/** `/ledger?…` for a filter: what every dashboard number links to. */
export function ledgerHref(filter: LedgerFilter): string {
  const search = ledgerSearch(filter);
  return search ? `/ledger?${search}` : '/ledger';
}

/** The Excel export of exactly these rows: the same filter names, plus the date they were computed for. */
export function ledgerExportHref(filter: LedgerFilter, asOf?: string): string {
  return `/api/ledger/export.xlsx?${ledgerSearch(filter, { asOf })}`;
}

/** Whether any filter narrows the rows (the plan choice alone does not); what ledgerSearch leaves out does not. */
export function hasNarrowingFilter(filter: LedgerFilter): boolean {
  return LEDGER_FILTER_KEYS.some((key) => {
    const value = filter[key];
    return key !== 'planId' && value !== undefined && value !== '' && value !== false;
  });
}
