import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FundingBalance, ProjectDetail } from '../src/shared/schemas/project.schema.ts';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import {
  apiAs,
  chooseSelectOption,
  type RunningServer,
  screenshot,
  SCREENSHOT_DIR,
  settle,
  signIn,
  signOut,
  useJourney,
} from './harness.ts';

// The project library end to end on the demo (today 2018-06-20, 2018年6月 open): 淇县 drafts a
// project with three funding sources and a point picked on the district map, submits it; the
// office returns it with a reason; 淇县 fixes it and resubmits; the office admits it; 淇县 files
// its monthly 调度; the funding balance of 淇县 grows by the project's annual plan.

const NAME = '淇县朝歌路新建公厕（e2e）';
const REASON = '资金来源需补充县级配套文件';

async function pick(page: Page, label: string, option: string, nth = 0): Promise<void> {
  await chooseSelectOption(page, page.getByLabel(label, { exact: true }).nth(nth), option);
}

async function openProject(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/projects?q=${encodeURIComponent(NAME)}`);
  await page.getByRole('link', { name: NAME }).click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { level: 3, name: new RegExp(NAME.replace(/[()（）]/g, '.')) }).waitFor();
  await settle(page);
}

const qixianBalance = (b: FundingBalance) => b.counties.find((c) => c.orgName === '淇县政府')?.needs ?? 0;

describe('项目库: draft on the map, return, resubmit, admit, monthly report, funding balance', () => {
  let server: RunningServer;
  let page: Page;
  let needsBefore = 0;
  let dashBefore = { invested: 0, plan: 0 };
  /** The office dashboard's project card: 本年完成投资 and 年度计划, in 万元, once the rates have loaded. */
  const dashInvestment = async () => {
    await page.goto(`${server.baseUrl}/dashboard`);
    const line = page.getByTestId('project-dashboard').getByText(/^本年完成投资/);
    const read = async () => {
      const [invested = 0, plan = 0] = [...((await line.textContent()) ?? '').matchAll(/[\d,]+(?:\.\d+)?/g)].map((m) =>
        Number(m[0].replaceAll(',', '')),
      );
      return { invested, plan };
    };
    await expect.poll(async () => (await read()).plan).toBeGreaterThan(0);
    return read();
  };
  const journey = useJourney({ today: '2018-06-20' });

  beforeAll(() => {
    ({ server, page } = journey);
  });

  it('淇县 drafts a project with three funding sources on the map and submits it', async () => {
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    needsBefore = qixianBalance(await (await apiAs(page)).get<FundingBalance>('/api/funding-balance?planYear=2018'));
    await page.goto(`${server.baseUrl}/projects`);
    await page.getByText(/^共 \d+ 个项目/).waitFor();
    await settle(page);
    await screenshot(page, '60-projects-list-qixian');
    await page.getByRole('button', { name: '新建项目' }).click();
    await page.waitForURL('**/projects/new');
    await page.getByLabel('项目名称').fill(NAME);
    await pick(page, '项目类别', '公厕');
    await page.getByLabel('建设单位').fill('淇县城市管理局');
    await page.getByLabel('建设地点').fill('淇县朝歌路与卫都路交叉口');
    await page.getByLabel('建设规模及内容').fill('新建二类公厕3座');
    await page.getByLabel('计划开工日期').fill('2018-07-01');
    await page.keyboard.press('Enter');
    await page.getByLabel('计划完工日期').fill('2018-11-30');
    await page.keyboard.press('Enter');
    await page.getByLabel('计划年度').fill('2018');
    await page.getByLabel('总投资（万元）').fill('300');
    await page.getByLabel('年度计划投资（万元）').fill('300');
    await pick(page, '来源', '中央财政', 0);
    await page.getByLabel('计划（万元）').nth(0).fill('100');
    // Two of three sources: the form says the sum is short, as it is typed.
    await page.getByRole('button', { name: '添加资金来源' }).click();
    await pick(page, '来源', '县级财政', 1);
    await page.getByLabel('计划（万元）').nth(1).fill('120');
    await page.getByTestId('funding-check').getByText('相差 -80 万元').waitFor();
    await page.getByRole('button', { name: '添加资金来源' }).click();
    await pick(page, '来源', '专项债券', 2);
    await page.getByLabel('计划（万元）').nth(2).fill('80');
    await page.getByTestId('funding-check').getByText('资金来源合计与总投资一致').waitFor();
    // The point: a click on 淇县 on the served district map.
    const label = page.locator('[data-testid=projects-map] svg text', { hasText: /^淇县$/ }).first();
    await label.waitFor();
    await label.click();
    await page
      .getByTestId('picked-location')
      .getByText(/已选：经度 1\d\d\.\d+/)
      .waitFor();
    await settle(page);
    await screenshot(page, '61-project-form-three-sources');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: '报送', exact: true }).click();
    await page.getByRole('heading', { level: 3 }).getByText('报送', { exact: true }).waitFor();
    await settle(page);
    await screenshot(page, '62-project-submitted');
    const id = page.url().split('/').pop()!;
    const p = await (await apiAs(page)).get<ProjectDetail>(`/api/projects/${id}`);
    expect(p).toMatchObject({ status: 'submitted', totalInvestment: 3_000_000, orgName: '淇县政府' });
    expect(p.funding.map((f) => [f.sourceCode, f.planned])).toEqual([
      ['central', 1_000_000],
      ['county', 1_200_000],
      ['special_bond', 800_000],
    ]);
  });

  it('the office returns it with a reason from the review queue', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    await page.goto(`${server.baseUrl}/projects/review`);
    await page.getByRole('link', { name: NAME }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await page.getByLabel('审查意见（退回须填写理由）').fill(REASON);
    await page.getByRole('button', { name: '退回', exact: true }).click();
    await page.getByText(`退回理由：${REASON}`).waitFor();
    await settle(page);
    await screenshot(page, '63-project-returned');
  });

  it('淇县 fixes and resubmits; the office admits it', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    await openProject(page, server.baseUrl);
    await page.getByText(`退回理由：${REASON}`).waitFor();
    await page.getByRole('button', { name: '修改', exact: true }).click();
    await page.waitForURL(/\/edit$/);
    await page.getByLabel('建设规模及内容').fill('新建二类公厕3座（县级配套资金已落实）');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: '报送', exact: true }).click();
    await page.getByRole('heading', { level: 3 }).getByText('报送', { exact: true }).waitFor();

    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    await openProject(page, server.baseUrl);
    await page.getByRole('button', { name: '入库', exact: true }).click();
    await page.getByRole('heading', { level: 3 }).getByText('入库', { exact: true }).waitFor();
    expect(await page.getByTestId('timeline-entry').count()).toBe(5);
    await settle(page);
    await screenshot(page, '64-project-admitted-timeline');
    dashBefore = await dashInvestment();
  });

  it('淇县 files its monthly 调度 and the project is in implementation; the funding balance grows', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    await openProject(page, server.baseUrl);
    await page.getByLabel('本月完成投资（万元）').fill('50');
    await page.getByLabel('形象进度（%）').fill('20');
    await page.getByLabel('形象进度', { exact: true }).fill('基础开挖完成');
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await page.getByRole('heading', { level: 3 }).getByText('实施', { exact: true }).waitFor();
    await page.getByText('16.7%').first().waitFor();
    await settle(page);
    await screenshot(page, '65-project-monthly-report');
    // At 1440 px each header of the monthly-report table stays on one line (they once wrapped a character a line).
    const heads = await page
      .locator('.ant-card', { hasText: '月度调度' })
      .locator('thead th')
      .evaluateAll((ths) =>
        ths.map((th) => {
          const css = getComputedStyle(th);
          const inner = th.getBoundingClientRect().height - Number.parseFloat(css.paddingTop) - Number.parseFloat(css.paddingBottom);
          return { text: th.textContent ?? '', lines: Math.round(inner / Number.parseFloat(css.lineHeight)) };
        }),
      );
    expect(new Set(heads.map((h) => h.text))).toEqual(
      new Set([
        '截至',
        '本月（万元）',
        '本年累计（万元）',
        '占年度计划',
        '累计（万元）',
        '占总投资',
        '到位（万元）',
        '形象进度 / 存在问题',
        '现场照片',
        '审核',
      ]),
    );
    expect(heads.filter((h) => h.lines !== 1)).toEqual([]);

    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    // The office approves the month from its review queue, without opening the project.
    await page.goto(`${server.baseUrl}/projects/review`);
    const approve = page.getByRole('button', { name: new RegExp(`^通过 ${NAME.replace(/[()（）]/g, '.')} \\d{4}-\\d\\d-\\d\\d$`) });
    await approve.waitFor();
    await settle(page);
    await screenshot(page, '65-review-queue-monthly');
    await approve.click();
    await approve.waitFor({ state: 'detached' });
    const mine = await (await apiAs(page)).get<{ items: { projectName: string; status: string }[] }>('/api/project-reports');
    expect(mine.items.filter((r) => r.projectName === NAME).map((r) => r.status)).toEqual(['approved']);
    const after = qixianBalance(await (await apiAs(page)).get<FundingBalance>('/api/funding-balance?planYear=2018'));
    expect(after - needsBefore).toBe(3_000_000);
    // The dashboard's card counts the month's 50 万元 against an unchanged year plan.
    await expect.poll(async () => (await dashInvestment()).invested).toBeCloseTo(dashBefore.invested + 50, 4);
    expect((await dashInvestment()).plan).toBe(dashBefore.plan);
    await settle(page);
    await screenshot(page, '65-dashboard-project-card');
    // No year in the address: the page opens on the server's year (LUOSHI_TODAY 2018), not the browser's.
    await page.goto(`${server.baseUrl}/projects/funding`);
    await page.getByTestId('balance-table').getByText('淇县政府').waitFor();
    expect(await page.getByLabel('计划年度').inputValue()).toBe('2018');
    await settle(page);
    await screenshot(page, '66-funding-balance');
    // Printable as handed in: the print view drops the menu, the header and the page's buttons.
    const print = page.getByRole('button', { name: '打印' });
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(true);
    expect(await print.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await print.isVisible()).toBe(false);
    expect(await page.getByTestId('balance-table').isVisible()).toBe(true);
    await screenshot(page, '66-funding-balance-print');
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${server.baseUrl}/projects?view=map`);
    await page.locator('[data-testid=projects-map] svg').waitFor();
    await settle(page);
    await screenshot(page, '67-projects-map');
    expect(journey.consoleErrors).toEqual([]);
  });

  it('the exported balance workbook opens in LibreOffice (when installed)', async () => {
    const res = await page.request.get(new URL('/api/funding-balance/export.xlsx?planYear=2018', page.url()).toString());
    expect(res.status()).toBe(200);
    if (!existsSync('/usr/bin/libreoffice')) return;
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-xlsx-'));
    writeFileSync(join(dir, 'balance.xlsx'), await res.body());
    execFileSync('libreoffice', ['--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'balance.xlsx')], {
      timeout: 120_000,
      stdio: 'ignore',
    });
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', join(dir, 'balance.pdf'), join(dir, 'page')], { timeout: 60_000 });
    const png = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(png).toBeDefined();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    renameSync(join(dir, png!), join(SCREENSHOT_DIR, '68-funding-balance-xlsx.png'));
  });
});
