import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import { apiAs, chooseSelectOption, type RunningServer, screenshot, settle, signIn, signOut, useJourney } from './harness.ts';

// 考核 end to end on the demo: the office closes June and runs the half-year assessment under the
// demo scheme, adjusts one of 淇县政府's lines, publishes 初评; 淇县 objects to a line; the office
// answers and finalises; the ranking shows; the 通报 is drafted, edited and issued; its PDF downloads.

const TITLE = '2018年上半年考核（e2e）';
const UNIT = '淇县政府';

async function chooseOption(page: Page, label: string, option: RegExp | string): Promise<void> {
  await chooseSelectOption(page, page.getByLabel(label), option);
}

/** The sheet row of a rule, by its label. */
const lineRow = (page: Page, label: string) =>
  page.locator('.ant-table-row', { has: page.getByRole('cell', { name: label, exact: true }) });

describe('考核: run, adjust, publish, object, answer, finalise, rank, bulletin', () => {
  let server: RunningServer;
  let page: Page;
  let runUrl = '';

  const journey = useJourney({ today: '2018-06-20', failureScreenshotPrefix: 'assessment-' });
  const { consoleErrors } = journey;

  beforeAll(() => {
    ({ server, page } = journey);
  });

  it('the office closes June and computes the half-year draft', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    const api = await apiAs(page);
    const plans = await api.get<{ items: { id: string; title: string }[] }>('/api/plans');
    const periods = await api.get<{ items: { id: string; status: string; version: number }[] }>(`/api/plans/${plans.items[0]!.id}/periods`);
    for (const p of periods.items.filter((x) => x.status === 'open')) {
      expect((await api.send('POST', `/api/periods/${p.id}/close`, { version: p.version })).status()).toBe(200);
    }
    await page.getByRole('navigation').getByRole('link', { name: '考核', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/assessments');
    await chooseOption(page, '考核方案', '百城建设提质工程考核办法');
    await chooseOption(page, '计划', plans.items[0]!.title);
    await page.getByLabel('考核名称').fill(TITLE);
    await page.getByLabel('开始日期').fill('2018-01-01');
    await page.getByLabel('结束日期').fill('2018-06-30');
    await page.getByRole('button', { name: '计算考核草稿' }).click();
    await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
    runUrl = page.url();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page.getByRole('link', { name: UNIT }).waitFor();
    await settle(page);
    await screenshot(page, 'assessment-run-draft');
  });

  it('the office adjusts one of 淇县政府’s lines with a reason and publishes 初评', async () => {
    await page.getByRole('link', { name: UNIT }).click();
    await page.getByRole('heading', { level: 1, name: `${UNIT} · 得分表` }).waitFor();
    await lineRow(page, '月报未报送').getByRole('button', { name: '核查调整' }).click();
    const dialog = page.getByRole('dialog', { name: '核查调整' });
    await dialog.getByLabel('调整分值（正数加分，负数扣分）').fill('1');
    await dialog.getByLabel('调整理由').fill('6月报表已线下报送，核实加回');
    await dialog.getByRole('button', { name: '提交' }).click();
    await page.getByText('已调整').first().waitFor();
    await expect.poll(async () => lineRow(page, '月报未报送').locator('td').nth(4).textContent()).toBe('+1');
    await page.getByText('6月报表已线下报送，核实加回').waitFor();
    await page.goto(runUrl);
    await page.getByRole('button', { name: '公布初评' }).click();
    await page.getByText('初评已公布（异议期）').waitFor();
  });

  it('淇县 sees its own sheet and objects to a line within the window', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    await page.goto(runUrl);
    await page.getByRole('link', { name: UNIT }).click();
    await page.getByRole('heading', { level: 1, name: `${UNIT} · 得分表` }).waitFor();
    await lineRow(page, '领导评价').getByRole('button', { name: '提出异议' }).click();
    const dialog = page.getByRole('dialog', { name: '提出异议' });
    await dialog.getByLabel('提出异议').fill('领导评价未录入，请核实');
    await dialog.getByRole('button', { name: '提交' }).click();
    await page.getByText('异议已提交').waitFor();
    await page.getByText('待答复').waitFor();
  });

  it('the office answers the objection, finalises, and the ranking shows with its 红榜', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    await page.goto(runUrl);
    await page.getByRole('link', { name: UNIT }).click();
    await page.getByRole('button', { name: '答复' }).click();
    const dialog = page.getByRole('dialog', { name: '答复' });
    await dialog.getByLabel('调整分值（正数加分，负数扣分）').fill('8');
    await dialog.getByLabel('答复', { exact: true }).fill('经核实，补录领导评价8分');
    await dialog.getByRole('button', { name: '提交' }).click();
    await page.getByText('采纳：经核实，补录领导评价8分').waitFor();
    await page.goto(runUrl);
    await page.getByRole('button', { name: '定稿' }).click();
    await page.getByText('已定稿').first().waitFor();
    await page.getByRole('heading', { level: 3, name: '县区' }).waitFor();
    await page.getByText('红榜').first().waitFor();
    await page.getByRole('button', { name: '起草通报' }).waitFor();
    await settle(page);
    await screenshot(page, 'assessment-ranking');
  });

  it('the 通报 is drafted, edited, issued, and its PDF downloads', async () => {
    await page.getByRole('button', { name: '起草通报' }).click();
    await page.waitForURL(/\/bulletins\/[0-9a-f-]{36}$/);
    const title = page.getByLabel('标题');
    await expect.poll(async () => title.inputValue()).toContain('结果的通报');
    await title.fill('关于2018年上半年百城建设提质工程考核情况的通报');
    await page.getByRole('article', { name: '预览' }).getByText('关于2018年上半年百城建设提质工程考核情况的通报').waitFor();
    await page.getByRole('button', { name: '印发' }).click();
    await page.getByText('通报已印发').first().waitFor();
    await page.getByText('已印发', { exact: true }).waitFor();
    await settle(page);
    await screenshot(page, 'assessment-bulletin');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/〔2018〕1号.*\.pdf$/);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(consoleErrors).toEqual([]);
  });
});
