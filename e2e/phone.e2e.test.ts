import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupervisionNotice } from '../src/shared/schemas/supervision.schema.ts';
import { PROVINCE_DEMO_ACCOUNTS } from '../src/server/demo/demo-province.ts';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import { apiAs, horizontalOverflow, type RunningServer, screenshot, settle, signIn, signOut, useJourney } from './harness.ts';

// County staff report from their phones. The office issues a 督办 notice at the desk, typing its
// due date and pressing Enter (the typed date is the one issued; the default is the demo's today +
// 7, not the browser's calendar). Then at 390×844, 淇县 signs in, reads 进度填报 as cards, opens a
// row, fills it and attaches a photo through the camera input, submits it, answers the notice from
// its 督办 inbox and reads its notifications; no page scrolls sideways.

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1440, height: 900 };
const TODAY = '2018-06-20';
const TYPED_DUE = '2018-07-03';
const REASON = '手机端督办测试（e2e）';
const REQUIRED = '请拍照上报现场进展';
const ANSWER = '已到现场核查，照片见附件。';
const NARRATIVE = '现场施工已完成一半（手机填报）';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const { overflow, offenders } = await horizontalOverflow(page);
  expect(overflow, `${where} scrolls sideways by ${overflow}px: ${offenders.join(', ')}`).toBeLessThanOrEqual(1);
}

const SHENG = PROVINCE_DEMO_ACCOUNTS.find((a) => a.username === 'sheng')!;

