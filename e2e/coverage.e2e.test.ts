import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertLngLat } from '../src/coverage/datum.convert.ts';
import { DEMO_CREDENTIALS } from './demo-credentials.ts';
import {
  apiAs,
  chooseSelectOption,
  expectNoSevereAxe,
  ROOT,
  type RunningServer,
  screenshot,
  settle,
  signIn,
  signOut,
  useJourney,
} from './harness.ts';

// 服务半径覆盖 end to end on the demo database: the office imports a toilet layer from CSV (in
// GCJ-02, as a 高德 picker gives it) — first a file with bad rows, whose problems are listed by row
// and column and nothing saved, then the corrected file; runs the toilet standard (300/500/800 m by
// road class) against the synthetic population; sees the gap map and the three methods per
// district; asks for 5 sites in 淇县. Leadership sees the page; a county account has no nav item.

interface Feature {
  properties: { name: string; roadClass?: string };
  geometry: { coordinates: [number, number] };
}

const dir = mkdtempSync(join(tmpdir(), 'luoshi-coverage-e2e-'));
const toilets = (JSON.parse(readFileSync(join(ROOT, 'samples/geo/synthetic/public-toilets.geojson'), 'utf8')) as { features: Feature[] })
  .features;
const ROAD_WORDS: Record<string, string> = { main_street: '主要街道', ordinary_road: '一般道路', riverside_park: '沿河公园' };
// Every other synthetic toilet, converted to GCJ-02: the layer has gaps the map must show.
const rows = toilets
  .filter((_, i) => i % 2 === 0)
  .map((f) => {
    const [lng, lat] = convertLngLat(f.geometry.coordinates, 'WGS84', 'GCJ02');
    return `${f.properties.name.replace('（合成）', '')},${lng.toFixed(6)},${lat.toFixed(6)},${ROAD_WORDS[f.properties.roadClass ?? 'ordinary_road']}`;
  });
const GOOD_CSV = join(dir, '公厕点位.csv');
const BAD_CSV = join(dir, '公厕点位-有误.csv');
writeFileSync(GOOD_CSV, `名称,经度,纬度,道路等级\n${rows.join('\n')}\n`);
const bad = [...rows];
bad[1] = bad[1].replace(/,(\d+\.\d+),(\d+\.\d+),/, ',$1,北纬35度,');
bad[3] = bad[3].replace(/,[^,]+$/, ',高速公路');
writeFileSync(BAD_CSV, `名称,经度,纬度,道路等级\n${bad.join('\n')}\n`);
const LAYER_NAME = '公厕（e2e 导入，GCJ-02）';

/** Picks `option` in the antd Select labelled `label` inside `scope` (the page, or a dialog). */
async function chooseOption(page: Page, label: string, option: string, scope: Page | Locator = page): Promise<void> {
  await chooseSelectOption(page, scope.getByLabel(label, { exact: true }), option);
}

