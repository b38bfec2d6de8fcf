import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, Ok } from '../../../shared/schemas/common.schema.ts';
import { Id } from '../../../shared/schemas/common.schema.ts';
import { ProjectFile, ProjectFileList } from '../../../shared/schemas/project.schema.ts';
import { AppError } from '../../core/app-error.ts';
import { readFileAndFields, sendDownload } from '../../http/file-transfer.ts';
import { requireActor } from '../../http/policy.ts';
import {
  PROJECT_FILE_LIMITS,
  addProjectFile,
  assertCanAttachProjectFile,
  deleteProjectFile,
  listProjectFiles,
  readProjectFile,
} from './project-files.service.ts';

/**
 * Files on projects (附件) and photos of their monthly 调度 reports (现场照片). The rules are
 * projects.policy.ts (assertCanAddProjectFile, assertCanDeleteProjectFile); bytes as report evidence.
 */
export const projectFilesRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['projects'];
  const uploadDir = app.appConfig.uploadDir;

  app.post(
    '/projects/:id/files',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary:
          'Attach a file to a project: multipart field `file` (jpg/png/webp, PDF, docx/xlsx/doc/xls, checked from the bytes, ' +
          `at most ${PROJECT_FILE_LIMITS.fileBytes / 1024 / 1024} MB); with the field \`reportId\` a photo of one of the project's monthly reports`,
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: ProjectFile },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      // Refuse before reading up to 20 MB for a project the caller cannot change.
      await assertCanAttachProjectFile(app.db, req.params.id, actor);
      const { file, fields } = await readFileAndFields(req, PROJECT_FILE_LIMITS.fileBytes);
      const reportId = fields.reportId?.trim() || null;
      if (reportId !== null && !Id.safeParse(reportId).success)
        throw new AppError('validation', 'reportId 格式不正确', { errors: [{ path: 'reportId', message: 'invalid id' }] });
      return reply.code(201).send(await addProjectFile(app.db, uploadDir, req.params.id, file, reportId, actor));
    },
  );

  app.get(
    '/projects/:id/files',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The files of a project and the photos of its monthly reports (404 when the project is not yours to see)',
        params: IdParams,
        response: { 200: ProjectFileList },
      },
    },
    async (req) => listProjectFiles(app.db, req.params.id, requireActor(req)),
  );

  app.get(
    '/project-files/:id',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'Download a project file under its original name',
        params: IdParams,
        produces: ['application/octet-stream'],
      },
    },
    async (req, reply) => {
      const { file, bytes } = await readProjectFile(app.db, uploadDir, req.params.id, requireActor(req));
      return sendDownload(reply, { bytes, filename: file.filename, contentType: file.contentType });
    },
  );

  app.delete(
    '/project-files/:id',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Remove a project file: its uploader while the project (or the photo’s report) is still editable, or the office',
        params: IdParams,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await deleteProjectFile(app.db, uploadDir, req.params.id, requireActor(req));
      return { ok: true as const };
    },
  );
};
