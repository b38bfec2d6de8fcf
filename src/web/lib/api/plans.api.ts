import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { PlanDetail, Plan, Task } from '../../../shared/schemas/plan.schema.ts';
import { api } from '../api-client.ts';

/** GET /api/plans/:id/tasks filters and paging. */
export interface TaskFilters {
  sectionId?: string;
  orgId?: string;
  q?: string;
  limit: number;
  offset: number;
}

/** React Query keys of plan data; invalidate `planKeys.all` after a plan changes. */
export const planKeys = {
  all: ['plans'] as const,
  list: () => ['plans', 'list'] as const,
  detail: (id: string) => ['plans', 'detail', id] as const,
  tasks: (id: string, filters: TaskFilters) => ['plans', 'tasks', id, filters] as const,
};

/** Every plan (GET /api/plans): plan pickers on the ledger, dashboard, reporting and imports. */
export function usePlans() {
  return useQuery({
    queryKey: planKeys.list(),
    queryFn: ({ signal }) => api.get<{ items: Plan[]; total: number }>('/plans', undefined, signal),
  });
}

/** One plan with its sections (GET /api/plans/:id); idle while `id` is ''. */
export function usePlan(id: string) {
  return useQuery({
    queryKey: planKeys.detail(id),
    queryFn: ({ signal }) => api.get<PlanDetail>(`/plans/${encodeURIComponent(id)}`, undefined, signal),
    // Pages that learn the plan id from another query pass '' until they have it.
    enabled: Boolean(id),
  });
}

/** A page of a plan's tasks (GET /api/plans/:id/tasks); keeps the previous page while the next loads. */
export function usePlanTasks(id: string, filters: TaskFilters) {
  return useQuery({
    queryKey: planKeys.tasks(id, filters),
    queryFn: ({ signal }) =>
      api.get<{ items: Task[]; total: number }>(
        `/plans/${encodeURIComponent(id)}/tasks`,
        { sectionId: filters.sectionId, orgId: filters.orgId, q: filters.q, limit: filters.limit, offset: filters.offset },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}
