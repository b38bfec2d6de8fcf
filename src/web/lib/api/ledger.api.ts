import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { todayInShanghai } from '../../../shared/china-date.ts';
import type { LedgerFilter, LedgerPageResponse, LedgerResponse, LedgerSort } from '../../../shared/schemas/ledger.schema.ts';
import { ledgerSearch } from '../../../shared/ledger-filter.ts';
import { api } from '../api-client.ts';
import { useSettings } from './settings.api.ts';

/** React Query keys of ledger data (one entry per plan). */
export const ledgerKeys = {
  all: ['ledger'] as const,
  plan: (planId: string) => ['ledger', planId] as const,
};

/**
 * All rows of a plan, once: filtering happens in the browser with the server's own
 * filterLedgerRows, so changing a filter never waits for the network.
 */
export function useLedger(planId: string | undefined) {
  return useQuery({
    queryKey: ledgerKeys.plan(planId ?? ''),
    queryFn: ({ signal }) => api.get<LedgerResponse>('/ledger', { planId }, signal),
    enabled: Boolean(planId),
    staleTime: 30_000,
  });
}

/**
 * One page of the filtered ledger (GET /api/ledger/page): the server filters, sorts, counts and
 * pages in SQL. While the next page or filter loads the previous answer stays on screen
 * (placeholderData), so typing in the search box never blanks the table.
 */
export function useLedgerPage(filter: LedgerFilter, view: { sort?: LedgerSort; page: number; pageSize: number }) {
  const search = ledgerSearch(filter, { sort: view.sort, page: String(view.page), pageSize: String(view.pageSize) });
  return useQuery({
    queryKey: [...ledgerKeys.all, 'page', search] as const,
    queryFn: ({ signal }) => api.get<LedgerPageResponse>(`/ledger/page?${search}`, undefined, signal),
    enabled: Boolean(filter.planId),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/**
 * The date the server judges "overdue" by (its asOf), from a ledger or dashboard already fetched;
 * today in Asia/Shanghai otherwise. Pages that derive a status themselves use it to agree with the ledger.
 */
export function useLedgerAsOf(): string {
  const queryClient = useQueryClient();
  // The session's settings carry the server's today (LUOSHI_TODAY or Beijing's date): the one truth.
  const settings = useSettings();
  if (settings.data?.today) return settings.data.today;
  for (const key of [ledgerKeys.all, ['dashboard']]) {
    for (const [, data] of queryClient.getQueriesData<{ asOf?: string }>({ queryKey: key })) {
      if (data?.asOf) return data.asOf;
    }
  }
  return todayInShanghai();
}

/** The year of the server's today (useLedgerAsOf): the default plan year of the project pages. */
export function useServerYear(): number {
  return Number(useLedgerAsOf().slice(0, 4));
}
