/**
 * The public portal's pages as HTML, rendered on the server from a publication's public payload,
 * so the text and tables work with JavaScript off, print, and cache like any static page. No
 * script is needed; the one stylesheet is inline (a page is one request). Every number links to
 * the task list behind it. Layout: one column, tables that stack into cards under 640 px, so a
 * 390 px phone never scrolls sideways.
 */
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../shared/enums.ts';
import { type PortalKey, type PortalLang, portalText } from '../../../shared/public-portal.messages.ts';
import type {
  AssessmentPayload,
  BulletinPayload,
  PeriodPayload,
  Publication,
  PublicTask,
  StatusSummary,
} from '../../../shared/schemas/publication.schema.ts';
import { PUBLIC_DATASETS } from '../../../shared/schemas/publication.schema.ts';

/** HTML-escapes text for element content and attribute values. */
export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A page's language and how links keep it. */
export interface PageCtx {
  lang: PortalLang;
  /** The current path with its query (for the language switch). */
  path: string;
}

const tr = (c: PageCtx, key: PortalKey, vars?: Record<string, string | number>) => esc(portalText(c.lang, key, vars));

/** A portal URL that keeps the page language. */
export function href(c: PageCtx, path: string, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v);
  if (c.lang === 'en') q.set('lang', 'en');
  const s = q.toString();
  return esc(s ? `${path}?${s}` : path);
}

