import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuditEvent, Task, UpdateTaskBody } from '../../../shared/schemas/plan.schema.ts';
import { api } from '../api-client.ts';

/** React Query keys of a task and its history. */
export const taskKeys = {
  all: ['tasks'] as const,
  detail: (id: string) => ['tasks', 'detail', id] as const,
  history: (id: string) => ['tasks', 'history', id] as const,
};

/** One task with its assignments, deadlines and targets (GET /api/tasks/:id). */
export function fetchTask(id: string, signal?: AbortSignal): Promise<Task> {
  return api.get<Task>(`/tasks/${encodeURIComponent(id)}`, undefined, signal);
}

/** One task, idle until there is an id. */
export function useTask(id: string | undefined) {
  return useQuery({
    queryKey: taskKeys.detail(id ?? ''),
    queryFn: ({ signal }) => fetchTask(id!, signal),
    enabled: Boolean(id),
  });
}

/** A task's audit trail (GET /api/tasks/:id/history). */
export function useTaskHistory(id: string) {
  return useQuery({
    queryKey: taskKeys.history(id),
    queryFn: ({ signal }) =>
      api.get<{ items: AuditEvent[]; names: Record<string, string> }>(`/tasks/${encodeURIComponent(id)}/history`, undefined, signal),
  });
}

/**
 * PATCH /api/tasks/:id with the version that was read. Whatever happens (saved, or a 409 because
 * someone else saved first), the task, its history, the ledger and the dashboard are refetched.
 */
export function useUpdateTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateTaskBody }) => api.patch<Task>(`/tasks/${encodeURIComponent(id)}`, body),
    onSuccess: (task) => queryClient.setQueryData(taskKeys.detail(task.id), task),
    onSettled: (_task, _error, { id }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: taskKeys.detail(id) }),
        queryClient.invalidateQueries({ queryKey: taskKeys.history(id) }),
        queryClient.invalidateQueries({ queryKey: ['ledger'] }),
        queryClient.invalidateQueries({ queryKey: ['dashboard'] }),
        queryClient.invalidateQueries({ queryKey: ['plans', 'tasks'] }),
      ]),
  });
}
