import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportingPeriod } from '../src/shared/schemas/reporting.schema.ts';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import {
  apiAs,
  expectNoSevereAxe,
  horizontalOverflow,
  launchBrowser,
  ROOT,
  type RunningBrowser,
  type RunningServer,
  SCREENSHOT_DIR,
  screenshot,
  settle,
  signIn,
  useJourney,
} from './harness.ts';

// The public portal (issue 16) on the demo at 2018-06-20: the office closes 2018年6月 (API),
// previews and publishes it on the 向社会公布 screen; then an anonymous browser, at 1440 × 900 and
// at 390 × 844, opens /public, finds 淇县, opens a task's timeline and downloads the CSV, with axe
// on every page, no sideways scroll on the phone and no cookie ever set.

/** Copies a screenshot into docs/images (on request only: a test run must not dirty the checkout). */
function keep(name: string, as: string) {
  if (process.env.UPDATE_DOC_IMAGES !== '1') return;
  mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
  copyFileSync(join(SCREENSHOT_DIR, `${name}.png`), join(ROOT, 'docs/images', as));
}

describe('向社会公布: the office publishes, anyone reads', () => {
  let server: RunningServer;
  let page: Page;
  let june: ReportingPeriod;
  let anon: RunningBrowser;
  const journey = useJourney({ today: '2018-06-20' });

  beforeAll(async () => {
    ({ server, page } = journey);
    anon = await launchBrowser();
  });
  afterAll(async () => {
    await anon?.close();
  });

  it('the office previews 2018年6月 and publishes it', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    const api = await apiAs(page);
    const plans = await api.get<{ items: { id: string; status: string }[] }>('/api/plans');
    const planId = plans.items.find((p) => p.status === 'active')!.id;
    june = (await api.get<{ items: ReportingPeriod[] }>(`/api/plans/${planId}/periods`)).items.find((p) => p.label === '2018年6月')!;
    // 淇县 reports one of its targets (API, as the county would) and the office approves it, so the
    // published numbers are not all 未开始.
    const county = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_CREDENTIALS.unit),
    });
    expect(county.status).toBe(200);
    const countyHeaders = {
      cookie: county.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; '),
      'x-csrf-token': ((await county.json()) as { csrfToken: string }).csrfToken,
      'content-type': 'application/json',
    };
    const mine = (await (await fetch(`${server.baseUrl}/api/periods/${june.id}/my-reports`, { headers: countyHeaders })).json()) as {
      items: { taskId: string; targetId: string | null; report: unknown }[];
    };
    const target = mine.items.find((r) => r.targetId !== null && r.report === null)!;
    const saved = await fetch(`${server.baseUrl}/api/periods/${june.id}/reports`, {
      method: 'PUT',
      headers: countyHeaders,
      body: JSON.stringify({
        taskId: target.taskId,
        targetId: target.targetId,
        value: 3,
        confirmOutlier: true,
        narrative: '已完成阶段性任务（e2e）',
      }),
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const draft = (await saved.json()) as { id: string; version: number };
    const sent = await fetch(`${server.baseUrl}/api/reports/${draft.id}/submit`, {
      method: 'POST',
      headers: countyHeaders,
      body: JSON.stringify({ version: draft.version }),
    });
    expect(sent.status).toBe(200);
    const approved = await api.send('POST', `/api/reports/${draft.id}/approve`, {
      version: ((await sent.json()) as { version: number }).version,
    });
    expect(approved.status(), await approved.text()).toBe(200);
    june = (await api.get<{ items: ReportingPeriod[] }>(`/api/plans/${planId}/periods`)).items.find((p) => p.label === '2018年6月')!;
    const closed = await api.send('POST', `/api/periods/${june.id}/close`, { version: june.version });
    expect(closed.status(), await closed.text()).toBe(200);

    await page.getByRole('navigation').getByRole('link', { name: '向社会公布', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/publications');
    await page.getByRole('heading', { level: 1, name: '向社会公布' }).waitFor();
    const row = page.getByRole('row', { name: /2018年6月/ });
    await row.getByText('未公布').waitFor();
    await settle(page);
    await expectNoSevereAxe(page, 'publications screen');
    await row.getByRole('button', { name: '预览' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('以下就是公众将看到的内容。').waitFor();
    await dialog.getByRole('cell', { name: /^淇县/ }).waitFor();
    await settle(page);
    await screenshot(page, '80-publication-preview');
    await dialog.getByRole('button', { name: '公布' }).click();
    const confirm = page.getByRole('tooltip');
    await confirm.getByRole('button', { name: /确\s*定|OK/ }).click();
    // The confirmation fades out over the table: axe below must not judge a row through it.
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText('已公布', { exact: true }).first().waitFor();
    await page
      .getByRole('row', { name: /2018年6月/ })
      .getByRole('link', { name: '查看公开页' })
      .first()
      .waitFor();
    await settle(page);
    await screenshot(page, '81-publications-screen');
    await expectNoSevereAxe(page, 'publications screen, published');
    keep('81-publications-screen', 'publications-office.png');
  });

  for (const viewport of [
    { width: 1440, height: 900, tag: 'desktop' },
    { width: 390, height: 844, tag: 'phone' },
  ]) {
    it(`an anonymous visitor (${viewport.width}×${viewport.height}) finds 淇县, a task's timeline and the CSV`, async () => {
      const p = anon.page;
      await p.setViewportSize({ width: viewport.width, height: viewport.height });
      const check = async (label: string) => {
        await expectNoSevereAxe(p, `${label} (${viewport.tag})`);
        const { overflow, offenders } = await horizontalOverflow(p);
        expect(overflow, `${label} scrolls sideways: ${offenders.join(', ')}`).toBeLessThanOrEqual(1);
      };

      const res = await p.goto(`${server.baseUrl}/public`);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['set-cookie']).toBeUndefined();
      await p.getByRole('heading', { level: 1, name: /2018年6月/ }).waitFor();
      await p.getByRole('heading', { level: 2, name: '各区县进展' }).waitFor();
      await screenshot(p, `82-public-home-${viewport.tag}`);
      await check('public home');

      // Find 淇县 by searching, as a visitor would.
      await p.getByRole('searchbox', { name: '搜索区县或任务' }).fill('淇县');
      await p.getByRole('button', { name: '搜索' }).click();
      await p.waitForURL(/\/public\/search\?q=/);
      await check('search');
      await p.locator('main').getByRole('link', { name: /^淇县/ }).first().click();
      await p.getByRole('heading', { level: 1, name: /^淇县/ }).waitFor();
      await screenshot(p, `83-public-district-${viewport.tag}`);
      await check('district');

      // A task of 淇县, with its targets and the timeline of published periods.
      await p.locator('main table a[href*="/tasks/"]').first().click();
      await p.getByRole('heading', { level: 2, name: '历次公布' }).waitFor();
      await p.getByRole('link', { name: '2018年6月', exact: true }).waitFor();
      await screenshot(p, `84-public-task-${viewport.tag}`);
      await check('task');

      // Every number links to its tasks.
      await p.goto(`${server.baseUrl}/public`);
      const districtRow = p.locator('main table tr', { hasText: '淇县' }).first();
      await districtRow.locator('td a').nth(1).click();
      await p.waitForURL(/\/tasks\?districtId=/);
      await p.getByText(/共 \d+ 项任务/).waitFor();
      await check('task list');

      // The open data: the catalogue page and a CSV download (UTF-8 with BOM).
      await p.getByRole('link', { name: '开放数据' }).click();
      await p.getByRole('heading', { level: 1, name: '开放数据目录' }).waitFor();
      await screenshot(p, `85-public-data-${viewport.tag}`);
      await check('catalogue');
      await p.goto(`${server.baseUrl}/public`);
      const [download] = await Promise.all([p.waitForEvent('download'), p.locator('.downloads a', { hasText: 'CSV' }).first().click()]);
      const bytes = readFileSync((await download.path())!);
      expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(bytes.toString('utf8')).toContain('2018年6月');

      // English is one link away.
      await p.getByRole('link', { name: 'English', exact: true }).click();
      await p.getByRole('heading', { level: 2, name: 'Progress by district' }).waitFor();
      await check('public home, English');
      await p.getByRole('link', { name: '中文', exact: true }).click();
      await p.getByRole('heading', { level: 2, name: '各区县进展' }).waitFor();

      // Printable: the page's navigation and search are left off paper, the tables stay.
      await p.emulateMedia({ media: 'print' });
      expect(await p.locator('header.site nav').isVisible()).toBe(false);
      expect(await p.locator('main table').first().isVisible()).toBe(true);
      await p.emulateMedia({ media: 'screen' });

      // Nobody was given a cookie.
      expect(await anon.context.cookies()).toEqual([]);
      if (viewport.tag === 'desktop') {
        keep('82-public-home-desktop', 'public-home.png');
        keep('84-public-task-desktop', 'public-task.png');
      } else {
        keep('83-public-district-phone', 'public-district-phone.png');
      }
    });
  }

  it('the journey had no console errors in the office app', () => {
    expect(journey.consoleErrors).toEqual([]);
  });
});
