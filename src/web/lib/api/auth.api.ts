import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Session, SessionState } from '../../../shared/schemas/user.schema.ts';
import { api, setCsrfToken } from '../api-client.ts';

export const sessionKey = ['session'] as const;

export interface LoginInput {
  username: string;
  password: string;
}

/**
 * Who is signed in: GET /api/auth/session answers 200 with the Session or null, so an anonymous
 * visit (the login page) is not a failed request in the browser's console, as /auth/me's 401 was.
 */
export async function fetchSession(): Promise<Session | null> {
  const { session } = await api.get<SessionState>('/auth/session');
  setCsrfToken(session?.csrfToken ?? null);
  return session;
}

/** The signed-in user; `data` is null when nobody is signed in. */
export function useSession() {
  return useQuery<Session | null>({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 5 * 60_000, retry: false });
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

/** The sign-out mutation's key: while one runs, polling queries hold still (useNotifications). */
export const LOGOUT_MUTATION_KEY = ['auth', 'logout'] as const;

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: LOGOUT_MUTATION_KEY,
    // Requests in flight when the session ends come back 401: stop them before it ends.
    onMutate: () => queryClient.cancelQueries(),
    mutationFn: () => api.post<{ ok: true }>('/auth/logout'),
    onSettled: () => {
      setCsrfToken(null);
      // Nobody is signed in now: RequireSession sends the pages to /login on its next render (they
      // keep the session of its context until then), and the signed-out user's data goes.
      queryClient.setQueryData<Session | null>(sessionKey, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
    },
  });
}
