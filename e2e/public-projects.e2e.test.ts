import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import {
  apiAs,
  expectNoSevereAxe,
  horizontalOverflow,
  launchBrowser,
  type RunningBrowser,
  type RunningServer,
  screenshot,
  settle,
  signIn,
  useJourney,
} from './harness.ts';

// The public portal's ranking, 通报 and project library (issue 16) on the demo at 2018-06-20: the
// office finalises the half-year assessment and issues its 通报 (API: issue 15's journey walks
// those screens), then on the 向社会公布 screen previews and publishes the ranking, the 通报 and
// the 2018 project library. An anonymous browser opens /public, reads the ranking, follows the
// bulletin's PDF link, and sees the project list and the server-drawn map; no cookie, no script.

const TITLE = '2018年上半年考核（公开e2e）';

/** Previews one row of the 向社会公布 screen and publishes it. */
async function publishRow(page: Page, row: RegExp, shot: string) {
  // The first table is the sources; once published the row appears in the list below as well.
  const line = page.getByRole('row', { name: row }).first();
  await line.getByText('未公布').waitFor();
  await line.getByRole('button', { name: '预览' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('以下就是公众将看到的内容。').waitFor();
  await settle(page);
  await screenshot(page, shot);
  await dialog.getByRole('button', { name: '公布' }).click();
  await page
    .getByRole('tooltip')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click();
  await line.getByText('已公布').waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

describe('向社会公布: ranking, 通报 and the project library, read by anyone', () => {
  let server: RunningServer;
  let page: Page;
  let anon: RunningBrowser;
  const journey = useJourney({ today: '2018-06-20', failureScreenshotPrefix: 'public-projects-' });

  beforeAll(async () => {
    ({ server, page } = journey);
    anon = await launchBrowser();
  });
  afterAll(async () => {
    await anon?.close();
  });

  it('the office finalises the half-year ranking, issues its 通报, and publishes both and the 2018 project library', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    const api = await apiAs(page);
    const send = async <T>(method: 'POST' | 'PUT', path: string, data?: unknown): Promise<T> => {
      const res = await api.send(method, path, data);
      expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300);
      return (await res.json()) as T;
    };
    const plans = await api.get<{ items: { id: string; status: string }[] }>('/api/plans');
    const planId = plans.items.find((p) => p.status === 'active')!.id;
    const periods = await api.get<{ items: { id: string; status: string; version: number }[] }>(`/api/plans/${planId}/periods`);
    for (const p of periods.items.filter((x) => x.status === 'open'))
      await send('POST', `/api/periods/${p.id}/close`, { version: p.version });
    const schemes = await api.get<{ items: { id: string; name: string }[] }>('/api/assessment-schemes');
    const scheme = schemes.items.find((s) => s.name === '百城建设提质工程考核办法')!;
    const run = await send<{ id: string; version: number }>('POST', '/api/assessments', {
      schemeId: scheme.id,
      planId,
      title: TITLE,
      start: '2018-01-01',
      end: '2018-06-30',
      objectionDays: 5,
    });
    const fresh = async () => (await api.get<{ version: number }>(`/api/assessments/${run.id}`)).version;
    await send('POST', `/api/assessments/${run.id}/publish`, { version: await fresh() });
    await send('POST', `/api/assessments/${run.id}/finalise`, { version: await fresh() });
    const bulletin = await send<{ id: string; version: number }>('POST', `/api/assessments/${run.id}/bulletins`);
    await send('POST', `/api/bulletins/${bulletin.id}/issue`, { version: bulletin.version });

    await page.getByRole('navigation').getByRole('link', { name: '向社会公布', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/publications');
    await page.getByRole('heading', { level: 1, name: '向社会公布' }).waitFor();
    await publishRow(page, new RegExp(`考核排名.*${TITLE.replace(/[()（）]/g, '.')}`), '90-publish-ranking-preview');
    await publishRow(page, /考核通报/, '91-publish-bulletin-preview');
    await publishRow(page, /2018年度项目库/, '92-publish-projects-preview');
    await settle(page);
    await screenshot(page, '93-publications-three-kinds');
    await expectNoSevereAxe(page, 'publications screen, three kinds published');
  });

  for (const viewport of [
    { width: 1440, height: 900, tag: 'desktop' },
    { width: 390, height: 844, tag: 'phone' },
  ]) {
    it(`an anonymous visitor (${viewport.width}×${viewport.height}) reads the ranking, the 通报's PDF, the project list and map`, async () => {
      const p = anon.page;
      await p.setViewportSize({ width: viewport.width, height: viewport.height });
      const check = async (label: string) => {
        await expectNoSevereAxe(p, `${label} (${viewport.tag})`);
        const { overflow, offenders } = await horizontalOverflow(p);
        expect(overflow, `${label} scrolls sideways: ${offenders.join(', ')}`).toBeLessThanOrEqual(1);
        // Server-rendered: the page carries no script at all.
        expect(await p.locator('script').count()).toBe(0);
      };

      const home = await p.goto(`${server.baseUrl}/public`);
      expect(home?.status()).toBe(200);

      // The ranking, from the portal's navigation.
      await p.getByRole('link', { name: '考核排名', exact: true }).click();
      await p.getByRole('heading', { level: 1, name: '考核排名' }).waitFor();
      await p.getByRole('heading', { level: 2, name: TITLE }).waitFor();
      await p.getByRole('heading', { level: 3, name: '县区' }).waitFor();
      await p.getByRole('cell', { name: '淇县政府' }).first().waitFor();
      await p.getByText('红榜').first().waitFor();
      await screenshot(p, `94-public-ranking-${viewport.tag}`);
      await check('rankings');

      // The 通报 and its PDF.
      await p.getByRole('link', { name: '考核通报', exact: true }).click();
      await p.getByRole('heading', { level: 1, name: '考核通报' }).waitFor();
      await screenshot(p, `95-public-bulletins-${viewport.tag}`);
      await check('bulletins');
      const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: '下载 PDF' }).first().click()]);
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      expect(
        readFileSync((await download.path())!)
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');

      // The project library: totals, the map drawn on the shipped boundaries, the list.
      await p.getByRole('link', { name: '项目库', exact: true }).click();
      await p.getByRole('heading', { level: 1, name: '2018年度项目库' }).waitFor();
      const map = p.getByRole('img', { name: '项目分布图' });
      await map.waitFor();
      expect(await map.locator('path').count()).toBe(5);
      const points = await map.locator('circle').count();
      expect(points).toBeGreaterThan(0);
      const rows = p.locator('main table tbody tr');
      expect(await rows.count()).toBe(points);
      await p.getByRole('cell', { name: '淇县' }).first().waitFor();
      await screenshot(p, `96-public-projects-${viewport.tag}`);
      await check('projects');
      await p.getByRole('link', { name: 'English', exact: true }).click();
      await p.getByRole('heading', { level: 2, name: 'Project map' }).waitFor();
      await check('projects, English');

      expect(await anon.context.cookies()).toEqual([]);
    });
  }

  it('the journey had no console errors in the office app', () => {
    expect(journey.consoleErrors).toEqual([]);
  });
});
