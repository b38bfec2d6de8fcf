import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LIMITS } from '../../../shared/limits.ts';
import { Id, IdParams } from '../../../shared/schemas/common.schema.ts';
import { UpdatePlanExtractBody } from '../../../shared/schemas/plan-extract.schema.ts';
import { ConfirmPlanImportResult, CreatePlanImportBody, MapMentionsBody, PlanImport } from '../../../shared/schemas/plan-import.schema.ts';
import { AppError } from '../../core/app-error.ts';
import {
  confirmPlanImport,
  createPlanImport,
  createPlanImportFromFile,
  getPlanImport,
  mapPlanImportMentions,
  updatePlanImportExtract,
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
        summary:
          'Parse a plan into a draft import: JSON {text, filename?, revisesPlanId?} or multipart field `file` (.txt/.docx) ' +
          'with an optional field `revisesPlanId` (a revision of that plan: the draft carries the diff)',
        consumes: ['application/json', 'multipart/form-data'],
        // Optional because a multipart request has no parsed body; the file is read in the handler.
        body: CreatePlanImportBody.nullish(),
        response: { 201: PlanImport },
      },
    },
    async (req, reply) => {
      if (req.isMultipart()) {
        // Fields may come before or after the file: read every part.
        let upload: { bytes: Buffer; filename: string } | undefined;
        let revisesPlanId: string | undefined;
        for await (const part of req.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file') {
              await part.toBuffer();
              continue;
            }
            // toBuffer enforces the multipart fileSize limit (413) set in app.ts.
            upload = { bytes: await part.toBuffer(), filename: part.filename || 'upload' };
          } else if (part.fieldname === 'revisesPlanId' && String(part.value) !== '') {
            const parsed = Id.safeParse(String(part.value));
            if (!parsed.success) {
              throw new AppError('validation', 'revisesPlanId must be a plan id', {
                errors: [{ path: 'revisesPlanId', message: 'invalid id' }],
              });
            }
            revisesPlanId = parsed.data;
          }
        }
        if (!upload) {
          throw new AppError('validation', 'send the plan document in the multipart field "file"', {
            errors: [{ path: 'file', message: 'required' }],
          });
        }
        return reply.code(201).send(await createPlanImportFromFile(app.db, req.actor, upload.bytes, upload.filename, revisesPlanId));
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
    async (req) => getPlanImport(app.db, req.params.id, req.actor),
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

  app.put(
    '/plan-imports/:id/extract',
    {
      config: { policy: 'admin' },
      bodyLimit: PLAN_JSON_BODY_BYTES,
      schema: {
        tags,
        summary: 'Replace a draft’s extraction with the one edited in the review table (units, deadlines, targets)',
        params: IdParams,
        body: UpdatePlanExtractBody,
        response: { 200: PlanImport },
      },
    },
    async (req) => updatePlanImportExtract(app.db, req.actor, req.params.id, req.body.extract),
  );

  app.post(
    '/plan-imports/:id/confirm',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Create the plan from the import, or apply a revision to the plan it revises (every mention must be mapped)',
        params: IdParams,
        response: { 200: ConfirmPlanImportResult },
      },
    },
    async (req) => confirmPlanImport(app.db, req.actor, req.params.id),
  );
};
