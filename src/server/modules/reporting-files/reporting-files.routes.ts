import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, Ok } from '../../../shared/schemas/common.schema.ts';
import { EvidenceFile, EvidenceFileList, ReportUploadQuery, ReportUploadResult } from '../../../shared/schemas/reporting-files.schema.ts';
import { requireActor } from '../../http/policy.ts';
import { EVIDENCE_LIMITS } from '../../core/evidence-store.ts';
import { addEvidence, assertCanAttachEvidence, deleteEvidence, listEvidence, readEvidence } from './evidence.service.ts';
import { buildMyReportTemplate, uploadMyReportTemplate } from './report-upload.service.ts';
import { readFilePart, sendDownload, XLSX_TYPE } from '../../http/file-transfer.ts';

/** A filled template of 5,000 rows stays far below this; the zip's unpacked size is checked too. */
const TEMPLATE_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Files around progress reports: evidence attached to a report, and the Excel round trip of a
 * unit's period (download the 进展填报表, fill it offline, upload it back as drafts). Saving goes
 * through the reporting services, so the same rules hold as for a report typed on screen.
 */
export const reportingFilesRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['reporting-files'];
  const uploadDir = app.appConfig.uploadDir;

  app.post(
    '/reports/:id/evidence',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: `Attach an evidence file to a draft or returned report: multipart field \`file\`; jpg/png/webp, PDF, docx/xlsx/doc/xls (checked from the bytes), at most ${EVIDENCE_LIMITS.fileBytes / 1024 / 1024} MB`,
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: EvidenceFile },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      // Refuse before reading up to 20 MB for a report the caller cannot change.
      await assertCanAttachEvidence(app.db, req.params.id, actor);
      const upload = await readFilePart(req, EVIDENCE_LIMITS.fileBytes);
      return reply.code(201).send(await addEvidence(app.db, uploadDir, req.params.id, upload, actor));
    },
  );

  app.get(
    '/reports/:id/evidence',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The evidence files of a report (404 when the report is not yours to see)',
        params: IdParams,
        response: { 200: EvidenceFileList },
      },
    },
    async (req) => listEvidence(app.db, req.params.id, requireActor(req)),
  );

  app.get(
    '/evidence/:id',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'Download an evidence file under its original name',
        params: IdParams,
        produces: ['application/octet-stream'],
      },
    },
    async (req, reply) => {
      const { file, bytes } = await readEvidence(app.db, uploadDir, req.params.id, requireActor(req));
      return sendDownload(reply, { bytes, filename: file.filename, contentType: file.contentType });
    },
  );

  app.delete(
    '/evidence/:id',
    {
      config: { policy: 'write' },
      schema: { tags, summary: 'Remove an evidence file while its report is a draft or returned', params: IdParams, response: { 200: Ok } },
    },
    async (req) => {
      await deleteEvidence(app.db, uploadDir, req.params.id, requireActor(req));
      return { ok: true as const };
    },
  );

  app.get(
    '/periods/:id/my-report-template.xlsx',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'The caller’s organisation’s rows of the period as an Excel template to fill offline (进展填报表)',
        params: IdParams,
        produces: [XLSX_TYPE],
      },
    },
    async (req, reply) => {
      const { buffer, filename } = await buildMyReportTemplate(app.db, req.params.id, requireActor(req));
      return sendDownload(reply, { bytes: buffer, filename, contentType: XLSX_TYPE });
    },
  );

  app.post(
    '/periods/:id/my-report-upload',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary:
          'Upload a filled 进展填报表 (multipart field `file`): every row is checked; with dryRun=0 and no error in any row, ' +
          'the filled rows are saved as drafts in one transaction (nothing is saved when a row has an error)',
        consumes: ['multipart/form-data'],
        params: IdParams,
        querystring: ReportUploadQuery,
        response: { 200: ReportUploadResult },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const upload = await readFilePart(req, TEMPLATE_UPLOAD_BYTES);
      return uploadMyReportTemplate(app.db, req.params.id, upload.bytes, req.query.dryRun === '1', actor);
    },
  );
};
