import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInShanghai } from '../../../shared/china-date.ts';
import {
  AdjustBody,
  AnswerObjectionBody,
  Assessment,
  AssessmentList,
  AssessmentScheme,
  AssessmentSchemeList,
  Bulletin,
  BulletinList,
  Consequence,
  ConsequenceList,
  CreateAssessmentBody,
  CreateSchemeBody,
  DecideConsequenceBody,
  NoteBody,
  ObjectionBody,
  Ranking,
  ReissueBody,
  ScoreSheet,
  SheetQuery,
  StageBody,
  UpdateBulletinBody,
  UpdateSchemeBody,
  Verification,
  YearEndQuery,
  YearEndRanking,
} from '../../../shared/schemas/assessment.schema.ts';
import { IdParams } from '../../../shared/schemas/common.schema.ts';
import { sendDownload } from '../../http/file-transfer.ts';
import { requireActor } from '../../http/policy.ts';
import {
  addNote,
  adjustLine,
  answerObjection,
  createAssessment,
  createScheme,
  decideConsequence,
  fileObjection,
  finaliseAssessment,
  getAssessment,
  getRanking,
  getScheme,
  getSheet,
  listAssessments,
  listConsequences,
  listSchemes,
  publishAssessment,
  reissueAssessment,
  updateScheme,
  verifyAssessment,
  yearEndRanking,
} from './assessment.service.ts';
import { draftBulletin, getBulletin, issueBulletin, listBulletins, renderBulletin, updateBulletin } from './bulletin.service.ts';

/**
 * Assessment (考核): schemes, runs and their workflow, rankings, consequences and bulletins (通报).
 * Route policies are the coarse gate; who may see which sheet, and what each stage allows, is in
 * assessment.policy.ts, called by the services inside their transactions.
 */
