import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../shared/enums.ts';
import { Id } from '../../../shared/schemas/common.schema.ts';
import type { PortalLang } from '../../../shared/public-portal.messages.ts';
import type { PeriodPayload, Publication } from '../../../shared/schemas/publication.schema.ts';
import { AppError } from '../../core/app-error.ts';
import { publicRouteConfig, registerPublicHttp } from './public-http.ts';
import { cataloguePage, messagePage, overviewPage, type PageCtx, searchPage, taskListPage, taskPage } from './public-pages.render.ts';
import { OPEN_DATA_LICENCE } from './public.routes.ts';
import { districtRow, filterTasks, sectionWithDescendants, summarise } from './public-views.ts';
import { getPublicPublication, latestLivePublication, listPublicPublications, overviewOf, publicTimeline } from './publications.service.ts';

type Query = Record<string, string | undefined>;

function ctxOf(req: FastifyRequest): PageCtx {
  const q = req.query as Query;
  const lang: PortalLang = q.lang === 'en' ? 'en' : 'zh';
  return { lang, path: req.url };
}

const isId = (v: unknown): v is string => Id.safeParse(v).success;
const isStatus = (v: unknown): v is DeliveryStatus => DELIVERY_STATUSES.includes(v as DeliveryStatus);

function html(reply: FastifyReply, body: string, code = 200) {
  return reply.code(code).type('text/html; charset=utf-8').send(body);
}

/**
 * The public portal's pages under /public (no login; zh-CN first, ?lang=en for English):
 * server-rendered from published payloads only, so they work without JavaScript and cache like
 * the public API (public-http.ts). Unknown ids are a 404 page, a withdrawn publication a notice.
 */
