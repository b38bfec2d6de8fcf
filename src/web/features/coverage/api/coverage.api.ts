import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AnalysisMap,
  CoverageAnalysis,
  CoverageAnalysisSummary,
  CoverageLayer,
  CoverageMethod,
  CoverageStandard,
  CreateStandardBody,
  Datum,
  LayerImportResult,
  LayerRole,
  SuggestionResult,
  TargetCoverageValue,
} from '../../../../shared/schemas/coverage.schema.ts';
import { api } from '../../../lib/api-client.ts';

export type { AnalysisMap, CoverageAnalysis, CoverageLayer, CoverageStandard, LayerImportResult, SuggestionResult, TargetCoverageValue };
export type AnalysisSummary = z.infer<typeof CoverageAnalysisSummary>;
export type StandardInput = z.input<typeof CreateStandardBody>;

export const coverageKeys = {
  all: ['coverage'] as const,
  layers: ['coverage', 'layers'] as const,
  standards: ['coverage', 'standards'] as const,
  analyses: ['coverage', 'analyses'] as const,
  analysis: (id: string) => ['coverage', 'analysis', id] as const,
  map: (id: string) => ['coverage', 'map', id] as const,
  targets: ['coverage', 'targets'] as const,
};

const enc = encodeURIComponent;

export function useLayers() {
  return useQuery({
    queryKey: coverageKeys.layers,
    queryFn: ({ signal }) => api.get<{ items: CoverageLayer[] }>('/coverage/layers', undefined, signal),
  });
}

export function useStandards() {
  return useQuery({
    queryKey: coverageKeys.standards,
    queryFn: ({ signal }) => api.get<{ items: CoverageStandard[] }>('/coverage/standards', undefined, signal),
  });
}

export function useAnalyses() {
  return useQuery({
    queryKey: coverageKeys.analyses,
    queryFn: ({ signal }) => api.get<{ items: AnalysisSummary[] }>('/coverage/analyses', undefined, signal),
  });
}

export function useAnalysis(id: string | null) {
  return useQuery({
    queryKey: coverageKeys.analysis(id ?? ''),
    queryFn: ({ signal }) => api.get<CoverageAnalysis>(`/coverage/analyses/${enc(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useAnalysisMap(id: string | null) {
  return useQuery({
    queryKey: coverageKeys.map(id ?? ''),
    queryFn: ({ signal }) => api.get<AnalysisMap>(`/coverage/analyses/${enc(id ?? '')}/map`, undefined, signal),
    enabled: Boolean(id),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useTargetCoverage() {
  return useQuery({
    queryKey: coverageKeys.targets,
    queryFn: ({ signal }) => api.get<{ items: TargetCoverageValue[] }>('/coverage/targets', undefined, signal),
  });
}

export interface ImportLayerInput {
  file: File;
  name: string;
  role: LayerRole;
  kind: string;
  datum: Datum;
  asOf?: string;
  dryRun: boolean;
}

/** Checks (dry run) or imports a layer file. */
export function useImportLayer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun, asOf, ...q }: ImportLayerInput) =>
      api.upload<LayerImportResult>('/coverage/layers/import', file, {
        query: { ...q, ...(asOf ? { asOf } : {}), dryRun: dryRun ? '1' : '0' },
      }),
    onSuccess: (res) => {
      if (!res.dryRun) qc.invalidateQueries({ queryKey: coverageKeys.layers });
    },
  });
}

export function useSaveStandard() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, body }: { id?: string; version?: number; body: StandardInput }) =>
      id
        ? api.patch<CoverageStandard>(`/coverage/standards/${enc(id)}`, { ...body, version })
        : api.post<CoverageStandard>('/coverage/standards', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: coverageKeys.standards }),
  });
}

export function useRunAnalysis() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { standardId: string; facilityLayerId: string; demandLayerId: string }) =>
      api.post<CoverageAnalysis>('/coverage/analyses', body),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: coverageKeys.analyses });
      qc.invalidateQueries({ queryKey: coverageKeys.targets });
    },
  });
}

export function useSuggestSites(analysisId: string) {
  return useMutation({
    mutationFn: (body: { district: string; count: number; gridSpacing: number }) =>
      api.post<SuggestionResult>(`/coverage/analyses/${enc(analysisId)}/suggestions`, body),
  });
}

/** 转为项目储备: selected suggested sites (WGS-84) become draft projects of their districts. */
export function useAcceptSites(analysisId: string) {
  return useMutation({
    mutationFn: (body: { sites: { seq: number; lng: number; lat: number }[] }) =>
      api.post<{ items: { projectId: string; name: string; orgId: string; district: string }[] }>(
        `/coverage/analyses/${enc(analysisId)}/projects`,
        body,
      ),
  });
}

export function useLinkTarget() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ targetId, ...body }: { targetId: string; standardId: string; method: CoverageMethod; district: string | null }) =>
      api.put<TargetCoverageValue>(`/coverage/targets/${enc(targetId)}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: coverageKeys.targets }),
  });
}

export function useUnlinkTarget() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (targetId: string) => api.delete<{ ok: true }>(`/coverage/targets/${enc(targetId)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: coverageKeys.targets }),
  });
}

/** The names of the districts analyses are computed within. */
export function useDistrictNames() {
  return useQuery({
    queryKey: ['coverage', 'districts'] as const,
    queryFn: ({ signal }) => api.get<{ items: Array<{ name: string }> }>('/coverage/districts', undefined, signal),
    select: (d) => d.items.map((x) => x.name),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
