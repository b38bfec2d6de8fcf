import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { LedgerResponse } from '../../../../shared/schemas/ledger.schema.ts';
import type {
  CreateNoticeBody,
  EscalationProposal,
  EscalationStep,
  NoticeEvidenceFile,
  NoticeStatus,
  SupervisionNotice,
} from '../../../../shared/schemas/supervision.schema.ts';
import { api, buildUrl } from '../../../lib/api-client.ts';

export type { NoticeEvidenceFile, SupervisionNotice };
export type EscalationProposalData = z.infer<typeof EscalationProposal>;
export interface ProposalListData {
  asOf: string;
  items: EscalationProposalData[];
}

export const supervisionKeys = {
  all: ['supervision'] as const,
  list: (scope: 'all' | 'inbox', status?: NoticeStatus) => ['supervision', 'list', scope, status ?? 'any'] as const,
  detail: (id: string) => ['supervision', 'detail', id] as const,
  proposals: ['supervision', 'proposals'] as const,
  ledger: ['supervision', 'ledger'] as const,
};

const enc = encodeURIComponent;

/** The download address of a notice's evidence file (same origin, the session cookie authorises it). */
export const evidenceHref = (fileId: string) => buildUrl(`/supervision/evidence/${enc(fileId)}`);

/**
 * The notices the caller sees: every notice for the office and leadership, the organisation's
 * inbox for lead and unit users.
 */
export function useNotices(scope: 'all' | 'inbox', status?: NoticeStatus) {
  return useQuery({
    queryKey: supervisionKeys.list(scope, status),
    queryFn: ({ signal }) =>
      api.get<{ items: SupervisionNotice[] }>(scope === 'all' ? '/supervision' : '/supervision/inbox', { status }, signal),
  });
}

export function useNotice(id: string | undefined) {
  return useQuery({
    queryKey: supervisionKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<SupervisionNotice>(`/supervision/${enc(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useProposals(enabled: boolean) {
  return useQuery({
    queryKey: supervisionKeys.proposals,
    queryFn: ({ signal }) => api.get<ProposalListData>('/supervision/proposals', undefined, signal),
    enabled,
  });
}

/** Every ledger row of the active plans (the rows a notice can be issued on, and task numbers). */
export function useAllLedgerRows(enabled = true) {
  return useQuery({
    queryKey: supervisionKeys.ledger,
    queryFn: ({ signal }) => api.get<LedgerResponse>('/ledger', undefined, signal),
    enabled,
    staleTime: 60_000,
  });
}

/** After any write: the notice's cache takes the answer, lists and proposals are fetched again. */
function useSettle() {
  const queryClient = useQueryClient();
  return (notice?: SupervisionNotice) => {
    if (notice) queryClient.setQueryData(supervisionKeys.detail(notice.id), notice);
    void queryClient.invalidateQueries({ queryKey: ['supervision', 'list'] });
    void queryClient.invalidateQueries({ queryKey: supervisionKeys.proposals });
  };
}

export function useIssueNotice() {
  const settle = useSettle();
  return useMutation({
    mutationFn: (body: CreateNoticeBody) => api.post<SupervisionNotice>('/supervision', body),
    onSuccess: (notice) => settle(notice),
  });
}

export function useAnswerNotice() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ notice, text, evidenceIds }: { notice: SupervisionNotice; text: string; evidenceIds: string[] }) =>
      api.post<SupervisionNotice>(`/supervision/${enc(notice.id)}/answer`, { version: notice.version, text, evidenceIds }),
    onSuccess: (notice) => settle(notice),
  });
}

export function useNoticeAction() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({
      notice,
      action,
      note,
    }: {
      notice: Pick<SupervisionNotice, 'id' | 'version'>;
      action: 'close' | 'reopen';
      note?: string;
    }) => api.post<SupervisionNotice>(`/supervision/${enc(notice.id)}/${action}`, { version: notice.version, ...(note ? { note } : {}) }),
    onSuccess: (notice) => settle(notice),
  });
}

export function useEscalate() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ notice, step, note }: { notice: Pick<SupervisionNotice, 'id' | 'version'>; step: EscalationStep; note: string }) =>
      api.post<SupervisionNotice>(`/supervision/${enc(notice.id)}/escalations`, { version: notice.version, step, note }),
    onSuccess: (notice) => settle(notice),
  });
}

/** Uploads one evidence file to a notice, before the answer names it. */
export function uploadNoticeEvidence(noticeId: string, file: File): Promise<NoticeEvidenceFile> {
  return api.upload<NoticeEvidenceFile>(`/supervision/${enc(noticeId)}/evidence`, file);
}
