import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EvidenceFile, ReportUploadResult } from '../../../../shared/schemas/reporting-files.schema.ts';
import { api, buildUrl, isApiError } from '../../../lib/api-client.ts';
import type { Translate } from '../../../lib/i18n.ts';
import { describeError } from '../../../lib/errors.ts';
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
    mutationFn: ({ reportId, file }: { reportId: string; file: File }) => api.upload<EvidenceFile>(`/reports/${enc(reportId)}/evidence`, file),
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

/**
 * The server words its refusals of files in English for API callers; the UI says them in the
 * user's language. Known cases by status and wording; anything else falls back to describeError.
 */
export function describeFileError(error: unknown, t: Translate): string {
  if (!isApiError(error)) return describeError(error, t);
  const detail = error.detail ?? '';
  if (error.status === 415) {
    if (/evidence/i.test(detail)) return t('reportingFiles.error.evidenceType');
    return t('reportingFiles.error.notXlsx');
  }
  if (error.status === 413) {
    if (/evidence/i.test(detail)) return t('reportingFiles.error.evidenceSize');
    if (/rows/i.test(detail)) return t('reportingFiles.error.tooManyRows');
    return t('reportingFiles.error.tooLarge');
  }
  if (/file is empty/i.test(detail)) return t('reportingFiles.error.empty');
  if (error.status === 409) {
    const max = /at most (\d+) evidence/i.exec(detail);
    if (max) return t('reportingFiles.error.evidenceMax', { max: max[1] });
    if (/evidence can no longer change/i.test(detail)) return t('reportingFiles.error.evidenceLocked');
    if (/period .* not open/i.test(detail)) return t('reportingFiles.error.periodClosed');
  }
  if (error.status === 422) {
    if (/not a Luoshi/i.test(detail)) return t('reportingFiles.error.notTemplate');
    if (/not the current/i.test(detail)) return t('reportingFiles.error.oldTemplate');
    if (/another reporting period/i.test(detail)) return t('reportingFiles.error.otherPeriod');
    if (/another organisation/i.test(detail)) return t('reportingFiles.error.otherOrg');
    if (/formulas/i.test(detail)) return t('reportingFiles.error.formulas', { cells: error.errors.map((e) => e.path).slice(0, 20).join('、') });
    if (/rows but your organisation/i.test(detail)) return t('reportingFiles.error.rowCount');
  }
  if (error.status === 403 || error.status === 404 || error.status === 401 || error.status === 0) return describeError(error, t);
  // Unknown refusal: the server's own sentence beats a generic one.
  return detail || describeError(error, t);
}
