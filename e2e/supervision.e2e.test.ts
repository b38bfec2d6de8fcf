import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LedgerResponse } from '../src/shared/schemas/ledger.schema.ts';
import type { SupervisionNotice } from '../src/shared/schemas/supervision.schema.ts';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import {
  apiAs,
  expectNoSevereAxe,
  horizontalOverflow,
  type RunningServer,
  screenshot,
  settle,
  signIn,
  signOut,
  useJourney,
} from './harness.ts';

// 督办 end to end on the demo database: the office narrows the ledger to 淇县's rows and issues a
// notice on them from the ledger; 淇县 answers it with a photo; the office escalates it to 提醒 and
// closes it; 淇县 sees it closed with the step in its timeline. axe and 1280×720 on both screens.

const REASON = '淇县城市建设任务进度督办（e2e）';
const REQUIRED = '请于一周内书面报告整改措施和进展';
const ANSWER = '已召开专题会议部署整改，道路改造完成 80%。';
const NOTE = '请加快推进，按期办结';
const LATE_REASON = '浚县逾期未办结事项督办（e2e）';

// A 1×1 PNG: the server sniffs the bytes, so it must be a real one.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function noticeReady(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1, name: REASON }).waitFor();
  await page.getByRole('heading', { level: 2, name: '办理记录' }).waitFor();
  await settle(page);
}

async function openList(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: '督办', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/supervision');
  await page.getByRole('link', { name: REASON }).waitFor();
  await settle(page);
}

/** The list row of the e2e notice. */
const listRow = (page: Page) => page.locator('.supervision-table tr', { has: page.getByRole('link', { name: REASON }) });

