import { useQuery } from '@tanstack/react-query';
import type { Dashboard } from '../../../../shared/schemas/ledger.schema.ts';
import { api } from '../../../lib/api-client.ts';

export const dashboardKeys = {
  all: ['dashboard'] as const,
  plan: (planId: string) => ['dashboard', planId] as const,
};

/** Counts computed by the server with the ledger's own filter function, so each links to exactly its rows. */
export function useDashboard(planId: string | undefined) {
  return useQuery({
    queryKey: dashboardKeys.plan(planId ?? ''),
    queryFn: ({ signal }) => api.get<Dashboard>('/dashboard', { planId }, signal),
    enabled: Boolean(planId),
    staleTime: 30_000,
  });
}
