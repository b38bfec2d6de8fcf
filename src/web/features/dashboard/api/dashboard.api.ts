import { useQuery } from '@tanstack/react-query';
import type { DashboardResponse, ProvinceDashboard } from '../../../../shared/schemas/dashboard.schema.ts';
import { api } from '../../../lib/api-client.ts';

export const dashboardKeys = {
  all: ['dashboard'] as const,
  plan: (planId: string, tenant?: string) => ['dashboard', planId, tenant ?? ''] as const,
  province: ['dashboard', 'province'] as const,
};

/**
 * Counts computed by the server over the ledger's rows, so each links to exactly its rows; with
 * `tenant`, one city's data seen from the province (all of that city's active plans unless a plan is chosen).
 */
export function useDashboard(planId: string | undefined, tenant?: string) {
  return useQuery({
    queryKey: dashboardKeys.plan(planId ?? '', tenant),
    queryFn: ({ signal }) => api.get<DashboardResponse>('/dashboard', { planId, tenant }, signal),
    enabled: Boolean(planId) || Boolean(tenant),
    staleTime: 30_000,
  });
}

/**
 * The province office's dashboard, one row per city. `enabled: false` for callers known not to be a
 * province; a 403 answer (a city or county user) is an answer, not an error to retry.
 */
export function useProvinceDashboard(enabled = true) {
  return useQuery({
    queryKey: dashboardKeys.province,
    queryFn: ({ signal }) => api.get<ProvinceDashboard>('/dashboard/province', undefined, signal),
    enabled,
    retry: false,
    staleTime: 30_000,
  });
}
