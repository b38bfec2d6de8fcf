import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { MyReportList, ReportingPeriod } from '../src/shared/schemas/reporting.schema.ts';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import { apiAs, expectNoSevereAxe, type RunningServer, screenshot, settle, signIn, signOut, useJourney } from './harness.ts';

// A month of reporting on the demo plan (LUOSHI_TODAY 2018-06-20, so 2018年6月 is open, due 2018-07-05):
// 淇县 downloads its 进展填报表, fills two rows offline (one with a bad value), uploads, sees the error
// by row and column, fixes the file, saves the drafts, attaches a photo as evidence, submits both;
// the office (admin) approves one and returns the other with a comment; 淇县 sees the comment and
// a notification about it.

type MyReports = z.infer<typeof MyReportList>;

/** A 1×1 PNG: the server sniffs evidence from its bytes. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const NARRATIVE_A = '城市道路改造已完成一期（自动化测试甲）';
const NARRATIVE_B = '项目前期手续办理中（自动化测试乙）';
const RETURN_COMMENT = '请补充完成值的数据来源';

function rowOf(sheet: ExcelJS.Worksheet, key: string): ExcelJS.Row {
  for (let r = 3; r <= sheet.rowCount; r++) if (sheet.getCell(r, 1).value === key) return sheet.getRow(r);
  throw new Error(`no template row with key ${key}`);
}

async function myReportsReady(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1, name: '进度填报' }).waitFor();
  await page.getByText(/^已填 \d+ \/ 共 \d+，已提交 \d+$/).waitFor();
  await settle(page);
}

/** 淇县's row of the dashboard's 各县区填报率 table: [name, x/y, %, late, returned]. */
async function districtRate(page: Page, baseUrl: string, orgId: string): Promise<{ cells: string[] }> {
  await page.goto(`${baseUrl}/dashboard`);
  const row = page.locator(`[data-testid="district-rate"][data-org-id="${orgId}"]`);
  await row.waitFor();
  return { cells: (await row.locator('th, td').allTextContents()).map((c) => c.trim()) };
}

