/** The plan structure editor's calls (the office only): plan details, sections, task moves, split, merge, task fields. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AssignmentRole, Comparator } from '../../../../shared/enums.ts';
import type {
  Assignment,
  Deadline,
  MoveDirection,
  Plan,
  PlanDetail,
  Section,
  Target,
  Task,
} from '../../../../shared/schemas/plan.schema.ts';
import { api } from '../../../lib/api-client.ts';
import { planKeys } from '../../../lib/api/plans.api.ts';

const enc = encodeURIComponent;

/** Every edit changes what the plan page, the ledger and the task pages show: refetch them. */
function useEdit<A, R>(fn: (args: A) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: planKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      void queryClient.invalidateQueries({ queryKey: ['ledger'] });
    },
  });
}

export interface PlanInfoInput {
  version: number;
  title: string;
  issuer: string | null;
  year: number | null;
}

export const useUpdatePlanInfo = (planId: string) => useEdit((body: PlanInfoInput) => api.patch<Plan>(`/plans/${enc(planId)}`, body));

export const useCreateSection = (planId: string) =>
  useEdit((body: { title: string; parentId: string | null }) => api.post<Section>(`/plans/${enc(planId)}/sections`, body));

export const useRenameSection = () =>
  useEdit(({ id, ...body }: { id: string; version: number; title: string }) => api.patch<Section>(`/sections/${enc(id)}`, body));

export const useMoveSection = () =>
  useEdit(({ id, ...body }: { id: string; version: number; direction: MoveDirection }) =>
    api.post<PlanDetail>(`/sections/${enc(id)}/move`, body),
  );

export const useDeleteSection = () =>
  useEdit(({ id, version }: { id: string; version: number }) => api.delete<{ ok: true }>(`/sections/${enc(id)}`, { version }));

export const useMoveTask = () =>
  useEdit(({ id, ...body }: { id: string; version: number; sectionId?: string | null; direction?: MoveDirection }) =>
    api.post<Task>(`/tasks/${enc(id)}/move`, body),
  );

export const useSplitTask = () =>
  useEdit(({ id, ...body }: { id: string; version: number; text: string; newText: string; targetIds: string[] }) =>
    api.post<{ task: Task; created: Task }>(`/tasks/${enc(id)}/split`, body),
  );

export const useMergeTask = () =>
  useEdit(({ id, ...body }: { id: string; version: number; otherTaskId: string; otherVersion: number; text?: string }) =>
    api.post<Task>(`/tasks/${enc(id)}/merge`, body),
  );

export const useUpdateTaskText = () =>
  useEdit(({ id, ...body }: { id: string; version: number; text: string }) => api.patch<Task>(`/tasks/${enc(id)}`, body));

export const useAddAssignment = () =>
  useEdit(({ taskId, ...body }: { taskId: string; orgId: string; role: AssignmentRole }) =>
    api.post<Assignment>(`/tasks/${enc(taskId)}/assignments`, body),
  );

export const useRemoveAssignment = () => useEdit((id: string) => api.delete<{ ok: true }>(`/assignments/${enc(id)}`));

export const useAddDeadline = () =>
  useEdit(({ taskId, ...body }: { taskId: string; date: string; text: string }) =>
    api.post<Deadline>(`/tasks/${enc(taskId)}/deadlines`, body),
  );

export const useRemoveDeadline = () => useEdit((id: string) => api.delete<{ ok: true }>(`/deadlines/${enc(id)}`));

export const useAddTarget = () =>
  useEdit(({ taskId, ...body }: { taskId: string; metric: string; value: number; unit: string; comparator: Comparator }) =>
    api.post<Target>(`/tasks/${enc(taskId)}/targets`, body),
  );

export const useUpdateTarget = () =>
  useEdit(({ id, ...body }: { id: string; version: number; metric: string; value: number; unit: string }) =>
    api.patch<Target>(`/targets/${enc(id)}`, body),
  );

export const useDeleteTarget = () =>
  useEdit(({ id, version }: { id: string; version: number }) => api.delete<{ ok: true }>(`/targets/${enc(id)}`, { version }));
