/**
 * The public project library page (issue 16): the published list of a year's library projects and
 * a map drawn on the server as inline SVG from the installation's district boundaries (the same
 * GCJ-02 GeoJSON the web app's project map uses) with the projects as points. No script, no
 * external tiles: the page is one HTML response like the rest of the portal.
 */
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { type PortalKey, portalText } from '../../../shared/public-portal.messages.ts';
import type { ProjectLibraryPayload, Publication, PublicProject } from '../../../shared/schemas/publication.schema.ts';
import { esc, href, layout, type PageCtx, withdrawnNotice } from './public-pages.render.ts';

const tr = (c: PageCtx, key: PortalKey, vars?: Record<string, string | number>) => esc(portalText(c.lang, key, vars));

/** The boundary the map draws: a FeatureCollection of (Multi)Polygons with a `name` (and optionally a label point `cp`). */
export interface MapBoundary {
  features: Feature<Polygon | MultiPolygon | null, { name?: string; cp?: number[] } | null>[];
}

const WIDTH = 720;
const PAD = 12;

/** Fill colour of a project point by status (each ≥ 3:1 against the district fill, WCAG 1.4.11). */
const POINT_COLOUR: Record<PublicProject['status'], string> = {
  admitted: '#0b4f8a',
  in_progress: '#a15c00',
  completed: '#0f5d1f',
  accepted: '#5b2a86',
};

interface Projection {
  x(lng: number): number;
  y(lat: number): number;
  height: number;
}

function polygonsOf(f: MapBoundary['features'][number]): Position[][][] {
  if (!f.geometry) return [];
  return f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
}

