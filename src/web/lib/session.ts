import { createContext, useContext } from 'react';
import type { UserRole } from '../../shared/enums.ts';
import type { Session } from '../../shared/schemas/user.schema.ts';

/**
 * The session RequireSession rendered its pages with. A context, not a read of the query cache:
 * the cache entry can be emptied at any moment (sign-out, a 401 from a data query) while the pages
 * below are still mounted, and a page that re-renders in that window (its own query answered
 * first) must still see the session the guard let it in with, until the guard itself moves on.
 */
export const SessionContext = createContext<Session | null>(null);

/** The session under RequireSession: it is always there, the guard provides it. */
export function useCurrentSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useCurrentSession used outside RequireSession');
  return session;
}

export function hasRole(session: Session, ...roles: UserRole[]): boolean {
  return roles.includes(session.user.role);
}