describe('a month of reporting: Excel round trip, evidence, review, notification', () => {
  let server: RunningServer;
  let page: Page;
  let planId = '';
  let period: ReportingPeriod;
  let qixianOrgId = '';
  /** The rows 淇县 reports on this period (its my-reports list): the 填报率's denominator. */
  let expectedRows = 0;
  /** The two target rows 淇县 fills: [metric label, key]. */
  let picked: MyReports['items'] = [];
  let workbook: ExcelJS.Workbook;

  const journey = useJourney({ today: '2018-06-20', failureScreenshotPrefix: '49-failed-' });
  const { consoleErrors } = journey;

  beforeAll(() => {
    ({ server, page } = journey);
  });

  it('setup: the demo plan has an open period (the seed opens it; otherwise the office opens 2018年6月)', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    const api = await apiAs(page);
    const plans = await api.get<{ items: { id: string; status: string }[] }>('/api/plans');
    planId = plans.items.find((p) => p.status === 'active')?.id ?? '';
    expect(planId, 'an active demo plan').not.toBe('');
    let periods = (await api.get<{ items: ReportingPeriod[] }>(`/api/plans/${planId}/periods`)).items;
    if (!periods.some((p) => p.status === 'open')) {
      const created = await api.send('POST', `/api/plans/${planId}/periods`, { start: '2018-06-01', open: true });
      expect(created.status(), await created.text()).toBe(201);
      periods = (await api.get<{ items: ReportingPeriod[] }>(`/api/plans/${planId}/periods`)).items;
    }
    const open = periods.filter((p) => p.status === 'open').at(-1);
    expect(open?.start).toBe('2018-06-01');
    period = open as ReportingPeriod;
    await signOut(page);
  });

  it('淇县 downloads its template, uploads it with a bad value, sees the error by row, fixes it and saves drafts', async () => {
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    const api = await apiAs(page);
    qixianOrgId = api.session.user.orgId;
    const mine = await api.get<MyReports>(`/api/periods/${period.id}/my-reports`);
    expectedRows = mine.items.length;
    picked = mine.items.filter((r) => r.targetId !== null && r.report === null).slice(0, 2);
    expect(picked.length, '淇县 reports on at least two targets').toBe(2);

    await page.getByRole('navigation').getByRole('link', { name: '进度填报' }).click();
    await myReportsReady(page);
    await expect(page.getByText('已填 0 /').count()).resolves.toBe(1);
    await screenshot(page, '40-qixian-my-reports');
    await expectNoSevereAxe(page, 'my reports');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /下载填报模板/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = readFileSync(await download.path());
    workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('填报');
    expect(sheet, 'the template’s 填报 sheet').toBeDefined();
    const [a, b] = picked.map((r) => rowOf(sheet as ExcelJS.Worksheet, `${r.taskId}/${r.targetId}`));
    a.getCell('G').value = 5;
    a.getCell('H').value = 150; // out of range: 完成率% is 0–100
    a.getCell('I').value = '正常推进';
    a.getCell('J').value = NARRATIVE_A;
    b.getCell('G').value = 1;
    b.getCell('H').value = 20;
    b.getCell('J').value = NARRATIVE_B;
    const badFile = Buffer.from(await workbook.xlsx.writeBuffer());

    await page.getByRole('button', { name: /上传填报表/ }).click();
    const dialog = page.getByRole('dialog', { name: '上传填报表' });
    await dialog.waitFor();
    await dialog.locator('input[type="file"]').setInputFiles({
      name: '进展填报表.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: badFile,
    });
    await dialog.getByText('已填 2 行：无误 1 行，有错误 1 行').waitFor();
    const errorRow = dialog.locator('.reporting-upload-errors .ant-table-row').first();
    await expect(errorRow.textContent()).resolves.toContain(String(a.number));
    await expect(errorRow.textContent()).resolves.toContain('完成率%应在 0 到 100 之间');
    await expect(errorRow.locator('td').nth(1).textContent()).resolves.toBe('H');
    expect(await dialog.getByRole('button', { name: /保存为草稿/ }).isDisabled()).toBe(true);
    await settle(page);
    await screenshot(page, '41-qixian-upload-preview-errors');
    await expectNoSevereAxe(page, 'upload preview with errors');

    // Fix the file and upload it again.
    a.getCell('H').value = 60;
    const goodFile = Buffer.from(await workbook.xlsx.writeBuffer());
    await dialog.getByRole('button', { name: '重新选择文件' }).click();
    await dialog.locator('input[type="file"]').setInputFiles({
      name: '进展填报表（改）.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: goodFile,
    });
    await dialog.getByText('全部无误，可以保存为草稿。').waitFor();
    const save = dialog.getByRole('button', { name: /保存为草稿/ });
    expect(await save.isDisabled()).toBe(false);
    await save.click();
    await dialog.getByText('已保存 2 份草稿。请核对后提交。').waitFor();
    await dialog
      .getByRole('button', { name: /关\s?闭/ })
      .first()
      .click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(/^已填 2 \/ 共 \d+，已提交 0$/).waitFor();
    const after = await api.get<MyReports>(`/api/periods/${period.id}/my-reports`);
    const saved = after.items.filter((r) => picked.some((p) => p.taskId === r.taskId && p.targetId === r.targetId));
    expect(saved.map((r) => [r.report?.status, r.report?.value, r.report?.completionPercent])).toEqual([
      ['draft', 5, 60],
      ['draft', 1, 20],
    ]);
  });

  it('淇县 attaches a photo to one report in the form, then submits both drafts at once', async () => {
    const first = picked[0];
    await page
      .getByRole('button', { name: `填报：${first.metric}` })
      .first()
      .click();
    const drawer = page.getByRole('dialog', { name: `填报：${first.metric}` });
    await drawer.getByText('点击或拖入文件上传证明材料').waitFor();
    await drawer
      .locator('.reporting-evidence input[type="file"]')
      .setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
    const link = drawer.getByRole('link', { name: '下载证明材料：现场照片.png' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^\/api\/evidence\//);
    await settle(page);
    await screenshot(page, '42-qixian-report-form-evidence');
    await expectNoSevereAxe(page, 'report form with evidence');
    // A refused type is said in Chinese.
    await drawer
      .locator('.reporting-evidence input[type="file"]')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await drawer.getByText(/文件类型不支持/).waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: '提交全部草稿' }).click();
    const confirm = page.getByRole('dialog', { name: '提交全部草稿？' });
    await confirm.getByText('将提交 2 份已填完的草稿', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: /^提\s?交$/ }).click();
    await confirm.getByText('已提交 2 份').waitFor();
    await confirm
      .getByRole('button', { name: /关\s?闭/ })
      .last()
      .click();
    await page.getByText(/^已填 2 \/ 共 \d+，已提交 2$/).waitFor();
  });

  it('the office reviews 淇县’s reports (orgId filter): approves one, returns the other with a comment', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    // 总览: 淇县's 填报率 counts its two submissions; its row opens the review queue narrowed to it.
    const rate = await districtRate(page, server.baseUrl, qixianOrgId);
    expect(rate.cells[1]).toBe(`2/${expectedRows}`);
    expect(rate.cells[2]).toBe(`${Math.floor(200 / expectedRows)}%`);
    await page.getByRole('link', { name: `淇县政府：已报 2 / 应报 ${expectedRows}，填报率 ${rate.cells[2]}，打开审核队列` }).click();
    await page.waitForURL((url) => url.pathname === '/reviews' && url.searchParams.get('orgId') === qixianOrgId);
    expect(new URL(page.url()).searchParams.get('periodId')).toBe(period.id);
    await page.getByRole('heading', { level: 1, name: '审核' }).waitFor();
    await page.getByText('仅显示：淇县政府').waitFor();
    const rowA = page.locator('.ant-table-row', { hasText: NARRATIVE_A });
    const rowB = page.locator('.ant-table-row', { hasText: NARRATIVE_B });
    await rowA.waitFor();
    await rowB.waitFor();
    await rowA.getByRole('link', { name: '下载证明材料：现场照片.png' }).waitFor();
    await settle(page);
    await screenshot(page, '43-admin-review-queue');
    await expectNoSevereAxe(page, 'review queue');

    await rowA.getByRole('button', { name: /^通过：/ }).click();
    await rowA.waitFor({ state: 'detached' });
    await rowB.getByRole('button', { name: /^退回：/ }).click();
    const dialog = page.getByRole('dialog', { name: '退回报告' });
    await dialog.getByLabel('退回意见').fill(RETURN_COMMENT);
    await dialog.getByRole('button', { name: /^退\s?回$/ }).click();
    await rowB.waitFor({ state: 'detached' });
    await page.getByText('没有待审核的报告。').waitFor();
  });

  it('淇县 sees the returned report with the comment, and a notification about it', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    const bell = page.getByRole('link', { name: /^消息，\d+ 条未读$/ });
    await bell.waitFor();
    await bell.click();
    await page.getByRole('heading', { level: 1, name: '消息' }).waitFor();
    const item = page.locator('.notifications-item.is-unread').filter({ hasText: /退回/ }).first();
    await item.waitFor();
    // The office's 已通过/已退回 toasts may still be fading out from before the sign-out.
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 10_000 });
    await settle(page);
    await screenshot(page, '44-qixian-notifications');
    await expectNoSevereAxe(page, 'notifications');

    await item.click();
    await page.waitForURL((url) => url.pathname !== '/notifications');
    if (!new URL(page.url()).pathname.startsWith('/reports'))
      await page.goto(`${server.baseUrl}/reports?planId=${planId}&periodId=${period.id}`);
    await myReportsReady(page);
    await page.getByText(`退回意见：${RETURN_COMMENT}`).waitFor();
    await page.getByText('已通过').first().waitFor();
    await page.getByText('已退回').first().waitFor();
    await screenshot(page, '45-qixian-returned');

    const api = await apiAs(page);
    const list = await api.get<{ items: { title: string; readAt: string | null; link: string | null }[]; unread: number }>(
      '/api/notifications',
    );
    expect(list.items.some((n) => n.readAt !== null)).toBe(true);

    // 全部标为已读 clears the page's dots and the bell's count.
    await page.getByRole('link', { name: /^消息，\d+ 条未读$/ }).click();
    await page.getByRole('heading', { level: 1, name: '消息' }).waitFor();
    await page.getByRole('button', { name: '全部标为已读' }).click();
    await page.getByText('未读 0 条').waitFor();
    await page.getByRole('link', { name: '消息', exact: true }).waitFor();
    expect(await page.locator('.notifications-item.is-unread').count()).toBe(0);
  });

  it('the dashboard’s 填报率 for 淇县 went from 2 submitted to 1, with 1 returned', async () => {
    // The returned report no longer counts until 淇县 resubmits it; every other district is untouched.
    const rate = await districtRate(page, server.baseUrl, qixianOrgId);
    expect(rate.cells[1]).toBe(`1/${expectedRows}`);
    expect(rate.cells[4]).toBe('1');
    const others = page.locator(`[data-testid="district-rate"]:not([data-org-id="${qixianOrgId}"])`);
    expect(await others.count()).toBeGreaterThanOrEqual(6);
    for (const text of await others.locator('td:first-of-type').allTextContents()) expect(text).toMatch(/^0\//);
    await screenshot(page, '46-qixian-dashboard-rate');
  });

  it('left no console errors', () => {
    // Logged by the browser as failed loads: the refused evidence upload (415), /auth/me after sign-out (401).
    expect(consoleErrors.filter((e) => !/favicon|status of (401|415)/.test(e))).toEqual([]);
  });
});
