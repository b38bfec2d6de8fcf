import { createBrowserRouter, Outlet, ScrollRestoration } from 'react-router';
import { PageSpinner } from '../components/page-spinner.tsx';
import { HomeRedirect } from './home-redirect.tsx';
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
              // Paper, not screen: outside the app chrome.
              path: 'ledger/print',
              errorElement: <RouteError />,
              lazy: async () => ({
                Component: (await import('../features/ledger/components/ledger-print-page.tsx')).LedgerPrintPage,
              }),
            },
            {
              lazy: async () => ({ Component: (await import('./app-layout.tsx')).AppLayout }),
              errorElement: <RouteError />,
              children: [
                { index: true, element: <HomeRedirect /> },
                {
                  path: 'ledger',
                  errorElement: <RouteError />,
                  lazy: async () => ({ Component: (await import('./ledger-route.tsx')).LedgerRoute }),
                },
                {
                  path: 'dashboard',
                  errorElement: <RouteError />,
                  lazy: async () => ({ Component: (await import('./dashboard-route.tsx')).DashboardRoute }),
                },
                {
                  path: 'province',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/dashboard/components/province-dashboard-page.tsx')).ProvinceDashboardPage,
                  }),
                },
                {
                  path: 'tasks/:taskId',
                  errorElement: <RouteError />,
                  lazy: async () => ({ Component: (await import('./task-route.tsx')).TaskRoute }),
                },
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
                  path: 'plans/:planId/edit',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/plans/components/plan-structure-editor.tsx')).PlanStructureEditorPage,
                  }),
                },
                {
                  path: 'imports/new',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/plan-imports/components/import-new-page.tsx')).ImportNewPage,
                  }),
                },
                {
                  path: 'imports/:importId',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/plan-imports/components/import-review-page.tsx')).ImportReviewPage,
                  }),
                },
                {
                  path: 'reports',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/reporting/components/my-reports-page.tsx')).MyReportsPage,
                  }),
                },
                {
                  path: 'reviews',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/reporting/components/review-queue-page.tsx')).ReviewQueuePage,
                  }),
                },
                {
                  path: 'periods',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/reporting/components/periods-page.tsx')).PeriodsPage,
                  }),
                },
                {
                  path: 'settings',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/settings/components/settings-page.tsx')).SettingsPage,
                  }),
                },
                {
                  path: 'supervision',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/supervision/components/supervision-page.tsx')).SupervisionPage,
                  }),
                },
                {
                  path: 'supervision/:noticeId',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/supervision/components/notice-page.tsx')).NoticePage,
                  }),
                },
                {
                  path: 'coverage',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/coverage/components/coverage-page.tsx')).CoveragePage,
                  }),
                },
                {
                  path: 'projects',
                  errorElement: <RouteError />,
                  lazy: async () => ({ Component: (await import('../features/projects/components/projects-page.tsx')).ProjectsPage }),
                },
                {
                  path: 'projects/new',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/projects/components/project-form-page.tsx')).ProjectFormPage,
                  }),
                },
                {
                  path: 'projects/review',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/projects/components/project-review-page.tsx')).ProjectReviewPage,
                  }),
                },
                {
                  path: 'projects/plans',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/projects/components/annual-plan-page.tsx')).AnnualPlanPage,
                  }),
                },
                {
                  path: 'projects/funding',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/projects/components/funding-balance-page.tsx')).FundingBalancePage,
                  }),
                },
                {
                  path: 'projects/:projectId',
                  errorElement: <RouteError />,
                  lazy: async () => ({ Component: (await import('../features/projects/components/project-page.tsx')).ProjectPage }),
                },
                {
                  path: 'projects/:projectId/edit',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/projects/components/project-form-page.tsx')).ProjectFormPage,
                  }),
                },
                {
                  path: 'assessments',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/assessment/components/assessments-page.tsx')).AssessmentsPage,
                  }),
                },
                {
                  path: 'assessments/schemes',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/assessment/components/scheme-editor-page.tsx')).SchemeEditorPage,
                  }),
                },
                {
                  path: 'assessments/year-end',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/assessment/components/year-end-page.tsx')).YearEndPage,
                  }),
                },
                {
                  path: 'assessments/:assessmentId',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/assessment/components/assessment-run-page.tsx')).AssessmentRunPage,
                  }),
                },
                {
                  path: 'assessments/:assessmentId/units/:orgId',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/assessment/components/score-sheet-page.tsx')).ScoreSheetPage,
                  }),
                },
                {
                  path: 'bulletins/:bulletinId',
                  errorElement: <RouteError />,
                  lazy: async () => ({ Component: (await import('../features/assessment/components/bulletin-page.tsx')).BulletinPage }),
                },
                {
                  path: 'notifications',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/notifications/components/notifications-page.tsx')).NotificationsPage,
                  }),
                },
                {
                  path: 'organisations',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/organisations/components/organisations-page.tsx')).OrganisationsPage,
                  }),
                },
                {
                  path: 'publications',
                  errorElement: <RouteError />,
                  lazy: async () => ({
                    Component: (await import('../features/publications/components/publications-page.tsx')).PublicationsPage,
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