export const assessmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['assessment'];
  const today = () => app.appConfig.today ?? todayInShanghai();

  app.get(
    '/assessment-schemes',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'Every version of every assessment scheme (office and leadership)',
        response: { 200: AssessmentSchemeList },
      },
    },
    async (req) => listSchemes(app.db, requireActor(req)),
  );
  app.post(
    '/assessment-schemes',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Create an assessment scheme', body: CreateSchemeBody, response: { 201: AssessmentScheme } },
    },
    async (req, reply) => reply.code(201).send(await createScheme(app.db, req.body, requireActor(req))),
  );
  app.get(
    '/assessment-schemes/:id',
    { config: { policy: 'read' }, schema: { tags, summary: 'One scheme version', params: IdParams, response: { 200: AssessmentScheme } } },
    async (req) => getScheme(app.db, req.params.id, requireActor(req)),
  );
  app.put(
    '/assessment-schemes/:id',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Edit a scheme; a frozen (used) scheme gets a new revision instead, returned',
        params: IdParams,
        body: UpdateSchemeBody,
        response: { 200: AssessmentScheme },
      },
    },
    async (req) => updateScheme(app.db, req.params.id, req.body, requireActor(req)),
  );

  app.get(
    '/assessments',
    { config: { policy: 'read' }, schema: { tags, summary: 'Every assessment (no scores)', response: { 200: AssessmentList } } },
    async (req) => listAssessments(app.db, requireActor(req)),
  );
  app.post(
    '/assessments',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Start an assessment of a plan over a date range: reads the frozen record and computes the draft',
        body: CreateAssessmentBody,
        response: { 201: Assessment },
      },
    },
    async (req, reply) => reply.code(201).send(await createAssessment(app.db, req.body, requireActor(req))),
  );
  app.get(
    '/assessments/year-end',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: '年终综合考评: two half-years and the year-end review combined with the scheme’s weights (office and leadership)',
        querystring: YearEndQuery,
        response: { 200: YearEndRanking },
      },
    },
    async (req) => yearEndRanking(app.db, req.query, requireActor(req)),
  );
  app.get(
    '/assessments/:id',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'One assessment: the units the caller may see and the progress of 自评/核查/异议',
        params: IdParams,
        response: { 200: Assessment },
      },
    },
    async (req) => getAssessment(app.db, req.params.id, requireActor(req)),
  );
  app.get(
    '/assessments/:id/sheet',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'A unit’s score sheet (default: the caller’s organisation): lines, events, notes, adjustments, objections',
        params: IdParams,
        querystring: SheetQuery,
        response: { 200: ScoreSheet },
      },
    },
    async (req) => getSheet(app.db, req.params.id, req.query.orgId, requireActor(req)),
  );
  app.post(
    '/assessments/:id/notes',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: '自评: the caller’s unit notes one of its lines (draft)',
        params: IdParams,
        body: NoteBody,
        response: { 200: ScoreSheet },
      },
    },
    async (req) => addNote(app.db, req.params.id, req.body, requireActor(req)),
  );
  app.post(
    '/assessments/:id/adjustments',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: '核查: adjust a line, enter a manual score or a manual veto, with a reason (draft)',
        params: IdParams,
        body: AdjustBody,
        response: { 200: ScoreSheet },
      },
    },
    async (req) => adjustLine(app.db, req.params.id, req.body, requireActor(req)),
  );
  app.post(
    '/assessments/:id/publish',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Publish 初评 and open the objection window',
        params: IdParams,
        body: StageBody,
        response: { 200: Assessment },
      },
    },
    async (req) => publishAssessment(app.db, req.params.id, req.body.version, requireActor(req), today()),
  );
  app.post(
    '/assessments/:id/objections',
    {
      config: { policy: 'write' },
      schema: {
        tags,
        summary: '异议: the caller’s unit objects to one of its lines, within the window',
        params: IdParams,
        body: ObjectionBody,
        response: { 200: ScoreSheet },
      },
    },
    async (req) => fileObjection(app.db, req.params.id, req.body, requireActor(req), today()),
  );
  app.post(
    '/assessment-objections/:id/answer',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Answer an objection (upheld with a delta corrects the line)',
        params: IdParams,
        body: AnswerObjectionBody,
        response: { 200: ScoreSheet },
      },
    },
    async (req) => answerObjection(app.db, req.params.id, req.body, requireActor(req)),
  );
  app.post(
    '/assessments/:id/finalise',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Finalise (all objections answered): the result is frozen and consequences proposed',
        params: IdParams,
        body: StageBody,
        response: { 200: Assessment },
      },
    },
    async (req) => finaliseAssessment(app.db, req.params.id, req.body.version, requireActor(req)),
  );
  app.post(
    '/assessments/:id/reissue',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Correct a final assessment: a new draft over the same record, linked to it',
        params: IdParams,
        body: ReissueBody,
        response: { 201: Assessment },
      },
    },
    async (req, reply) => reply.code(201).send(await reissueAssessment(app.db, req.params.id, req.body.reason, requireActor(req))),
  );
  app.get(
    '/assessments/:id/verify',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Recompute from the stored snapshots and events and compare with the stored result',
        params: IdParams,
        response: { 200: Verification },
      },
    },
    async (req) => verifyAssessment(app.db, req.params.id, requireActor(req)),
  );
  app.get(
    '/assessments/:id/ranking',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'Rankings per peer group, 红黑榜 and trend (units: once 初评 is published)',
        params: IdParams,
        response: { 200: Ranking },
      },
    },
    async (req) => getRanking(app.db, req.params.id, requireActor(req)),
  );
  app.get(
    '/assessments/:id/consequences',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'Consequences proposed on finalising (office and leadership)',
        params: IdParams,
        response: { 200: ConsequenceList },
      },
    },
    async (req) => listConsequences(app.db, req.params.id, requireActor(req)),
  );
  app.post(
    '/assessment-consequences/:id/decide',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Confirm (约谈/问责 issue a 督办 notice) or dismiss a proposed consequence',
        params: IdParams,
        body: DecideConsequenceBody,
        response: { 200: Consequence },
      },
    },
    async (req) => decideConsequence(app.db, req.params.id, req.body, requireActor(req), today()),
  );

  app.get(
    '/assessments/:id/bulletins',
    {
      config: { policy: 'read' },
      schema: {
        tags,
        summary: 'The bulletins (通报) of an assessment: issued ones; drafts too for the office',
        params: IdParams,
        response: { 200: BulletinList },
      },
    },
    async (req) => listBulletins(app.db, req.params.id, requireActor(req)),
  );
  app.post(
    '/assessments/:id/bulletins',
    {
      config: { policy: 'admin' },
      schema: {
        tags,
        summary: 'Draft a bulletin from a final assessment (numbered 〔year〕N号)',
        params: IdParams,
        response: { 201: Bulletin },
      },
    },
    async (req, reply) => reply.code(201).send(await draftBulletin(app.db, req.params.id, requireActor(req), today())),
  );
  app.get(
    '/bulletins/:id',
    {
      config: { policy: 'read' },
      schema: { tags, summary: 'One bulletin (drafts: office only)', params: IdParams, response: { 200: Bulletin } },
    },
    async (req) => getBulletin(app.db, req.params.id, requireActor(req)),
  );
  app.put(
    '/bulletins/:id',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Edit a draft bulletin', params: IdParams, body: UpdateBulletinBody, response: { 200: Bulletin } },
    },
    async (req) => updateBulletin(app.db, req.params.id, req.body, requireActor(req)),
  );
  app.post(
    '/bulletins/:id/issue',
    {
      config: { policy: 'admin' },
      schema: { tags, summary: 'Issue a bulletin: its text is frozen', params: IdParams, body: StageBody, response: { 200: Bulletin } },
    },
    async (req) => issueBulletin(app.db, req.params.id, req.body.version, requireActor(req)),
  );
  for (const format of ['pdf', 'docx'] as const) {
    app.get(
      `/bulletins/:id/${format}`,
      {
        config: { policy: 'read' },
        schema: {
          tags,
          summary: `The bulletin as .${format} (GB/T 9704-2012 layout; drafts: office only)`,
          params: IdParams,
          produces: ['application/octet-stream'],
        },
      },
      async (req, reply) => {
        const { bytes, filename, contentType } = await renderBulletin(app.db, req.params.id, format, requireActor(req));
        return sendDownload(reply, { bytes, filename, contentType });
      },
    );
  }
};
