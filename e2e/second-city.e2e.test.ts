import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Organisation } from '../src/shared/schemas/organisation.schema.ts';
import type { PlanDetail, SectionNode, Task } from '../src/shared/schemas/plan.schema.ts';
import type { ProgressReport, ReportingPeriod } from '../src/shared/schemas/reporting.schema.ts';
import { apiAs, ROOT, type RunningServer, screenshot, settle, signIn, signOut, useJourney } from './harness.ts';

// Issue 11, "Tests and measures": a second city runs its own plan. An empty installation (no demo)
// loads 许昌's registry, imports 许昌's 实施方案 (a fixture in the genre, not the seed), maps the
// mention "各区政府" to a new group of the two districts created in the review, confirms, renames
// a section and moves a task in the plan editor, enables reporting (保存并启用 opens the period
// containing today), and a district reports a row. No screen may say 鹤壁 or 百城.

const FIXTURES = join(ROOT, 'test/fixtures/second-city');
const PLAN_FILE = join(FIXTURES, 'xuchang-2019-chengshi-pinzhi.txt');
const PLAN_TITLE = '许昌市2019年城市品质提升工作实施方案';
const ADMIN = { username: 'admin', password: 'e2e-admin-second-city-2019' };
const WEIDU = { username: 'weidu', password: 'e2e-weidu-2019-report' };
const GROUP = '各区政府';
const HEBI_WORDS = /鹤壁|百城/;

function flatten(nodes: SectionNode[]): SectionNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

