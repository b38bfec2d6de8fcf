import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EvidenceFile, ReportUploadResult } from '../../../../shared/schemas/reporting-files.schema.ts';
import { api, buildUrl } from '../../../lib/api-client.ts';
import { reportingKeys } from './reporting.api.ts';

const enc = encodeURIComponent;

export const reportingFilesKeys = {
  evidence: (reportId: string) => ['reporting', 'evidence', reportId] as const,
};

/** Where the browser downloads an evidence file (same-origin cookie; the server names it). */
export const evidenceHref = (id: string) => buildUrl(`/evidence/${enc(id)}`);
/** The caller's organisation's rows of a period as the Excel template (进展填报表). */
export const templateHref = (periodId: string) => buildUrl(`/periods/${enc(periodId)}/my-report-template.xlsx`);

export function useEvidence(reportId: string | undefined) {
  return useQuery({
    queryKey: reportingFilesKeys.evidence(reportId ?? ''),
    queryFn: ({ signal }) => api.get<{ items: EvidenceFile[] }>(`/reports/${enc(reportId ?? '')}/evidence`, undefined, signal),
    enabled: Boolean(reportId),
  });
}

export function useAttachEvidence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ reportId, file }: { reportId: string; file: File }) =>
      api.upload<EvidenceFile>(`/reports/${enc(reportId)}/evidence`, file),
    onSuccess: (saved) =>
      queryClient.setQueryData<{ items: EvidenceFile[] }>(reportingFilesKeys.evidence(saved.reportId), (old) => ({
        items: [...(old?.items ?? []).filter((f) => f.id !== saved.id), saved],
      })),
    onSettled: (_data, _error, { reportId }) => queryClient.invalidateQueries({ queryKey: reportingFilesKeys.evidence(reportId) }),
  });
}

export function useRemoveEvidence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: EvidenceFile) => api.delete<{ ok: true }>(`/evidence/${enc(file.id)}`),
    onSuccess: (_data, file) =>
      queryClient.setQueryData<{ items: EvidenceFile[] }>(reportingFilesKeys.evidence(file.reportId), (old) =>
        old ? { items: old.items.filter((f) => f.id !== file.id) } : old,
      ),
    onSettled: (_data, _error, file) => queryClient.invalidateQueries({ queryKey: reportingFilesKeys.evidence(file.reportId) }),
  });
}

/** Dry run (check only) or save (dryRun false): the filled template of a period. */
export function useUploadMyReports(periodId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) =>
      api.upload<ReportUploadResult>(`/periods/${enc(periodId)}/my-report-upload`, file, { query: { dryRun: dryRun ? '1' : '0' } }),
    onSuccess: (result) => {
      if (!result.dryRun && result.saved > 0) void queryClient.invalidateQueries({ queryKey: reportingKeys.myReports(periodId) });
    },
  });
}
