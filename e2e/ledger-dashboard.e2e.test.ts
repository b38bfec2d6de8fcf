import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LedgerResponse, LedgerRow } from '../src/shared/schemas/ledger.schema.ts';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import {
  apiAs,
  collectTableRows,
  expectNoSevereAxe,
  horizontalOverflow,
  type RunningServer,
  SCREENSHOT_DIR,
  screenshot,
  settle,
  signIn,
  signOut,
  useJourney,
} from './harness.ts';

// Issue 4 journeys on the demo database (the Hebi 2018 plan, confirmed at start-up):
// the 淇县 liaison's "my work", the dashboard's overdue number against the ledger it opens,
// axe on the ledger, dashboard and task pages, and a 1280×720 pass without horizontal overflow.

/** The ledger's row count as it says it ("共 N 条" or "共 N 条（全部 M 条）"). */
async function ledgerCount(page: Page): Promise<number> {
  const text = await page
    .getByText(/^共 \d+ 条/)
    .first()
    .textContent();
  return Number(text?.match(/^共 (\d+) 条/)?.[1]);
}

/** Waits until the ledger shows rows (or its empty text) and no spinner. */
async function ledgerReady(page: Page): Promise<void> {
  await page.locator('.ledger-table').waitFor();
  await page
    .getByText(/^共 \d+ 条/)
    .first()
    .waitFor();
  await settle(page);
}

