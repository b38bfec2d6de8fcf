import { DashboardPage } from '../features/dashboard/components/dashboard-page.tsx';
import { ProjectDashboardCards } from '../features/projects/components/project-dashboard-cards.tsx';

/**
 * /dashboard: the dashboard feature's page with the projects feature's cards (projects by status
 * per county, investment against plan, the four rates) for the dashboard's year. Features import
 * no other feature, so the app composes them here (loaded lazily by the router).
 */
export function DashboardRoute() {
  return <DashboardPage projectCards={(asOf) => <ProjectDashboardCards asOf={asOf} />} />;
}
