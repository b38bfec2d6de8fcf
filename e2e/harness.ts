import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCREENSHOT_DIR = join(ROOT, 'artifacts', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** The copy of dist/web that e2e/global-setup.ts made, when running under vitest. */
function providedWebDir(): string | undefined {
  try {
    return inject('webDir');
  } catch {
    // Imported by a script outside vitest: serve dist/web itself.
    return undefined;
  }
}

export interface ServerOptions {
  /** Load the Hebi demo (registry, plan, one account per role) into the empty database. Default true. */
  demo?: boolean;
  /** With `demo: false`: the password of the bootstrap `admin` account. */
  adminPassword?: string;
  /** LUOSHI_TODAY: the fixed "today" (YYYY-MM-DD) the ledger computes overdue rows for. */
  today?: string;
}

/**
 * Starts src/server/server.ts on a free port with a fresh SQLite file and (by default) the demo
 * seed; waits for /api/health.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  // The run's private copy of dist/web (e2e/global-setup.ts), immune to rebuilds during the run.
  const webDir = providedWebDir() ?? join(ROOT, 'dist/web');
  if (!existsSync(join(webDir, 'index.html'))) throw new Error(`${webDir} is missing: run \`npm run build:web\` first`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-e2e-'));
  let log = '';
  // E2E_SERVER_ENTRY: run another entry point (say, a local launcher) against the same checks.
  const entry = process.env.E2E_SERVER_ENTRY ?? 'src/server/server.ts';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: join(dir, 'e2e.db'),
      UPLOAD_DIR: join(dir, 'uploads'),
      WEB_DIR: webDir,
      LUOSHI_DEMO: options.demo === false ? '0' : '1',
      LUOSHI_ADMIN_PASSWORD: options.adminPassword ?? '',
      LUOSHI_TODAY: options.today ?? '',
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    log += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    log += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy in 90 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    baseUrl,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunningBrowser {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

/** Debian Chromium, headless, with a fresh profile directory; never a downloaded browser. */
export async function launchBrowser(): Promise<RunningBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'luoshi-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until no antd spinner is running and its fade-out is over, so screenshots show data, not a veil. */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.ant-spin-spinning, .ant-spin-blur').length === 0, undefined, {
    timeout: 15_000,
  });
  await page.waitForTimeout(350);
}

/**
 * Picks `option` in the antd Select whose input is `combobox`. The option is looked up only in the
 * dropdown this select opened (the one holding its `<id>_list` listbox): the dropdown of the select
 * picked just before is still in the document while it fades out, and clicking "the first visible
 * option" could land there. Waits for the dropdown to close, so the next pick starts clean.
 */
export async function chooseSelectOption(page: Page, combobox: Locator, option: string | RegExp): Promise<void> {
  await combobox.click();
  const id = await combobox.getAttribute('id');
  const popup = id
    ? page.locator('.ant-select-dropdown', { has: page.locator(`[id="${id}_list"]`) })
    : page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await popup.locator('.ant-select-item-option', { hasText: option }).first().click();
  await popup.waitFor({ state: 'hidden' });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core (from node_modules) in the page and returns the violations. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the devtools protocol, not a <script> tag: the app's CSP (script-src 'self')
  // stays on and would block an injected inline script.
  await page.evaluate(readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

export function formatViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}`).join('\n')}`).join('\n');
}

/** Signs in through the login page (from wherever the guard sent us) and waits to leave it. */
export async function signIn(page: Page, baseUrl: string, account: { username: string; password: string }): Promise<void> {
  if (!page.url().includes('/login')) await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Signs out through the header button and waits for the login page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL('**/login');
}

/**
 * The API as the signed-in page sees it: the context's cookie jar (page.request shares it) plus the
 * session's CSRF token on writes, exactly what the web app sends.
 */
