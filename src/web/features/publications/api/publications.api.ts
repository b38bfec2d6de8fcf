import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeliveryStatus } from '../../../../shared/enums.ts';
import type {
  AssessmentPayload,
  BulletinPayload,
  OfficePublication,
  PeriodPayload,
  Publication,
  PublishableSource,
  PublishBody,
  StatusSummary,
  ProjectLibraryPayload,
} from '../../../../shared/schemas/publication.schema.ts';
import { api } from '../../../lib/api-client.ts';

/** The preview the server returns: exactly what publishing would show. */
export interface PublicationPreview {
  title: string;
  asOf: string | null;
  /** A period's status summary; null for a ranking or a bulletin. */
  summary: StatusSummary | null;
  districts: Array<{ id: string; name: string; summary: StatusSummary }>;
  sections: Array<{ id: string; title: string; path: string[]; summary: StatusSummary }>;
  payload: PeriodPayload | AssessmentPayload | BulletinPayload | ProjectLibraryPayload;
}

export type { DeliveryStatus };

const keys = {
  all: ['publications'] as const,
  sources: ['publications', 'sources'] as const,
  list: ['publications', 'list'] as const,
};

/** Closed periods the office can publish, each with its live publication if any. */
export function usePublishableSources() {
  return useQuery({
    queryKey: keys.sources,
    queryFn: ({ signal }) => api.get<{ items: PublishableSource[] }>('/publications/sources', undefined, signal),
  });
}

/** Every publication with who published or withdrew it. */
export function useOfficePublications() {
  return useQuery({
    queryKey: keys.list,
    queryFn: ({ signal }) => api.get<{ items: OfficePublication[] }>('/publications', undefined, signal),
  });
}

/** Asks the server for the preview of one record (nothing is published). */
export function usePreview() {
  return useMutation({ mutationFn: (body: PublishBody) => api.post<PublicationPreview>('/publications/preview', body) });
}

export function usePublish() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PublishBody) => api.post<Publication>('/publications', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useWithdraw() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.post<Publication>(`/publications/${encodeURIComponent(id)}/withdraw`, { reason }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}
