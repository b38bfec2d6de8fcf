import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../shared/schemas/common.schema.ts';
import {
  LedgerExportQuery,
  LedgerPageQuery,
  LedgerPageResponse,
  LedgerQuery,
  LedgerResponse,
} from '../../../shared/schemas/ledger.schema.ts';
import { TaskHistory } from '../../../shared/schemas/plan.schema.ts';
import { requireActor } from '../../http/policy.ts';
import { getLedger, resolveAsOf } from './ledger.service.ts';
import { exportLedgerWorkbook, getLedgerPage } from './ledger-page.service.ts';
import { getDashboard } from './dashboard.service.ts';
import { DashboardQuery, DashboardResponse, ProvinceDashboard, ProvinceDashboardQuery } from '../../../shared/schemas/dashboard.schema.ts';
import { getProvinceDashboard } from './province-dashboard.service.ts';
import { sendDownload, XLSX_TYPE } from '../../http/file-transfer.ts';
import { getTaskHistory } from './task-history.service.ts';

/** RFC 6266/5987: an ASCII fallback for old clients and the UTF-8 name for everyone else. */
/**
 * The ledger (台账) of a plan or of all active plans, its Excel export and the dashboard. All three
 * read the same rows (ledger.service.ts buildLedger) and filter with the shared filterLedgerRows,
 * so a dashboard number, the ledger it opens and the exported file agree.
 */
export const ledgerRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['ledger'];
  const asOf = (requested: string | undefined) => resolveAsOf(requested, app.appConfig.today);

  app.get(
    '/ledger',
    {
      config: { policy: 'read' },
      // 10,000 rows: validating the response with zod took longer than building it (~0.3 s of
      // ~1 s). The rows come from one typed function (buildLedger) and the API tests parse the
      // response with LedgerResponse, so this route serialises with JSON.stringify; the schema
      // still documents it in OpenAPI.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags,
        summary: 'Every ledger row (task × responsible unit) of a plan, or of all active plans',
        querystring: LedgerQuery,
        response: { 200: LedgerResponse },
      },
    },
    async (req) => getLedger(app.db, requireActor(req), { planId: req.query.planId, asOf: asOf(req.query.asOf) }),
  );

  app.get(
    '/ledger/page',
    {
      config: { policy: 'read' },
      // As /ledger: the rows are buildLedger's (cached per plan) and the API tests parse the response with LedgerPageResponse.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags,
        summary: "One page of the filtered, sorted ledger (the shared filter over the plans' cached rows) with the total and facet counts",
        querystring: LedgerPageQuery,
        response: { 200: LedgerPageResponse },
      },
    },
    async (req) => getLedgerPage(app.db, requireActor(req), req.query, asOf(req.query.asOf)),
  );

  app.get(
    '/ledger/export.xlsx',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The filtered ledger as a formatted Excel workbook (the rows /ledger/page keeps, unpaged)',
        querystring: LedgerExportQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (req, reply) => {
      const { asOf: requested, ...filter } = req.query;
      const { buffer, filename } = await exportLedgerWorkbook(app.db, requireActor(req), filter, asOf(requested));
      return sendDownload(reply, { bytes: buffer, filename, contentType: XLSX_TYPE });
    },
  );

  app.get(
    '/dashboard',
    {
      config: { policy: 'read' },
      // As /ledger: validating 200 listed ledger rows with zod on every response cost more than
      // answering from the read cache (ADR 0008). The value is one typed function's (getDashboard);
      // test/dashboard-cache.test.ts parses responses with DashboardResponse and ProvinceDashboard.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags,
        summary:
          'Counts by status, district, lead unit and section over the ledger rows; upcoming and overdue rows; whose data it is. `tenant`: one city, from the province',
        querystring: DashboardQuery,
        response: { 200: DashboardResponse },
      },
    },
    async (req) =>
      getDashboard(app.db, requireActor(req), { planId: req.query.planId, asOf: asOf(req.query.asOf), tenant: req.query.tenant }),
  );

  app.get(
    '/dashboard/province',
    {
      config: { policy: 'read' },
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags,
        summary: "The province office's dashboard: one row per city below it (plans, tasks and targets by status, 填报率, open 督办)",
        querystring: ProvinceDashboardQuery,
        response: { 200: ProvinceDashboard },
      },
    },
    async (req) => getProvinceDashboard(app.db, requireActor(req), { asOf: asOf(req.query.asOf) }),
  );

  app.get(
    '/tasks/:id/history',
    {
      config: { policy: 'read' },
      schema: {
        tags: ['tasks'],
        summary: 'Audit trail of the task and its targets, assignments and deadlines, and of the reports and evidence the caller may read',
        params: IdParams,
        response: { 200: TaskHistory },
      },
    },
    async (req) => getTaskHistory(app.db, req.params.id, requireActor(req)),
  );
};
