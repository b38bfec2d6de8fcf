import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type {
  MyReportList,
  PeriodSnapshot,
  ProgressReport,
  ReportingPeriod,
  ReportingSchedule,
} from '../src/shared/schemas/reporting.schema.ts';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import { apiAs, expectNoSevereAxe, type RunningServer, screenshot, settle, signIn, signOut, useJourney } from './harness.ts';

// 填报周期 end to end on the demo database at 2018-06-20 (the seed stores a monthly schedule and
// opens 2018年6月): the office changes the schedule's grace days; 淇县 files and submits one report
// (API); the office approves it (API), closes 2018年6月 in the browser, opens the frozen snapshot,
// finds 淇县's approved row and corrects it with an amendment, the frozen value staying as it was.

const REASON = '淇县报送时单位换算有误，经核实更正（e2e）';

type MyReports = z.infer<typeof MyReportList>;
type MyRow = MyReports['items'][number];

async function openPeriodsPage(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/periods`);
  await page.getByRole('heading', { level: 1, name: '填报周期' }).waitFor();
  await page.getByRole('heading', { level: 2, name: '填报安排' }).waitFor();
  await page.locator('.ant-table-row').first().waitFor();
  await settle(page);
}

/** The snapshot table's row of `item` (its 第 N 项 · metric), paging on until it is shown. */
async function findSnapshotRow(page: Page, item: string): Promise<Locator> {
  const table = page.locator('.period-snapshot-table');
  for (let guard = 0; guard < 50; guard++) {
    const row = table.locator('tr.ant-table-row', { hasText: item });
    if ((await row.count()) > 0) return row.first();
    const next = table.locator('.ant-pagination-next:not(.ant-pagination-disabled)');
    if ((await next.count()) === 0) break;
    await next.click();
    await page.waitForTimeout(100);
  }
  throw new Error(`no snapshot row "${item}"`);
}

describe('填报周期: schedule, close, snapshot, amendment', () => {
  let server: RunningServer;
  let page: Page;
  let planId = '';
  let june: ReportingPeriod;
  let mine: MyRow;
  let value = 0;
  let mineOrgId = '';

  const journey = useJourney({ today: '2018-06-20' });
  const { consoleErrors } = journey;

  beforeAll(() => {
    ({ server, page } = journey);
  });

  it('the office sees the stored monthly schedule and changes its grace days', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    await page.getByRole('navigation').getByRole('link', { name: '填报周期', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/periods');
    await page.getByRole('heading', { level: 2, name: '填报安排' }).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    await settle(page);

    // The seed's schedule: stored, monthly, due on the 5th, two days' grace, closed ten days later.
    await page.getByText('已保存的安排').waitFor();
    expect(await page.getByText(/该计划尚未保存填报安排/).count()).toBe(0);
    expect(await page.getByRole('radio', { name: '月报' }).isChecked()).toBe(true);
    expect(await page.getByLabel('报送截止日').inputValue()).toBe('5');
    expect(await page.getByLabel('宽限天数').inputValue()).toBe('2');
    expect(await page.getByLabel('自动关闭').inputValue()).toBe('10');
    await page
      .getByText(/2018年6月1日至2018年6月30日这一期的报告须于 2018年7月5日 前报送，2018年7月7日 前提交仍算按时，2018年7月17日 自动关闭/)
      .waitFor();
    await page
      .getByRole('row', { name: /^2018年6月/ })
      .getByText('填报中')
      .waitFor();
    await screenshot(page, '60-period-schedule');
    await expectNoSevereAxe(page, 'period admin with schedule');

    const grace = page.getByLabel('宽限天数');
    await grace.fill('3');
    await page.getByText(/2018年7月8日 前提交仍算按时，2018年7月18日 自动关闭/).waitFor();
    await page.getByRole('button', { name: '保存填报安排' }).click();
    await page.getByText('填报安排已保存', { exact: true }).waitFor();

    const api = await apiAs(page);
    const plans = await api.get<{ items: { id: string; status: string }[] }>('/api/plans');
    planId = plans.items.find((p) => p.status === 'active')!.id;
    const schedule = await api.get<ReportingSchedule>(`/api/plans/${planId}/reporting-schedule`);
    expect(schedule).toMatchObject({ isStored: true, frequency: 'monthly', dueDay: 5, graceDays: 3, closeAfterDays: 10, version: 2 });
    const periods = await api.get<{ items: ReportingPeriod[] }>(`/api/plans/${planId}/periods`);
    june = periods.items.find((p) => p.label === '2018年6月')!;
    expect(june.status).toBe('open');
  });

  it('淇县 files and submits a report on one of its targets', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    const api = await apiAs(page);
    const mineList = await api.get<MyReports>(`/api/periods/${june.id}/my-reports`);
    const targets = mineList.items.filter((r) => r.targetId !== null && r.report === null);
    mine = targets.find((r) => r.basis === 'jurisdiction') ?? targets[0]!;
    expect(mine, '淇县 has a target to report on').toBeDefined();
    value = 3;

    const saved = await api.send('PUT', `/api/periods/${june.id}/reports`, {
      taskId: mine.taskId,
      targetId: mine.targetId,
      value,
      narrative: '已完成阶段性任务，相关台账资料齐全（e2e）。',
    });
    expect(saved.status(), await saved.text()).toBe(200);
    const draft = (await saved.json()) as ProgressReport;
    mineOrgId = draft.orgId;
    const submitted = await api.send('POST', `/api/reports/${draft.id}/submit`, { version: draft.version });
    expect(submitted.status(), await submitted.text()).toBe(200);
    expect(((await submitted.json()) as ProgressReport).status).toBe('submitted');
  });

  it('the office approves it and closes 2018年6月 in the browser', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    const api = await apiAs(page);
    const reports = await api.get<{ items: ProgressReport[] }>(`/api/periods/${june.id}/reports?status=submitted`);
    const report = reports.items.find((r) => r.taskId === mine.taskId && r.targetId === mine.targetId)!;
    const approved = await api.send('POST', `/api/reports/${report.id}/approve`, { version: report.version });
    expect(approved.status(), await approved.text()).toBe(200);

    await openPeriodsPage(page, server.baseUrl);
    await page.getByRole('button', { name: '关闭：2018年6月' }).click();
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.locator('.ant-modal-confirm-title', { hasText: '关闭“2018年6月”？' }).waitFor();
    await confirm.getByRole('button', { name: '关闭', exact: true }).click();
    await page.getByText('已关闭，本期快照已冻结', { exact: true }).waitFor();
    // Anchored: the closed May row's due date (2018年6月5日) mentions June too now the demo has a record.
    await page
      .getByRole('row', { name: /^2018年6月/ })
      .getByText('已关闭')
      .waitFor();
  });

  it('opens the snapshot, finds 淇县’s approved row and corrects it with an amendment', async () => {
    await page.getByRole('button', { name: '查看快照：2018年6月' }).click();
    const drawer = page.locator('.ant-drawer-content-wrapper');
    await drawer.getByText('2018年6月 快照').waitFor();
    await drawer.locator('.period-snapshot-table .ant-table-row').first().waitFor();
    await drawer.getByText(/原始冻结值永不修改/).waitFor();

    // Only 淇县's rows.
    const orgSelect = drawer.getByRole('combobox', { name: '按单位筛选' });
    await orgSelect.click();
    await orgSelect.fill('淇县');
    await page.locator('.ant-select-item-option', { hasText: '淇县政府' }).click();
    await settle(page);

    const item = `第 ${mine.taskSeq} 项 · ${mine.metric}`;
    // As the table writes it: 10 公里, but 3%.
    const withUnit = (v: number) => (!mine.unit ? String(v) : mine.unit === '%' ? `${v}%` : `${v} ${mine.unit}`);
    const row = await findSnapshotRow(page, item);
    await row.getByText('已通过').waitFor();
    expect(await row.getByText('淇县政府').count()).toBe(1);
    expect((await row.locator('td').nth(3).textContent())?.trim()).toBe(withUnit(value));
    await row.scrollIntoViewIfNeeded();
    await settle(page);
    await screenshot(page, '61-period-snapshot');
    await expectNoSevereAxe(page, 'period snapshot drawer');

    // 更正: the reason is required; the new value is recorded beside the frozen one.
    await row.getByRole('button', { name: `更正：${item}（淇县政府）` }).click();
    const dialog = page.locator('.ant-modal', { hasText: '更正快照' });
    await dialog.getByText(/原冻结值不会被修改/).waitFor();
    await dialog.getByLabel('完成值').fill(String(value + 1));
    await dialog.getByRole('button', { name: '保存更正' }).click();
    await dialog.getByText('请填写更正原因').waitFor();
    await dialog.getByLabel('更正原因').fill(REASON);
    await settle(page);
    await screenshot(page, '62-period-amendment-dialog');
    await expectNoSevereAxe(page, 'amendment dialog');
    await dialog.getByRole('button', { name: '保存更正' }).click();
    await page.getByText('已记录更正', { exact: true }).waitFor();
    await dialog.waitFor({ state: 'hidden' });

    const amended = await findSnapshotRow(page, item);
    await amended.getByText('已更正').waitFor();
    await amended.getByText(withUnit(value + 1), { exact: true }).waitFor();
    expect(await amended.locator('del').first().textContent()).toBe(String(value));
    const history = page.getByRole('region', { name: '更正记录' });
    await history.getByText(`原因：${REASON}`).waitFor();
    await history.getByText(/· 百城办管理员/).waitFor();
    await history.getByText(`${withUnit(value)} → ${withUnit(value + 1)}`).waitFor();
    await settle(page);
    await screenshot(page, '63-period-snapshot-amended');

    // The frozen row is as it was; the amendment sits beside it.
    const api = await apiAs(page);
    const snapshot = await api.get<{ items: PeriodSnapshot[] }>(`/api/periods/${june.id}/snapshots`);
    // One snapshot row per reporting organisation (issue 11 item 7): 淇县's row of its target.
    const frozen = snapshot.items.find((s) => s.targetId === mine.targetId && s.orgId === mineOrgId)!;
    expect(frozen.reportedValue).toBe(value);
    expect(frozen.reportStatus).toBe('approved');
    expect(frozen.effective.reportedValue).toBe(value + 1);
    expect(frozen.amendments).toHaveLength(1);
    expect(frozen.amendments[0]).toMatchObject({ reason: REASON, before: { reportedValue: value }, after: { reportedValue: value + 1 } });
  });

  it('logged no errors in the browser console (but the 401s of signing out)', () => {
    const unexpected = consoleErrors.filter((e) => !/401|Failed to load resource/.test(e));
    expect(unexpected).toEqual([]);
  });
});