// An equirectangular projection fitted to the boundary: at a city's scale the distortion is far
// below a pixel, and it keeps the server free of a projection library.
function fitProjection(boundary: MapBoundary, extra: readonly { lng: number; lat: number }[]): Projection {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  const see = (lng: number, lat: number) => {
    minX = Math.min(minX, lng);
    maxX = Math.max(maxX, lng);
    minY = Math.min(minY, lat);
    maxY = Math.max(maxY, lat);
  };
  for (const f of boundary.features)
    for (const poly of polygonsOf(f)) for (const ring of poly) for (const [lng, lat] of ring) see(lng!, lat!);
  for (const p of extra) see(p.lng, p.lat);
  if (!Number.isFinite(minX)) return { x: () => WIDTH / 2, y: () => WIDTH / 4, height: WIDTH / 2 };
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxX - minX) * k, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = (WIDTH - 2 * PAD) / spanX;
  const height = Math.round(spanY * scale + 2 * PAD);
  return { x: (lng) => PAD + (lng - minX) * k * scale, y: (lat) => PAD + (maxY - lat) * scale, height };
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function labelPoint(f: MapBoundary['features'][number], p: Projection): [number, number] | null {
  const cp = f.properties?.cp;
  if (Array.isArray(cp) && cp.length >= 2) return [p.x(cp[0]!), p.y(cp[1]!)];
  const ring = polygonsOf(f)[0]?.[0];
  if (!ring?.length) return null;
  const xs = ring.map((c) => p.x(c[0]!));
  const ys = ring.map((c) => p.y(c[1]!));
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

/** The map as inline SVG: districts with their names, the projects as points with a tooltip each. */
export function projectMapSvg(c: PageCtx, boundary: MapBoundary, projects: readonly PublicProject[]): string {
  const p = fitProjection(boundary, projects);
  const districts = boundary.features
    .map((f) => {
      const d = polygonsOf(f)
        .flatMap((poly) => poly.map((ring) => `M${ring.map(([lng, lat]) => `${r1(p.x(lng!))} ${r1(p.y(lat!))}`).join('L')}Z`))
        .join('');
      return d ? `<path d="${d}"/>` : '';
    })
    .join('');
  const labels = boundary.features
    .map((f) => {
      const at = labelPoint(f, p);
      // Above the label point: the demo's (and many real) projects cluster around a county's seat.
      return at && f.properties?.name ? `<text x="${r1(at[0])}" y="${r1(at[1] - 14)}">${esc(f.properties.name)}</text>` : '';
    })
    .join('');
  const points = projects
    .map(
      (x) =>
        `<circle cx="${r1(p.x(x.lng))}" cy="${r1(p.y(x.lat))}" r="6" fill="${POINT_COLOUR[x.status]}"><title>${esc(x.name)} · ${tr(c, `project.${x.status}` as PortalKey)}</title></circle>`,
    )
    .join('');
  return `<svg class="map" viewBox="0 0 ${WIDTH} ${p.height}" role="img" aria-labelledby="map-t map-d" xmlns="http://www.w3.org/2000/svg">
<title id="map-t">${tr(c, 'portal.projectMap')}</title><desc id="map-d">${tr(c, 'portal.projectMapDesc')}</desc>
<g class="districts" fill="#f1efe9" stroke="#6b6b6b" stroke-width="1.2" stroke-linejoin="round">${districts}</g>
<g class="points" stroke="#fff" stroke-width="1.5">${points}</g>
<g class="labels" font-size="15" font-weight="600" fill="#1f1f1f" stroke="#fff" stroke-width="3" paint-order="stroke" text-anchor="middle" aria-hidden="true">${labels}</g>
</svg>`;
}

const MAP_CSS = `<style>
svg.map{display:block;width:100%;max-width:720px;height:auto;border:1px solid #d0d0d0;border-radius:6px;background:#fafafa}
table.projects th{white-space:normal}
.scroll{overflow-x:auto}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:.5rem 0}
ul.legend i{display:inline-block;width:12px;height:12px;border-radius:50%;margin-right:6px;vertical-align:-1px}
</style>`;

const wan = (n: number) => n.toLocaleString('zh-CN', { maximumFractionDigits: 4 });

/** The project library page of one publication: totals, map, list, downloads and the other libraries. */
export function projectsPage(
  c: PageCtx,
  pub: Publication | null,
  payload: ProjectLibraryPayload | null,
  boundary: MapBoundary,
  all: Publication[],
): string {
  const others = all
    .filter((p) => p.kind === 'project_library')
    .map(
      (p) =>
        `<li><a href="${href(c, `/public/projects/${p.id}`)}"${pub && p.id === pub.id ? ' aria-current="page"' : ''}>${esc(p.title)}</a>${p.withdrawnAt ? `（${tr(c, 'portal.withdrawn')}）` : ''}</li>`,
    )
    .join('');
  const history = others
    ? `<section aria-labelledby="libs"><h2 id="libs">${tr(c, 'portal.otherLibraries')}</h2><ul>${others}</ul></section>`
    : '';
  if (!pub) {
    return layout(c, portalText(c.lang, 'portal.projects'), `<h1>${tr(c, 'portal.projects')}</h1><p>${tr(c, 'portal.none')}</p>`);
  }
  if (!payload) return layout(c, pub.title, `<h1>${esc(pub.title)}</h1>${withdrawnNotice(c, pub)}${history}`);
  const legend = (['admitted', 'in_progress', 'completed', 'accepted'] as const)
    .map((s) => `<li><i style="background:${POINT_COLOUR[s]}"></i>${tr(c, `project.${s}` as PortalKey)}</li>`)
    .join('');
  const rows = payload.projects
    .map(
      (x) =>
        `<tr id="proj-${esc(x.id)}"><td data-label="${tr(c, 'portal.projectName')}">${esc(x.name)}</td>` +
        `<td data-label="${tr(c, 'portal.county')}">${esc(x.orgName)}</td>` +
        `<td data-label="${tr(c, 'portal.category')}">${esc(x.categoryName)}</td>` +
        `<td data-label="${tr(c, 'portal.nature')}">${tr(c, `portal.nature.${x.nature}` as PortalKey)}</td>` +
        `<td class="num" data-label="${tr(c, 'portal.totalInvestment')}">${wan(x.totalInvestmentWan)}</td>` +
        `<td class="num" data-label="${tr(c, 'portal.annualPlan')}">${wan(x.annualPlanWan)}</td>` +
        `<td data-label="${tr(c, 'portal.status')}"><span class="s">${tr(c, `project.${x.status}` as PortalKey)}</span></td>` +
        `<td class="num" data-label="${tr(c, 'portal.imageProgress')}">${x.progressPct === null ? '—' : `${x.progressPct}%`}</td>` +
        `<td data-label="${tr(c, 'portal.completedOn')}">${esc(x.completedOn ?? '—')}</td>` +
        `<td data-label="${tr(c, 'portal.location')}">${esc(x.address || `${x.lng.toFixed(4)}, ${x.lat.toFixed(4)}`)}</td></tr>`,
    )
    .join('');
  const url = (format: string) => `/api/public/publications/${esc(pub.id)}/projects?format=${format}`;
  const body = `${MAP_CSS}<h1>${esc(pub.title)}</h1>
<p class="meta">${tr(c, 'portal.asOf', { date: pub.asOf ?? '' })} · ${tr(c, 'portal.publishedAt', { date: pub.publishedAt.slice(0, 10) })}</p>
<p>${tr(c, 'portal.projectsIntro')}</p>
<ul class="cards"><li><span class="n">${payload.totals.count}</span>${tr(c, 'portal.projectCount')}</li><li><span class="n">${wan(payload.totals.totalInvestmentWan)}</span>${tr(c, 'portal.totalInvestment')}</li><li><span class="n">${wan(payload.totals.annualPlanWan)}</span>${tr(c, 'portal.annualPlan')}</li></ul>
<section aria-labelledby="map"><h2 id="map">${tr(c, 'portal.projectMap')}</h2>${projectMapSvg(c, boundary, payload.projects)}<ul class="legend">${legend}</ul></section>
<section aria-labelledby="pl"><h2 id="pl">${tr(c, 'portal.projectList')}</h2>
<div class="scroll"><table class="stack projects"><thead><tr><th scope="col">${tr(c, 'portal.projectName')}</th><th scope="col">${tr(c, 'portal.county')}</th><th scope="col">${tr(c, 'portal.category')}</th><th scope="col">${tr(c, 'portal.nature')}</th><th scope="col" class="num">${tr(c, 'portal.totalInvestment')}</th><th scope="col" class="num">${tr(c, 'portal.annualPlan')}</th><th scope="col">${tr(c, 'portal.status')}</th><th scope="col" class="num">${tr(c, 'portal.imageProgress')}</th><th scope="col">${tr(c, 'portal.completedOn')}</th><th scope="col">${tr(c, 'portal.location')}</th></tr></thead><tbody>${rows}</tbody></table></div></section>
<section class="downloads" aria-labelledby="dl"><h2 id="dl">${tr(c, 'portal.download')}</h2><ul><li>${tr(c, 'portal.dataset.projects')}：<a href="${url('csv')}" download>${tr(c, 'portal.csv')}</a> <a href="${url('json')}">${tr(c, 'portal.json')}</a></li></ul></section>
${history}`;
  return layout(c, pub.title, body);
}
