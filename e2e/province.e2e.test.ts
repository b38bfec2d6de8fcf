import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROVINCE_DEMO_ACCOUNTS } from '../src/server/demo/demo-province.ts';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import { apiAs, type RunningServer, screenshot, settle, signIn, signOut, useJourney } from './harness.ts';

// Issue 12, "Tests and measures": the demo is a province of two cities. The province office opens
// the province overview (/province: cities as rows), drills into 鹤壁, then into the second city;
// a 鹤壁 county user cannot reach the second city's plan or task by URL (the not-found screen).

const SHENG = PROVINCE_DEMO_ACCOUNTS.find((a) => a.username === 'sheng')!;
const XUCHANG = PROVINCE_DEMO_ACCOUNTS.find((a) => a.username === 'xuchang')!;

describe('the province office sees both cities; a county of one cannot reach the other', () => {
  let server: RunningServer;
  let page: Page;
  let second = { planId: '', taskId: '', title: '' };
  const journey = useJourney({ demo: true, failureScreenshotPrefix: 'province-failed-' });

  beforeAll(() => {
    ({ server, page } = journey);
  });

  it('the province office signs in and lands on the province overview with both cities', async () => {
    await signIn(page, server.baseUrl, SHENG);
    await page.goto(`${server.baseUrl}/province`);
    await page.getByRole('heading', { level: 1, name: '全省总览' }).waitFor();
    await page.getByRole('link', { name: '查看市百城办总览' }).waitFor();
    await page.getByRole('link', { name: '查看许昌市百城办总览' }).waitFor();
    await settle(page);
    await screenshot(page, 'p01-province-overview');
  });

  it('drills into 鹤壁, then back and into the second city', async () => {
    await page.getByRole('link', { name: '查看市百城办总览' }).click();
    await page.waitForURL(/\/dashboard\?.*tenant=/);
    await page.getByText('市百城办 · 数据范围').first().waitFor();
    await settle(page);
    await screenshot(page, 'p02-hebi-dashboard');
    await page.getByRole('link', { name: '全省总览' }).first().click();
    await page.getByRole('heading', { level: 1, name: '全省总览' }).waitFor();
    await page.getByRole('link', { name: '查看许昌市百城办总览' }).click();
    await page.waitForURL(/\/dashboard\?.*tenant=/);
    await page.getByText('许昌市百城办 · 数据范围').first().waitFor();
    await settle(page);
    await screenshot(page, 'p03-second-city-dashboard');
    await signOut(page);
  });

  it('a 鹤壁 county user gets the not-found screen for the second city’s plan and task', async () => {
    // The second city's ids, as its own office sees them.
    await signIn(page, server.baseUrl, XUCHANG);
    const api = await apiAs(page);
    const plans = await api.get<{ items: Array<{ id: string; title: string }> }>('/api/plans');
    expect(plans.items).toHaveLength(1);
    const tasks = await api.get<{ items: Array<{ id: string }> }>(`/api/plans/${plans.items[0]!.id}/tasks`);
    second = { planId: plans.items[0]!.id, taskId: tasks.items[0]!.id, title: plans.items[0]!.title };
    await signOut(page);

    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    for (const url of [`/plans/${second.planId}`, `/tasks/${second.taskId}`]) {
      await page.goto(`${server.baseUrl}${url}`);
      await page
        .getByText(/未找到|不存在/)
        .first()
        .waitFor();
      await settle(page);
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered, visible text is what is checked
      const text = await page.evaluate(() => document.body.innerText);
      expect(text, url).not.toContain(second.title);
      expect(text, url).not.toContain('许昌');
    }
    await screenshot(page, 'p04-county-not-found');
    expect(journey.consoleErrors.filter((e) => !/404|Not Found/i.test(e))).toEqual([]);
  });
});