describe('服务半径覆盖: import a layer, run an analysis, read the gap map, suggest sites', () => {
  let server: RunningServer;
  let page: Page;
  const journey = useJourney({ today: '2018-06-20' });
  const { consoleErrors } = journey;

  beforeAll(() => {
    ({ server, page } = journey);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the office opens 服务半径覆盖 and sees the demo analysis, labelled synthetic', async () => {
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(`${server.baseUrl}/login`);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.admin);
    await page.getByRole('navigation').getByRole('link', { name: '服务半径覆盖', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/coverage');
    await page.getByRole('heading', { level: 1, name: '服务半径覆盖' }).waitFor();
    await page.getByText('演示用合成数据').waitFor();
    await page.getByTestId('coverage-gap-map').locator('svg').waitFor();
    await page.getByTestId('coverage-methods').locator('tr', { hasText: '淇县' }).waitFor();
    await settle(page);
    await screenshot(page, 'coverage-01-demo-analysis');
  });

  it('imports a CSV layer: bad rows are listed by row and column, then the corrected file is saved', async () => {
    await page.getByRole('tab', { name: '图层' }).click();
    await page.locator('[role=tabpanel][aria-hidden=false] .ant-table-row', { hasText: '公厕（合成数据）' }).waitFor();
    await page.getByRole('button', { name: '导入图层' }).click();
    const dialog = page.getByRole('dialog', { name: '导入图层' });
    await dialog.getByLabel('图层名称').fill(LAYER_NAME);
    await dialog.getByLabel('类别').fill('公厕');
    await chooseOption(page, '坐标系', 'GCJ-02', dialog);
    await dialog.locator('input[type=file]').setInputFiles(BAD_CSV);
    await dialog.getByRole('button', { name: '检查' }).click();
    await dialog.getByText('发现 2 处问题').waitFor();
    const problems = dialog.locator('.ant-table-row');
    expect(await problems.count()).toBe(2);
    expect(await problems.nth(0).textContent()).toBe('3纬度纬度不是数字：北纬35度');
    expect(await problems.nth(1).textContent()).toMatch(/^5道路等级道路等级应为.*高速公路$/);
    expect(await dialog.getByRole('button', { name: '导入' }).isDisabled()).toBe(true);
    await screenshot(page, 'coverage-02-import-problems');

    await dialog.locator('.ant-upload-list-item').hover();
    await dialog.locator('input[type=file]').setInputFiles(GOOD_CSV);
    await dialog.getByRole('button', { name: '检查' }).click();
    await dialog.getByText(`检查通过：${rows.length} 个点`).waitFor();
    await dialog.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByText(`已导入 ${rows.length} 个点`).waitFor();
    const row = page.locator('[role=tabpanel][aria-hidden=false] .ant-table-row', { hasText: LAYER_NAME });
    await row.waitFor();
    expect(await row.textContent()).toContain('GCJ-02');
    const api = await apiAs(page);
    const layers = await api.get<{ items: Array<{ name: string; declaredDatum: string; featureCount: number }> }>('/api/coverage/layers');
    expect(layers.items.find((l) => l.name === LAYER_NAME)).toMatchObject({ declaredDatum: 'GCJ02', featureCount: rows.length });
    expect(layers.items.filter((l) => l.name === LAYER_NAME)).toHaveLength(1);
  });

  it('runs the toilet standard on the imported layer and shows the gap map and the three methods', async () => {
    await page.getByRole('tab', { name: '覆盖分析' }).click();
    await chooseOption(page, '覆盖标准', '公厕服务半径覆盖率');
    await chooseOption(page, '设施图层', LAYER_NAME);
    await chooseOption(page, '需求图层', '居住人口（合成数据）');
    await page.getByRole('button', { name: '运行分析' }).click();
    await page.getByText('分析完成').waitFor();
    await page.locator('.ant-descriptions', { hasText: LAYER_NAME }).waitFor();
    const methods = page.getByTestId('coverage-methods');
    const qixian = methods.locator('tr', { hasText: '淇县' });
    await qixian.waitFor();
    // Three percentages side by side, the headline one marked; the numbers match the API's.
    for (const m of ['buffer_area', 'point_count', 'population'])
      expect(await qixian.locator(`[data-method="${m}"]`).textContent()).toMatch(/^\d+\.\d%$/);
    const api = await apiAs(page);
    const list = await api.get<{ items: Array<{ id: string; facilityLayerName: string }> }>('/api/coverage/analyses');
    const latest = list.items[0];
    expect(latest.facilityLayerName).toBe(LAYER_NAME);
    const analysis = await api.get<{ districts: Array<{ district: string; methods: Array<{ method: string; ratio: number }> }> }>(
      `/api/coverage/analyses/${latest.id}`,
    );
    const pop = analysis.districts.find((d) => d.district === '淇县')!.methods.find((m) => m.method === 'population')!.ratio;
    expect(await qixian.locator('[data-method="population"]').textContent()).toBe(`${(Math.round(pop * 1000) / 10).toFixed(1)}%`);
    // Half the toilets: some of 淇县 is left uncovered.
    expect(pop).toBeLessThan(1);
    const map = page.getByTestId('coverage-gap-map');
    await map.locator('svg').waitFor();
    expect(await map.locator('svg path').count()).toBeGreaterThan(100);
    // The heat layer: a legend entry and its classes of uncovered residents per hexagon, drawn.
    expect(await map.locator('svg text', { hasText: '未覆盖人口热力（六边形）' }).count()).toBeGreaterThan(0);
    expect(await map.locator('svg text', { hasText: '每格未覆盖人口（H3 第8级）' }).count()).toBe(1);
    await settle(page);
    await screenshot(page, 'coverage-03-gap-map');
    await expectNoSevereAxe(page, 'coverage analysis');
  });

  it('asks for 5 sites in 淇县: greedy beside the exact solution, on the map', async () => {
    await chooseOption(page, '区县', '淇县');
    await page.getByLabel('新增设施数').fill('5');
    await page.getByRole('button', { name: '计算选址' }).click();
    const result = page.getByTestId('coverage-suggestions');
    await result.waitFor({ timeout: 60_000 });
    await result.getByText('淇县现有未覆盖人口').waitFor();
    const greedy = result.locator('tr', { hasText: '贪心算法' });
    const exact = result.locator('tr', { hasText: '精确解' });
    expect(await greedy.locator('td').nth(3).textContent()).toBe('5');
    expect(await exact.locator('td').nth(3).textContent()).toBe('5');
    expect(await exact.textContent()).toContain('Optimal');
    await page.getByTestId('coverage-gap-map').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await settle(page);
    await screenshot(page, 'coverage-04-suggested-sites');
    await result.scrollIntoViewIfNeeded();
    await screenshot(page, 'coverage-05-suggestion-table');
    // 转为项目储备: the first suggested site becomes a draft project of 淇县.
    const sites = page.getByTestId('coverage-suggested-sites');
    expect(await sites.locator('.ant-table-row').count()).toBe(5);
    await sites.locator('.ant-table-row', { hasText: '选址建议1' }).locator('.ant-checkbox-input').check();
    await page.getByRole('button', { name: '转为项目储备' }).click();
    await page.getByText('已生成 1 个草稿项目').waitFor();
  });

  it('feeds the plan’s bus-stop target from 淇县’s coverage, and the task page shows it with its method', async () => {
    await page.getByRole('tab', { name: '计划指标' }).click();
    // The demo links the plan's 公交站点500米全覆盖 target to the bus-stop standard (all districts).
    const pane = page.locator('[role=tabpanel][aria-hidden=false]');
    const demoRow = pane.locator('.ant-table-row', { hasText: '公交站点500米覆盖率' });
    await demoRow.waitFor();
    expect(await demoRow.textContent()).toContain('合计');
    await page.getByRole('button', { name: '关联计划指标' }).click();
    const dialog = page.getByRole('dialog', { name: '关联计划指标' });
    await dialog.getByPlaceholder('输入任务中的文字').fill('公交站点');
    await dialog.getByPlaceholder('输入任务中的文字').press('Enter');
    await chooseOption(page, '计划指标', '中心城区公交站点', dialog);
    await chooseOption(page, '覆盖标准', '公交站点500米覆盖率', dialog);
    await chooseOption(page, '区县', '淇县', dialog);
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').first().waitFor();
    const row = pane.locator('.ant-table-row', { hasText: '淇县' });
    await row.waitFor();
    const api = await apiAs(page);
    const feeds = await api.get<{ items: Array<{ target: { taskId: string }; district: string; latest: { percent: number } }> }>(
      '/api/coverage/targets',
    );
    const feed = feeds.items.find((f) => f.district === '淇县')!;
    expect(feeds.items).toHaveLength(1);
    const shown = `${feed.latest.percent.toFixed(1)}%（人口加权法）`;
    expect(await row.getByTestId('coverage-target-value').textContent()).toBe(shown);
    await screenshot(page, 'coverage-06-plan-targets');
    await row.getByRole('link').click();
    await page.waitForURL((url) => url.pathname === `/tasks/${feed.target.taskId}`);
    const tag = page.locator('.coverage-feed-tag');
    await tag.waitFor();
    expect(await tag.textContent()).toBe(`覆盖率 ${shown}`);
    await settle(page);
    await tag.scrollIntoViewIfNeeded();
    await screenshot(page, 'coverage-07-task-target-fed');
  });

  it('leadership reads the page; a county account has no coverage nav item', async () => {
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.leader);
    await page.getByRole('navigation').getByRole('link', { name: '服务半径覆盖', exact: true }).click();
    await page.getByTestId('coverage-methods').waitFor();
    expect(await page.getByRole('button', { name: '运行分析' }).count()).toBe(0);
    await signOut(page);
    await signIn(page, server.baseUrl, DEMO_CREDENTIALS.unit);
    await page.getByRole('navigation').waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: '服务半径覆盖' }).count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