export async function apiAs(page: Page) {
  // Relative to the page's origin: the persistent context has no baseURL.
  const url = (path: string) => new URL(path, page.url()).toString();
  const me = await page.request.get(url('/api/auth/me'));
  if (!me.ok()) throw new Error(`GET /api/auth/me: ${me.status()}`);
  const session = (await me.json()) as { csrfToken: string; user: { id: string; orgId: string; role: string } };
  const headers = { 'x-csrf-token': session.csrfToken };
  return {
    session,
    get: async <T>(path: string): Promise<T> => {
      const res = await page.request.get(url(path));
      if (!res.ok()) throw new Error(`GET ${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    },
    send: (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, data?: unknown) =>
      page.request.fetch(url(path), { method, headers, ...(data === undefined ? {} : { data }) }),
  };
}

/** Runs axe and fails on serious or critical violations; logs the rest so they are not lost. */
export async function expectNoSevereAxe(page: Page, label: string): Promise<AxeViolation[]> {
  // Where the last click left the pointer decides which row and link are in their hover state:
  // judge the page at rest, so a run does not depend on it: pointer off, and the colour
  // transitions that leaving a row starts run to their end (axe measured them half way).
  await page.mouse.move(0, 0);
  await page.waitForFunction(
    () => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'),
    undefined,
    { timeout: 5_000 },
  );
  const violations = await runAxe(page);
  if (violations.length) console.info(`axe (${label}):\n${formatViolations(violations)}`);
  const severe = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (severe.length) throw new Error(`axe (${label}): serious/critical violations\n${formatViolations(severe)}`);
  return violations;
}

/** The page body's horizontal overflow in CSS px (0 = none), and the widest offenders for a report. */
export async function horizontalOverflow(page: Page): Promise<{ overflow: number; offenders: string[] }> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    const overflow = Math.max(0, root.scrollWidth - window.innerWidth);
    const offenders: string[] = [];
    if (overflow > 1) {
      for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
        const rect = el.getBoundingClientRect();
        if (rect.right > window.innerWidth + 1 && offenders.length < 8) {
          offenders.push(
            `${el.tagName.toLowerCase()}.${String(el.className).split(' ').slice(0, 2).join('.')} right=${Math.round(rect.right)}`,
          );
        }
      }
    }
    return { overflow, offenders };
  });
}

export interface VisibleLedgerRow {
  /** `${taskId}:${responsibleOrgId | '-'}` (the table's row key). */
  key: string;
  seq: number;
  /** The task text, from the link to the task page (its title holds the whole text). */
  text: string;
  /** Every cell's text, in column order, for cross-checks. */
  cells: string[];
}

/**
 * Every row of a (possibly virtualised) antd table: the ledger renders only the rows in view, so
 * this scrolls its body from top to bottom, a screenful at a time, and collects rows by key. The
 * whole walk runs in the page (no round trip per step). Plain tables are read at once.
 */
export async function collectTableRows(page: Page, tableSelector = '.ledger-table'): Promise<VisibleLedgerRow[]> {
  const table = page.locator(tableSelector).first();
  await table.waitFor();
  // tsx (esbuild keepNames) wraps the named helpers below in __name(); give the page a no-op one.
  await page.evaluate('globalThis.__name ??= (fn) => fn');
  const rows = await table.evaluate(async (root) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const found = new Map<string, { key: string; seq: number; text: string; cells: string[] }>();
    const read = () => {
      for (const row of Array.from(root.querySelectorAll<HTMLElement>('.ant-table-row[data-row-key]'))) {
        if (row.classList.contains('ant-table-row-extra')) continue;
        const cells = Array.from(row.querySelectorAll<HTMLElement>(':scope > .ant-table-cell, :scope > td')).map((c) =>
          (c.textContent ?? '').trim(),
        );
        const link = row.querySelector<HTMLAnchorElement>('a[href*="/tasks/"]');
        const key = row.dataset.rowKey ?? '';
        found.set(key, { key, seq: Number(cells[0]), text: (link?.getAttribute('title') ?? link?.textContent ?? '').trim(), cells });
      }
    };
    const holder = root.querySelector<HTMLElement>('.ant-table-tbody-virtual-holder');
    if (!holder) {
      read();
      return [...found.values()];
    }
    holder.scrollTop = 0;
    await frame();
    for (let guard = 0; guard < 5000; guard++) {
      read();
      if (holder.scrollTop + holder.clientHeight >= holder.scrollHeight - 1) break;
      // A screenful less a little: a row cut at the bottom edge is drawn again at the top.
      holder.scrollTop += Math.max(40, holder.clientHeight - 40);
      await frame();
    }
    holder.scrollTop = 0;
    await frame();
    return [...found.values()];
  });
  // Back at the top: wait until the list has drawn the rows there (screenshots follow).
  if (rows.length > 0) await table.locator('.ant-table-row[data-row-key]').first().waitFor();
  return rows;
}

export interface JourneyOptions extends ServerOptions {
  /** Screenshot name prefix for a failed step's picture (artifacts/screenshots/<prefix><step>.png). */
  failureScreenshotPrefix?: string;
}

/** One journey's server, browser and page, filled in by useJourney's beforeAll. */
export interface Journey {
  server: RunningServer;
  browser: RunningBrowser;
  /** The one page the journey walks: its steps run in order and build on each other. */
  page: Page;
  /** Every console error and uncaught page error, in order; journeys assert it stays empty. */
  consoleErrors: string[];
}

/**
 * The scaffolding every e2e journey shares, registered on the calling describe block: before the
 * steps, the server on a fresh SQLite file (with the demo unless `demo: false`) and Debian Chromium
 * start together; the page's console errors and uncaught errors are collected; a failed step leaves
 * a screenshot behind; afterwards browser and server stop and their temp directories go. Read the
 * fields inside hooks and steps (they are set in beforeAll).
 */
export function useJourney(options: JourneyOptions = {}): Journey {
  const { failureScreenshotPrefix = 'failed-', ...serverOptions } = options;
  const journey = { consoleErrors: [] as string[] } as Journey;
  beforeAll(async () => {
    [journey.server, journey.browser] = await Promise.all([startServer(serverOptions), launchBrowser()]);
    journey.page = journey.browser.page;
    journey.page.on('console', (msg) => {
      // The URL goes with the text: Chromium's "Failed to load resource: … 401" names no request,
      // and an intermittent failure is only worth its log if it says which request it was.
      if (msg.type() !== 'error') return;
      const { url } = msg.location();
      journey.consoleErrors.push(url ? `${msg.text()} (${url})` : msg.text());
    });
    journey.page.on('pageerror', (error) => journey.consoleErrors.push(String(error)));
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && journey.page) {
      await screenshot(journey.page, `${failureScreenshotPrefix}${ctx.task.name.slice(0, 24)}`).catch(() => {});
    }
  });
  afterAll(async () => {
    await journey.browser?.close();
    await journey.server?.stop();
  });
  return journey;
}
