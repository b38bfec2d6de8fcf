import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Version } from '../../../shared/schemas/common.schema.ts';
import {
  BalanceQuery,
  ChangeRequest,
  ChangeRequestList,
  CompleteProjectBody,
  CreateChangeRequestBody,
  CreateProjectBody,
  DecideChangeRequestBody,
  FundingBalance,
  GeoBoundary,
  IntakeDeadlineBody,
  IntakeProgress,
  IntakeQuery,
  RolloverBody,
  RolloverQuery,
  RolloverResult,
  ImportQuery,
  ProjectImportResult,
  ListKindParams,
  ProjectActionBody,
  ProjectDetail,
  ProjectList,
  ProjectListQuery,
  ProjectLists,
  ProjectReport,
  ProjectReportBody,
  ProjectReportList,
  ProjectReportQueueQuery,
  ProjectSummary,
  ProjectSummaryQuery,
  PutListItemBody,
  RateList,
  ReviewProjectBody,
  ReviewProjectReportBody,
  TargetProjects,
  TargetRuleBody,
  UpdateProjectBody,
  YearQuery,
} from '../../../shared/schemas/project.schema.ts';
import { readFilePart, sendDownload, XLSX_TYPE } from '../../http/file-transfer.ts';
import { requireActor } from '../../http/policy.ts';
import { assertCanImport, exportBalance, exportLibrary, IMPORT_LIMITS, importProjects, importTemplate } from './project-excel.service.ts';
import { loadBoundary } from './project-boundary.rule.ts';
import { intakeProgress, previewRollover, rollOver, setIntakeDeadline } from './project-plans.service.ts';
import { fundingBalance, projectRates, projectSummary, setTargetRule, targetProjects } from './project-figures.service.ts';
import { listProjectReports, listReportQueue, reviewProjectReport, saveProjectReport } from './project-reports.service.ts';
import {
  acceptProject,
  completeProject,
  createChangeRequest,
  createProject,
  decideChangeRequest,
  getLists,
  getProject,
  listChangeRequests,
  listPendingChangeRequests,
  listProjects,
  promoteProject,
  putListItem,
  reviewProject,
  submitProject,
  updateProject,
} from './projects.service.ts';

/**
 * The project library (项目库, issue 14). Route policies are coarse (`read` / `write` / `admin`);
 * which project a caller may see or change is decided in projects.policy.ts inside each service.
 */
