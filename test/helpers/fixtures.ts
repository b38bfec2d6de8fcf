/**
 * The old names of two factories, kept for the suites that still import them (authz-matrix,
 * api-fuzz). New tests import from ./factories.ts.
 */
export {
  makeReportingPlan as insertReportingFixture,
  makeTaskPlan as insertTaskFixture,
  type ReportingFixture,
  type TaskFixture,
  type TaskScenario,
} from './factories.ts';