export const publicPagesRoutes: FastifyPluginAsync = async (app) => {
  registerPublicHttp(app);
  const config = publicRouteConfig(app);
  // Pages, not API operations: kept out of the OpenAPI document.
  const schema = { hide: true };

  const notFound = (req: FastifyRequest, reply: FastifyReply) => html(reply, messagePage(ctxOf(req), 'portal.notFound'), 404);

  /** The publication's payload, or the page to answer instead (404, or the withdrawn notice). */
  async function load(req: FastifyRequest, reply: FastifyReply, id: unknown): Promise<{ publication: Publication; payload: PeriodPayload } | null> {
    if (!isId(id)) {
      await notFound(req, reply);
      return null;
    }
    try {
      const { publication, payload } = await getPublicPublication(app.db, id);
      if (!payload) {
        await html(reply, overviewPage(ctxOf(req), publication, { payload: null, summary: null, districts: [], sections: [] }, await listPublicPublications(app.db)), 410);
        return null;
      }
      return { publication, payload };
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') {
        await notFound(req, reply);
        return null;
      }
      throw err;
    }
  }

  async function overview(req: FastifyRequest, reply: FastifyReply, id: string) {
    const c = ctxOf(req);
    try {
      const { publication, payload } = await getPublicPublication(app.db, id);
      const view = payload ? { payload, ...overviewOf(payload) } : { payload: null, summary: null, districts: [], sections: [] };
      return html(reply, overviewPage(c, publication, view, await listPublicPublications(app.db)));
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return notFound(req, reply);
      throw err;
    }
  }

  app.get('/public', { config, schema }, async (req, reply) => {
    const latest = await latestLivePublication(app.db);
    if (!latest) return html(reply, messagePage(ctxOf(req), 'portal.none'));
    return overview(req, reply, latest.id);
  });

  app.get<{ Params: { id: string } }>('/public/p/:id', { config, schema }, async (req, reply) => {
    if (!isId(req.params.id)) return notFound(req, reply);
    return overview(req, reply, req.params.id);
  });

  app.get<{ Params: { id: string; orgId: string } }>('/public/p/:id/districts/:orgId', { config, schema }, async (req, reply) => {
    const loaded = await load(req, reply, req.params.id);
    if (!loaded) return reply;
    const district = loaded.payload.districts.find((d) => d.id === req.params.orgId);
    if (!district) return notFound(req, reply);
    const tasks = filterTasks(loaded.payload, { districtId: district.id });
    const statusOf = (t: (typeof tasks)[number]) => districtRow(t, district.id).status;
    const summary = summarise(tasks.map((t) => districtRow(t, district.id)));
    return html(reply, taskListPage(ctxOf(req), loaded.publication, district.name, summary, { districtId: district.id }, tasks, statusOf));
  });

  app.get<{ Params: { id: string; sectionId: string } }>('/public/p/:id/sections/:sectionId', { config, schema }, async (req, reply) => {
    const loaded = await load(req, reply, req.params.id);
    if (!loaded) return reply;
    const section = loaded.payload.sections.find((s) => s.id === req.params.sectionId);
    if (!section) return notFound(req, reply);
    const ids = sectionWithDescendants(loaded.payload, section.id);
    const tasks = loaded.payload.tasks.filter((t) => t.sectionId && ids.has(t.sectionId));
    const heading = `${section.path.join(' ')} ${section.title}`.trim();
    return html(reply, taskListPage(ctxOf(req), loaded.publication, heading, summarise(tasks), { sectionId: section.id }, tasks, (t) => t.status));
  });

  app.get<{ Params: { id: string } }>('/public/p/:id/tasks', { config, schema }, async (req, reply) => {
    const loaded = await load(req, reply, req.params.id);
    if (!loaded) return reply;
    const q = req.query as Query;
    const filter = {
      districtId: isId(q.districtId) ? q.districtId : undefined,
      sectionId: isId(q.sectionId) ? q.sectionId : undefined,
      status: isStatus(q.status) ? q.status : undefined,
      q: typeof q.q === 'string' ? q.q.slice(0, 100) : undefined,
    };
    const tasks = filterTasks(loaded.payload, filter);
    const c = ctxOf(req);
    const parts = [
      filter.districtId ? loaded.payload.districts.find((d) => d.id === filter.districtId)?.name : undefined,
      filter.sectionId ? loaded.payload.sections.find((s) => s.id === filter.sectionId)?.title : undefined,
    ].filter(Boolean);
    const heading = parts.length ? parts.join(' · ') : loaded.payload.plan.title;
    const statusOf = (t: (typeof tasks)[number]) => (filter.districtId ? districtRow(t, filter.districtId).status : t.status);
    const summary = filter.status ? null : summarise(tasks.map((t) => (filter.districtId ? districtRow(t, filter.districtId) : t)));
    return html(reply, taskListPage(c, loaded.publication, heading, summary, { districtId: filter.districtId, sectionId: filter.sectionId }, tasks, statusOf));
  });

  app.get<{ Params: { id: string; taskId: string } }>('/public/p/:id/tasks/:taskId', { config, schema }, async (req, reply) => {
    const loaded = await load(req, reply, req.params.id);
    if (!loaded) return reply;
    const task = loaded.payload.tasks.find((t) => t.id === req.params.taskId);
    if (!task) return notFound(req, reply);
    const section = loaded.payload.sections.find((s) => s.id === task.sectionId);
    const timeline = loaded.publication.scopeId ? await publicTimeline(app.db, loaded.publication.scopeId, task.id) : [];
    return html(reply, taskPage(ctxOf(req), loaded.publication, task, section ? `${section.path.join(' ')} ${section.title}`.trim() : null, timeline));
  });

  app.get('/public/search', { config, schema }, async (req, reply) => {
    const raw = (req.query as Query).q;
    const q = typeof raw === 'string' ? raw.trim().slice(0, 100) : '';
    const c = ctxOf(req);
    const latest = await latestLivePublication(app.db);
    if (!q || !latest) return html(reply, searchPage(c, q, latest, [], []));
    const { payload } = await getPublicPublication(app.db, latest.id);
    const needle = q.toLowerCase();
    const districts = payload ? payload.districts.filter((d) => d.name.toLowerCase().includes(needle)) : [];
    const tasks = payload ? filterTasks(payload, { q }) : [];
    return html(reply, searchPage(c, q, latest, districts, tasks));
  });

  app.get('/public/data', { config, schema }, async (req, reply) => html(reply, cataloguePage(ctxOf(req), await listPublicPublications(app.db), OPEN_DATA_LICENCE)));
};
