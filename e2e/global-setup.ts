import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist/web');

declare module 'vitest' {
  export interface ProvidedContext {
    /** A private copy of the built web app, so a rebuild of dist/web during the run cannot break it. */
    webDir: string;
  }
}

/** Every file the copy's index.html and chunks refer to (`assets/x-hash.js`, `./x-hash.js`) is present. */
function missingAssets(dir: string): string[] {
  const assets = join(dir, 'assets');
  if (!existsSync(join(dir, 'index.html')) || !existsSync(assets)) return ['index.html or assets/'];
  const present = new Set(readdirSync(assets));
  const missing = new Set<string>();
  const sources = [readFileSync(join(dir, 'index.html'), 'utf8')];
  for (const name of present) if (name.endsWith('.js') || name.endsWith('.css')) sources.push(readFileSync(join(assets, name), 'utf8'));
  for (const source of sources) {
    for (const match of source.matchAll(/(?:assets\/|["'`]\.\/)([\w.-]+-[\w-]{8}\.(?:js|css))/g)) {
      if (!present.has(match[1])) missing.add(match[1]);
    }
  }
  return [...missing];
}

/**
 * Copies dist/web (built by `npm run test:e2e` just before) to a temp directory once for the whole
 * run. Other people building the web app in the same checkout replace dist/web's hashed chunks
 * while a journey is loading them; the servers under test serve this stable copy instead.
 */
export default async function setup(project: TestProject) {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/web is missing: run `npm run build:web` first');
  let lastMissing: string[] = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-e2e-web-'));
    cpSync(DIST, dir, { recursive: true });
    lastMissing = missingAssets(dir);
    if (lastMissing.length === 0) {
      project.provide('webDir', dir);
      return () => rmSync(dir, { recursive: true, force: true });
    }
    // A build is being written right now: wait for it to finish and copy again.
    rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`dist/web stayed incomplete for 20 s (missing ${lastMissing.slice(0, 5).join(', ')})`);
}
