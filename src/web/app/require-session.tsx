import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorResult } from '../components/error-result.tsx';
import { PageSpinner } from '../components/page-spinner.tsx';
import { useSession } from '../lib/api/auth.api.ts';
import { SessionContext, useCurrentSession } from '../lib/session.ts';
import { isApiError } from '../lib/api-client.ts';
import { Forbidden } from './route-error.tsx';

/**
 * Signed-in routes: asks GET /api/auth/session; "nobody" goes to /login and comes back afterwards.
 * The pages below get the session from this guard's context (useCurrentSession), never from the
 * query cache directly, so they cannot render without one.
 */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.data) {
    return (
      <SessionContext.Provider value={session.data}>
        <Outlet />
      </SessionContext.Provider>
    );
  }
  if (session.data === null || (isApiError(session.error) && session.error.status === 401)) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/login" replace state={{ from }} />;
  }
  if (session.isError) {
    return (
      <main style={{ padding: 24 }}>
        <ErrorResult error={session.error} onRetry={() => session.refetch()} />
      </main>
    );
  }
  return <PageSpinner />;
}

/** Admin-only pages render 403 for other roles (the server refuses them anyway). */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const session = useCurrentSession();
  if (session.user.role !== 'admin') return <Forbidden />;
  return <>{children}</>;
}
