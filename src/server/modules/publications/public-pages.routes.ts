import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../shared/enums.ts';
import { Id } from '../../../shared/schemas/common.schema.ts';
import type { PortalLang } from '../../../shared/public-portal.messages.ts';
import type { PeriodPayload, Publication } from '../../../shared/schemas/publication.schema.ts';
import { AppError } from '../../core/app-error.ts';
import { publicRouteConfig, registerPublicHttp, ResponseCache } from './public-http.ts';
import {
  bulletinsPage,
  cataloguePage,
  messagePage,
  rankingsPage,
  overviewPage,
  type PageCtx,
  searchPage,
  taskListPage,
  taskPage,
} from './public-pages.render.ts';
import { OPEN_DATA_LICENCE } from './public.routes.ts';
import { projectsPage } from './public-projects.render.ts';
import { publicBoundary } from '../projects/projects-public.service.ts';
import { districtRow, filterTasks, sectionWithDescendants, summarise } from './public-views.ts';
import {
  getPublicKindPublication,
  getPublicPublication,
  latestLiveOfKind,
  latestLivePublication,
  listPublicKindPublications,
  listPublicPublications,
  overviewOf,
  publicationsVersion,
  publicTimeline,
} from './publications.service.ts';

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

/** A rendered page: its status and HTML. */
interface Rendered {
  code: number;
  body: string;
}
const ok = (body: string): Rendered => ({ code: 200, body });

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
  const cache = new ResponseCache();

  /** Registers a page; a 200 is rendered once per publications version and URL, then served from memory. */
  function page<P>(url: string, render: (req: FastifyRequest<{ Params: P }>) => Promise<Rendered>) {
    app.get<{ Params: P }>(url, { config, schema }, async (req, reply) => {
      const key = `${await publicationsVersion(app.db)}|${req.url}`;
      let hit = cache.get(key);
      if (!hit) {
        const r = await render(req);
        if (r.code !== 200) return html(reply, r.body, r.code);
        hit = cache.set(key, r.body);
      }
      reply.header('etag', hit.etag);
      return html(reply, hit.body);
    });
  }

  const notFound = (req: FastifyRequest): Rendered => ({ code: 404, body: messagePage(ctxOf(req), 'portal.notFound') });

  /** The publication's payload, or the page to answer instead (404, or the withdrawn notice as 410). */
  async function load(req: FastifyRequest, id: unknown): Promise<{ publication: Publication; payload: PeriodPayload } | Rendered> {
    if (!isId(id)) return notFound(req);
    try {
      const { publication, payload } = await getPublicPublication(app.db, id);
      if (!payload) {
        const empty = { payload: null, summary: null, districts: [], sections: [] };
        return { code: 410, body: overviewPage(ctxOf(req), publication, empty, await listPublicPublications(app.db)) };
      }
      return { publication, payload };
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return notFound(req);
      throw err;
    }
  }

  async function overview(req: FastifyRequest, id: string): Promise<Rendered> {
    try {
      const { publication, payload } = await getPublicPublication(app.db, id);
      // A withdrawn publication's page stays (200) and says so, rather than disappearing.
      const view = payload ? { payload, ...overviewOf(payload) } : { payload: null, summary: null, districts: [], sections: [] };
      return ok(overviewPage(ctxOf(req), publication, view, await listPublicPublications(app.db)));
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return notFound(req);
      throw err;
    }
  }

  page('/public', async (req) => {
    const latest = await latestLivePublication(app.db);
    return latest ? overview(req, latest.id) : ok(messagePage(ctxOf(req), 'portal.none'));
  });

  page<{ id: string }>('/public/p/:id', async (req) => (isId(req.params.id) ? overview(req, req.params.id) : notFound(req)));

  page<{ id: string; orgId: string }>('/public/p/:id/districts/:orgId', async (req) => {
    const loaded = await load(req, req.params.id);
    if ('code' in loaded) return loaded;
    const district = loaded.payload.districts.find((d) => d.id === req.params.orgId);
    if (!district) return notFound(req);
    const tasks = filterTasks(loaded.payload, { districtId: district.id });
    const statusOf = (t: (typeof tasks)[number]) => districtRow(t, district.id).status;
    const summary = summarise(tasks.map((t) => districtRow(t, district.id)));
    return ok(taskListPage(ctxOf(req), loaded.publication, district.name, summary, { districtId: district.id }, tasks, statusOf));
  });

  page<{ id: string; sectionId: string }>('/public/p/:id/sections/:sectionId', async (req) => {
    const loaded = await load(req, req.params.id);
    if ('code' in loaded) return loaded;
    const section = loaded.payload.sections.find((s) => s.id === req.params.sectionId);
    if (!section) return notFound(req);
    const ids = sectionWithDescendants(loaded.payload, section.id);
    const tasks = loaded.payload.tasks.filter((t) => t.sectionId && ids.has(t.sectionId));
    const heading = `${section.path.join(' ')} ${section.title}`.trim();
    return ok(taskListPage(ctxOf(req), loaded.publication, heading, summarise(tasks), { sectionId: section.id }, tasks, (t) => t.status));
  });

  page<{ id: string }>('/public/p/:id/tasks', async (req) => {
    const loaded = await load(req, req.params.id);
    if ('code' in loaded) return loaded;
    const q = req.query as Query;
    const filter = {
      districtId: isId(q.districtId) ? q.districtId : undefined,
      sectionId: isId(q.sectionId) ? q.sectionId : undefined,
      status: isStatus(q.status) ? q.status : undefined,
      q: typeof q.q === 'string' ? q.q.slice(0, 100) : undefined,
    };
    const tasks = filterTasks(loaded.payload, filter);
    const parts = [
      filter.districtId ? loaded.payload.districts.find((d) => d.id === filter.districtId)?.name : undefined,
      filter.sectionId ? loaded.payload.sections.find((s) => s.id === filter.sectionId)?.title : undefined,
    ].filter(Boolean);
    const heading = parts.length ? parts.join(' · ') : loaded.payload.plan.title;
    const statusOf = (t: (typeof tasks)[number]) => (filter.districtId ? districtRow(t, filter.districtId).status : t.status);
    const summary = filter.status ? null : summarise(tasks.map((t) => (filter.districtId ? districtRow(t, filter.districtId) : t)));
    return ok(
      taskListPage(
        ctxOf(req),
        loaded.publication,
        heading,
        summary,
        { districtId: filter.districtId, sectionId: filter.sectionId },
        tasks,
        statusOf,
        filter,
      ),
    );
  });

  page<{ id: string; taskId: string }>('/public/p/:id/tasks/:taskId', async (req) => {
    const loaded = await load(req, req.params.id);
    if ('code' in loaded) return loaded;
    const task = loaded.payload.tasks.find((t) => t.id === req.params.taskId);
    if (!task) return notFound(req);
    const section = loaded.payload.sections.find((s) => s.id === task.sectionId);
    const timeline = loaded.publication.scopeId ? await publicTimeline(app.db, loaded.publication.scopeId, task.id) : [];
    return ok(
      taskPage(ctxOf(req), loaded.publication, task, section ? `${section.path.join(' ')} ${section.title}`.trim() : null, timeline),
    );
  });

  page('/public/search', async (req) => {
    const raw = (req.query as Query).q;
    const q = typeof raw === 'string' ? raw.trim().slice(0, 100) : '';
    const c = ctxOf(req);
    const latest = await latestLivePublication(app.db);
    if (!q || !latest) return ok(searchPage(c, q, latest, [], []));
    const { payload } = await getPublicPublication(app.db, latest.id);
    const needle = q.toLowerCase();
    const districts = payload ? payload.districts.filter((d) => d.name.toLowerCase().includes(needle)) : [];
    const tasks = payload ? filterTasks(payload, { q }) : [];
    return ok(searchPage(c, q, latest, districts, tasks));
  });

  page('/public/rankings', async (req) => ok(rankingsPage(ctxOf(req), await listPublicKindPublications(app.db, 'assessment'))));

  page('/public/bulletins', async (req) => ok(bulletinsPage(ctxOf(req), await listPublicKindPublications(app.db, 'bulletin'))));

  async function projects(req: FastifyRequest, id: string | null): Promise<Rendered> {
    const boundary = publicBoundary(app.appConfig.geoBoundaryFile);
    const all = await listPublicPublications(app.db);
    if (id === null) return ok(projectsPage(ctxOf(req), null, null, boundary, all));
    try {
      const { publication, payload } = await getPublicKindPublication(app.db, id, 'project_library');
      // A withdrawn library's page stays (200) and says so, like a period's.
      return ok(projectsPage(ctxOf(req), publication, payload, boundary, all));
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return notFound(req);
      throw err;
    }
  }

  page('/public/projects', async (req) => projects(req, (await latestLiveOfKind(app.db, 'project_library'))?.id ?? null));

  page<{ id: string }>('/public/projects/:id', async (req) => (isId(req.params.id) ? projects(req, req.params.id) : notFound(req)));

  page('/public/data', async (req) => ok(cataloguePage(ctxOf(req), await listPublicPublications(app.db), OPEN_DATA_LICENCE)));
};
