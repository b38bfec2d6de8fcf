import { useQuery } from '@tanstack/react-query';
import type { TargetCoverageValue } from '../../../shared/schemas/coverage.schema.ts';
import { api } from '../api-client.ts';

/**
 * The plan targets fed by a coverage indicator (GET /api/coverage/targets), by target id: the task
 * page shows a target's derived coverage beside it. Same query key as the coverage feature's list,
 * so linking a target or running an analysis there refreshes it here.
 */
export function useCoverageFeeds() {
  return useQuery({
    queryKey: ['coverage', 'targets'] as const,
    queryFn: ({ signal }) => api.get<{ items: TargetCoverageValue[] }>('/coverage/targets', undefined, signal),
    select: (d) => new Map(d.items.map((v) => [v.targetId, v])),
    staleTime: 60_000,
    retry: false,
  });
}
