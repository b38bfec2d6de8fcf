import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import { formatViolations, ROOT, type RunningServer, runAxe, SCREENSHOT_DIR, screenshot, settle, useJourney } from './harness.ts';

const PLAN_TITLE = '鹤壁市2018年度百城建设提质工程工作实施方案';

describe('smoke: sign in, read the Hebi plan, organisations', () => {
  let server: RunningServer;
  let page: Page;

  const journey = useJourney();
  const { consoleErrors } = journey;

  beforeAll(() => {
    ({ server, page } = journey);
  });

  it('sends an anonymous visitor to the login page and explains a wrong password', async () => {
    await page.goto(`${server.baseUrl}/plans`);
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await screenshot(page, '01-login');
    // The guard asked who is signed in before it sent us here: "nobody" is an answer (200), not a
    // failed request the browser logs as a console error.
    expect(consoleErrors, 'an anonymous visit logs no console error').toEqual([]);

    await page.getByLabel('用户名').fill(DEMO_CREDENTIALS.admin.username);
    await page.getByLabel('密码', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    const alert = page.getByRole('alert').filter({ hasText: '用户名或密码错误' });
    await alert.waitFor();
    await screenshot(page, '02-login-wrong-password');
  });

  it('signs in as admin and lists the Hebi plan', async () => {
    await page.getByLabel('密码', { exact: true }).fill(DEMO_CREDENTIALS.admin.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/plans');
    await page.getByRole('link', { name: PLAN_TITLE }).waitFor();
    await settle(page);
    await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '账号管理' }).count()).resolves.toBe(1);
    await screenshot(page, '03-plans');
  });

  it('opens the plan: outline tree and 27 tasks, paged through the API', async () => {
    await page.getByRole('link', { name: PLAN_TITLE }).click();
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}/);
    const tree = page.getByRole('tree');
    await tree.getByText('重点任务').first().waitFor();
    await expect(tree.getByText('完善市政基础设施,增强综合承载能力').count()).resolves.toBeGreaterThan(0);

    const table = page.getByRole('table').last();
    await page.getByText('共 27 条').waitFor();
    await expect(table.locator('tbody tr.ant-table-row').count()).resolves.toBe(20);
    await page.getByText('27 项任务').waitFor();
    await settle(page);
    await screenshot(page, '04-plan-page');
    // A shorter shot of the same page for the README.
    await page.screenshot({ path: join(SCREENSHOT_DIR, '04-plan-page-readme.png'), clip: { x: 0, y: 0, width: 1440, height: 640 } });
    // The README's picture is refreshed on request only: a test run must not dirty the checkout.
    if (process.env.UPDATE_DOC_IMAGES === '1') {
      mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
      copyFileSync(join(SCREENSHOT_DIR, '04-plan-page-readme.png'), join(ROOT, 'docs/images/plan-page.png'));
    }

    await page.locator('.ant-pagination-item-2').click();
    await page.waitForURL(/page=2/);
    // The previous page stays on screen until the next one arrives (no flash of an empty table).
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count(), { timeout: 10_000 }).toBe(7);
    const seqs = await table.locator('tbody tr.ant-table-row td:first-child').allTextContents();
    expect(seqs.map(Number)).toEqual([21, 22, 23, 24, 25, 26, 27]);
  });

  it('narrows the task list to a section of the outline', async () => {
    await page.getByRole('tree').getByText('改善城市道路环境,提高交通出行效率').click();
    await page.waitForURL(/section=/);
    await page.getByRole('heading', { level: 2, name: /改善城市道路环境/ }).waitFor();
    const rows = page.getByRole('table').last().locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeLessThan(27);
    await expect(rows.count()).resolves.toBeGreaterThan(0);
    await settle(page);
    await screenshot(page, '05-plan-section');
  });

  it('has no serious or critical axe violations on the plan page', async () => {
    await page.getByRole('tree').getByText('全部任务').click();
    await page.getByText('共 27 条').waitFor();
    const violations = await runAxe(page);
    const severe = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (violations.length) console.info(`axe (plan page):\n${formatViolations(violations)}`);
    expect(severe, formatViolations(severe)).toEqual([]);
  });

  it('lists 淇县 on the organisations page', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '组织机构' }).click();
    await page.waitForURL('**/organisations');
    // The registry names it 淇县政府 with 淇县 among its aliases; the page holds all 43 in one page.
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: '淇县政府', exact: true }) });
    await row.waitFor();
    await expect(row.getByRole('cell', { name: /(^|、)淇县($|、)/ }).count()).resolves.toBe(1);
    await settle(page);
    await screenshot(page, '06-organisations');

    await page.getByLabel('搜索名称或别名').fill('淇县');
    await page.getByLabel('搜索名称或别名').press('Enter');
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count(), { timeout: 10_000 }).toBe(1);
    await row.waitFor();
    const violations = await runAxe(page);
    if (violations.length) console.info(`axe (organisations):\n${formatViolations(violations)}`);
    expect(
      violations.filter((v) => v.impact === 'critical'),
      formatViolations(violations),
    ).toEqual([]);
  });

  it('edits an organisation; a stale version gets a clear 409 message and the latest row', async () => {
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: '淇县政府', exact: true }) });
    await row.getByRole('button', { name: '编辑 淇县政府' }).click();
    const dialog = page.getByRole('dialog', { name: '编辑机构' });
    await dialog.waitFor();

    // Someone else saves first: same API, same session, so the dialog's version is now stale.
    const changed = await page.evaluate(async () => {
      const me = await (await fetch('/api/auth/me')).json();
      const list = await (await fetch('/api/organisations?q=淇县')).json();
      const org = list.items.find((o: { name: string }) => o.name === '淇县政府');
      const res = await fetch(`/api/organisations/${org.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ version: org.version, aliases: [...org.aliases, '淇县县政府'] }),
      });
      return res.status;
    });
    expect(changed).toBe(200);

    await dialog.getByLabel('行政区划代码').fill('410622');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByRole('alert').filter({ hasText: '该机构已被他人修改' }).waitFor();
    await dialog.getByText('淇县县政府').waitFor();
    await screenshot(page, '07a-organisation-conflict');

    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByRole('cell', { name: /淇县县政府/ }).waitFor();
  });

  it('shows accounts to the admin and switches to English', async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '账号管理' }).click();
    await page.waitForURL('**/accounts');
    await page.getByRole('cell', { name: DEMO_CREDENTIALS.unit.username, exact: true }).waitFor();
    await settle(page);
    await screenshot(page, '07-accounts');

    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Plans', exact: true }).click();
    await page.getByRole('link', { name: PLAN_TITLE }).click();
    await page.getByText('27 in total').waitFor();
    await settle(page);
    await screenshot(page, '08-plan-page-en');
    await page.getByRole('button', { name: /中文/ }).click();
    await page.getByText('共 27 条').waitFor();
  });

  it('logs out back to the login page, and logged no errors in the console', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL('**/login');
    await page.goto(`${server.baseUrl}/organisations`);
    await page.waitForURL('**/login');
    // The wrong password's 401 (and a data request the sign-out overtook) are expected network errors.
    const unexpected = consoleErrors.filter((e) => !/401|Failed to load resource/.test(e));
    expect(unexpected).toEqual([]);
  });

  it('a unit account sees no account admin and can narrow the plan to its own tasks', async () => {
    await page.getByLabel('用户名').fill(DEMO_CREDENTIALS.unit.username);
    await page.getByLabel('密码', { exact: true }).fill(DEMO_CREDENTIALS.unit.password);
    await page.getByRole('button', { name: '登录' }).click();
    // Back to where the guard found us (/organisations), signed in as the 淇县 liaison.
    await page.waitForURL('**/organisations');
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link', { name: '计划', exact: true }).waitFor();
    await expect(nav.getByRole('link', { name: '账号管理' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: '新建机构' }).count()).resolves.toBe(0);

    await page.goto(`${server.baseUrl}/accounts`);
    await page.getByText('没有权限').waitFor();

    await page.goto(`${server.baseUrl}/plans`);
    await page.getByRole('link', { name: PLAN_TITLE }).click();
    await page.getByText('共 27 条').waitFor();
    // By keyboard: type to search, Enter picks the first match. (淇县 itself is in all 27 tasks
    // through the 各县区政府 group, so filter by a department that leads a few.)
    await page.getByLabel('按单位筛选').fill('公安');
    await page.locator('.ant-select-item-option-active', { hasText: '市公安局' }).waitFor();
    await page.getByLabel('按单位筛选').press('Enter');
    await page.waitForURL(/org=/);
    await expect.poll(async () => Number((await page.getByText(/^共 \d+ 条$/).textContent())?.match(/\d+/)?.[0])).toBeLessThan(27);
    // Rows where it is named, and rows where a group it belongs to is (市直有关单位).
    const rows = page.getByRole('table').last().locator('tbody tr.ant-table-row');
    await expect(rows.filter({ hasText: '市公安局' }).count()).resolves.toBeGreaterThan(0);
    await settle(page);
    await screenshot(page, '09-plan-unit-filter');
  });
});
