import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Assessment,
  AssessmentScheme,
  AssessmentSummary,
  Bulletin,
  BulletinContent,
  Consequence,
  Ranking,
  SchemeBody,
  ScoreSheet,
  YearEndRanking,
} from '../../../../shared/schemas/assessment.schema.ts';
import { api, buildUrl } from '../../../lib/api-client.ts';

export type { Assessment, AssessmentScheme, Bulletin, BulletinContent, Ranking, SchemeBody, ScoreSheet, YearEndRanking };
export type AssessmentListItem = z.infer<typeof AssessmentSummary>;
export type ConsequenceData = z.infer<typeof Consequence>;

const enc = encodeURIComponent;

export const assessmentKeys = {
  all: ['assessment'] as const,
  list: ['assessment', 'list'] as const,
  schemes: ['assessment', 'schemes'] as const,
  detail: (id: string) => ['assessment', 'detail', id] as const,
  sheet: (id: string, orgId: string) => ['assessment', 'sheet', id, orgId] as const,
  ranking: (id: string) => ['assessment', 'ranking', id] as const,
  consequences: (id: string) => ['assessment', 'consequences', id] as const,
  bulletins: (id: string) => ['assessment', 'bulletins', id] as const,
  bulletin: (id: string) => ['assessment', 'bulletin', id] as const,
  yearEnd: (ids: YearEndIds) => ['assessment', 'year-end', ids.firstHalf, ids.secondHalf, ids.review] as const,
};

/** The three final assessments a year's result combines: two half-years and the year-end review. */
export interface YearEndIds {
  firstHalf: string;
  secondHalf: string;
  review: string;
}

/** Download addresses of a bulletin (same origin: the session cookie authorises them). */
export const bulletinHref = (id: string, format: 'pdf' | 'docx') => buildUrl(`/bulletins/${enc(id)}/${format}`);

export function useAssessments() {
  return useQuery({
    queryKey: assessmentKeys.list,
    queryFn: ({ signal }) => api.get<{ items: AssessmentListItem[] }>('/assessments', undefined, signal),
  });
}

export function useSchemes(enabled: boolean) {
  return useQuery({
    queryKey: assessmentKeys.schemes,
    queryFn: ({ signal }) => api.get<{ items: AssessmentScheme[] }>('/assessment-schemes', undefined, signal),
    enabled,
  });
}

export function useAssessment(id: string) {
  return useQuery({
    queryKey: assessmentKeys.detail(id),
    queryFn: ({ signal }) => api.get<Assessment>(`/assessments/${enc(id)}`, undefined, signal),
  });
}

export function useSheet(id: string, orgId: string) {
  return useQuery({
    queryKey: assessmentKeys.sheet(id, orgId),
    queryFn: ({ signal }) => api.get<ScoreSheet>(`/assessments/${enc(id)}/sheet`, { orgId }, signal),
  });
}

export function useRanking(id: string, enabled: boolean) {
  return useQuery({
    queryKey: assessmentKeys.ranking(id),
    queryFn: ({ signal }) => api.get<Ranking>(`/assessments/${enc(id)}/ranking`, undefined, signal),
    enabled,
  });
}

export function useConsequences(id: string, enabled: boolean) {
  return useQuery({
    queryKey: assessmentKeys.consequences(id),
    queryFn: ({ signal }) => api.get<{ items: ConsequenceData[] }>(`/assessments/${enc(id)}/consequences`, undefined, signal),
    enabled,
  });
}

/** 年终综合考评: the three finals combined with the scheme's weights (office and leadership). */
export function useYearEnd(ids: YearEndIds | null) {
  return useQuery({
    queryKey: assessmentKeys.yearEnd(ids ?? { firstHalf: '', secondHalf: '', review: '' }),
    queryFn: ({ signal }) => api.get<YearEndRanking>('/assessments/year-end', { ...ids! }, signal),
    enabled: ids !== null,
  });
}

export function useBulletins(id: string) {
  return useQuery({
    queryKey: assessmentKeys.bulletins(id),
    queryFn: ({ signal }) => api.get<{ items: Bulletin[] }>(`/assessments/${enc(id)}/bulletins`, undefined, signal),
  });
}

export function useBulletin(id: string) {
  return useQuery({
    queryKey: assessmentKeys.bulletin(id),
    queryFn: ({ signal }) => api.get<Bulletin>(`/bulletins/${enc(id)}`, undefined, signal),
  });
}

/** Every write of the feature refreshes the feature's queries (they are few and small). */
function useWrite<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: assessmentKeys.all }) });
}

export const useCreateAssessment = () =>
  useWrite((body: { schemeId: string; planId: string; title: string; start: string; end: string; objectionDays: number }) =>
    api.post<Assessment>('/assessments', body),
  );
export const useCreateScheme = () =>
  useWrite((body: { name: string; scheme: SchemeBody }) => api.post<AssessmentScheme>('/assessment-schemes', body));
export const useUpdateScheme = () =>
  useWrite(({ id, ...body }: { id: string; version: number; name: string; scheme: SchemeBody }) =>
    api.put<AssessmentScheme>(`/assessment-schemes/${enc(id)}`, body),
  );
export const useStage = (id: string) =>
  useWrite(({ action, version }: { action: 'publish' | 'finalise'; version: number }) =>
    api.post<Assessment>(`/assessments/${enc(id)}/${action}`, { version }),
  );
export const useReissue = (id: string) => useWrite((reason: string) => api.post<Assessment>(`/assessments/${enc(id)}/reissue`, { reason }));
export const useAddNote = (id: string) =>
  useWrite((body: { ruleId: string; text: string }) => api.post<ScoreSheet>(`/assessments/${enc(id)}/notes`, body));
export const useObject = (id: string) =>
  useWrite((body: { ruleId: string; text: string }) => api.post<ScoreSheet>(`/assessments/${enc(id)}/objections`, body));
export const useAdjust = (id: string) =>
  useWrite((body: { version: number; orgId: string; ruleId: string; kind: 'adjust' | 'manual'; delta: number; reason: string }) =>
    api.post<ScoreSheet>(`/assessments/${enc(id)}/adjustments`, body),
  );
export const useAnswerObjection = () =>
  useWrite(({ id, ...body }: { id: string; answer: string; outcome: 'upheld' | 'rejected'; delta: number }) =>
    api.post<ScoreSheet>(`/assessment-objections/${enc(id)}/answer`, body),
  );
export const useDecideConsequence = () =>
  useWrite(({ id, decision }: { id: string; decision: 'confirm' | 'dismiss' }) =>
    api.post<ConsequenceData>(`/assessment-consequences/${enc(id)}/decide`, { decision }),
  );
export const useDraftBulletin = (id: string) => useWrite(() => api.post<Bulletin>(`/assessments/${enc(id)}/bulletins`));
export const useUpdateBulletin = (id: string) =>
  useWrite((body: { version: number; content: BulletinContent }) => api.put<Bulletin>(`/bulletins/${enc(id)}`, body));
export const useIssueBulletin = (id: string) =>
  useWrite((version: number) => api.post<Bulletin>(`/bulletins/${enc(id)}/issue`, { version }));
