import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, IdParams } from '../../../shared/schemas/common.schema.ts';
import {
  BulletinPayload,
  PUBLIC_DATASETS,
  PublicRankingQuery,
  Publication,
  PublicationList,
  PublicDatasetParams,
  PublicPublicationDetail,
  PublicSearchQuery,
  PublicSearchResult,
  PublicTaskDetail,
  PublicTaskList,
  PublicTaskQuery,
} from '../../../shared/schemas/publication.schema.ts';
import { AppError } from '../../core/app-error.ts';
import { atomFeed } from './atom-feed.ts';
import { publicRouteConfig, registerPublicHttp, ResponseCache } from './public-http.ts';
import { datasetCsv, datasetJson, filterTasks, projectsCsv, rankingCsv, rankingRows } from './public-views.ts';
import { renderIssuedBulletinPdf } from '../assessment/bulletin.service.ts';
import {
  getPublicKindPublication,
  getPublicPublication,
  type KindPayloads,
  latestLivePublication,
  listPublicPublications,
  overviewOf,
  publicTimeline,
} from './publications.service.ts';

/** The licence every open dataset is published under (named on the catalogue page). */
export const OPEN_DATA_LICENCE = { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' } as const;

// The filters of a task list narrow the tasks and targets datasets, so each page's rows download as they are shown.
const DatasetQuery = PublicTaskQuery.extend({ format: z.enum(['json', 'csv']).default('json') });
const Catalogue = z.object({
  licence: z.object({ name: z.string(), url: z.string() }),
  datasets: z.array(
    z.object({
      publicationId: Id,
      title: z.string(),
      dataset: z.enum([...PUBLIC_DATASETS, 'ranking', 'projects']),
      publishedAt: z.string(),
      withdrawnAt: z.string().nullable(),
      json: z.string(),
      csv: z.string(),
    }),
  ),
});

/**
 * The public portal's API (/api/public/*): anyone, no session, read from published payloads only.
 * Every response carries an ETag and `Cache-Control: public` (public-http.ts).
 */
export const publicApiRoutes: FastifyPluginAsyncZod = async (app) => {
  registerPublicHttp(app);
  const config = publicRouteConfig(app);
  const tags = ['public'];
  // A published 通报's text is frozen, so its PDF is rendered once per publication, not once per
  // anonymous visitor (pdfkit subsets the CJK font on every render: tens of ms and MBs each).
  const bulletinPdfs = new ResponseCache<Buffer>(32);

  async function livePayload(id: string) {
    const { publication, payload } = await getPublicPublication(app.db, id);
    if (!payload) throw new AppError('publication_withdrawn', `withdrawn ${publication.withdrawnAt}: ${publication.withdrawnReason ?? ''}`);
    return { publication, payload };
  }

  app.get(
    '/publications',
    { config, schema: { tags, summary: 'Every publication (withdrawn ones say so), newest first', response: { 200: PublicationList } } },
    async () => ({ items: await listPublicPublications(app.db) }),
  );

  app.get(
    '/publications/:id',
    {
      config,
      schema: {
        tags,
        summary: 'A publication: overall progress, per district and per section, and its public payload',
        params: IdParams,
        response: { 200: PublicPublicationDetail },
      },
    },
    async (req) => {
      const { publication, payload } = await getPublicPublication(app.db, req.params.id);
      if (!payload) return { publication, summary: null, districts: [], sections: [], payload: null };
      return { publication, ...overviewOf(payload), payload };
    },
  );

  app.get(
    '/publications/:id/tasks',
    {
      config,
      schema: {
        tags,
        summary: 'The tasks behind a number (filter by district, section, status, text)',
        params: IdParams,
        querystring: PublicTaskQuery,
        response: { 200: PublicTaskList },
      },
    },
    async (req) => {
      const { publication, payload } = await livePayload(req.params.id);
      const items = filterTasks(payload, req.query);
      return { publication, total: items.length, items };
    },
  );

  app.get(
    '/publications/:id/tasks/:taskId',
    {
      config,
      schema: {
        tags,
        summary: 'One published task with its targets and its timeline across published periods',
        params: z.object({ id: Id, taskId: Id }),
        response: { 200: PublicTaskDetail },
      },
    },
    async (req) => {
      const { publication, payload } = await livePayload(req.params.id);
      const task = payload.tasks.find((t) => t.id === req.params.taskId);
      if (!task) throw new AppError('not_found', 'task not in this publication');
      const section = payload.sections.find((s) => s.id === task.sectionId);
      const timeline = publication.scopeId ? await publicTimeline(app.db, publication.scopeId, task.id) : [];
      return { publication, task, sectionTitle: section ? `${section.path.join(' ')} ${section.title}`.trim() : null, timeline };
    },
  );

  app.get(
    '/publications/:id/datasets/:dataset',
    {
      config,
      schema: {
        tags,
        summary: 'Open data: a dataset of a publication as JSON or CSV (UTF-8 with BOM)',
        params: PublicDatasetParams,
        querystring: DatasetQuery,
      },
    },
    async (req, reply) => {
      const { publication, payload: all } = await livePayload(req.params.id);
      const { format, ...filter } = req.query;
      const filtered = Object.values(filter).some((v) => v !== undefined);
      const payload = filtered ? { ...all, tasks: filterTasks(all, filter) } : all;
      const name = `luoshi-${req.params.dataset}-${publication.asOf ?? publication.id}`;
      if (format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(datasetCsv(payload, req.params.dataset));
      }
      return reply
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ publication, items: datasetJson(payload, req.params.dataset) }));
    },
  );

  async function liveKind<K extends keyof KindPayloads>(id: string, kind: K) {
    const { publication, payload } = await getPublicKindPublication(app.db, id, kind);
    if (!payload) throw new AppError('publication_withdrawn', `withdrawn ${publication.withdrawnAt}: ${publication.withdrawnReason ?? ''}`);
    return { publication, payload };
  }

  app.get(
    '/publications/:id/ranking',
    {
      config,
      schema: {
        tags,
        summary: 'Open data: a published ranking (rank, unit, score, tier, 红榜/黑榜 per peer group) as JSON or CSV',
        params: IdParams,
        querystring: PublicRankingQuery,
      },
    },
    async (req, reply) => {
      const { publication, payload } = await liveKind(req.params.id, 'assessment');
      if (req.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="luoshi-ranking-${publication.asOf ?? publication.id}.csv"`)
          .send(rankingCsv(payload));
      }
      const body = { publication, assessment: payload.assessment, groups: payload.groups, items: rankingRows(payload) };
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
    },
  );

  app.get(
    '/publications/:id/projects',
    {
      config,
      schema: {
        tags,
        summary:
          'Open data: a published project library (name, county, category, 建设性质, 总投资, status, 形象进度, location) as JSON or CSV',
        params: IdParams,
        querystring: PublicRankingQuery,
      },
    },
    async (req, reply) => {
      const { publication, payload } = await liveKind(req.params.id, 'project_library');
      if (req.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="luoshi-projects-${payload.library.planYear}-${publication.asOf ?? publication.id}.csv"`,
          )
          .send(projectsCsv(payload));
      }
      const body = { publication, library: payload.library, totals: payload.totals, items: payload.projects };
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
    },
  );

  app.get(
    '/publications/:id/bulletin',
    {
      config,
      schema: {
        tags,
        summary: 'A published 通报: title, 发文字号, date and its issued text',
        params: IdParams,
        response: { 200: z.object({ publication: Publication, payload: BulletinPayload }) },
      },
    },
    async (req) => {
      const { publication, payload } = await liveKind(req.params.id, 'bulletin');
      return { publication, payload };
    },
  );

  app.get(
    '/publications/:id/bulletin.pdf',
    { config, schema: { tags, summary: 'A published 通报 as PDF, rendered from its frozen issued text', params: IdParams } },
    async (req, reply) => {
      // liveKind first: a withdrawn bulletin answers 410 even when its PDF is cached.
      const { payload } = await liveKind(req.params.id, 'bulletin');
      let pdf = bulletinPdfs.get(req.params.id);
      if (!pdf) pdf = bulletinPdfs.set(req.params.id, await renderIssuedBulletinPdf(payload.content, payload.bulletin.issuedAt));
      const name = encodeURIComponent(`${payload.content.docNumber}_${payload.content.title}.pdf`);
      return reply
        .type('application/pdf')
        .header('etag', pdf.etag)
        .header('content-disposition', `attachment; filename*=UTF-8''${name}`)
        .send(pdf.body);
    },
  );

  app.get(
    '/search',
    {
      config,
      schema: {
        tags,
        summary: 'Search the newest published period: districts and tasks',
        querystring: PublicSearchQuery,
        response: { 200: PublicSearchResult },
      },
    },
    async (req) => {
      const latest = await latestLivePublication(app.db);
      if (!latest) return { publication: null, districts: [], tasks: [] };
      const { payload } = await livePayload(latest.id);
      const needle = req.query.q.toLowerCase();
      return {
        publication: latest,
        districts: payload.districts.filter((d) => d.name.toLowerCase().includes(needle)),
        tasks: filterTasks(payload, { q: req.query.q }).map((t) => ({ id: t.id, seq: t.seq, text: t.text, status: t.status })),
      };
    },
  );

  app.get(
    '/catalogue',
    {
      config,
      schema: {
        tags,
        summary: 'The open-data catalogue: every dataset with its publication date and licence',
        response: { 200: Catalogue },
      },
    },
    async () => ({
      licence: OPEN_DATA_LICENCE,
      // The datasets of period publications; other kinds list their own when they are registered.
      datasets: (await listPublicPublications(app.db)).flatMap((p): z.infer<typeof Catalogue>['datasets'] => {
        const base = { publicationId: p.id, title: p.title, publishedAt: p.publishedAt, withdrawnAt: p.withdrawnAt };
        if (p.kind === 'assessment') {
          const url = `/api/public/publications/${p.id}/ranking`;
          return [{ ...base, dataset: 'ranking' as const, json: `${url}?format=json`, csv: `${url}?format=csv` }];
        }
        if (p.kind === 'project_library') {
          const url = `/api/public/publications/${p.id}/projects`;
          return [{ ...base, dataset: 'projects' as const, json: `${url}?format=json`, csv: `${url}?format=csv` }];
        }
        if (p.kind !== 'period') return [];
        return PUBLIC_DATASETS.map((dataset) => ({
          ...base,
          dataset,
          json: `/api/public/publications/${p.id}/datasets/${dataset}?format=json`,
          csv: `/api/public/publications/${p.id}/datasets/${dataset}?format=csv`,
        }));
      }),
    }),
  );

  app.get('/feed.atom', { config, schema: { tags, summary: 'Atom feed of publications (and withdrawals)' } }, async (req, reply) => {
    const base = `${req.protocol}://${req.host}`;
    return reply.type('application/atom+xml; charset=utf-8').send(atomFeed(base, await listPublicPublications(app.db)));
  });
};
