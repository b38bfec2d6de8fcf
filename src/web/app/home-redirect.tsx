import { Spin } from 'antd';
import { Navigate } from 'react-router';
import { useProvinceDashboard } from '../features/dashboard/api/dashboard.api.ts';
import { useCurrentSession } from '../lib/session.ts';

/** Home by role: departments and counties start at their own work, the office and leaders at the overview. */
export function homePathFor(role: string): string {
  return role === 'lead' || role === 'unit' ? '/ledger?mine=1' : '/dashboard';
}

/**
 * The office and leaders of a province's office start at the province overview (cities as rows).
 * Whether the caller is one is the server's answer to the province dashboard itself (200 or 403),
 * asked with the page's own query, so a province user's first screen is already loaded.
 */
export function HomeRedirect() {
  const session = useCurrentSession();
  const home = homePathFor(session.user.role);
  const overview = home === '/dashboard';
  const province = useProvinceDashboard(overview);
  if (!overview) return <Navigate to={home} replace />;
  if (province.isPending) return <Spin className="page-spinner" aria-busy="true" />;
  return <Navigate to={province.isSuccess ? '/province' : home} replace />;
}
