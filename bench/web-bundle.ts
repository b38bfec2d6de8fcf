/**
 * Initial JavaScript per route of the built SPA (dist/web), gzip level 9 as served: the entry
 * chunk plus a route's lazy chunk and everything they import statically, following
 * dist/web/.vite/manifest.json. Run after `npm run build:web`: `npm run bench:web-bundle`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const WEB = fileURLToPath(new URL('../dist/web/', import.meta.url));

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const manifest = JSON.parse(readFileSync(join(WEB, '.vite/manifest.json'), 'utf8')) as Manifest;
const gzCache = new Map<string, number>();
function gzipBytes(file: string): number {
  let size = gzCache.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(join(WEB, file)), { level: 9 }).length;
    gzCache.set(file, size);
  }
  return size;
}

/** Files loaded for these manifest keys: each chunk and its static imports, transitively. */
function closure(keys: string[]): Set<string> {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return files;
}

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entryKey) throw new Error('no entry in the manifest: build with manifest: true');
const routeKey = (fragment: string) => {
  const key = Object.keys(manifest).find((k) => k.includes(fragment));
  if (!key) throw new Error(`no chunk for ${fragment}`);
  return key;
};

const LAYOUT = 'app/app-layout.tsx';
const routes: Record<string, string[]> = {
  login: [entryKey, routeKey('features/auth/components/login-page.tsx')],
  ledger: [entryKey, routeKey(LAYOUT), routeKey('app/ledger-route.tsx')],
  dashboard: [entryKey, routeKey(LAYOUT), routeKey('features/dashboard/components/dashboard-page.tsx')],
  'task detail': [entryKey, routeKey(LAYOUT), routeKey('features/tasks/components/task-page.tsx')],
  plans: [entryKey, routeKey(LAYOUT), routeKey('features/plans/components/plans-page.tsx')],
};

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log('| route | JS files | JS raw | JS gzip | echarts |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const [name, keys] of Object.entries(routes)) {
  const files = [...closure(keys)].filter((f) => f.endsWith('.js'));
  const raw = files.reduce((sum, f) => sum + readFileSync(join(WEB, f)).length, 0);
  const gz = files.reduce((sum, f) => sum + gzipBytes(f), 0);
  const hasEcharts = files.some((f) => /echarts/.test(f));
  console.log(`| ${name} | ${files.length} | ${kb(raw)} | ${kb(gz)} | ${hasEcharts ? 'yes' : 'no'} |`);
}

// The public portal (/public, issue 16) is not part of the SPA: its pages are HTML rendered by the
// server from published snapshots (src/server/modules/publications/public-pages.render.ts), and
// every page goes through the one layout. Its first load is the scripts that layout references.
const { layout } = await import('../src/server/modules/publications/public-pages.render.ts');
const shell = layout({ lang: 'zh', path: '/public' }, 'bench', '<p>bench</p>');
const publicScripts = [...shell.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
const inlineScripts = (shell.match(/<script\b(?![^>]*\bsrc=)/g) ?? []).length;
const publicGz = publicScripts.reduce((sum, src) => sum + gzipBytes(src.replace(/^\//, '')), 0);
console.log(
  `| public portal (server-rendered, no SPA) | ${publicScripts.length + inlineScripts} | ${kb(publicScripts.reduce((s, src) => s + readFileSync(join(WEB, src.replace(/^\//, ''))).length, 0))} | ${kb(publicGz)} | no |`,
);
if (publicGz > 150 * 1024) throw new Error(`the public portal's first load carries ${kb(publicGz)} of gzipped JavaScript (budget 150 KB)`);
