import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import { apiAs, chooseSelectOption, expectNoSevereAxe, type RunningServer, screenshot, settle, signIn, useJourney } from './harness.ts';

// 年终综合考评 on the demo: the office has three final assessments of the demo plan (API: issue
// 15's journey walks their screens); on the year-end screen it picks the first half, the second
// half and the year-end review, reads each county's three scores combined with the scheme's
// weights (30% / 30% / 40%) into the year's result and rank, and drills down to a score sheet.

const RUNS = [
  { key: 'firstHalf', label: '上半年', title: '2018年上半年考核（年终e2e）', start: '2018-01-01', end: '2018-06-30' },
  { key: 'secondHalf', label: '下半年', title: '2018年下半年考核（年终e2e）', start: '2018-07-01', end: '2018-12-31' },
  { key: 'review', label: '年终考核', title: '2018年年终考核（年终e2e）', start: '2018-01-01', end: '2018-12-31' },
] as const;

describe('年终综合考评: the half-years and the review combined into the year', () => {
  let server: RunningServer;
  let page: Page;
  const ids: Record<string, string> = {};
  const journey = useJourney({ today: '2018-06-20', failureScreenshotPrefix: 'year-end-' });

  beforeAll(() => {
    ({ server, page } = journey);
  });

  it('the office has three final assessments of the demo plan', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    const api = await apiAs(page);
    const send = async <T>(path: string, data?: unknown): Promise<T> => {
      const res = await api.send('POST', path, data);
      expect(res.status(), `POST ${path}: ${await res.text()}`).toBeLessThan(300);
      return (await res.json()) as T;
    };
    const plans = await api.get<{ items: { id: string; status: string }[] }>('/api/plans');
    const planId = plans.items.find((p) => p.status === 'active')!.id;
    const scheme = (await api.get<{ items: { id: string; name: string }[] }>('/api/assessment-schemes')).items.find(
      (s) => s.name === '百城建设提质工程考核办法',
    )!;
    for (const r of RUNS) {
      const run = await send<{ id: string }>('/api/assessments', {
        schemeId: scheme.id,
        planId,
        title: r.title,
        start: r.start,
        end: r.end,
        objectionDays: 5,
      });
      const version = async () => (await api.get<{ version: number }>(`/api/assessments/${run.id}`)).version;
      await send(`/api/assessments/${run.id}/publish`, { version: await version() });
      await send(`/api/assessments/${run.id}/finalise`, { version: await version() });
      ids[r.key] = run.id;
    }
  });

  it('picks the three on the year-end screen, reads the combined ranking and drills down to a score sheet', async () => {
    await page.getByRole('navigation').getByRole('link', { name: '考核', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/assessments');
    await page.getByRole('link', { name: '年终综合考评' }).click();
    await page.waitForURL((url) => url.pathname === '/assessments/year-end');
    await page.getByRole('heading', { level: 1, name: '年终综合考评' }).waitFor();
    await page.getByText('请选择三次已定稿的考核').waitFor();
    for (const r of RUNS)
      await chooseSelectOption(page, page.getByLabel(r.label, { exact: true }), new RegExp(r.title.replace(/[()（）]/g, '.')));
    await page.getByText('合成权重').waitFor();
    await page.getByText('30%').first().waitFor();
    await page.getByText('40%').first().waitFor();
    await page.getByRole('heading', { level: 3, name: '县区' }).waitFor();
    const api = await apiAs(page);
    const expected = await api.get<{ rows: { orgId: string; name: string; rank: number; total: number; firstHalf: number | null }[] }>(
      `/api/assessments/year-end?firstHalf=${ids.firstHalf}&secondHalf=${ids.secondHalf}&review=${ids.review}`,
    );
    const qixian = expected.rows.find((r) => r.name === '淇县政府')!;
    const row = page.getByRole('row', { name: /淇县政府/ });
    await row.waitFor();
    await expect.poll(async () => row.locator('td').first().textContent()).toBe(String(qixian.rank));
    await row.getByText(qixian.total.toFixed(2)).waitFor();
    await settle(page);
    await screenshot(page, 'assessment-year-end');
    await expectNoSevereAxe(page, 'year-end screen');

    // The choice is in the URL, and English is one switch away.
    expect(new URL(page.url()).searchParams.get('review')).toBe(ids.review);
    // Drill down: the first half-year's score opens that assessment's score sheet for 淇县政府.
    await row.getByRole('link', { name: '淇县政府上半年得分表' }).click();
    await page.waitForURL(new RegExp(`/assessments/${ids.firstHalf}/units/${qixian.orgId}$`));
    await page.getByRole('heading', { level: 1, name: '淇县政府 · 得分表' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: '年终综合考评' }).waitFor();
    expect(journey.consoleErrors).toEqual([]);
  });
});
