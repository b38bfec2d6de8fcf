import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorResult } from '../components/error-result.tsx';
import { PageSpinner } from '../components/page-spinner.tsx';
import { useSession } from '../lib/api/auth.api.ts';
import { isApiError } from '../lib/api-client.ts';
import { Forbidden } from './route-error.tsx';

/** Signed-in routes: asks GET /api/auth/me; a 401 goes to /login and comes back afterwards. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageSpinner />;
  if (session.isError) {
    if (isApiError(session.error) && session.error.status === 401) {
      const from = `${location.pathname}${location.search}`;
      return <Navigate to="/login" replace state={{ from }} />;
    }
    return (
      <main style={{ padding: 24 }}>
        <ErrorResult error={session.error} onRetry={() => session.refetch()} />
      </main>
    );
  }
  return <Outlet />;
}

/** Admin-only pages render 403 for other roles (the server refuses them anyway). */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.data?.user.role !== 'admin') return <Forbidden />;
  return <>{children}</>;
}