describe('ledger and dashboard on the demo plan', () => {
  let server: RunningServer;
  let page: Page;
  /** The ledger as the 淇县 liaison's session gets it from the API. */
  let rowsFromApi: LedgerRow[] = [];

  const journey = useJourney();
  const { consoleErrors } = journey;

  beforeAll(() => {
    ({ server, page } = journey);
  });

  describe('淇县 liaison (unit role)', () => {
    it('lands on "my work" with its own rows first', async () => {
      await page.goto(`${server.baseUrl}/login`);
      await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
      await page.waitForURL(/\/ledger\?(.*&)?mine=1/);
      await page.getByRole('heading', { level: 1, name: '我的工作' }).waitFor();
      await ledgerReady(page);
      await screenshot(page, '20-qixian-my-work');

      const api = await apiAs(page);
      rowsFromApi = (await api.get<LedgerResponse>('/api/ledger')).rows;
      const mineKeys = new Set(rowsFromApi.filter((r) => r.isMine).map((r) => r.key));
      expect(mineKeys.size).toBeGreaterThan(0);
      expect(mineKeys.size).toBeLessThan(rowsFromApi.length);

      // "My work": exactly the rows where 淇县 is the responsible unit (or a lead).
      const mine = await collectTableRows(page);
      expect(mine.length).toBe(await ledgerCount(page));
      expect(new Set(mine.map((r) => r.key))).toEqual(mineKeys);
      expect(mine.every((r) => r.cells.join(' ').includes('淇县政府'))).toBe(true);

      // The whole ledger: its own rows still come first, then everyone else's.
      await page.getByRole('switch', { name: '仅看我的' }).click();
      await page.waitForURL((url) => !url.searchParams.has('mine'));
      await page.getByRole('heading', { level: 1, name: '台账' }).waitFor();
      await expect.poll(() => ledgerCount(page)).toBe(rowsFromApi.length);
      const all = await collectTableRows(page);
      expect(all.length).toBe(rowsFromApi.length);
      const firstNotMine = all.findIndex((r) => !mineKeys.has(r.key));
      const lastMine = all.findLastIndex((r) => mineKeys.has(r.key));
      expect(lastMine, 'the last own row comes before the first row of another unit').toBeLessThan(firstNotMine);
      await settle(page);
      await screenshot(page, '20b-qixian-whole-ledger');
    });

    it('sees no edit action on a 浚县 row, nor on tasks it shares with other counties', async () => {
      // Narrow the table to 浚县 so that its rows are on screen (the table is virtualised).
      const select = page.getByLabel('责任单位/县区');
      await select.click();
      await select.fill('浚县');
      await page.locator('.ant-select-item-option', { hasText: '浚县政府' }).click();
      await page.waitForURL(/orgId=/);
      await settle(page);
      const shown = await collectTableRows(page);
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((r) => r.cells.join(' ').includes('浚县政府'))).toBe(true);
      await screenshot(page, '21-qixian-xunxian-rows');
      const editOnXunxian = await page.getByRole('button', { name: /^修改第 \d+ 项（浚县政府）的状态$/ }).count();
      expect(editOnXunxian, 'edit buttons shown to 淇县 on 浚县 rows').toBe(0);
      const xunxian = rowsFromApi.filter((r) => r.responsible?.name === '浚县政府');
      expect(
        xunxian.filter((r) => r.canEdit).map((r) => r.seq),
        '浚县 rows the API marks editable for 淇县',
      ).toEqual([]);

      // In the Hebi plan 淇县 shares every task with other counties (各县区政府, or a list of four),
      // so a task's status is not 淇县's alone to set: no row offers it, and the API agrees.
      await page.getByRole('button', { name: '清除筛选' }).click();
      await page.waitForURL((url) => !url.searchParams.has('orgId'));
      await settle(page);
      expect(
        rowsFromApi.filter((r) => r.canEdit).map((r) => r.seq),
        'rows the API marks editable for 淇县',
      ).toEqual([]);
      expect(await page.getByRole('button', { name: /^修改第 \d+ 项（.+）的状态$/ }).count()).toBe(0);
    });

    it('is refused by the API when it writes a task or target not assigned to 淇县', async () => {
      const api = await apiAs(page);
      const qixianOrgId = api.session.user.orgId;
      // A task with no 淇县 responsibility at all (directly or through a group): 403.
      const foreign = rowsFromApi.find(
        (r) =>
          !rowsFromApi.some((o) => o.taskId === r.taskId && o.responsible?.id === qixianOrgId) && !r.lead.some((l) => l.id === qixianOrgId),
      );
      expect(foreign, 'a task 淇县 is not assigned to').toBeDefined();
      const task = await api.get<{
        id: string;
        version: number;
        targets: { id: string; version: number; jurisdictionOrgId: string | null }[];
      }>(`/api/tasks/${foreign!.taskId}`);
      const patchTask = await api.send('PATCH', `/api/tasks/${task.id}`, { version: task.version, status: 'done' });
      expect(patchTask.status()).toBe(403);
      expect((await patchTask.json()).code).toBe('forbidden');

      const target = task.targets.find((t) => t.jurisdictionOrgId !== qixianOrgId);
      if (target) {
        const patchTarget = await api.send('PATCH', `/api/targets/${target.id}`, { version: target.version });
        expect(patchTarget.status()).toBe(403);
      }
      // The refusal changed nothing.
      const after = await api.get<{ version: number; status: string }>(`/api/tasks/${task.id}`);
      expect(after.version).toBe(task.version);
    });
  });

  describe("淇县 liaison and another county's target", () => {
    it('is refused by the API when it writes a target whose jurisdiction is 浚县', async () => {
      const api = await apiAs(page);
      const xunxianTargets = rowsFromApi.flatMap((r) =>
        r.targets.filter((t) => t.jurisdictionOrgId && t.jurisdictionOrgId === r.responsible?.id && r.responsible?.name === '浚县政府'),
      );
      expect(xunxianTargets.length, 'a target assigned to 浚县').toBeGreaterThan(0);
      const target = xunxianTargets[0];
      const current = await api.get<{ targets: { id: string; version: number }[] }>(
        `/api/tasks/${rowsFromApi.find((r) => r.targets.some((t) => t.id === target.id))!.taskId}`,
      );
      const version = current.targets.find((t) => t.id === target.id)!.version;
      // An empty change: if the API wrongly accepts it, no data changes.
      const res = await api.send('PATCH', `/api/targets/${target.id}`, { version });
      expect(res.status(), "淇县 writing 浚县's target").toBe(403);
    });
  });

  describe('dashboard (admin)', () => {
    it('the overdue number equals the rows the ledger shows when it is clicked', async () => {
      await signOut(page);
      await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
      await page.goto(`${server.baseUrl}/dashboard`);
      await page.getByRole('heading', { level: 1, name: '总览' }).waitFor();
      await settle(page);
      await screenshot(page, '30-dashboard');

      const overdueLink = page.getByRole('link', { name: /^已逾期：\d+ 条，在台账中查看$/ }).first();
      const label = (await overdueLink.getAttribute('aria-label')) ?? (await overdueLink.textContent()) ?? '';
      const shownNumber = Number(label.match(/已逾期：(\d+) 条/)?.[1]);
      expect(shownNumber).toBeGreaterThan(0);

      await overdueLink.click();
      await page.waitForURL(/\/ledger\?.*status=overdue/);
      await ledgerReady(page);
      expect(await ledgerCount(page)).toBe(shownNumber);
      const shown = await collectTableRows(page);
      expect(shown.length).toBe(shownNumber);
      expect(shown.every((r) => r.cells.some((c) => c === '已逾期'))).toBe(true);
      await screenshot(page, '31-ledger-overdue');
    });

    it('every count on the status cards opens the ledger, and each card adds up to its total', async () => {
      await page.goto(`${server.baseUrl}/dashboard`);
      await page.getByRole('heading', { level: 1, name: '总览' }).waitFor();
      await settle(page);
      const links = page.getByRole('link', { name: /：\d+ 条，在台账中查看$/ });
      const counts = new Map<string, { count: number; href: string }>();
      for (const link of await links.all()) {
        const label = (await link.getAttribute('aria-label')) ?? '';
        const match = label.match(/^(.*)：(\d+) 条，在台账中查看$/);
        if (match) counts.set(match[1], { count: Number(match[2]), href: (await link.getAttribute('href')) ?? '' });
      }
      for (const [label, { href }] of counts) expect(href, label).toMatch(/^\/ledger(\?|$)/);
      const statuses = ['未开始', '正常推进', '有风险', '已逾期', '已完成'];
      for (const prefix of ['', '量化指标 · ']) {
        const total = counts.get(`${prefix}合计`)?.count;
        const parts = statuses.map((s) => counts.get(`${prefix}${s}`)?.count ?? 0);
        expect(
          parts.reduce((a, b) => a + b, 0),
          `${prefix || '台账行 · '}${statuses.join('+')} = ${parts.join('+')} vs 合计 ${total}`,
        ).toBe(total);
      }
    });
  });

  describe('accessibility and layout', () => {
    it('has no serious or critical axe violations on the ledger', async () => {
      await page.goto(`${server.baseUrl}/ledger`);
      await ledgerReady(page);
      await expectNoSevereAxe(page, 'ledger');
    });

    it('has no serious or critical axe violations on the dashboard', async () => {
      await page.goto(`${server.baseUrl}/dashboard`);
      await page.getByRole('heading', { level: 1, name: '总览' }).waitFor();
      await settle(page);
      // The whole page (heat map and lists below the fold), for the report.
      await page.screenshot({ path: join(SCREENSHOT_DIR, '30b-dashboard-full.png'), fullPage: true });
      await expectNoSevereAxe(page, 'dashboard');
    });

    it('has no serious or critical axe violations on a task page', async () => {
      await page.goto(`${server.baseUrl}/ledger`);
      await ledgerReady(page);
      await page
        .getByRole('link', { name: /^查看第 1 项任务/ })
        .first()
        .click();
      await page.waitForURL(/\/tasks\/[0-9a-f-]{36}/);
      await page.getByRole('heading', { level: 1, name: /第 1 项任务/ }).waitFor();
      await page.getByRole('heading', { level: 2, name: '修改记录' }).waitFor();
      await settle(page);
      await screenshot(page, '32-task-detail');
      await expectNoSevereAxe(page, 'task detail');
    });

    it('fits the ledger and the dashboard into 1280×720 without horizontal page overflow', async () => {
      await page.setViewportSize({ width: 1280, height: 720 });
      try {
        for (const [path, name] of [
          ['/ledger', 'ledger'],
          ['/dashboard', 'dashboard'],
        ] as const) {
          await page.goto(`${server.baseUrl}${path}`);
          if (path === '/ledger') await ledgerReady(page);
          else await page.getByRole('heading', { level: 1, name: '总览' }).waitFor();
          await settle(page);
          await screenshot(page, `40-${name}-1280x720`);
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
});
