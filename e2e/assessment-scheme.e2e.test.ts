import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import { apiAs, expectNoSevereAxe, type RunningServer, SCREENSHOT_DIR, screenshot, settle, signIn, useJourney } from './harness.ts';

// 考核方案 through the form on the demo: an assessment under the demo scheme freezes it; the office
// opens it (read-only), takes a 新版本, lowers 良好's threshold after the form refuses one
// above 优秀's, moves a county into a new peer group, saves, and the server holds exactly that.

const SCHEME = '百城建设提质工程考核办法';

interface SchemeDto {
  id: string;
  familyId: string;
  name: string;
  revision: number;
  frozen: boolean;
  scheme: { tiers: { tiers: { label: string; min?: number }[] }; groups: { id: string; label: string; orgIds: string[] }[] };
}

/**
 * Picks an option of an antd multiple select by typing its name (the list is virtual: a unit far
 * down is not rendered until searched); the popup stays open after a pick, so Escape closes it.
 */
async function pickMember(page: Page, label: string, option: string): Promise<void> {
  const box = page.getByLabel(label, { exact: true });
  await box.click();
  await box.fill(option);
  const id = await box.getAttribute('id');
  const popup = page.locator('.ant-select-dropdown', { has: page.locator(`[id="${id}_list"]`) });
  await popup.locator('.ant-select-item-option', { hasText: option }).first().click();
  await page.keyboard.press('Escape');
  await popup.waitFor({ state: 'hidden' });
}

describe('考核方案: tiers and peer groups edited through the form', () => {
  let server: RunningServer;
  let page: Page;
  const journey = useJourney({ today: '2018-06-20', failureScreenshotPrefix: 'assessment-scheme-' });
  const { consoleErrors } = journey;

  beforeAll(() => {
    ({ server, page } = journey);
  });

  it('edits a tier threshold and a peer group in the form and sees them saved', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    const api = await apiAs(page);
    const schemes = async () => (await api.get<{ items: SchemeDto[] }>('/api/assessment-schemes')).items.filter((s) => s.name === SCHEME);
    // An assessment under the demo scheme freezes it (its rules are what that assessment used).
    const plans = await api.get<{ items: { id: string; status: string }[] }>('/api/plans');
    const run = await api.send('POST', '/api/assessments', {
      schemeId: (await schemes()).at(-1)!.id,
      planId: plans.items.find((p) => p.status === 'active')!.id,
      title: '2018年一季度考核（方案e2e）',
      start: '2018-01-01',
      end: '2018-03-31',
      objectionDays: 5,
    });
    expect(run.status(), await run.text()).toBe(201);
    const latest = (await schemes()).at(-1)!;
    expect(latest.frozen).toBe(true);
    const orgs = (await api.get<{ items: { id: string; name: string }[] }>('/api/organisations')).items;
    const counties = latest.scheme.groups[0]!;
    const moved = orgs.find((o) => o.id === counties.orgIds.at(-1))!;

    await page.getByRole('navigation').getByRole('link', { name: '考核', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/assessments');
    await page.getByRole('link', { name: '考核方案' }).click();
    await page.waitForURL((url) => url.pathname === '/assessments/schemes');
    await page.getByRole('heading', { level: 1, name: '考核方案' }).waitFor();
    await page.getByRole('region', { name: '等次' }).waitFor();

    // A revision an assessment used is read-only until copied into a new one.
    await page.getByText(/此版本已被考核使用，不能修改/).waitFor();
    expect(await page.getByLabel('第 2 个等次的最低分').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: '保存', exact: true }).isDisabled()).toBe(true);
    await settle(page);
    await screenshot(page, 'assessment-scheme-frozen');
    await page.getByRole('button', { name: '新版本' }).click();
    const revision = latest.revision + 1;
    await page.getByText(`已生成第 ${revision} 版，可以修改`).waitFor();
    await expect.poll(() => page.getByLabel('第 2 个等次的最低分').isDisabled()).toBe(false);

    // 良好 above 优秀 is refused as typed, with the rule's sentence; 83 is fine.
    const tiers = page.getByRole('region', { name: '等次' });
    const min = page.getByLabel('第 2 个等次的最低分');
    await min.fill('99');
    await min.blur();
    await tiers.getByText('最低分须从高到低：“良好”的 99 分应低于“优秀”的 95 分').waitFor();
    await min.fill('83');
    await min.blur();
    await expect.poll(() => tiers.getByRole('alert').count()).toBe(0);

    // A new peer group 城区 takes one county: the county is removed from 县区 first (a unit is in
    // one group only; while it is still there the new group's picker offers it disabled).
    const groups = page.getByRole('region', { name: '考核分组' });
    await groups.getByRole('button', { name: '添加分组' }).click();
    await groups.getByText('分组“新分组”至少要有一个单位').waitFor();
    await page.getByLabel('第 3 个分组的名称').fill('城区');
    const firstMembers = groups.locator('tr', { has: page.getByLabel('第 1 个分组的单位', { exact: true }) });
    await firstMembers.locator('.ant-select-selection-item', { hasText: moved.name }).locator('.ant-select-selection-item-remove').click();
    await pickMember(page, '第 3 个分组的单位', moved.name);
    await expect.poll(() => groups.getByRole('alert').count()).toBe(0);
    await settle(page);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/assessment-scheme-editor.png`, fullPage: true });
    await expectNoSevereAxe(page, 'scheme editor');

    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('方案已保存').waitFor();
    const saved = (await schemes()).find((s) => s.revision === revision)!;
    expect(saved.frozen).toBe(false);
    expect(saved.scheme.tiers.tiers.map((t) => [t.label, t.min])).toEqual([
      ['优秀', 95],
      ['良好', 83],
      ['合格', 70],
      ['不合格', undefined],
    ]);
    expect(saved.scheme.groups.map((g) => [g.label, g.orgIds.includes(moved.id)])).toEqual([
      ['县区', false],
      ['市直部门', false],
      ['城区', true],
    ]);
    expect(saved.scheme.groups[2]!.orgIds).toEqual([moved.id]);
    // The frozen revision an assessment used is untouched.
    expect((await schemes()).find((s) => s.id === latest.id)!.scheme).toEqual(latest.scheme);
    expect(consoleErrors).toEqual([]);
  });

  it('speaks English, the year-end weights checked as typed with the server’s sentence', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Assessment schemes' }).waitFor();
    const weights = page.getByRole('region', { name: 'Year-end weights' });
    await page.getByLabel('Year-end review').fill('50');
    await page.getByLabel('Year-end review').blur();
    await weights.getByText('The year-end weights must add up to 100% (now 110%)').waitFor();
    await weights.getByText('Total 110%').waitFor();
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isEnabled()).toBe(true);
    await weights.scrollIntoViewIfNeeded();
    await settle(page);
    await screenshot(page, 'assessment-scheme-editor-en');
    // Saving is refused in the form, before the server is asked.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('The scheme has errors and cannot be saved').first().waitFor();
    expect(consoleErrors).toEqual([]);
  });
});
