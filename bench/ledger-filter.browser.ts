/**
 * Ledger filtering in a real browser: the built SPA (dist/web) in Debian Chromium, with every /api
 * call answered by page.route() — `GET /api/ledger` with N synthetic LedgerRows (default 5,000).
 * Measures, inside the page, from the input event to the next frame after the row count changed:
 * typing into the search box (less its 200 ms debounce) and toggling the 已逾期 preset, plus the
 * filter function alone (performance.measure 'ledger-filter') and long tasks during each change.
 *
 *   npm run build:web && npm run bench:web-ledger            # 5,000 rows
 *   LEDGER_ROWS=10000 npm run bench:web-ledger
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { launchBrowser, ROOT } from '../e2e/harness.ts';
import { FIXTURE_PLAN_ID, FIXTURE_SECTIONS, makeLedgerRows } from '../src/web/testing/ledger.fixtures.ts';

const ROWS = Number(process.env.LEDGER_ROWS ?? 5000);
const RUNS = Number(process.env.RUNS ?? 7);
const WEB = join(ROOT, 'dist/web');
const AS_OF = '2026-06-15';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** dist/web with the SPA fallback, as the app server serves it (API calls never reach it). */
function serveWeb(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(WEB, path);
    try {
      if (!statSync(file).isFile()) file = join(WEB, 'index.html');
    } catch {
      file = join(WEB, 'index.html');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }),
    ),
  );
}

// Plain JavaScript evaluated in the page (a string, so the TS loader's helpers never reach it).
const IN_PAGE_MEASURE = `
async ({ kind, value }) => {
  const count = () => document.querySelector('.ledger-count')?.textContent ?? '';
  const before = count();
  performance.clearMeasures('ledger-filter');
  let longTasks = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks += entry.duration;
  });
  observer.observe({ type: 'longtask', buffered: false });
  const changed = new Promise((resolve) => {
    const mo = new MutationObserver(() => {
      if (count() !== before) {
        mo.disconnect();
        resolve();
      }
    });
    mo.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const t0 = performance.now();
  if (kind === 'search') {
    const input = document.querySelector('.ledger-filter-search input');
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  } else {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent === value);
    button.click();
  }
  await changed;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const total = performance.now() - t0;
  observer.disconnect();
  const filter = performance.getEntriesByName('ledger-filter').reduce((sum, e) => sum + e.duration, 0);
  return { total, filter, longTasks, shown: count() };
}`;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  statSync(join(WEB, 'index.html'));
  const rows = makeLedgerRows(ROWS, AS_OF);
  const plan = {
    id: FIXTURE_PLAN_ID,
    title: '基准测试计划',
    issuer: null,
    year: 2026,
    status: 'active',
    taskCount: rows.at(-1)?.seq ?? 0,
    version: 1,
  };
  const session = {
    user: { id: 'u', username: 'bench', displayName: '基准', orgId: 'o', role: 'admin', isActive: true, version: 1 },
    org: { id: 'o', name: '市百城办' },
    csrfToken: 'x',
  };
  const responses: Record<string, unknown> = {
    '/api/auth/me': session,
    '/api/plans': { items: [plan], total: 1 },
    [`/api/plans/${FIXTURE_PLAN_ID}`]: { ...plan, sections: FIXTURE_SECTIONS.map((s) => ({ ...s, children: [] })) },
    '/api/ledger': { rows, asOf: AS_OF },
  };
  const ledgerBody = JSON.stringify(responses['/api/ledger']);

  const web = await serveWeb();
  const browser = await launchBrowser();
  const { page } = browser;
  try {
    await page.route('**/api/**', (route) => {
      const path = new URL(route.request().url()).pathname;
      const body = path === '/api/ledger' ? ledgerBody : JSON.stringify(responses[path] ?? null);
      return route.fulfill({
        status: path in responses ? 200 : 404,
        contentType: 'application/json',
        body: path in responses ? body : JSON.stringify({ status: 404, code: 'not_found', title: 'Not Found' }),
      });
    });
    await page.setViewportSize({ width: 1440, height: 900 });
    const started = Date.now();
    await page.goto(`${web.url}/ledger`);
    await page
      .getByText(/^共 [\d,]+ 条/)
      .first()
      .waitFor({ timeout: 60_000 });
    const firstRender = Date.now() - started;
    const domRows = await page.locator('.ledger-table .ant-table-row').count();

    /** One filter change inside the page: act, wait for the count to change, then for a painted frame. */
    /** One filter change inside the page: act, wait for the count to change, then for a painted frame. */
    const measure = (kind: 'search' | 'overdue', value: string) =>
      page.evaluate(`(${IN_PAGE_MEASURE})(${JSON.stringify({ kind, value })})`) as Promise<{
        total: number;
        filter: number;
        longTasks: number;
        shown: string;
      }>;

    const queries = ['老旧小区', '淇滨区', '市交通运输局', '停车场', '公里', '背街小巷', '海绵城市', '第12项'];
    const search: { total: number; filter: number; longTasks: number }[] = [];
    const overdue: { total: number; filter: number; longTasks: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const result = await measure('search', queries[i % queries.length]);
      search.push({ ...result, total: result.total - 200 });
      // Clear the search so the next run changes the count again.
      await measure('search', '');
    }
    for (let i = 0; i < RUNS; i++) {
      overdue.push(await measure('overdue', '已逾期'));
      await measure('overdue', '已逾期');
    }

    console.log(`ledger filter benchmark: ${ROWS.toLocaleString('en')} rows, Chromium headless, 1440×900, ${RUNS} runs each (median)`);
    console.log(`first render (navigation → row count shown): ${firstRender} ms; table rows in the DOM: ${domRows}`);
    console.log('| change | input → painted (median) | filterLedgerRows (median) | long tasks (median) |');
    console.log('| --- | ---: | ---: | ---: |');
    const line = (name: string, list: typeof search) =>
      console.log(
        `| ${name} | ${ms(median(list.map((r) => r.total)))} | ${ms(median(list.map((r) => r.filter)))} | ${ms(median(list.map((r) => r.longTasks)))} |`,
      );
    line('search box (after the 200 ms debounce)', search);
    line('status preset 已逾期', overdue);
  } finally {
    await browser.close();
    web.close();
  }
}

await main();
