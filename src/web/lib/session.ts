import { useQueryClient } from '@tanstack/react-query';
import type { UserRole } from '../../shared/enums.ts';
import type { Session } from '../../shared/schemas/user.schema.ts';
import { sessionKey } from './api/auth.api.ts';

/** The session under RequireSession: it is always there, the guard saw to it. */
export function useCurrentSession(): Session {
  const session = useQueryClient().getQueryData<Session>(sessionKey);
  if (!session) throw new Error('useCurrentSession used outside RequireSession');
  return session;
}

export function hasRole(session: Session, ...roles: UserRole[]): boolean {
  return roles.includes(session.user.role);
}
