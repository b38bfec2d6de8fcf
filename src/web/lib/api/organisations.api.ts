import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrgKind } from '../../../shared/enums.ts';
import type { CreateOrganisationBody, Organisation, Tenant, UpdateOrganisationBody } from '../../../shared/schemas/organisation.schema.ts';
import { api } from '../api-client.ts';

/** React Query keys of the organisation registry; invalidate `organisationKeys.all` after a change. */
export const organisationKeys = {
  all: ['organisations'] as const,
  list: (filters: { q?: string; kind?: OrgKind } = {}) => ['organisations', 'list', filters] as const,
  detail: (id: string) => ['organisations', 'detail', id] as const,
};

/** The registry, optionally searched by name or narrowed by kind (GET /api/organisations). */
export function useOrganisations(filters: { q?: string; kind?: OrgKind } = {}) {
  return useQuery({
    queryKey: organisationKeys.list(filters),
    queryFn: ({ signal }) =>
      api.get<{ items: Organisation[]; total: number }>('/organisations', { q: filters.q, kind: filters.kind }, signal),
    staleTime: 60_000,
  });
}

/** One organisation (GET /api/organisations/:id). */
export function fetchOrganisation(id: string): Promise<Organisation> {
  return api.get<Organisation>(`/organisations/${encodeURIComponent(id)}`);
}

/** A new organisation's body, with the optional parts optional. */
export type OrganisationInput = Omit<CreateOrganisationBody, 'aliases' | 'adminCode' | 'parentId' | 'memberIds'> &
  Partial<Pick<CreateOrganisationBody, 'aliases' | 'adminCode' | 'parentId' | 'memberIds'>>;

/** Creates (no id) or updates (id, with the version read) an organisation; the registry is refetched either way. */
export function useSaveOrganisation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id?: string; body: OrganisationInput | UpdateOrganisationBody }) =>
      input.id
        ? api.patch<Organisation>(`/organisations/${encodeURIComponent(input.id)}`, input.body)
        : api.post<Organisation>('/organisations', input.body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: organisationKeys.all }),
  });
}

/** Deletes an organisation with the version read; the registry is refetched either way. */
export function useDeleteOrganisation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (org: Pick<Organisation, 'id' | 'version'>) =>
      api.delete<{ ok: true }>(`/organisations/${encodeURIComponent(org.id)}`, { version: org.version }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: organisationKeys.all }),
  });
}

/** The province and city offices the viewer reads (GET /api/tenants). */
export function useTenants() {
  return useQuery({
    queryKey: ['organisations', 'tenants'] as const,
    queryFn: ({ signal }) => api.get<{ items: Tenant[] }>('/tenants', undefined, signal),
    staleTime: 60_000,
  });
}

/** A province office declares one of its organisations a city office (POST /api/tenants); the registry is refetched. */
export function useDeclareCity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (orgId: string) => api.post<Tenant>('/tenants', { orgId }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: organisationKeys.all }),
  });
}
