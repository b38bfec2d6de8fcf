import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ChangeRequest,
  FundingBalance,
  IntakeProgress,
  ProjectDetail,
  ProjectFile,
  ProjectImportResult,
  ProjectList,
  ProjectReport,
  ProjectStatus,
  RateList,
  ProjectSummary,
  RolloverResult,
  TargetProjects,
} from '../../../../shared/schemas/project.schema.ts';
import { api, buildUrl } from '../../../lib/api-client.ts';

export type {
  ChangeRequest,
  ProjectFile,
  FundingBalance,
  IntakeProgress,
  ProjectSummary,
  RolloverResult,
  ProjectDetail,
  ProjectImportResult,
  ProjectList,
  ProjectReport,
  RateList,
  TargetProjects,
};

/** The library filter as it sits in the URL (`/projects?orgId=…&status=…`). */
export interface ProjectFilter {
  orgId?: string;
  categoryCode?: string;
  status?: ProjectStatus;
  planYear?: number;
  q?: string;
}

export interface ListItem {
  code: string;
  name: string;
  seq: number;
}

const enc = encodeURIComponent;

export const projectKeys = {
  all: ['projects'] as const,
  list: (f: ProjectFilter, limit: number, offset: number) => ['projects', 'list', f, limit, offset] as const,
  detail: (id: string) => ['projects', 'detail', id] as const,
};

export const exportHref = (f: ProjectFilter) => buildUrl('/projects/export.xlsx', { ...f });
export const templateHref = () => buildUrl('/projects/import-template.xlsx');
export const balanceExportHref = (planYear: number) => buildUrl('/funding-balance/export.xlsx', { planYear });

export function useProjectLists() {
  return useQuery({
    queryKey: ['projects', 'lists'],
    queryFn: ({ signal }) => api.get<{ categories: ListItem[]; fundingSources: ListItem[] }>('/project-lists', undefined, signal),
    staleTime: 300_000,
  });
}

