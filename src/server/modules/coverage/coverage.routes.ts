import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, Ok } from '../../../shared/schemas/common.schema.ts';
import {
  AcceptSitesBody,
  AcceptSitesResult,
  TargetPeriodValueList,
  AnalysisMap,
  CoverageAnalysis,
  CoverageAnalysisList,
  CoverageLayerList,
  CoverageStandard,
  CoverageStandardList,
  CreateStandardBody,
  DistrictOutlineList,
  LayerFeatureList,
  LayerImportQuery,
  LayerImportResult,
  CoverageLayer,
  RunAnalysisBody,
  SuggestionBody,
  SuggestionResult,
  TargetCoverageList,
  TargetCoverageValue,
  TargetLinkBody,
  UpdateStandardBody,
} from '../../../shared/schemas/coverage.schema.ts';
import { readFilePart } from '../../http/file-transfer.ts';
import { requireActor } from '../../http/policy.ts';
import { districtOutlines, getAnalysis, getAnalysisMap, listAnalyses, runAnalysis, suggestSites } from './coverage-analysis.service.ts';
import { loadBoundary } from '../projects/project-boundary.rule.ts';
import { acceptSuggestedSites } from './coverage-projects.service.ts';
import { getLayer, getLayerFeatures, importLayer, listLayers } from './coverage-layers.service.ts';
import { createStandard, listStandards, updateStandard } from './coverage-standards.service.ts';
import { getTargetCoverage, linkTarget, listTargetCoverage, listTargetPeriodValues, unlinkTarget } from './coverage-targets.service.ts';

/** A layer file: 200,000 points of CSV are ~10 MB; GeoJSON is about three times that. */
const LAYER_UPLOAD_BYTES = 30 * 1024 * 1024;

/**
 * Service-radius coverage (服务半径覆盖): layers, standards, analyses, site suggestions and
 * targets fed by coverage. Reads are open to every signed-in role (nothing in them belongs to one
 * county); every change is the office's (row rule in coverage.policy.ts, checked in the services).
 */
