import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../shared/schemas/common.schema.ts';
import {
  CreateAmendmentBody,
  CreatePeriodBody,
  JurisdictionLabel,
  JurisdictionLabelList,
  MyReportList,
  PeriodActionBody,
  PeriodSnapshot,
  PeriodSnapshotList,
  ProgressReport,
  ProgressReportList,
  PutJurisdictionLabelBody,
  PutReportingScheduleBody,
  ReportActionBody,
  ReportingPeriod,
  ReportingPeriodList,
  ReportingSchedule,
  ReportListQuery,
  ReturnReportBody,
  SaveReportBody,
} from '../../../shared/schemas/reporting.schema.ts';
import { requireActor } from '../../http/policy.ts';
import { amendSnapshot, closePeriod, getSnapshot, listSnapshots } from './period-close.service.ts';
import { createPeriod, getPeriod, getSchedule, listPeriods, openPeriod, putSchedule } from './periods.service.ts';
import { listJurisdictionLabels, putJurisdictionLabel } from './report-rows.service.ts';
import {
  approveReport,
  getReport,
  listMyReports,
  listReports,
  returnReport,
  saveReport,
  submitReport,
} from './progress-reports.service.ts';

/**
 * Reporting: schedules and periods (admin), the units' progress reports (filed by the reporting
 * organisation, reviewed by a lead unit of the task or the office), and the snapshot frozen when a
 * period closes, corrected only by amendments. Routes with the `write` policy authorise the row
 * in the service (reporting.policy.ts), because who may file or review depends on assignments.
 */
export const reportingRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['reporting'];
  // LUOSHI_TODAY (demos, tests) fixes the date lateness and statuses are judged at, as in the ledger.
  const clock = () => ({ today: app.appConfig.today });

  app.get(
    '/plans/:id/reporting-schedule',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The plan’s reporting schedule (defaults when none is set)',
        params: IdParams,
        response: { 200: ReportingSchedule },
      },
    },
    async (req) => getSchedule(app.db, req.params.id, req.actor),
  );

  app.put(
    '/plans/:id/reporting-schedule',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Set the plan’s reporting schedule (send the version you read when changing one)',
        params: IdParams,
        body: PutReportingScheduleBody,
        response: { 200: ReportingSchedule },
      },
    },
    async (req) => putSchedule(app.db, req.params.id, req.body, req.actor, clock()),
  );

  app.get(
    '/plans/:id/jurisdiction-labels',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The jurisdiction labels of the plan’s targets: which organisations report each, and the office’s resolutions',
        params: IdParams,
        response: { 200: JurisdictionLabelList },
      },
    },
    async (req) => listJurisdictionLabels(app.db, req.params.id, req.actor),
  );

  app.put(
    '/plans/:id/jurisdiction-labels',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Resolve a jurisdiction label (or a part of one) to the organisations that report its targets; [] removes it',
        params: IdParams,
        body: PutJurisdictionLabelBody,
        response: { 200: JurisdictionLabel },
      },
    },
    async (req) => putJurisdictionLabel(app.db, req.params.id, req.body, req.actor),
  );

  app.get(
    '/plans/:id/periods',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'The plan’s reporting periods in date order', params: IdParams, response: { 200: ReportingPeriodList } },
    },
    async (req) => listPeriods(app.db, req.params.id, req.actor),
  );

  app.post(
    '/plans/:id/periods',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Create a reporting period (the schedule’s period containing `start`, unless `end` is given)',
        params: IdParams,
        body: CreatePeriodBody,
        response: { 201: ReportingPeriod },
      },
    },
    async (req, reply) => reply.code(201).send(await createPeriod(app.db, req.params.id, req.body, req.actor)),
  );

  app.get(
    '/periods/:id',
    { config: { policy: 'read' }, schema: { tags, summary: 'One reporting period', params: IdParams, response: { 200: ReportingPeriod } } },
    async (req) => getPeriod(app.db, req.params.id, req.actor),
  );

  app.post(
    '/periods/:id/open',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Open a pending period for reports',
        params: IdParams,
        body: PeriodActionBody,
        response: { 200: ReportingPeriod },
      },
    },
    async (req) => openPeriod(app.db, req.params.id, req.body.version, req.actor),
  );

  app.post(
    '/periods/:id/close',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Close a period: freeze its snapshot and recompute statuses, in one transaction',
        params: IdParams,
        body: PeriodActionBody,
        response: { 200: ReportingPeriod },
      },
    },
    async (req) => closePeriod(app.db, req.params.id, req.body.version, req.actor, clock()),
  );

  app.get(
    '/periods/:id/my-reports',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Every target and task the caller’s organisation reports on in the period, with its report if any',
        params: IdParams,
        response: { 200: MyReportList },
      },
    },
    async (req) => listMyReports(app.db, req.params.id, requireActor(req)),
  );

  app.get(
    '/periods/:id/reports',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The period’s reports the caller may see (a lead unit: those on the tasks it leads)',
        params: IdParams,
        querystring: ReportListQuery,
        response: { 200: ProgressReportList },
      },
    },
    async (req) => listReports(app.db, req.params.id, req.query, requireActor(req)),
  );

  app.put(
    '/periods/:id/reports',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Save the caller’s organisation’s draft report on a task or target (send the version to update one)',
        params: IdParams,
        body: SaveReportBody,
        response: { 200: ProgressReport },
      },
    },
    async (req) => saveReport(app.db, req.params.id, req.body, requireActor(req)),
  );

  app.get(
    '/reports/:id',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'One report (404 when not yours to see)', params: IdParams, response: { 200: ProgressReport } },
    },
    async (req) => getReport(app.db, req.params.id, requireActor(req)),
  );

  app.post(
    '/reports/:id/submit',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Submit a draft or returned report',
        params: IdParams,
        body: ReportActionBody,
        response: { 200: ProgressReport },
      },
    },
    async (req) => submitReport(app.db, req.params.id, req.body, requireActor(req), clock()),
  );

  app.post(
    '/reports/:id/approve',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Approve a submitted report (admin or a lead unit of the task); recomputes statuses',
        params: IdParams,
        body: ReportActionBody,
        response: { 200: ProgressReport },
      },
    },
    async (req) => approveReport(app.db, req.params.id, req.body, requireActor(req), clock()),
  );

  app.post(
    '/reports/:id/return',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Return a submitted report to its organisation with a comment',
        params: IdParams,
        body: ReturnReportBody,
        response: { 200: ProgressReport },
      },
    },
    async (req) => returnReport(app.db, req.params.id, req.body, requireActor(req), clock()),
  );

  app.get(
    '/periods/:id/snapshots',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The frozen snapshot of a closed period, with amendments and effective values',
        params: IdParams,
        response: { 200: PeriodSnapshotList },
      },
    },
    async (req) => listSnapshots(app.db, req.params.id, req.actor),
  );

  app.get(
    '/snapshots/:id',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'One frozen snapshot row with its amendments', params: IdParams, response: { 200: PeriodSnapshot } },
    },
    async (req) => getSnapshot(app.db, req.params.id, req.actor),
  );

  app.post(
    '/snapshots/:id/amendments',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Record a correction beside a frozen snapshot row (the row itself never changes)',
        params: IdParams,
        body: CreateAmendmentBody,
        response: { 201: PeriodSnapshot },
      },
    },
    async (req, reply) => reply.code(201).send(await amendSnapshot(app.db, req.params.id, req.body, req.actor)),
  );
};
