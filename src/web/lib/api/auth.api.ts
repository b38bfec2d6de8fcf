import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Session } from '../../../shared/schemas/user.schema.ts';
import { api, setCsrfToken } from '../api-client.ts';

export const sessionKey = ['session'] as const;

export interface LoginInput {
  username: string;
  password: string;
}

export async function fetchSession(): Promise<Session> {
  const session = await api.get<Session>('/auth/me');
  setCsrfToken(session.csrfToken);
  return session;
}

/** The signed-in user; a 401 error means nobody is signed in. */
export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 5 * 60_000, retry: false });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => api.post<Session>('/auth/login', input),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.clear();
      queryClient.setQueryData(sessionKey, session);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ ok: true }>('/auth/logout'),
    onSettled: async () => {
      setCsrfToken(null);
      // Drop everyone else's data, then reset the session: RequireSession shows its spinner (so no
      // page renders without a session), /auth/me answers 401 and the guard goes to /login.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
      await queryClient.resetQueries({ queryKey: sessionKey });
    },
  });
}