describe('a second city runs its own plan', () => {
  let server: RunningServer;
  let page: Page;
  let planId = '';
  let orgs: Organisation[] = [];
  let period: ReportingPeriod;
  /** Per screen, the Hebi wording found on it (asserted empty at the end, so every step still runs). */
  const hebiWording: { screen: string; matches: string[] }[] = [];

  const journey = useJourney({ demo: false, adminPassword: ADMIN.password, today: '2019-06-20' });

  beforeAll(() => {
    ({ server, page } = journey);
  });

  /** Screenshot plus the Hebi-wording check of what is on screen. */
  async function capture(name: string): Promise<void> {
    await settle(page);
    await screenshot(page, name);
    // innerText on purpose: what the screen shows (textContent would add hidden nodes' text).
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered, visible text is what is checked
    const text = await page.evaluate(() => document.body.innerText);
    const matches = text.split('\n').filter((line) => HEBI_WORDS.test(line));
    hebiWording.push({ screen: name, matches });
  }

  it('the office signs in to an empty installation, loads 许昌’s registry and a district account', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await capture('s01-login');
    await signIn(page, server.baseUrl, ADMIN);
    const api = await apiAs(page);
    const registry = JSON.parse(readFileSync(join(FIXTURES, 'xuchang-orgs.json'), 'utf8')) as unknown;
    const res = await api.send('POST', '/api/organisations/registry', registry);
    expect(res.status(), await res.text()).toBe(200);
    orgs = (await api.get<{ items: Organisation[] }>('/api/organisations?limit=500')).items;
    const weidu = orgs.find((o) => o.name === '魏都区政府')!;
    expect(weidu).toBeDefined();
    const user = await api.send('POST', '/api/users', { ...WEIDU, displayName: '魏都区填报员', orgId: weidu.id, role: 'unit' });
    expect(user.status(), await user.text()).toBe(201);
  });

  it('imports 许昌’s plan; the one unknown mention "各区政府" becomes a new group of the two districts', async () => {
    await page.goto(`${server.baseUrl}/imports/new`);
    await page.getByRole('heading', { level: 1, name: '导入计划' }).waitFor();
    await page.locator('input[type=file]').setInputFiles(PLAN_FILE);
    await page.getByText('xuchang-2019-chengshi-pinzhi.txt').first().waitFor();
    const created = page.waitForResponse((r) => r.url().endsWith('/api/plan-imports') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '识别并核对' }).click();
    expect((await created).status()).toBe(201);
    await page.getByRole('heading', { level: 1, name: new RegExp(`核对导入.*${PLAN_TITLE}`) }).waitFor();

    const panel = page.locator('.unresolved-panel');
    await expect(panel.getByRole('heading', { level: 2 }).textContent()).resolves.toMatch(/^1 个单位名称待对应/);
    await panel.getByText(GROUP, { exact: true }).waitFor();
    await panel.getByRole('button', { name: '新建单位' }).click();
    // "各…" reads as a group: the kind is preset and the members are chosen right here.
    await panel.getByText('单位组', { exact: true }).waitFor();
    await expect(panel.getByRole('button', { name: '新建并对应' }).isDisabled()).resolves.toBe(true);
    const members = panel.getByRole('combobox', { name: `“${GROUP}”包含的成员单位` });
    for (const name of ['魏都区政府', '建安区政府']) {
      await members.click();
      await members.fill(name.slice(0, 3));
      await page.locator('.ant-select-item-option', { hasText: name }).click();
    }
    await page.keyboard.press('Escape');
    await capture('s02-import-new-group');
    const mapped = page.waitForResponse((r) => /\/api\/plan-imports\/[^/]+\/mappings$/.test(r.url()));
    await panel.getByRole('button', { name: '新建并对应' }).click();
    expect((await mapped).status()).toBe(200);
    await expect.poll(() => panel.getByRole('heading', { level: 2 }).textContent(), { timeout: 10_000 }).toMatch(/^1 个单位名称均已对应/);

    const api = await apiAs(page);
    const group = (await api.get<{ items: Organisation[] }>('/api/organisations?limit=500')).items.find((o) => o.name === GROUP)!;
    expect(group.kind).toBe('group');
    const memberNames = group.memberIds.map((id) => orgs.find((o) => o.id === id)?.name).sort();
    expect(memberNames).toEqual(['建安区政府', '魏都区政府'].sort());

    const confirm = page.getByRole('button', { name: '确认导入' });
    await expect.poll(() => confirm.isEnabled(), { timeout: 10_000 }).toBe(true);
    await capture('s03-import-mapped');
    const confirmed = page.waitForResponse((r) => /\/api\/plan-imports\/[^/]+\/confirm$/.test(r.url()));
    await confirm.click();
    const result = await confirmed;
    expect(result.status(), await result.text()).toBe(200);
    expect(((await result.json()) as { taskCount: number }).taskCount).toBe(8);
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}/);
    planId = new URL(page.url()).pathname.split('/')[2]!;
    await page.getByRole('heading', { level: 1, name: PLAN_TITLE }).waitFor();
    await capture('s04-plan');

    // One ledger row per member for a task assigned to the group.
    const ledger = await api.get<{ rows: { seq: number; responsible: { name: string } | null }[] }>(`/api/ledger?planId=${planId}`);
    expect(
      ledger.rows
        .filter((r) => r.seq === 1)
        .map((r) => r.responsible?.name)
        .sort(),
    ).toEqual(['建安区政府', '魏都区政府'].sort());
  });

  it('the office renames a section and moves a task to another section in the plan editor', async () => {
    await page.getByRole('button', { name: '编辑方案' }).click();
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}\/edit$/);
    await page.getByRole('heading', { level: 1, name: `编辑方案：${PLAN_TITLE}` }).waitFor();
    await page.locator('.pse-task').first().waitFor();
    await capture('s05-editor');

    const api = await apiAs(page);
    const before = flatten((await api.get<PlanDetail>(`/api/plans/${planId}`)).sections);
    const third = before.find((s) => s.title === '加强城市精细化管理')!;
    expect(third.path).toEqual(['三', '(三)']);
    const row = page.locator(`.pse-section[data-section-id="${third.id}"]`);
    await row.getByRole('button', { name: '重命名' }).click();
    const input = row.getByRole('textbox', { name: '章节“三 (三)”的名称' });
    await input.fill('强化城市精细化管理');
    const renamed = page.waitForResponse((r) => r.url().endsWith(`/api/sections/${third.id}`) && r.request().method() === 'PATCH');
    await input.press('Enter');
    expect((await renamed).status()).toBe(200);
    await row.getByText('强化城市精细化管理', { exact: true }).waitFor();

    // 整治背街小巷 (task 7) moves into (一)提升市政设施水平: as that section's own task it comes first.
    const tasks = (await api.get<{ items: Task[] }>(`/api/plans/${planId}/tasks?limit=500`)).items;
    const alley = tasks.find((x) => x.text.includes('整治背街小巷'))!;
    expect(alley.seq).toBe(7);
    const first = before.find((s) => s.title === '提升市政设施水平')!;
    const sectionSelect = page.getByRole('combobox', { name: '任务 7 所属章节' });
    await sectionSelect.click();
    await sectionSelect.fill('提升市政');
    const moved = page.waitForResponse((r) => r.url().endsWith(`/api/tasks/${alley.id}/move`));
    await page.locator('.ant-select-item-option', { hasText: '(一) 提升市政设施水平' }).click();
    expect((await moved).status()).toBe(200);
    await page.getByRole('combobox', { name: '任务 1 所属章节' }).waitFor();
    const after = (await api.get<{ items: Task[] }>(`/api/plans/${planId}/tasks?limit=500`)).items;
    expect(after.find((x) => x.id === alley.id)).toMatchObject({ sectionId: first.id, seq: 1 });
    expect(after.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await page.locator(`.pse-task[data-task-id="${alley.id}"]`).getByText('第 1 项').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await capture('s06-editor-edited');
    // Each edit is in the task's history.
    const history = await api.get<{ items: { action: string }[] }>(`/api/tasks/${alley.id}/history`);
    expect(history.items.map((e) => e.action)).toContain('task.move');
  });

  it('the office enables reporting: 保存并启用 opens 2019年6月', async () => {
    await page.getByRole('navigation').getByRole('link', { name: '填报周期', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/periods');
    await page.getByRole('heading', { level: 2, name: '填报安排' }).waitFor();
    const save = page.getByRole('button', { name: '保存并启用' });
    await save.waitFor();
    await save.click();
    await page.getByText('填报安排已保存', { exact: true }).waitFor();
    await page
      .getByRole('row', { name: /2019年6月/ })
      .getByText('填报中')
      .waitFor();
    await capture('s07-periods');
    const api = await apiAs(page);
    const periods = await api.get<{ items: ReportingPeriod[] }>(`/api/plans/${planId}/periods`);
    period = periods.items.find((p) => p.label === '2019年6月')!;
    expect(period.status).toBe('open');
  });

  it('魏都区 reports its share of the road target and submits it', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, WEIDU);
    await page.getByRole('navigation').getByRole('link', { name: '进度填报' }).click();
    await page.getByRole('heading', { level: 1, name: '进度填报' }).waitFor();
    await page.getByText(/^已填 \d+ \/ 共 \d+，已提交 \d+$/).waitFor();
    await capture('s08-my-reports');
    const open = page.getByRole('button', { name: '填报：新建改造城市道路' }).first();
    await open.click();
    const drawer = page.getByRole('dialog', { name: '填报：新建改造城市道路' });
    await drawer.getByLabel(/^完成值/).fill('5');
    await drawer.getByLabel('进展情况').fill('魏都区已完成新建改造道路5公里，其余路段正在施工。');
    await capture('s09-report-form');
    const submitted = page.waitForResponse((r) => /\/api\/reports\/[^/]+\/submit$/.test(r.url()));
    await drawer.getByRole('button', { name: /^提\s?交$/ }).click();
    const res = await submitted;
    expect(res.status(), await res.text()).toBe(200);
    expect(((await res.json()) as ProgressReport).status).toBe('submitted');
    await page.getByText(/已提交 1$/).waitFor();
    await capture('s10-my-reports-submitted');
  });

  it('no screen shows 鹤壁 or 百城', () => {
    const found = hebiWording.filter((s) => s.matches.length > 0);
    expect(found, JSON.stringify(found, null, 1)).toEqual([]);
  });

  it('left no console errors', () => {
    expect(journey.consoleErrors).toEqual([]);
  });
});