describe('督办: issue from the ledger, answer, escalate, close', () => {
  let server: RunningServer;
  let page: Page;
  let noticeUrl = '';

  const journey = useJourney();
  const { consoleErrors } = journey;

  beforeAll(() => {
    ({ server, page } = journey);
  });

  it('the office issues a notice on 淇县政府’s rows from the filtered ledger', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    await page.goto(`${server.baseUrl}/ledger`);
    await page.locator('.ledger-table').waitFor();
    await page
      .getByText(/^共 \d+ 条/)
      .first()
      .waitFor();
    const select = page.getByLabel('责任单位/县区');
    await select.click();
    await select.fill('淇县');
    await page.locator('.ant-select-item-option', { hasText: '淇县政府' }).click();
    await page.waitForURL(/orgId=/);
    await settle(page);
    const count = Number(
      (
        await page
          .getByText(/^共 \d+ 条/)
          .first()
          .textContent()
      )?.match(/^共 (\d+) 条/)?.[1],
    );
    expect(count).toBeGreaterThan(0);

    await page.getByRole('button', { name: '督办', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '下发督办' });
    await dialog.waitFor();
    await dialog.getByText(`已选 ${Math.min(count, 200)} 行`).waitFor();
    await dialog.getByLabel('督办事项').fill(REASON);
    await dialog.getByLabel('要求').fill(REQUIRED);
    await settle(page);
    await screenshot(page, '50-supervision-issue-dialog');
    await expectNoSevereAxe(page, 'issue dialog');
    await dialog.getByRole('button', { name: '下发', exact: true }).click();

    await page.waitForURL(/\/supervision\/[0-9a-f-]{36}$/);
    noticeUrl = page.url();
    await noticeReady(page);
    const api = await apiAs(page);
    const notice = await api.get<SupervisionNotice>(`/api/supervision/${noticeUrl.split('/').pop()}`);
    expect(notice.status).toBe('open');
    expect(notice.rows.length).toBe(Math.min(count, 200));
    expect(new Set(notice.rows.map((r) => r.orgName))).toEqual(new Set(['淇县政府']));
    expect(notice.requiredAction).toBe(REQUIRED);
    await expect.poll(() => page.locator('.notice-page .notice-status').textContent()).toBe('待办理');
  });

  it('淇县 finds it under 督办 and answers it with a photo', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    await openList(page);
    await expect.poll(() => listRow(page).locator('.notice-status').textContent()).toBe('待办理');
    await screenshot(page, '51-supervision-inbox-qixian');
    await expectNoSevereAxe(page, 'supervision inbox');

    await page.getByRole('link', { name: REASON }).click();
    await noticeReady(page);
    await page.getByLabel('办理情况').fill(ANSWER);
    // A text file calling itself a PDF: the server sniffs the bytes and says no; the form shows why.
    await page
      .locator('.notice-upload input[type=file]')
      .setInputFiles({ name: '说明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf') });
    await page.locator('.notice-upload-errors li', { hasText: /^说明\.pdf：文件类型不符/ }).waitFor();
    await page.locator('.notice-upload input[type=file]').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
    // Uploaded at once; listed as done.
    await page.locator('.ant-upload-list-item-done', { hasText: '现场照片.png' }).waitFor();
    await settle(page);
    await screenshot(page, '52-supervision-answer-form');
    await expectNoSevereAxe(page, 'notice detail (unit, answering)');
    await page.getByRole('button', { name: '提交回复' }).click();

    const timeline = page.locator('.notice-timeline');
    await timeline.getByText('淇县政府 回复').waitFor();
    await timeline.getByText(ANSWER).waitFor();
    const link = timeline.getByRole('link', { name: '下载 现场照片.png' });
    await link.waitFor();
    // Only the accepted file went with the answer.
    expect(await timeline.getByRole('link', { name: /^下载 / }).count()).toBe(1);
    const download = await page.request.get(new URL((await link.getAttribute('href')) ?? '', page.url()).toString());
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(PNG)).toBe(true);
    await expect.poll(() => page.locator('.notice-page .notice-status').textContent()).toBe('已回复');
  });

  it('the office sees it answered, escalates it to 提醒 with a note, then closes it', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    // A second notice, to 浚县, long past its due date: the rules propose 提醒 for it. (The demo
    // runs on its own date, 2018-12-20, so "long past" is a 2018 date.)
    const api = await apiAs(page);
    const ledger = await api.get<LedgerResponse>('/api/ledger');
    const xunxian = ledger.rows.find((r) => r.responsible?.name === '浚县政府');
    expect(xunxian).toBeDefined();
    const late = await api.send('POST', '/api/supervision', {
      rows: [{ taskId: xunxian?.taskId, orgId: xunxian?.responsible?.id }],
      reason: LATE_REASON,
      requiredAction: '立即整改',
      dueDate: '2018-11-01',
    });
    expect(late.status()).toBe(201);

    await openList(page);
    await expect.poll(() => listRow(page).locator('.notice-status').textContent()).toBe('已回复');
    const lateRow = page.locator('.supervision-table tr', { has: page.getByRole('link', { name: LATE_REASON }) });
    expect(await lateRow.locator('.supervision-date-past').count()).toBe(1);
    const confirm = page.getByRole('button', { name: `确认将“${LATE_REASON}”升级为提醒` });
    await confirm.waitFor();
    await settle(page);
    await screenshot(page, '53-supervision-list-admin');
    await expectNoSevereAxe(page, 'supervision list (admin)');

    // 确认 records the proposed rung; the proposal goes (the unit now has 7 days before the next).
    await confirm.click();
    await expect.poll(() => lateRow.locator('.notice-step').textContent()).toBe('提醒');
    await confirm.waitFor({ state: 'detached' });

    // Issuing from here: rows are picked from the whole ledger by searching task text or unit.
    await page.getByRole('button', { name: '下发督办' }).click();
    const dialog = page.getByRole('dialog', { name: '下发督办' });
    await dialog.waitFor();
    const picker = dialog.getByLabel('督办的台账行');
    await picker.fill('浚县政府');
    const options = page.locator('.ant-select-item-option');
    await options.first().waitFor();
    expect(await options.first().textContent()).toContain('浚县政府');
    await options.first().click();
    await picker.fill('公交');
    await options.first().waitFor();
    await options.first().click();
    await dialog.getByText('下发督办', { exact: true }).click();
    expect(await dialog.locator('.ant-select-selection-item').count()).toBeGreaterThanOrEqual(2);
    await settle(page);
    await screenshot(page, '53b-supervision-issue-picker');
    await expectNoSevereAxe(page, 'issue dialog with row picker');
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The status filter in the URL narrows the list (the dashboard links here with it).
    await page.goto(`${server.baseUrl}/supervision?status=closed`);
    await page.getByText('没有符合条件的督办事项').waitFor();
    await page.goto(`${server.baseUrl}/supervision?status=answered&step=none`);
    await page.getByRole('link', { name: REASON }).waitFor();

    await page.getByRole('link', { name: REASON }).click();
    await noticeReady(page);
    // Only the next rung is offered.
    expect(await page.getByRole('button', { name: /^升级为/ }).allTextContents()).toEqual(['升级为提醒']);
    await page.getByLabel('升级为提醒').fill(NOTE);
    await page.getByRole('button', { name: '升级为提醒' }).click();
    await page.getByRole('button', { name: '升级为催办' }).waitFor();
    const timeline = page.locator('.notice-timeline');
    await timeline.getByText(NOTE).waitFor();

    await page.getByLabel('办结意见').fill('已按要求整改');
    await page.getByRole('button', { name: '办结', exact: true }).click();
    await page.getByRole('button', { name: '重新办理' }).waitFor();
    await expect.poll(() => page.locator('.notice-page .notice-status').textContent()).toBe('已办结');
    await settle(page);
    await screenshot(page, '54-supervision-detail-admin-closed');
    await expectNoSevereAxe(page, 'notice detail (admin)');
  });

  it('淇县 sees it 已办结 with the 提醒 step in the timeline, and can no longer answer', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    await openList(page);
    await expect.poll(() => listRow(page).locator('.notice-status').textContent()).toBe('已办结');
    await expect.poll(() => listRow(page).locator('.notice-step').textContent()).toBe('提醒');
    await page.getByRole('link', { name: REASON }).click();
    await noticeReady(page);
    const timeline = page.locator('.notice-timeline');
    await timeline.getByText('升级为提醒').waitFor();
    await timeline.getByText(NOTE).waitFor();
    await timeline.getByText('淇县政府 回复').waitFor();
    expect(await page.getByRole('button', { name: '提交回复' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '办结', exact: true }).count()).toBe(0);
    await screenshot(page, '55-supervision-detail-qixian-closed');
    await expectNoSevereAxe(page, 'notice detail (unit, closed)');
  });

  it('fits the list and the detail into 1280×720 without horizontal page overflow', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    try {
      for (const [url, name] of [
        [`${server.baseUrl}/supervision`, 'list'],
        [noticeUrl, 'detail'],
      ] as const) {
        await page.goto(url);
        if (name === 'list') await page.getByRole('link', { name: REASON }).waitFor();
        else await noticeReady(page);
        await settle(page);
        await screenshot(page, `56-supervision-${name}-1280x720`);
        const { overflow, offenders } = await horizontalOverflow(page);
        expect(overflow, `${name} overflows by ${overflow}px: ${offenders.join('; ')}`).toBeLessThanOrEqual(1);
      }
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('logged no unexpected errors in the console', () => {
    const unexpected = consoleErrors.filter((e) => !/401|Failed to load resource/.test(e));
    expect(unexpected).toEqual([]);
  });
});
