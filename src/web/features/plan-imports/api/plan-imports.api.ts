import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrgKind } from '../../../../shared/enums.ts';
import type { PlanImport } from '../../../../shared/schemas/plan-import.schema.ts';
import { api } from '../../../lib/api-client.ts';
import type { PlanExtract } from '../extract-model.ts';

export type { PlanImport };

export const planImportKeys = {
  all: ['plan-imports'] as const,
  detail: (id: string) => ['plan-imports', 'detail', id] as const,
};

export type CreateImportInput =
  | { kind: 'text'; text: string; filename?: string; revisesPlanId?: string }
  | { kind: 'file'; file: File; revisesPlanId?: string };

/** A mention mapped to an existing organisation, or to a new one (a new group with the members it stands for). */
export type MentionMapping =
  | { name: string; orgId: string }
  | { name: string; create: { name: string; kind: OrgKind; memberIds?: string[] } };

function uploadPlanFile(file: File, revisesPlanId?: string): Promise<PlanImport> {
  return api.upload<PlanImport>('/plan-imports', file, { fields: revisesPlanId ? { revisesPlanId } : {} });
}

export function createPlanImport(input: CreateImportInput): Promise<PlanImport> {
  if (input.kind === 'file') return uploadPlanFile(input.file, input.revisesPlanId);
  return api.post<PlanImport>('/plan-imports', {
    text: input.text,
    ...(input.filename ? { filename: input.filename } : {}),
    ...(input.revisesPlanId ? { revisesPlanId: input.revisesPlanId } : {}),
  });
}

export function usePlanImport(id: string) {
  return useQuery({
    queryKey: planImportKeys.detail(id),
    queryFn: ({ signal }) => api.get<PlanImport>(`/plan-imports/${encodeURIComponent(id)}`, undefined, signal),
    // A draft under review is edited here only: refetching would overwrite unsaved edits' base.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useCreatePlanImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createPlanImport,
    onSuccess: (draft) => queryClient.setQueryData(planImportKeys.detail(draft.id), draft),
  });
}

export function useSaveExtract(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (extract: PlanExtract) => api.put<PlanImport>(`/plan-imports/${encodeURIComponent(id)}/extract`, { extract }),
    onSuccess: (draft) => queryClient.setQueryData(planImportKeys.detail(id), draft),
  });
}

export function useMapMentions(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (mappings: MentionMapping[]) => api.post<PlanImport>(`/plan-imports/${encodeURIComponent(id)}/mappings`, { mappings }),
    onSuccess: (draft) => {
      queryClient.setQueryData(planImportKeys.detail(id), draft);
      // "新建单位" added an organisation: the pickers should list it.
      void queryClient.invalidateQueries({ queryKey: ['organisations'] });
    },
  });
}

export function useConfirmImport(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ planId: string; taskCount: number }>(`/plan-imports/${encodeURIComponent(id)}/confirm`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: planImportKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: ['plans'] });
    },
  });
}