export function useBoundary() {
  return useQuery({
    queryKey: ['projects', 'boundary'],
    queryFn: ({ signal }) => api.get<{ type: 'FeatureCollection'; features: unknown[] }>('/projects/boundary', undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useProjects(f: ProjectFilter, limit = 50, offset = 0) {
  return useQuery({
    queryKey: projectKeys.list(f, limit, offset),
    queryFn: ({ signal }) => api.get<ProjectList>('/projects', { ...f, limit, offset }, signal),
  });
}

export function useProject(id: string | undefined) {
  return useQuery({
    queryKey: projectKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<ProjectDetail>(`/projects/${enc(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useProjectReports(id: string) {
  return useQuery({
    queryKey: ['projects', 'reports', id],
    queryFn: ({ signal }) => api.get<{ items: ProjectReport[] }>(`/projects/${enc(id)}/reports`, undefined, signal),
  });
}

export function useChangeRequests(id: string) {
  return useQuery({
    queryKey: ['projects', 'change-requests', id],
    queryFn: ({ signal }) => api.get<{ items: ChangeRequest[] }>(`/projects/${enc(id)}/change-requests`, undefined, signal),
  });
}

export function usePendingChangeRequests(enabled: boolean) {
  return useQuery({
    queryKey: ['projects', 'pending-change-requests'],
    queryFn: ({ signal }) => api.get<{ items: ChangeRequest[] }>('/project-change-requests', undefined, signal),
    enabled,
  });
}

export function useReportQueue(status: string) {
  return useQuery({
    queryKey: ['projects', 'report-queue', status],
    queryFn: ({ signal }) => api.get<{ items: ProjectReport[] }>('/project-reports', { status }, signal),
  });
}

export function useTargetProjects(targetId: string) {
  return useQuery({
    queryKey: ['projects', 'target', targetId],
    queryFn: ({ signal }) => api.get<TargetProjects>(`/targets/${enc(targetId)}/projects`, undefined, signal),
  });
}

export function useFundingBalance(planYear: number) {
  return useQuery({
    queryKey: ['projects', 'balance', planYear],
    queryFn: ({ signal }) => api.get<FundingBalance>('/funding-balance', { planYear }, signal),
  });
}

export function useRates(planYear: number) {
  return useQuery({
    queryKey: ['projects', 'rates', planYear],
    queryFn: ({ signal }) => api.get<RateList>('/project-rates', { planYear }, signal),
  });
}

/** The open reporting periods of every plan (a project report goes into one of them). */
export function useOpenPeriods() {
  return useQuery({
    queryKey: ['projects', 'open-periods'],
    queryFn: async ({ signal }) => {
      const plans = await api.get<{ items: Array<{ id: string }> }>('/plans', undefined, signal);
      const lists = await Promise.all(
        plans.items.map((p) =>
          api.get<{ items: Array<{ id: string; label: string; status: string }> }>(`/plans/${enc(p.id)}/periods`, undefined, signal),
        ),
      );
      return lists.flatMap((l) => l.items.filter((x) => x.status === 'open'));
    },
  });
}

/** Any write on the library: everything project-related is fetched again. */
function useSettle() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: projectKeys.all });
}

export function useProjectWrite<TBody, TResult = ProjectDetail>(
  method: 'post' | 'put',
  path: (body: TBody) => string,
  strip: (body: TBody) => unknown = (b) => b,
) {
  const settle = useSettle();
  return useMutation({
    mutationFn: (body: TBody) => api[method]<TResult>(path(body), strip(body)),
    onSuccess: settle,
  });
}

export function useImportProjects() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) =>
      api.upload<ProjectImportResult>('/projects/import', file, { query: { dryRun: String(dryRun) } }),
    onSuccess: settle,
  });
}

/** Next year's intake (谋划) per county against its deadline. */
export function useIntake(planYear: number) {
  return useQuery({
    queryKey: ['projects', 'intake', planYear],
    queryFn: ({ signal }) => api.get<IntakeProgress>('/project-intake', { planYear }, signal),
  });
}

/** What 年度结转 of `fromYear` would carry (office), fetched on demand. */
export function useRolloverPreview(fromYear: number, enabled: boolean) {
  return useQuery({
    queryKey: ['projects', 'rollover', fromYear],
    queryFn: ({ signal }) => api.get<RolloverResult>('/project-plans/rollover', { fromYear }, signal),
    enabled,
  });
}

/** The dashboard's counts: a plan year's projects per county and status. */
export function useProjectSummary(planYear: number) {
  return useQuery({
    queryKey: ['projects', 'summary', planYear],
    queryFn: ({ signal }) => api.get<ProjectSummary>('/project-summary', { planYear }, signal),
  });
}

// ---- files (附件) and report photos (现场照片) ----
const filesKey = (projectId: string) => ['projects', 'files', projectId] as const;

/** Where the browser downloads a project file (same-origin cookie; the server names it). */
export const projectFileHref = (id: string) => buildUrl(`/project-files/${enc(id)}`);

export function useProjectFiles(projectId: string) {
  return useQuery({
    queryKey: filesKey(projectId),
    queryFn: ({ signal }) => api.get<{ items: ProjectFile[] }>(`/projects/${enc(projectId)}/files`, undefined, signal),
  });
}

/** Uploads a document of the project, or with `reportId` a photo of one of its monthly reports. */
export function useUploadProjectFile(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, reportId }: { file: File; reportId?: string }) =>
      api.upload<ProjectFile>(`/projects/${enc(projectId)}/files`, file, { fields: reportId ? { reportId } : {} }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: filesKey(projectId) }),
  });
}

export function useRemoveProjectFile(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: ProjectFile) => api.delete<{ ok: true }>(`/project-files/${enc(file.id)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: filesKey(projectId) }),
  });
}