export const coverageRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['coverage'];

  app.get(
    '/coverage/layers',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'Facility and demand layers, newest first', response: { 200: CoverageLayerList } },
    },
    async (req) => listLayers(app.db, requireActor(req)),
  );

  app.get(
    '/coverage/layers/:id',
    { config: { policy: 'read' }, schema: { tags, summary: 'One layer', params: IdParams, response: { 200: CoverageLayer } } },
    async (req) => getLayer(app.db, req.params.id, requireActor(req)),
  );

  app.get(
    '/coverage/layers/:id/features',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'A layer’s points (WGS-84)', params: IdParams, response: { 200: LayerFeatureList } },
    },
    async (req) => getLayerFeatures(app.db, req.params.id, requireActor(req)),
  );

  app.post(
    '/coverage/layers/import',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary:
          'Import a layer (multipart field `file`: GeoJSON points, CSV with lng/lat columns, or .xlsx with the same columns) in the declared datum. ' +
          'dryRun=1 (default) reports every row’s problems (row, column); dryRun=0 saves, only when no row has a problem (422 layer_rows_invalid otherwise)',
        consumes: ['multipart/form-data'],
        querystring: LayerImportQuery,
        response: { 200: LayerImportResult },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const upload = await readFilePart(req, LAYER_UPLOAD_BYTES);
      return importLayer(app.db, upload, req.query, actor);
    },
  );

  app.get(
    '/coverage/standards',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'Coverage standards (service radius per facility kind)', response: { 200: CoverageStandardList } },
    },
    async () => listStandards(app.db),
  );

  app.post(
    '/coverage/standards',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Create a coverage standard', body: CreateStandardBody, response: { 201: CoverageStandard } },
    },
    async (req, reply) => reply.code(201).send(await createStandard(app.db, req.body, requireActor(req))),
  );

  app.patch(
    '/coverage/standards/:id',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Change a coverage standard at the version read',
        params: IdParams,
        body: UpdateStandardBody,
        response: { 200: CoverageStandard },
      },
    },
    async (req) => updateStandard(app.db, req.params.id, req.body, requireActor(req)),
  );

  app.get(
    '/coverage/districts',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'The district outlines analyses are computed within (WGS-84)', response: { 200: DistrictOutlineList } },
    },
    async () => ({ items: districtOutlines() }),
  );

  app.get(
    '/coverage/analyses',
    { config: { policy: 'read' }, schema: { tags, summary: 'Coverage analyses, newest first', response: { 200: CoverageAnalysisList } } },
    async (req) => listAnalyses(app.db, requireActor(req)),
  );

  app.post(
    '/coverage/analyses',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary:
          'Run an analysis (standard × facility layer × demand layer within the districts): the three methods per district, stored and audited',
        body: RunAnalysisBody,
        response: { 201: CoverageAnalysis },
      },
    },
    async (req, reply) => reply.code(201).send(await runAnalysis(app.db, req.body, requireActor(req))),
  );

  app.get(
    '/coverage/analyses/:id',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'One analysis: the three methods per district', params: IdParams, response: { 200: CoverageAnalysis } },
    },
    async (req) => getAnalysis(app.db, req.params.id, requireActor(req)),
  );

  app.get(
    '/coverage/analyses/:id/map',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The gap map of an analysis: district outlines, facilities with radius, demand covered or not',
        params: IdParams,
        response: { 200: AnalysisMap },
      },
    },
    async (req) => getAnalysisMap(app.db, req.params.id, requireActor(req)),
  );

  app.post(
    '/coverage/analyses/:id/suggestions',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary:
          'Suggest new sites in a district (maximal covering): greedy with its guarantee beside the exact MILP on a reduced candidate set; stores nothing',
        params: IdParams,
        body: SuggestionBody,
        response: { 200: SuggestionResult },
      },
    },
    async (req) => suggestSites(app.db, req.params.id, req.body, requireActor(req)),
  );

  app.post(
    '/coverage/analyses/:id/projects',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Turn selected suggested sites into draft projects in the project library (转为项目储备), one per site, audited',
        params: IdParams,
        body: AcceptSitesBody,
        response: { 201: AcceptSitesResult },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await acceptSuggestedSites(app.db, requireActor(req), req.params.id, req.body, loadBoundary(app.appConfig.geoBoundaryFile))),
  );

  app.get(
    '/coverage/targets',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'Plan targets fed by a coverage indicator, with their latest value', response: { 200: TargetCoverageList } },
    },
    async (req) => listTargetCoverage(app.db, requireActor(req)),
  );

  app.get(
    '/coverage/targets/:id',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The coverage value feeding a plan target (404 when not linked)',
        params: IdParams,
        response: { 200: TargetCoverageValue },
      },
    },
    async (req) => getTargetCoverage(app.db, req.params.id, requireActor(req)),
  );

  app.get(
    '/coverage/targets/:id/periods',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: "A coverage-fed target's value frozen with each closed reporting period (as of the close; 404 when not linked)",
        params: IdParams,
        response: { 200: TargetPeriodValueList },
      },
    },
    async (req) => listTargetPeriodValues(app.db, req.params.id, requireActor(req)),
  );

  app.put(
    '/coverage/targets/:id',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Feed a plan target from a coverage standard (method, district or all)',
        params: IdParams,
        body: TargetLinkBody,
        response: { 200: TargetCoverageValue },
      },
    },
    async (req) => linkTarget(app.db, req.params.id, req.body, requireActor(req)),
  );

  app.delete(
    '/coverage/targets/:id',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Stop feeding a plan target from coverage', params: IdParams, response: { 200: Ok } },
    },
    async (req) => {
      await unlinkTarget(app.db, req.params.id, requireActor(req));
      return { ok: true as const };
    },
  );
};
