import { DELIVERY_STATUSES, type DeliveryStatus } from '../../shared/enums.ts';
import { isCalendarDate } from '../../shared/schemas/common.schema.ts';
import type { LedgerFilter } from '../../shared/schemas/ledger.schema.ts';

/**
 * The ledger's whole view state lives in the URL under the API's own LedgerFilter names, so a
 * dashboard link, a reload, a shared link and the Excel export all mean the same rows.
 */
export const LEDGER_FILTER_KEYS = ['planId', 'sectionId', 'leadOrgId', 'orgId', 'status', 'dueFrom', 'dueTo', 'q', 'mine'] as const;

const isStatus = (value: string): value is DeliveryStatus => (DELIVERY_STATUSES as readonly string[]).includes(value);

/** Reads a LedgerFilter from query parameters, dropping what is malformed rather than failing the page. */
export function parseLedgerFilter(params: URLSearchParams): LedgerFilter {
  const filter: LedgerFilter = {};
  for (const key of ['planId', 'sectionId', 'leadOrgId', 'orgId'] as const) {
    const value = params.get(key)?.trim();
    if (value) filter[key] = value;
  }
  const status = params.get('status');
  if (status && isStatus(status)) filter.status = status;
  for (const key of ['dueFrom', 'dueTo'] as const) {
    const value = params.get(key);
    // The API's own date rule: a link with dueFrom=2018-02-30 drops the filter instead of a 400.
    if (value && isCalendarDate(value)) filter[key] = value;
  }
  const q = params.get('q')?.trim();
  if (q) filter.q = q.slice(0, 200);
  const mine = params.get('mine');
  if (mine === '1' || mine === 'true') filter.mine = true;
  return filter;
}

/** The query string for a filter (no leading "?"), in a stable key order; `mine` as 1. */
export function ledgerSearch(filter: LedgerFilter, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const key of LEDGER_FILTER_KEYS) {
    const value = filter[key];
    if (value === undefined || value === '' || value === false) continue;
    params.set(key, value === true ? '1' : String(value));
  }
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params.toString();
}

/** `/ledger?…` for a filter: what every dashboard number links to. */
export function ledgerHref(filter: LedgerFilter): string {
  const search = ledgerSearch(filter);
  return search ? `/ledger?${search}` : '/ledger';
}

/** The Excel export of exactly these rows: the same filter names, plus the date they were computed for. */
export function ledgerExportHref(filter: LedgerFilter, asOf?: string): string {
  return `/api/ledger/export.xlsx?${ledgerSearch(filter, { asOf })}`;
}

/** Whether any filter narrows the rows (the plan choice alone does not). */
export function hasNarrowingFilter(filter: LedgerFilter): boolean {
  return LEDGER_FILTER_KEYS.some((key) => key !== 'planId' && filter[key] !== undefined);
}
