import { createBrowserRouter, Navigate, Outlet, ScrollRestoration } from 'react-router';
import { PageSpinner } from '../components/page-spinner.tsx';
import { RequireSession } from './require-session.tsx';
import { NotFound, RouteError } from './route-error.tsx';

/** A new page starts at its top; filter and paging changes (same path, new search) keep the scroll. */
function RootLayout() {
  return (
    <>
      <ScrollRestoration getKey={(location) => location.pathname} />
      <Outlet />
    </>
  );
}

/**
 * Every page is a lazy route: the login page does not download the ledger, and each later feature
 * (ledger, review, dashboard) adds its own chunk here without growing the first load.
 */
export function createAppRouter() {
  return createBrowserRouter([
    {
      id: 'root',
      element: <RootLayout />,
      errorElement: <RouteError />,
      hydrateFallbackElement: <PageSpinner />,
      children: [
        {
          path: 'login',
          lazy: async () => ({ Component: (await import('../features/auth/components/login-page.tsx')).LoginPage }),
        },
        {
          element: <RequireSession />,
          children: [
            {
              lazy: async () => ({ Component: (await import('./app-layout.tsx')).AppLayout }),
              errorElement: <RouteError />,
              children: [
                { index: true, element: <Navigate to="/plans" replace /> },
                {
                  path: 'plans',
                  errorElement: <RouteError />,
                  lazy: async () => ({ Component: (await import('../features/plans/components/plans-page.tsx')).PlansPage }),
                },
                {
                  path: 'plans/:planId',
                  errorElement: <RouteError />,
                  lazy: async () => ({ Component: (await import('../features/plans/components/plan-page.tsx')).PlanPage }),
                },
                {
                  path: 'organisations',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/organisations/components/organisations-page.tsx')).OrganisationsPage,
                  }),
                },
                {
                  path: 'accounts',
                  errorElement: <RouteError />,
                  lazy: async () => ({ Component: (await import('../features/users/components/accounts-page.tsx')).AccountsPage }),
                },
                { path: '*', element: <NotFound /> },
              ],
            },
          ],
        },
      ],
    },
  ]);
}