describe('reporting from a phone (390×844)', () => {
  let server: RunningServer;
  let page: Page;
  const journey = useJourney({ today: TODAY });
  const { consoleErrors } = journey;

  beforeAll(() => {
    ({ server, page } = journey);
  });

  it("the office issues a 督办 notice: the due date defaults from the server's today and Enter issues the typed date", async () => {
    await page.setViewportSize(DESK);
    await page.goto(`${server.baseUrl}/login`);
    // The login page names the installation from its settings (the demo seeds them).
    await page.getByText('鹤壁市百城建设提质工程台账').first().waitFor();
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    await page.goto(`${server.baseUrl}/ledger`);
    await page.locator('.ledger-table').waitFor();
    const select = page.getByLabel('责任单位/县区');
    await select.click();
    await select.fill('淇县');
    await page.locator('.ant-select-item-option', { hasText: '淇县政府' }).click();
    await page.waitForURL(/orgId=/);
    await settle(page);
    await page.getByRole('button', { name: '督办', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '下发督办' });
    await dialog.waitFor();
    const due = dialog.getByLabel('办理时限');
    // LUOSHI_TODAY 2018-06-20 + 7 days, not the browser's 2026 calendar.
    await expect.poll(() => due.inputValue()).toBe('2018-06-27');
    await dialog.getByLabel('督办事项').fill(REASON);
    await dialog.getByLabel('要求').fill(REQUIRED);
    await due.fill(TYPED_DUE);
    await due.press('Enter');
    await page.waitForURL(/\/supervision\/[0-9a-f-]{36}$/);
    const api = await apiAs(page);
    const notice = await api.get<SupervisionNotice>(`/api/supervision/${page.url().split('/').pop()}`);
    expect(notice.dueDate).toBe(TYPED_DUE);
    expect(notice.reason).toBe(REASON);
    await signOut(page);
  });

  it('淇县 signs in on a phone and reads 进度填报 as cards, not a squeezed table', async () => {
    await page.setViewportSize(PHONE);
    await page.getByText('鹤壁市百城建设提质工程台账').first().waitFor();
    await settle(page);
    await screenshot(page, '80-phone-login');
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    await page.goto(`${server.baseUrl}/reports`);
    await page.getByRole('heading', { level: 1, name: '进度填报' }).waitFor();
    const cards = page.locator('.reporting-cards > .reporting-card');
    await cards.first().waitFor();
    await settle(page);
    expect(await cards.count()).toBeGreaterThan(0);
    expect(await page.locator('.reporting-page .ant-table').count()).toBe(0);
    // A card is readable: its name line is wider than a few characters.
    const nameWidth = await cards
      .first()
      .locator('.reporting-card-name')
      .evaluate((el) => el.getBoundingClientRect().width);
    expect(nameWidth).toBeGreaterThan(200);
    await expectNoSidewaysScroll(page, 'my reports');
    await screenshot(page, '81-phone-my-reports');
    await page.getByRole('button', { name: '主导航' }).click();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '进度填报' }).waitFor();
    await settle(page);
    await screenshot(page, '81b-phone-menu');
    // Tapping beside the menu closes it.
    await page.locator('.app-sider-backdrop').click({ position: { x: 360, y: 400 } });
    await page.locator('.app-sider-backdrop').waitFor({ state: 'detached' });
  });

  it('淇县 fills a row, attaches a photo from the camera input and submits it', async () => {
    const card = page.locator('.reporting-cards > .reporting-card', { has: page.getByRole('button', { name: /^填报：/ }) }).first();
    const name = (await card.locator('.reporting-card-name').textContent())?.trim() ?? '';
    await card.getByRole('button', { name: /^填报：/ }).click();
    const form = page.getByRole('form', { name: /填报/ });
    await form.waitFor();
    const drawer = page.locator('.ant-drawer-content-wrapper');
    // The drawer takes the whole phone width.
    expect(Math.round(await drawer.evaluate((el) => el.getBoundingClientRect().width))).toBe(PHONE.width);
    const value = form.getByLabel(/^完成值/);
    if (await value.count()) await value.fill('1');
    await form.getByLabel('进展情况').fill(NARRATIVE);
    // The camera input: image/* with capture, so the phone opens its camera.
    const camera = page.locator('.reporting-evidence-camera input[type=file]');
    expect(await camera.getAttribute('accept')).toBe('image/*');
    expect(await camera.getAttribute('capture')).toBe('environment');
    await camera.setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('.reporting-evidence-list a', { hasText: '现场照片.png' }).waitFor();
    await settle(page);
    await expectNoSidewaysScroll(page, 'report form');
    await screenshot(page, '82-phone-report-form');
    await form.getByRole('button', { name: '提交', exact: true }).click();
    await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
    const submitted = page.locator('.reporting-cards > .reporting-card', { hasText: name }).first();
    await submitted.getByText('已提交').first().waitFor();
    await settle(page);
    await screenshot(page, '83-phone-my-reports-submitted');
  });

  it('淇县 answers the 督办 notice from its inbox on the phone', async () => {
    // The navigation folds away on a phone; the header's menu button brings it over the page.
    const nav = page.getByRole('navigation', { name: '主导航' });
    await page.getByRole('button', { name: '主导航' }).click();
    await nav.getByRole('link', { name: '督办', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/supervision');
    // …and folds away again once a page is chosen.
    await expect.poll(() => page.locator('.app-sider-phone').evaluate((el) => el.getBoundingClientRect().width)).toBe(0);
    const card = page.locator('.supervision-cards > .supervision-card', { hasText: REASON });
    await card.waitFor();
    await settle(page);
    expect(await page.locator('.supervision-page .ant-table').count()).toBe(0);
    await expectNoSidewaysScroll(page, 'supervision inbox');
    await screenshot(page, '84-phone-supervision-inbox');
    await card.getByRole('link', { name: REASON }).click();
    await page.getByRole('heading', { level: 1, name: REASON }).waitFor();
    await page.getByLabel('办理情况').fill(ANSWER);
    await page.locator('.notice-upload input[type=file]').setInputFiles({ name: '整改照片.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('.ant-upload-list-item-done', { hasText: '整改照片.png' }).waitFor();
    await settle(page);
    await expectNoSidewaysScroll(page, 'notice answer');
    await screenshot(page, '85-phone-notice-answer');
    await page.getByRole('button', { name: '提交回复' }).click();
    await page.locator('.notice-timeline').getByText(ANSWER).waitFor();
    await expect.poll(() => page.locator('.notice-page .notice-status').textContent()).toBe('已回复');
    await settle(page);
    await screenshot(page, '86-phone-notice-answered');
  });

  it('淇县 reads its notifications on the phone', async () => {
    await page.locator('.notifications-bell').click();
    await page.waitForURL((url) => url.pathname === '/notifications');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByText(REASON).first().waitFor();
    await settle(page);
    await expectNoSidewaysScroll(page, 'notifications');
    await screenshot(page, '87-phone-notifications');
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  });

  it('the office renames the installation under 系统设置 and words a plan by its cities: the screens follow', async () => {
    await page.setViewportSize(DESK);
    await signOut(page);
    // The city's office reads the installation's names but does not change them: the root
    // (province) office does (issue 12).
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    await page.goto(`${server.baseUrl}/settings`);
    await page.getByRole('heading', { level: 1, name: '系统设置' }).waitFor();
    await page.getByText('由上级（省级）办公室统一设置').waitFor();
    expect(await page.getByLabel('系统名称').isDisabled()).toBe(true);
    await signOut(page);
    await signIn(page, server.baseUrl, { username: SHENG.username, password: SHENG.password });
    await page.goto(`${server.baseUrl}/settings`);
    await page.getByRole('heading', { level: 1, name: '系统设置' }).waitFor();
    const name = page.getByLabel('系统名称');
    await expect.poll(() => name.inputValue()).toBe('鹤壁市百城建设提质工程台账');
    await name.fill('某省重点工作台账');
    await page.getByLabel('牵头办公室').fill('省督查室');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').first().waitFor();
    await page.locator('.app-brand-text small', { hasText: '某省重点工作台账' }).waitFor();
    // The plan's wording is its own city's to change.
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    await page.goto(`${server.baseUrl}/settings`);
    await page.getByRole('heading', { level: 1, name: '系统设置' }).waitFor();
    const level = page.getByLabel(/^责任主体层级：/).first();
    await level.click();
    await page.locator('.ant-select-item-option', { hasText: '市（省级方案）' }).click();
    await page
      .getByText(/^已更新“/)
      .first()
      .waitFor();
    await page
      .locator('.settings-page .ant-select-content, .settings-page .ant-select-selection-item', { hasText: '市（省级方案）' })
      .first()
      .waitFor();
    await settle(page);
    await screenshot(page, '88-settings');
    await page.goto(`${server.baseUrl}/dashboard`);
    await page.getByText('各市推进情况').first().waitFor();
    expect(await page.getByText('各县区推进情况').count()).toBe(0);
    expect(await page.title()).toContain('某省重点工作台账');
  });
});
