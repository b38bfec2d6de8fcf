import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InstallationSettings, PublicSettings, UpdateSettingsBody } from '../../../shared/schemas/settings.schema.ts';
import { api } from '../api-client.ts';

export const settingsKeys = {
  all: ['settings'] as const,
  signedIn: ['settings', 'signed-in'] as const,
  public: ['settings', 'public'] as const,
};

/**
 * The installation's name, office name and the server's today (GET /api/settings, signed in).
 * Date defaults (a 督办 due date) start from `today`, so they agree with the data, not the browser.
 */
export function useSettings() {
  return useQuery({
    queryKey: settingsKeys.signedIn,
    queryFn: ({ signal }) => api.get<InstallationSettings>('/settings', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

/** The installation's name for the login page (GET /api/settings/public, no session). */
export function usePublicSettings() {
  return useQuery({
    queryKey: settingsKeys.public,
    queryFn: ({ signal }) => api.get<PublicSettings>('/settings/public', undefined, signal),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** PUT /api/settings (admin) with the version read; every settings query is refetched after. */
export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateSettingsBody) => api.put<InstallationSettings>('/settings', body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: settingsKeys.all }),
  });
}
