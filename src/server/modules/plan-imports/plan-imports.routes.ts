import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LIMITS } from '../../../shared/limits.ts';
import { IdParams } from '../../../shared/schemas/common.schema.ts';
import {
  ConfirmPlanImportResult,
  CreatePlanImportBody,
  MapMentionsBody,
  PlanImport,
} from '../../../shared/schemas/plan-import.schema.ts';
import { AppError } from '../../http/app-error.ts';
import {
  confirmPlanImport,
  createPlanImport,
  createPlanImportFromFile,
  getPlanImport,
  mapPlanImportMentions,
} from './plan-imports.service.ts';

// Pasted text is limited in characters; in UTF-8 a Chinese character takes three bytes.
const PLAN_JSON_BODY_BYTES = LIMITS.planTextChars * 3 + 64 * 1024;

/** Plan import: upload or paste a plan, review the parser's extraction, map unknown units, confirm. */
export const planImportsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['plan-imports'];

  app.post(
    '/plan-imports',
    {
      config: { policy: 'admin' },
      bodyLimit: PLAN_JSON_BODY_BYTES,
      schema: {
        tags,
        summary: 'Parse a plan into a draft import: JSON {text, filename?} or multipart field `file` (.txt/.docx)',
        consumes: ['application/json', 'multipart/form-data'],
        // Optional because a multipart request has no parsed body; the file is read in the handler.
        body: CreatePlanImportBody.nullish(),
        response: { 201: PlanImport },
      },
    },
    async (req, reply) => {
      if (req.isMultipart()) {
        const file = await req.file();
        if (file?.fieldname !== 'file') {
          throw new AppError('validation', 'send the plan document in the multipart field "file"', {
            errors: [{ path: 'file', message: 'required' }],
          });
        }
        // toBuffer enforces the multipart fileSize limit (413) set in app.ts.
        const bytes = await file.toBuffer();
        return reply.code(201).send(await createPlanImportFromFile(app.db, req.actor, bytes, file.filename || 'upload'));
      }
      if (!req.body) {
        throw new AppError('validation', 'send JSON {text} or a multipart upload', {
          errors: [{ path: 'text', message: 'required' }],
        });
      }
      return reply.code(201).send(await createPlanImport(app.db, req.actor, req.body));
    },
  );

  app.get(
    '/plan-imports/:id',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'A draft or confirmed import', params: IdParams, response: { 200: PlanImport } },
    },
    async (req) => getPlanImport(app.db, req.params.id),
  );

  app.post(
    '/plan-imports/:id/mappings',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Map unresolved unit mentions to an existing organisation, or create one',
        params: IdParams,
        body: MapMentionsBody,
        response: { 200: PlanImport },
      },
    },
    async (req) => mapPlanImportMentions(app.db, req.actor, req.params.id, req.body),
  );

  app.post(
    '/plan-imports/:id/confirm',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Create the plan from the import (every mention must be mapped)',
        params: IdParams,
        response: { 200: ConfirmPlanImportResult },
      },
    },
    async (req) => confirmPlanImport(app.db, req.actor, req.params.id),
  );
};