function switchLangHref(c: PageCtx): string {
  const url = new URL(c.path, 'http://x');
  if (c.lang === 'en') url.searchParams.delete('lang');
  else url.searchParams.set('lang', 'en');
  const s = url.searchParams.toString();
  return esc(s ? `${url.pathname}?${s}` : url.pathname);
}

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f1f1f;background:#fff}
a{color:#0b57d0}a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:2}
header.site{background:#8c1c13;color:#fff;padding:12px 16px}
header.site a{color:#fff}
.bar{max-width:1100px;margin:0 auto;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between}
.brand{font-size:1.25rem;font-weight:700;text-decoration:none}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}
form.search{display:flex;gap:4px;flex:1 1 220px;max-width:360px}
form.search input{flex:1;min-width:0;padding:6px 8px;font:inherit;border:1px solid #767676;border-radius:4px}
form.search button{padding:6px 12px;font:inherit;border:0;border-radius:4px;background:#fff;color:#8c1c13;font-weight:600;cursor:pointer}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
.meta{color:#545454;margin:0 0 1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px;margin:0;padding:0;list-style:none}
.cards li{border:1px solid #d0d0d0;border-radius:6px;padding:8px 12px}
.cards .n{display:block;font-size:1.5rem;font-weight:700}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border-bottom:1px solid #d0d0d0;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.num,th.num{text-align:right;white-space:nowrap}
.s{display:inline-block;padding:0 6px;border-radius:4px;font-size:.875rem;white-space:nowrap;border:1px solid currentColor}
.s-done{color:#0f5d1f}.s-on_track{color:#0b4f8a}.s-at_risk{color:#7a4a00}.s-overdue{color:#a0140c}.s-not_started{color:#4a4a4a}
.bar-track{display:block;height:8px;background:#e6e6e6;border-radius:4px;min-width:60px}
.bar-fill{display:block;height:8px;background:#1f7a34;border-radius:4px}
.notice{border:2px solid #a0140c;background:#fff4f3;padding:12px 16px;border-radius:6px}
.downloads a{margin-right:12px}
footer{max-width:1100px;margin:2rem auto;padding:16px;color:#545454;border-top:1px solid #d0d0d0;font-size:.875rem}
p,li,td{overflow-wrap:anywhere}
@media (max-width:640px){
 table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
 table.stack tr{border:1px solid #d0d0d0;border-radius:6px;margin-bottom:8px;padding:4px 0}
 table.stack td{border:0;padding:2px 10px;text-align:left}
 table.stack td::before{content:attr(data-label) "：";font-weight:600;color:#3a3a3a}
 td.num{white-space:normal}
}
@media print{header.site nav,form.search,.skip,.print,.downloads{display:none}header.site{background:none;color:#000}header.site a{color:#000}a{color:#000;text-decoration:none}body{font-size:11pt}table.stack tr{break-inside:avoid}}
`;

/** The page shell: skip link, header with navigation, search and language switch, footer. */
export function layout(c: PageCtx, title: string, body: string): string {
  return `<!doctype html>
<html lang="${c.lang === 'en' ? 'en' : 'zh-CN'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${tr(c, 'portal.name')}</title>
<link rel="alternate" type="application/atom+xml" title="${tr(c, 'portal.feed')}" href="/api/public/feed.atom">
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#main">${tr(c, 'portal.skip')}</a>
<header class="site"><div class="bar">
<a class="brand" href="${href(c, '/public')}">${tr(c, 'portal.name')}</a>
<nav aria-label="${tr(c, 'portal.nav')}"><ul>
<li><a href="${href(c, '/public')}">${tr(c, 'portal.home')}</a></li>
<li><a href="${href(c, '/public/rankings')}">${tr(c, 'portal.rankings')}</a></li>
<li><a href="${href(c, '/public/bulletins')}">${tr(c, 'portal.bulletins')}</a></li>
<li><a href="${href(c, '/public/projects')}">${tr(c, 'portal.projects')}</a></li>
<li><a href="${href(c, '/public/data')}">${tr(c, 'portal.data')}</a></li>
<li><a href="/api/public/feed.atom">${tr(c, 'portal.feed')}</a></li>
<li><a href="${switchLangHref(c)}" lang="${c.lang === 'en' ? 'zh-CN' : 'en'}" hreflang="${c.lang === 'en' ? 'zh-CN' : 'en'}" title="${tr(c, 'portal.languageLabel')}">${tr(c, 'portal.language')}</a></li>
</ul></nav>
<form class="search" role="search" action="/public/search" method="get">
<label for="q" class="skip">${tr(c, 'portal.searchLabel')}</label>
<input id="q" name="q" type="search" placeholder="${tr(c, 'portal.searchLabel')}" maxlength="100">
${c.lang === 'en' ? '<input type="hidden" name="lang" value="en">' : ''}
<button type="submit">${tr(c, 'portal.searchButton')}</button>
</form>
</div></header>
<main id="main" tabindex="-1">
${body}
</main>
<footer><p>${tr(c, 'portal.footer')}</p></footer>
</body>
</html>
`;
}

const pct = (p: number | null) => (p === null ? '—' : `${Math.round(p * 1000) / 10}%`);

function statusTag(c: PageCtx, s: DeliveryStatus): string {
  return `<span class="s s-${s}">${tr(c, `status.${s}` as PortalKey)}</span>`;
}

function progressBar(p: number | null): string {
  if (p === null) return '—';
  const w = Math.max(0, Math.min(100, Math.round(p * 100)));
  return `<span class="bar-track" aria-hidden="true"><span class="bar-fill" style="width:${w}%"></span></span>${w}%`;
}

/** The notice a withdrawn publication's page shows instead of its data. */
export function withdrawnNotice(c: PageCtx, p: Publication): string {
  return `<div class="notice" role="status"><p><strong>${tr(c, 'portal.withdrawn')}</strong> — ${tr(c, 'portal.withdrawnAt', { date: (p.withdrawnAt ?? '').slice(0, 10) })}</p>
<p>${tr(c, 'portal.withdrawnReason', { reason: p.withdrawnReason ?? '' })}</p></div>`;
}

function pubMeta(c: PageCtx, p: Publication): string {
  return `<p class="meta">${tr(c, 'portal.asOf', { date: p.asOf ?? '' })} · ${tr(c, 'portal.publishedAt', { date: p.publishedAt.slice(0, 10) })}</p>`;
}

/** The overall cards: total and each status, each linking to its tasks. */
function summaryCards(c: PageCtx, pubId: string, s: StatusSummary, filter: Record<string, string | undefined>): string {
  const items = [
    `<li><a href="${href(c, `/public/p/${pubId}/tasks`, filter)}"><span class="n">${s.total}</span>${tr(c, 'portal.tasks')}</a></li>`,
    ...DELIVERY_STATUSES.map(
      (st) =>
        `<li><a href="${href(c, `/public/p/${pubId}/tasks`, { ...filter, status: st })}"><span class="n">${s.counts[st] ?? 0}</span>${tr(c, `status.${st}` as PortalKey)}</a></li>`,
    ),
    `<li><span class="n">${pct(s.shareDone)}</span>${tr(c, 'portal.shareDone')}</li>`,
    `<li><span class="n">${pct(s.progress)}</span>${tr(c, 'portal.progress')}</li>`,
  ];
  return `<ul class="cards">${items.join('')}</ul>`;
}

const SHOWN: DeliveryStatus[] = ['done', 'on_track', 'at_risk', 'overdue'];

/** A table of districts or sections, each status count linking to the tasks behind it. */
function summaryTable(
  c: PageCtx,
  pubId: string,
  headKey: PortalKey,
  rows: { id: string; label: string; page: string; filter: Record<string, string>; summary: StatusSummary }[],
): string {
  const head = `<tr><th scope="col">${tr(c, headKey)}</th><th scope="col" class="num">${tr(c, 'portal.tasks')}</th>${SHOWN.map((s) => `<th scope="col" class="num">${tr(c, `status.${s}` as PortalKey)}</th>`).join('')}<th scope="col" class="num">${tr(c, 'portal.shareDone')}</th></tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr><td data-label="${tr(c, headKey)}"><a href="${href(c, r.page)}">${esc(r.label)}</a></td>` +
        `<td class="num" data-label="${tr(c, 'portal.tasks')}"><a href="${href(c, `/public/p/${pubId}/tasks`, r.filter)}">${r.summary.total}</a></td>` +
        SHOWN.map(
          (s) =>
            `<td class="num" data-label="${tr(c, `status.${s}` as PortalKey)}"><a href="${href(c, `/public/p/${pubId}/tasks`, { ...r.filter, status: s })}">${r.summary.counts[s] ?? 0}</a></td>`,
        ).join('') +
        `<td class="num" data-label="${tr(c, 'portal.shareDone')}">${pct(r.summary.shareDone)}</td></tr>`,
    )
    .join('');
  return `<table class="stack"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function downloads(c: PageCtx, pubId: string, filter: Record<string, string | undefined> = {}): string {
  const filtered = Object.values(filter).some((v) => v !== undefined && v !== '');
  // A filtered page offers its own rows (tasks and targets); the overview every dataset.
  const sets = filtered ? PUBLIC_DATASETS.filter((d) => d === 'tasks' || d === 'targets') : PUBLIC_DATASETS;
  const url = (d: string, format: string) => {
    const q = new URLSearchParams({ format });
    for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
    return esc(`/api/public/publications/${pubId}/datasets/${d}?${q.toString()}`);
  };
  const links = sets
    .map(
      (d) =>
        `<li>${tr(c, `portal.dataset.${d}` as PortalKey)}：<a href="${url(d, 'csv')}" download>${tr(c, 'portal.csv')}</a> <a href="${url(d, 'json')}">${tr(c, 'portal.json')}</a></li>`,
    )
    .join('');
  return `<section class="downloads" aria-labelledby="dl"><h2 id="dl">${tr(c, 'portal.download')}</h2><ul>${links}</ul></section>`;
}

/** The overview of one publication: overall, per district, per section, downloads, other periods. */
export function overviewPage(
  c: PageCtx,
  pub: Publication,
  view: {
    payload: PeriodPayload | null;
    summary: StatusSummary | null;
    districts: { id: string; name: string; summary: StatusSummary }[];
    sections: { id: string; path: string[]; title: string; summary: StatusSummary }[];
  },
  all: Publication[],
): string {
  const others = all
    .filter((p) => p.kind === 'period')
    .map(
      (p) =>
        `<li><a href="${href(c, `/public/p/${p.id}`)}">${esc(p.title)}</a>${p.withdrawnAt ? `（${tr(c, 'portal.withdrawn')}）` : ''}</li>`,
    )
    .join('');
  const history = `<section aria-labelledby="hist"><h2 id="hist">${tr(c, 'portal.publications')}</h2><ul>${others}</ul></section>`;
  if (!view.payload || !view.summary) {
    return layout(c, pub.title, `<h1>${esc(pub.title)}</h1>${withdrawnNotice(c, pub)}${history}`);
  }
  const body = `<h1>${esc(pub.title)}</h1>${pubMeta(c, pub)}
<section aria-labelledby="ov"><h2 id="ov">${tr(c, 'portal.overall')}</h2>${summaryCards(c, pub.id, view.summary, {})}</section>
<section aria-labelledby="bd"><h2 id="bd">${tr(c, 'portal.byDistrict')}</h2>${summaryTable(
    c,
    pub.id,
    'portal.district',
    view.districts.map((d) => ({
      id: d.id,
      label: d.name,
      page: `/public/p/${pub.id}/districts/${d.id}`,
      filter: { districtId: d.id },
      summary: d.summary,
    })),
  )}</section>
<section aria-labelledby="bs"><h2 id="bs">${tr(c, 'portal.bySection')}</h2>${summaryTable(
    c,
    pub.id,
    'portal.section',
    view.sections.map((s) => ({
      id: s.id,
      label: `${s.path.join(' ')} ${s.title}`.trim(),
      page: `/public/p/${pub.id}/sections/${s.id}`,
      filter: { sectionId: s.id },
      summary: s.summary,
    })),
  )}</section>
<p><a href="${href(c, `/public/p/${pub.id}/tasks`)}">${tr(c, 'portal.allTasks')}</a></p>
${downloads(c, pub.id)}
${history}`;
  return layout(c, pub.title, body);
}

function unitsText(t: PublicTask): string {
  return t.units.map((u) => esc(u.name)).join('、');
}

/** A list of tasks (a district's, a section's, or the ones behind a number). */
export function taskListPage(
  c: PageCtx,
  pub: Publication,
  heading: string,
  summary: StatusSummary | null,
  filter: Record<string, string | undefined>,
  tasks: PublicTask[],
  statusOf: (t: PublicTask) => DeliveryStatus,
  /** The page's whole filter (with status and text) for its downloads; the summary links add their own status. */
  shown: Record<string, string | undefined> = filter,
): string {
  const rows = tasks
    .map(
      (t) =>
        `<tr><td class="num" data-label="${tr(c, 'portal.seq')}">${t.seq}</td>` +
        `<td data-label="${tr(c, 'portal.task')}"><a href="${href(c, `/public/p/${pub.id}/tasks/${t.id}`)}">${esc(t.text.length > 140 ? `${t.text.slice(0, 140)}…` : t.text)}</a></td>` +
        `<td data-label="${tr(c, 'portal.units')}">${unitsText(t)}</td>` +
        `<td data-label="${tr(c, 'portal.deadline')}">${esc(t.deadline ?? '—')}</td>` +
        `<td data-label="${tr(c, 'portal.status')}">${statusTag(c, statusOf(t))}</td></tr>`,
    )
    .join('');
  const table = tasks.length
    ? `<table class="stack"><thead><tr><th scope="col" class="num">${tr(c, 'portal.seq')}</th><th scope="col">${tr(c, 'portal.task')}</th><th scope="col">${tr(c, 'portal.units')}</th><th scope="col">${tr(c, 'portal.deadline')}</th><th scope="col">${tr(c, 'portal.status')}</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p>${tr(c, 'portal.noResults')}</p>`;
  const body = `<p class="meta"><a href="${href(c, `/public/p/${pub.id}`)}">${esc(pub.title)}</a></p>
<h1>${esc(heading)}</h1>${pubMeta(c, pub)}
${summary ? `<section aria-labelledby="ov"><h2 id="ov">${tr(c, 'portal.overall')}</h2>${summaryCards(c, pub.id, summary, filter)}</section>` : ''}
<section aria-labelledby="tl"><h2 id="tl">${tr(c, 'portal.taskList')}</h2><p>${tr(c, 'portal.filtered', { n: tasks.length })}</p>${table}</section>
${downloads(c, pub.id, shown)}`;
  return layout(c, heading, body);
}

/** One task: text, section, units by role, deadline, status, targets, and the published timeline. */
export function taskPage(
  c: PageCtx,
  pub: Publication,
  task: PublicTask,
  sectionTitle: string | null,
  timeline: { publicationId: string; periodLabel: string; status: DeliveryStatus; progress: number | null }[],
): string {
  const roles = (['lead', 'responsible', 'cooperating'] as const)
    .map((r) => [r, task.units.filter((u) => u.role === r)] as const)
    .filter(([, us]) => us.length > 0)
    .map(([r, us]) => `<dt>${tr(c, `portal.role.${r}` as PortalKey)}</dt><dd>${us.map((u) => esc(u.name)).join('、')}</dd>`)
    .join('');
  const targets = task.targets.length
    ? `<table class="stack"><thead><tr><th scope="col">${tr(c, 'portal.metric')}</th><th scope="col">${tr(c, 'portal.jurisdiction')}</th><th scope="col" class="num">${tr(c, 'portal.target')}</th><th scope="col" class="num">${tr(c, 'portal.reported')}</th><th scope="col">${tr(c, 'portal.deadline')}</th><th scope="col">${tr(c, 'portal.status')}</th><th scope="col">${tr(c, 'portal.rowProgress')}</th></tr></thead><tbody>${task.targets
        .map(
          (g) =>
            `<tr><td data-label="${tr(c, 'portal.metric')}">${esc(g.metric)}</td><td data-label="${tr(c, 'portal.jurisdiction')}">${esc(g.jurisdictionName ?? '—')}</td>` +
            `<td class="num" data-label="${tr(c, 'portal.target')}">${esc(g.comparator)} ${esc(g.value)}${g.maxValue !== null ? `–${esc(g.maxValue)}` : ''} ${esc(g.unit)}</td>` +
            `<td class="num" data-label="${tr(c, 'portal.reported')}">${g.reportedValue === null ? '—' : `${esc(g.reportedValue)} ${esc(g.unit)}`}</td>` +
            `<td data-label="${tr(c, 'portal.deadline')}">${esc(g.deadline ?? '—')}</td><td data-label="${tr(c, 'portal.status')}">${statusTag(c, g.status)}</td><td data-label="${tr(c, 'portal.rowProgress')}">${progressBar(g.progress)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const tl = `<table class="stack"><thead><tr><th scope="col">${tr(c, 'portal.period')}</th><th scope="col">${tr(c, 'portal.status')}</th><th scope="col">${tr(c, 'portal.rowProgress')}</th></tr></thead><tbody>${timeline
    .map(
      (e) =>
        `<tr><td data-label="${tr(c, 'portal.period')}"><a href="${href(c, `/public/p/${e.publicationId}/tasks/${task.id}`)}"${e.publicationId === pub.id ? ' aria-current="page"' : ''}>${esc(e.periodLabel)}</a></td><td data-label="${tr(c, 'portal.status')}">${statusTag(c, e.status)}</td><td data-label="${tr(c, 'portal.rowProgress')}">${progressBar(e.progress)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  const title = `${tr(c, 'portal.task')} ${task.seq}`;
  const body = `<p class="meta"><a href="${href(c, `/public/p/${pub.id}`)}">${esc(pub.title)}</a>${sectionTitle ? ` › <a href="${href(c, `/public/p/${pub.id}/sections/${task.sectionId}`)}">${esc(sectionTitle)}</a>` : ''}</p>
<h1>${title}</h1>${pubMeta(c, pub)}
<p>${esc(task.text)}</p>
<dl><dt>${tr(c, 'portal.status')}</dt><dd>${statusTag(c, task.status)} ${progressBar(task.progress)}</dd><dt>${tr(c, 'portal.deadline')}</dt><dd>${esc(task.deadlineText ? `${task.deadlineText}（${task.deadline}）` : (task.deadline ?? '—'))}</dd>${roles}</dl>
${targets ? `<section aria-labelledby="tg"><h2 id="tg">${tr(c, 'portal.targets')}</h2>${targets}</section>` : ''}
<section aria-labelledby="tml"><h2 id="tml">${tr(c, 'portal.timeline')}</h2>${tl}</section>`;
  return layout(c, title, body);
}

/** Search results over the newest publication. */
export function searchPage(
  c: PageCtx,
  q: string,
  pub: Publication | null,
  districts: { id: string; name: string }[],
  tasks: PublicTask[],
): string {
  const d = districts.map((x) => `<li><a href="${href(c, `/public/p/${pub!.id}/districts/${x.id}`)}">${esc(x.name)}</a></li>`).join('');
  const t = tasks
    .map(
      (x) =>
        `<li><a href="${href(c, `/public/p/${pub!.id}/tasks/${x.id}`)}">${x.seq}. ${esc(x.text.length > 140 ? `${x.text.slice(0, 140)}…` : x.text)}</a> ${statusTag(c, x.status)}</li>`,
    )
    .join('');
  const results =
    !pub || (!d && !t)
      ? `<p>${tr(c, 'portal.noResults')}</p>`
      : `${d ? `<h2>${tr(c, 'portal.district')}</h2><ul>${d}</ul>` : ''}${t ? `<h2>${tr(c, 'portal.task')}</h2><ul>${t}</ul>` : ''}`;
  return layout(
    c,
    portalText(c.lang, 'portal.results', { q }),
    `<h1>${tr(c, 'portal.results', { q })}</h1>${pub ? pubMeta(c, pub) : ''}${results}`,
  );
}

/** The open-data catalogue: every dataset of every publication, with date and licence. */
export function cataloguePage(c: PageCtx, pubs: Publication[], licence: { name: string; url: string }): string {
  const rankingRows = pubs
    .filter((p) => p.kind === 'assessment')
    .map((p) => {
      const url = `/api/public/publications/${esc(p.id)}/ranking`;
      return (
        `<tr><td data-label="${tr(c, 'portal.dataset')}">${tr(c, 'portal.dataset.ranking')}</td><td data-label="${tr(c, 'portal.publication')}"><a href="${href(c, '/public/rankings')}#p-${esc(p.id)}">${esc(p.title)}</a></td>` +
        `<td data-label="${tr(c, 'portal.publishedAt', { date: '' }).trim()}">${esc(p.publishedAt.slice(0, 10))}</td>` +
        `<td data-label="${tr(c, 'portal.download')}">${p.withdrawnAt ? tr(c, 'portal.withdrawn') : `<a href="${url}?format=csv">${tr(c, 'portal.csv')}</a> <a href="${url}?format=json">${tr(c, 'portal.json')}</a>`}</td></tr>`
      );
    })
    .join('');
  const projectRows = pubs
    .filter((p) => p.kind === 'project_library')
    .map((p) => {
      const url = `/api/public/publications/${esc(p.id)}/projects`;
      return (
        `<tr><td data-label="${tr(c, 'portal.dataset')}">${tr(c, 'portal.dataset.projects')}</td><td data-label="${tr(c, 'portal.publication')}"><a href="${href(c, `/public/projects/${p.id}`)}">${esc(p.title)}</a></td>` +
        `<td data-label="${tr(c, 'portal.publishedAt', { date: '' }).trim()}">${esc(p.publishedAt.slice(0, 10))}</td>` +
        `<td data-label="${tr(c, 'portal.download')}">${p.withdrawnAt ? tr(c, 'portal.withdrawn') : `<a href="${url}?format=csv">${tr(c, 'portal.csv')}</a> <a href="${url}?format=json">${tr(c, 'portal.json')}</a>`}</td></tr>`
      );
    })
    .join('');
  const rows = pubs
    .filter((p) => p.kind === 'period')
    .flatMap((p) =>
      PUBLIC_DATASETS.map(
        (d) =>
          `<tr><td data-label="${tr(c, 'portal.dataset')}">${tr(c, `portal.dataset.${d}` as PortalKey)}</td><td data-label="${tr(c, 'portal.publication')}"><a href="${href(c, `/public/p/${p.id}`)}">${esc(p.title)}</a></td>` +
          `<td data-label="${tr(c, 'portal.publishedAt', { date: '' }).trim()}">${esc(p.publishedAt.slice(0, 10))}</td>` +
          `<td data-label="${tr(c, 'portal.download')}">${p.withdrawnAt ? tr(c, 'portal.withdrawn') : `<a href="/api/public/publications/${esc(p.id)}/datasets/${d}?format=csv">${tr(c, 'portal.csv')}</a> <a href="/api/public/publications/${esc(p.id)}/datasets/${d}?format=json">${tr(c, 'portal.json')}</a>`}</td></tr>`,
      ),
    )
    .join('')
    .concat(rankingRows, projectRows);
  const body = `<h1>${tr(c, 'portal.catalogue')}</h1><p>${tr(c, 'portal.catalogueIntro')}</p>
<p>${tr(c, 'portal.licence')}：<a href="${esc(licence.url)}">${esc(licence.name)}</a> · <a href="/api/public/feed.atom">${tr(c, 'portal.feed')}</a> · <a href="/api/public/catalogue">${tr(c, 'portal.json')}</a></p>
${rows ? `<table class="stack"><thead><tr><th scope="col">${tr(c, 'portal.dataset')}</th><th scope="col">${tr(c, 'portal.publication')}</th><th scope="col">${tr(c, 'portal.publishedAt', { date: '' }).trim()}</th><th scope="col">${tr(c, 'portal.download')}</th></tr></thead><tbody>${rows}</tbody></table>` : `<p>${tr(c, 'portal.none')}</p>`}`;
  return layout(c, portalText(c.lang, 'portal.catalogue'), body);
}

/** The front page when nothing is published, and the not-found page. */
export function messagePage(c: PageCtx, key: PortalKey): string {
  return layout(c, portalText(c.lang, key), `<h1>${tr(c, 'portal.name')}</h1><p>${tr(c, key)}</p>`);
}

/** The rankings page: each published final assessment, a table per peer group with its 红黑榜. */
export function rankingsPage(c: PageCtx, items: { publication: Publication; payload: AssessmentPayload | null }[]): string {
  const sections = items
    .map(({ publication: p, payload }) => {
      const head = `<h2>${esc(p.title)}</h2>`;
      if (!payload) return `<section id="p-${esc(p.id)}">${head}${withdrawnNotice(c, p)}</section>`;
      const url = `/api/public/publications/${esc(p.id)}/ranking`;
      const groups = payload.groups
        .map((g) => {
          const rows = g.rows
            .map(
              (r) =>
                `<tr><td class="num" data-label="${tr(c, 'portal.rank')}">${r.rank}</td><td data-label="${tr(c, 'portal.unit')}">${esc(r.name)}</td>` +
                `<td class="num" data-label="${tr(c, 'portal.score')}">${esc(r.total)}</td><td data-label="${tr(c, 'portal.tier')}">${esc(r.tierLabel)}</td>` +
                `<td data-label="${tr(c, 'portal.roll')}">${r.roll ? tr(c, `portal.roll.${r.roll}` as PortalKey) : ''}</td></tr>`,
            )
            .join('');
          return `<h3>${esc(g.label)}</h3><table class="stack"><thead><tr><th scope="col">${tr(c, 'portal.rank')}</th><th scope="col">${tr(c, 'portal.unit')}</th><th scope="col">${tr(c, 'portal.score')}</th><th scope="col">${tr(c, 'portal.tier')}</th><th scope="col">${tr(c, 'portal.roll')}</th></tr></thead><tbody>${rows}</tbody></table>`;
        })
        .join('');
      return `<section id="p-${esc(p.id)}">${head}${pubMeta(c, p)}${groups}<p class="downloads"><a href="${url}?format=csv" download>${tr(c, 'portal.csv')}</a> <a href="${url}?format=json">${tr(c, 'portal.json')}</a></p></section>`;
    })
    .join('');
  const body = `<h1>${tr(c, 'portal.rankings')}</h1><p>${tr(c, 'portal.rankingsIntro')}</p>${sections || `<p>${tr(c, 'portal.none')}</p>`}`;
  return layout(c, portalText(c.lang, 'portal.rankings'), body);
}

/** The bulletins page: each published 通报 with its 发文字号, date and PDF. */
export function bulletinsPage(c: PageCtx, items: { publication: Publication; payload: BulletinPayload | null }[]): string {
  const rows = items
    .map(({ publication: p, payload }) => {
      if (!payload) return `<li id="p-${esc(p.id)}">${esc(p.title)}（${tr(c, 'portal.withdrawn')}）${withdrawnNotice(c, p)}</li>`;
      const b = payload.content;
      return `<li id="p-${esc(p.id)}"><strong>${esc(b.title)}</strong><br>${tr(c, 'portal.docNumber')}：${esc(b.docNumber)} · ${tr(c, 'portal.docDate')}：${esc(b.date)} · <a href="/api/public/publications/${esc(p.id)}/bulletin.pdf">${tr(c, 'portal.pdf')}</a></li>`;
    })
    .join('');
  const body = `<h1>${tr(c, 'portal.bulletins')}</h1>${rows ? `<ul>${rows}</ul>` : `<p>${tr(c, 'portal.none')}</p>`}`;
  return layout(c, portalText(c.lang, 'portal.bulletins'), body);
}
