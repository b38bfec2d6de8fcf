import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams } from '../../../shared/schemas/common.schema.ts';
import {
  AnswerNoticeBody,
  CreateNoticeBody,
  EscalateNoticeBody,
  EscalationProposalList,
  NoticeActionBody,
  NoticeEvidenceFile,
  NoticeEvidenceFileList,
  NoticeListQuery,
  ProposalsQuery,
  SupervisionNotice,
  SupervisionNoticeList,
} from '../../../shared/schemas/supervision.schema.ts';
import { readFilePart, sendDownload } from '../../http/file-transfer.ts';
import { requireActor } from '../../http/policy.ts';
import { EVIDENCE_LIMITS } from '../../core/evidence-store.ts';
import { addNoticeEvidence, assertCanAttachNoticeEvidence, listNoticeEvidence, readNoticeEvidence } from './notice-evidence.service.ts';
import {
  answerNotice,
  closeNotice,
  escalateNotice,
  getNotice,
  issueNotice,
  listEscalationProposals,
  listInbox,
  listNotices,
  reopenNotice,
} from './supervision.service.ts';

/**
 * Supervision notices (督办): the office issues, closes, re-opens and escalates; the receiving units
 * answer from their inbox; leadership reads. GET /supervision is `read` at the route but refuses
 * lead and unit users in the service (they have the inbox), as answering is `write` at the route
 * and limited to the receiving organisations in the service. Evidence files are uploaded by a
 * receiving unit first, then named in its answer.
 */
export const supervisionRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['supervision'];
  const uploadDir = app.appConfig.uploadDir;

  app.get(
    '/supervision',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'Every supervision notice (office and leadership)',
        querystring: NoticeListQuery,
        response: { 200: SupervisionNoticeList },
      },
    },
    async (req) => listNotices(app.db, req.query, requireActor(req)),
  );

  app.get(
    '/supervision/inbox',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'The notices addressed to the caller’s organisation',
        querystring: NoticeListQuery,
        response: { 200: SupervisionNoticeList },
      },
    },
    async (req) => listInbox(app.db, req.query, requireActor(req)),
  );

  app.get(
    '/supervision/proposals',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'The escalation step the rules propose for each notice not closed (as of `asOf`, default today)',
        querystring: ProposalsQuery,
        response: { 200: EscalationProposalList },
      },
    },
    async (req) => listEscalationProposals(app.db, req.query.asOf ?? app.appConfig.today, requireActor(req)),
  );

  app.post(
    '/supervision',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Issue a supervision notice on one or more ledger rows',
        body: CreateNoticeBody,
        response: { 201: SupervisionNotice },
      },
    },
    async (req, reply) => reply.code(201).send(await issueNotice(app.db, req.body, requireActor(req))),
  );

  app.get(
    '/supervision/:id',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'One notice with its rows, answers and escalation steps',
        params: IdParams,
        response: { 200: SupervisionNotice },
      },
    },
    async (req) => getNotice(app.db, req.params.id, requireActor(req)),
  );

  app.post(
    '/supervision/:id/answer',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: 'Answer a notice addressed to the caller’s organisation',
        params: IdParams,
        body: AnswerNoticeBody,
        response: { 200: SupervisionNotice },
      },
    },
    async (req) => answerNotice(app.db, req.params.id, req.body, requireActor(req)),
  );

  app.post(
    '/supervision/:id/close',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Close a notice', params: IdParams, body: NoticeActionBody, response: { 200: SupervisionNotice } },
    },
    async (req) => closeNotice(app.db, req.params.id, req.body, requireActor(req)),
  );

  app.post(
    '/supervision/:id/reopen',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Re-open a closed notice', params: IdParams, body: NoticeActionBody, response: { 200: SupervisionNotice } },
    },
    async (req) => reopenNotice(app.db, req.params.id, req.body, requireActor(req)),
  );

  app.post(
    '/supervision/:id/escalations',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Confirm the next escalation step (only the next one)',
        params: IdParams,
        body: EscalateNoticeBody,
        response: { 200: SupervisionNotice },
      },
    },
    async (req) => escalateNotice(app.db, req.params.id, req.body, requireActor(req)),
  );

  app.post(
    '/supervision/:id/evidence',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary:
          'Upload a file to answer a notice with (multipart field `file`; jpg/png/webp, PDF, docx/xlsx/doc/xls checked from the bytes, ' +
          `at most ${EVIDENCE_LIMITS.fileBytes / 1024 / 1024} MB): users of a receiving organisation, while the notice is not closed`,
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: NoticeEvidenceFile },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      // Refuse before reading up to 20 MB for a notice the caller cannot answer.
      await assertCanAttachNoticeEvidence(app.db, req.params.id, actor);
      const upload = await readFilePart(req, EVIDENCE_LIMITS.fileBytes);
      return reply.code(201).send(await addNoticeEvidence(app.db, uploadDir, req.params.id, upload, actor));
    },
  );

  app.get(
    '/supervision/:id/evidence',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary:
          'The notice’s evidence files the caller may see: the office and leadership all; a receiving unit its own and those named in answers',
        params: IdParams,
        response: { 200: NoticeEvidenceFileList },
      },
    },
    async (req) => listNoticeEvidence(app.db, req.params.id, requireActor(req)),
  );

  app.get(
    '/supervision/evidence/:id',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'Download a notice’s evidence file under its original name (404 when not yours to see)',
        params: IdParams,
        produces: ['application/octet-stream'],
      },
    },
    async (req, reply) => {
      const { file, bytes } = await readNoticeEvidence(app.db, uploadDir, req.params.id, requireActor(req));
      return sendDownload(reply, { bytes, filename: file.filename, contentType: file.contentType });
    },
  );
};
