import { Navigate } from 'react-router';
import { useCurrentSession } from '../lib/session.ts';

/** Home by role: departments and counties start at their own work, the office and leaders at the overview. */
export function homePathFor(role: string): string {
  return role === 'lead' || role === 'unit' ? '/ledger?mine=1' : '/dashboard';
}

export function HomeRedirect() {
  const session = useCurrentSession();
  return <Navigate to={homePathFor(session.user.role)} replace />;
}
