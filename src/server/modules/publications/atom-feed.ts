/** The Atom feed (RFC 4287) of publications: one entry per publication, updated when withdrawn. */
import type { Publication } from '../../../shared/schemas/publication.schema.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// A ranking and a bulletin are shown on their own public pages; a period on its overview.
function pageOf(p: Publication): string {
  if (p.kind === 'assessment') return `/public/rankings#p-${p.id}`;
  if (p.kind === 'bulletin') return `/public/bulletins#p-${p.id}`;
  if (p.kind === 'project_library') return `/public/projects/${p.id}`;
  return `/public/p/${p.id}`;
}

/** The feed XML; `base` is the site's origin (links are absolute, as feed readers need). */
export function atomFeed(base: string, publications: readonly Publication[]): string {
  const updated = publications.reduce((m, p) => [m, p.publishedAt, p.withdrawnAt ?? ''].sort().at(-1)!, '1970-01-01T00:00:00.000Z');
  const entries = publications.map((p) => {
    const at = p.withdrawnAt ?? p.publishedAt;
    const title = p.withdrawnAt ? `【已撤回 Withdrawn】${p.title}` : p.title;
    const summary = p.withdrawnAt ? `已撤回：${p.withdrawnReason ?? ''}` : `已公布 ${p.title}`;
    return [
      '  <entry>',
      `    <id>urn:uuid:${p.id}</id>`,
      `    <title>${esc(title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${esc(`${base}${pageOf(p)}`)}"/>`,
      `    <published>${p.publishedAt}</published>`,
      `    <updated>${at}</updated>`,
      `    <summary>${esc(summary)}</summary>`,
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
    `  <id>${esc(`${base}/public`)}</id>`,
    '  <title>公开信息 · Publications</title>',
    `  <link rel="self" type="application/atom+xml" href="${esc(`${base}/api/public/feed.atom`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${esc(`${base}/public`)}"/>`,
    `  <updated>${updated}</updated>`,
    '  <author><name>Luoshi</name></author>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