export const projectsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['projects'];
  const boundary = () => loadBoundary(app.appConfig.geoBoundaryFile);
  const today = () => app.appConfig.today ?? new Date().toISOString().slice(0, 10);

  app.get(
    '/projects/boundary',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The installation’s district boundaries (GeoJSON, GCJ-02) the project map draws',
        response: { 200: GeoBoundary },
      },
    },
    async () => boundary(),
  );
  app.get(
    '/project-lists',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'Project categories and funding sources (the office’s lists)', response: { 200: ProjectLists } },
    },
    async () => getLists(app.db),
  );
  app.put(
    '/project-lists/:kind',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Add or rename a category or funding source',
        params: ListKindParams,
        body: PutListItemBody,
        response: { 200: ProjectLists },
      },
    },
    async (req) => putListItem(app.db, requireActor(req), req.params.kind, req.body),
  );

  app.get(
    '/projects',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The project library the caller may see, filtered',
        querystring: ProjectListQuery,
        response: { 200: ProjectList },
      },
    },
    async (req) => listProjects(app.db, requireActor(req), req.query),
  );
  app.post(
    '/projects',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'A new project in 谋划 (draft) for the caller’s organisation',
        body: CreateProjectBody,
        response: { 201: ProjectDetail },
      },
    },
    async (req, reply) => reply.code(201).send(await createProject(app.db, requireActor(req), req.body, boundary())),
  );
  app.get(
    '/projects/:id',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'One project with its timeline', params: IdParams, response: { 200: ProjectDetail } },
    },
    async (req) => getProject(app.db, requireActor(req), req.params.id),
  );
  app.put(
    '/projects/:id',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Edit a draft or returned project',
        params: IdParams,
        body: UpdateProjectBody,
        response: { 200: ProjectDetail },
      },
    },
    async (req) => updateProject(app.db, requireActor(req), req.params.id, req.body, boundary()),
  );
  app.post(
    '/projects/:id/submit',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: '报送: submit a draft or returned project for review',
        params: IdParams,
        body: ProjectActionBody,
        response: { 200: ProjectDetail },
      },
    },
    async (req) => submitProject(app.db, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/projects/:id/review',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: '审查: admit, reserve or return a submitted project',
        params: IdParams,
        body: ReviewProjectBody,
        response: { 200: ProjectDetail },
      },
    },
    async (req) => reviewProject(app.db, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/projects/:id/promote',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Promote a reserve project into a year’s plan',
        params: IdParams,
        body: z.object({ version: Version, planYear: z.number().int().min(2000).max(2100), note: z.string().max(2000).default('') }),
        response: { 200: ProjectDetail },
      },
    },
    async (req) => promoteProject(app.db, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/projects/:id/complete',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: '完工: a project in implementation is completed',
        params: IdParams,
        body: CompleteProjectBody,
        response: { 200: ProjectDetail },
      },
    },
    async (req) => completeProject(app.db, requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/projects/:id/accept',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: '验收: accept a completed project',
        params: IdParams,
        body: ProjectActionBody,
        response: { 200: ProjectDetail },
      },
    },
    async (req) => acceptProject(app.db, requireActor(req), req.params.id, req.body),
  );

  app.get(
    '/projects/:id/change-requests',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'A project’s change requests (调整)', params: IdParams, response: { 200: ChangeRequestList } },
    },
    async (req) => listChangeRequests(app.db, requireActor(req), req.params.id),
  );
  app.post(
    '/projects/:id/change-requests',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Request a change to a library project (what, why, the fields)',
        params: IdParams,
        body: CreateChangeRequestBody,
        response: { 201: ChangeRequest },
      },
    },
    async (req, reply) => reply.code(201).send(await createChangeRequest(app.db, requireActor(req), req.params.id, req.body, boundary())),
  );
  app.get(
    '/project-change-requests',
    { config: { policy: 'admin' }, schema: { tags, summary: 'Pending change requests (office)', response: { 200: ChangeRequestList } } },
    async (req) => listPendingChangeRequests(app.db, requireActor(req)),
  );
  app.post(
    '/project-change-requests/:id/decision',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Approve (apply) or reject a change request',
        params: IdParams,
        body: DecideChangeRequestBody,
        response: { 200: ChangeRequest },
      },
    },
    async (req) => decideChangeRequest(app.db, requireActor(req), req.params.id, req.body, boundary()),
  );

  app.get(
    '/projects/:id/reports',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'A project’s monthly 调度 reports with cumulative sums',
        params: IdParams,
        response: { 200: ProjectReportList },
      },
    },
    async (req) => listProjectReports(app.db, requireActor(req), req.params.id),
  );
  app.post(
    '/projects/:id/reports',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Save or submit the project’s report for an open period',
        params: IdParams,
        body: ProjectReportBody,
        response: { 200: ProjectReport },
      },
    },
    async (req) => saveProjectReport(app.db, requireActor(req), req.params.id, req.body),
  );
  app.get(
    '/project-reports',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'Monthly project reports the caller may see (the office’s review queue)',
        querystring: ProjectReportQueueQuery,
        response: { 200: ProjectReportList },
      },
    },
    async (req) => listReportQueue(app.db, requireActor(req), req.query),
  );
  app.post(
    '/project-reports/:id/review',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Approve or return a submitted project report',
        params: IdParams,
        body: ReviewProjectReportBody,
        response: { 200: ProjectReport },
      },
    },
    async (req) => reviewProjectReport(app.db, requireActor(req), req.params.id, req.body),
  );

  app.get(
    '/project-rates',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The four rates per county (and category with byCategory=true) for a plan year',
        querystring: YearQuery.extend({ byCategory: z.enum(['true', 'false']).default('false') }),
        response: { 200: RateList },
      },
    },
    async (req) => projectRates(app.db, requireActor(req), req.query.planYear, req.query.asOf ?? today(), req.query.byCategory === 'true'),
  );
  app.get(
    '/funding-balance',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: '资金综合平衡方案: needs against sources per county for a plan year',
        querystring: BalanceQuery,
        response: { 200: FundingBalance },
      },
    },
    async (req) => fundingBalance(app.db, requireActor(req), req.query.planYear, req.query.orgId),
  );
  app.get(
    '/targets/:id/projects',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The projects counting toward a target and what is still missing',
        params: IdParams,
        response: { 200: TargetProjects },
      },
    },
    async (req) => targetProjects(app.db, requireActor(req), req.params.id),
  );
  app.put(
    '/targets/:id/project-rule',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Whether a target counts completed or started projects',
        params: IdParams,
        body: TargetRuleBody,
        response: { 200: TargetProjects },
      },
    },
    async (req) => setTargetRule(app.db, requireActor(req), req.params.id, req.body.counts),
  );

  app.get(
    '/projects/export.xlsx',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The filtered library the caller may see, as an Excel workbook (万元)',
        querystring: ProjectListQuery.omit({ limit: true, offset: true }),
        produces: [XLSX_TYPE],
      },
    },
    async (req, reply) => {
      const { buffer, filename } = await exportLibrary(app.db, requireActor(req), req.query);
      return sendDownload(reply, { bytes: buffer, filename, contentType: XLSX_TYPE });
    },
  );
  app.get(
    '/projects/import-template.xlsx',
    { config: { policy: 'read' }, schema: { tags, summary: 'The empty project import template', produces: [XLSX_TYPE] } },
    async (_req, reply) => {
      const { buffer, filename } = await importTemplate(app.db);
      return sendDownload(reply, { bytes: buffer, filename, contentType: XLSX_TYPE });
    },
  );
  app.post(
    '/projects/import',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary:
          'Import projects from the template (multipart `file`): dryRun=true reports problems per row and column; otherwise all rows are created as drafts, or none',
        consumes: ['multipart/form-data'],
        querystring: ImportQuery,
        response: { 200: ProjectImportResult },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      assertCanImport(actor);
      const upload = await readFilePart(req, IMPORT_LIMITS.fileBytes);
      return importProjects(app.db, actor, upload.bytes, req.query.dryRun === 'true', boundary());
    },
  );
  app.get(
    '/funding-balance/export.xlsx',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The funding balance of a plan year as the office’s workbook',
        querystring: BalanceQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (req, reply) => {
      const { buffer, filename } = await exportBalance(app.db, requireActor(req), req.query.planYear, req.query.orgId);
      return sendDownload(reply, { bytes: buffer, filename, contentType: XLSX_TYPE });
    },
  );

  // ---- annual plans: 年度结转 and next year's intake ----
  app.get(
    '/project-plans/rollover',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Preview 年度结转: the continuing projects of fromYear that would join the next year with their remaining investment',
        querystring: RolloverQuery,
        response: { 200: RolloverResult },
      },
    },
    async (req) => previewRollover(app.db, requireActor(req), req.query.fromYear),
  );
  app.post(
    '/project-plans/rollover',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: '年度结转: carry the continuing projects of fromYear into the next year (idempotent; audited per project)',
        body: RolloverBody,
        response: { 200: RolloverResult },
      },
    },
    async (req) => rollOver(app.db, requireActor(req), req.body.fromYear, req.body.note),
  );
  app.get(
    '/project-intake',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'A plan year’s intake (谋划) per county against its deadline',
        querystring: IntakeQuery,
        response: { 200: IntakeProgress },
      },
    },
    async (req) => intakeProgress(app.db, requireActor(req), req.query.planYear, today()),
  );
  app.put(
    '/project-intake/deadline',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Set a plan year’s 谋划 deadline', body: IntakeDeadlineBody, response: { 200: IntakeProgress } },
    },
    async (req) => {
      const actor = requireActor(req);
      await setIntakeDeadline(app.db, actor, req.body.planYear, req.body.deadline);
      return intakeProgress(app.db, actor, req.body.planYear, today());
    },
  );
  app.get(
    '/project-summary',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The dashboard’s project counts: a plan year’s projects per county and status (as far as the caller may see)',
        querystring: ProjectSummaryQuery,
        response: { 200: ProjectSummary },
      },
    },
    async (req) => projectSummary(app.db, requireActor(req), req.query.planYear),
  );
};
