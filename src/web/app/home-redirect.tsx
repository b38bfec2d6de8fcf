import { Spin } from 'antd';
import { Navigate } from 'react-router';
import { useTenants } from '../lib/api/organisations.api.ts';
import { useCurrentSession } from '../lib/session.ts';

/** Home by role: departments and counties start at their own work, the office and leaders at the overview. */
export function homePathFor(role: string): string {
  return role === 'lead' || role === 'unit' ? '/ledger?mine=1' : '/dashboard';
}

/**
 * The office and leaders of a province's office start at the province overview (cities as rows).
 * The caller is one when the tenants they read include a province (a city's users read only their
 * own city): asked of GET /api/tenants, which answers 200 to everyone, so no other user's first
 * screen starts with a refused request (and a console error).
 */
export function HomeRedirect() {
  const session = useCurrentSession();
  const home = homePathFor(session.user.role);
  const overview = home === '/dashboard';
  const tenants = useTenants();
  if (!overview) return <Navigate to={home} replace />;
  if (tenants.isPending) return <Spin className="page-spinner" aria-busy="true" />;
  const isProvince = tenants.data?.items.some((t) => t.level === 'province') ?? false;
  return <Navigate to={isProvince ? '/province' : home} replace />;
}
