import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CreatePeriodBody,
  MyReportRow,
  PeriodSnapshot,
  ProgressReport,
  ReportingPeriod,
  ReportStatus,
  SaveReportBody,
} from '../../../../shared/schemas/reporting.schema.ts';
import { api } from '../../../lib/api-client.ts';

export type MyReportRowData = z.infer<typeof MyReportRow>;
export interface MyReportListData {
  period: ReportingPeriod;
  items: MyReportRowData[];
}

export const reportingKeys = {
  all: ['reporting'] as const,
  periods: (planId: string) => ['reporting', 'periods', planId] as const,
  myReports: (periodId: string) => ['reporting', 'my', periodId] as const,
  snapshots: (periodId: string) => ['reporting', 'snapshots', periodId] as const,
  reports: (periodId: string, status?: ReportStatus, orgId?: string) =>
    ['reporting', 'reports', periodId, status ?? 'all', orgId ?? 'all'] as const,
};

const enc = encodeURIComponent;

export function usePeriods(planId: string | undefined) {
  return useQuery({
    queryKey: reportingKeys.periods(planId ?? ''),
    queryFn: ({ signal }) => api.get<{ items: ReportingPeriod[] }>(`/plans/${enc(planId ?? '')}/periods`, undefined, signal),
    enabled: Boolean(planId),
  });
}

export function useMyReports(periodId: string | undefined) {
  return useQuery({
    queryKey: reportingKeys.myReports(periodId ?? ''),
    queryFn: ({ signal }) => api.get<MyReportListData>(`/periods/${enc(periodId ?? '')}/my-reports`, undefined, signal),
    enabled: Boolean(periodId),
  });
}

/** The reports of a period, optionally of one status and one organisation (`orgId`). */
export function usePeriodReports(periodId: string | undefined, status?: ReportStatus, orgId?: string) {
  return useQuery({
    queryKey: reportingKeys.reports(periodId ?? '', status, orgId),
    queryFn: ({ signal }) => api.get<{ items: ProgressReport[] }>(`/periods/${enc(periodId ?? '')}/reports`, { status, orgId }, signal),
    enabled: Boolean(periodId),
  });
}

/** The frozen snapshot of a closed period (never changes, so cached for the session). */
export function usePeriodSnapshots(periodId: string | undefined) {
  return useQuery({
    queryKey: reportingKeys.snapshots(periodId ?? ''),
    queryFn: ({ signal }) => api.get<{ items: PeriodSnapshot[] }>(`/periods/${enc(periodId ?? '')}/snapshots`, undefined, signal),
    enabled: Boolean(periodId),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useCreatePeriod(planId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<CreatePeriodBody> & { start: string }) => api.post<ReportingPeriod>(`/plans/${enc(planId)}/periods`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: reportingKeys.periods(planId) }),
  });
}

export function usePeriodAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ period, action }: { period: ReportingPeriod; action: 'open' | 'close' }) =>
      api.post<ReportingPeriod>(`/periods/${enc(period.id)}/${action}`, { version: period.version }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: reportingKeys.all }),
  });
}

/** PUT a draft. The caller owns the version; the cache of "my reports" is patched with the answer. */
export function useSaveReport(periodId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SaveReportBody) => api.put<ProgressReport>(`/periods/${enc(periodId)}/reports`, body),
    onSuccess: (report) => patchMyReport(queryClient, periodId, report),
  });
}

export function useReportAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ report, action, comment }: { report: ProgressReport; action: 'submit' | 'approve' | 'return'; comment?: string }) =>
      api.post<ProgressReport>(`/reports/${enc(report.id)}/${action}`, { version: report.version, ...(comment ? { comment } : {}) }),
    onSuccess: (report) => {
      patchMyReport(queryClient, report.periodId, report);
      void queryClient.invalidateQueries({ queryKey: ['reporting', 'reports', report.periodId] });
    },
  });
}

function patchMyReport(queryClient: ReturnType<typeof useQueryClient>, periodId: string, report: ProgressReport) {
  queryClient.setQueryData<MyReportListData>(reportingKeys.myReports(periodId), (old) =>
    old
      ? {
          ...old,
          items: old.items.map((row) => (row.taskId === report.taskId && row.targetId === report.targetId ? { ...row, report } : row)),
        }
      : old,
  );
}
