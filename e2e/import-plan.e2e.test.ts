import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerResponse } from '../src/shared/schemas/ledger.schema.ts';
import {
  apiAs,
  collectTableRows,
  expectNoSevereAxe,
  ROOT,
  type RunningServer,
  screenshot,
  settle,
  signIn,
  type VisibleLedgerRow,
  useJourney,
} from './harness.ts';

// Issue 4, journey 1: an administrator imports the Hebi plan through the UI into an installation
// whose registry lacks one unit the plan names (市爱卫办), maps it, confirms, and follows the 27
// tasks into the ledger, a filtered Excel export and a task's audit history.

const ADMIN = { username: 'admin', password: 'e2e-admin-password-2018' };
const PLAN_FILE = join(ROOT, 'test/fixtures/hebi-2018-baicheng.txt');
const MISSING_ORG = '市爱卫办';
const COL_SEQ = '序号';
const COL_TEXT = '任务内容';
const COL_RESPONSIBLE = '责任单位';
const PLAN_TITLE = '鹤壁市2018年度百城建设提质工程工作实施方案';

interface RegistryOrg {
  id: string;
  name: string;
  members?: string[];
  [key: string]: unknown;
}

/** The Hebi registry without 市爱卫办 (and without it in any group), so exactly that mention is unresolved. */
function registryWithout(name: string): { organisations: RegistryOrg[] } {
  const file = JSON.parse(readFileSync(join(ROOT, 'samples/hebi-orgs.json'), 'utf8')) as { organisations: RegistryOrg[] };
  const dropped = file.organisations.find((o) => o.name === name);
  if (!dropped) throw new Error(`${name} is not in samples/hebi-orgs.json`);
  return {
    organisations: file.organisations
      .filter((o) => o.id !== dropped.id)
      .map((o) => (o.members ? { ...o, members: o.members.filter((m) => m !== dropped.id) } : o)),
  };
}

/**
 * Reads an exported ledger workbook: the header row (the one holding 序号) and the data rows under
 * it. Section headings are full-width merged rows between them; a data row has a number in 序号.
 */
async function readLedgerWorkbook(path: string): Promise<{ title: string; header: string[]; rows: Record<string, string>[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0];
  const text = (value: ExcelJS.CellValue): string => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
    if (typeof value === 'object' && 'text' in value) return String(value.text);
    if (typeof value === 'object' && 'result' in value) return String(value.result ?? '');
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return String(value);
  };
  let header: string[] = [];
  let headerRow = 0;
  sheet.eachRow((row, n) => {
    if (headerRow) return;
    const cells = (row.values as ExcelJS.CellValue[]).slice(1).map(text);
    if (cells.some((c) => c.trim() === COL_SEQ)) {
      header = cells.map((c) => c.trim());
      headerRow = n;
    }
  });
  if (!headerRow) throw new Error('no header row with 序号 in the exported sheet');
  const seqColumn = header.indexOf(COL_SEQ) + 1;
  const rows: Record<string, string>[] = [];
  sheet.eachRow((row, n) => {
    if (n <= headerRow || typeof row.getCell(seqColumn).value !== 'number') return;
    const cells = (row.values as ExcelJS.CellValue[]).slice(1).map(text);
    rows.push(Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? '').trim()])));
  });
  return { title: text(sheet.getCell(1, 1).value), header, rows };
}

/** The clause without its closing "(牵头单位:…,责任单位:…)", as the 台账 sheet prints it. */
function withoutAssignment(text: string): string {
  return text
    .trim()
    .replace(/[(（][^()（）]*(牵头|责任|配合)单位[^()（）]*[)）]$/, '')
    .trimEnd();
}

/** The review's list of unit names the registry does not know (a <section> named by its heading). */
function unresolvedPanel(page: Page) {
  return page.getByRole('region', { name: /个单位名称(待对应|均已对应)/ });
}

describe('admin imports the Hebi plan through the UI', () => {
  let server: RunningServer;
  let page: Page;
  let downloads: string;
  let qixianRows: VisibleLedgerRow[] = [];

  const journey = useJourney({ demo: false, adminPassword: ADMIN.password });

  beforeAll(async () => {
    ({ server, page } = journey);
    downloads = await mkdtemp(join(tmpdir(), 'luoshi-e2e-downloads-'));
  });

  afterAll(async () => {
    if (downloads) await rm(downloads, { recursive: true, force: true });
  });

  it('signs in to an empty installation and loads the registry without 市爱卫办', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await signIn(page, server.baseUrl, ADMIN);
    const api = await apiAs(page);
    const res = await api.send('POST', '/api/organisations/registry', registryWithout(MISSING_ORG));
    expect(res.status(), await res.text()).toBe(200);
    const plans = await api.get<{ items: unknown[] }>('/api/plans');
    expect(plans.items).toEqual([]);
  });

  it('uploads the plan file and shows the review with the one unresolved unit first', async () => {
    await page.goto(`${server.baseUrl}/imports/new`);
    await page.getByRole('heading', { level: 1, name: '导入计划' }).waitFor();
    await page.locator('input[type=file]').setInputFiles(PLAN_FILE);
    await page.getByText('hebi-2018-baicheng.txt').first().waitFor();
    await settle(page);
    await screenshot(page, '10-import-new');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/plan-imports') && r.request().method() === 'POST');
    await page.getByRole('button', { name: '识别并核对' }).click();
    const createdRes = await created;
    expect(createdRes.status(), await createdRes.text()).toBe(201);
    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: new RegExp(`核对导入.*${PLAN_TITLE}`) }).waitFor();
    await settle(page);
    await screenshot(page, '11-import-review');

    // The unresolved mention comes first, with a picker; confirming is not possible yet, and says why.
    const unresolved = unresolvedPanel(page);
    await expect(unresolved.getByRole('heading', { level: 2 }).textContent()).resolves.toMatch(/^1 个单位名称待对应/);
    await unresolved.getByText(MISSING_ORG, { exact: true }).waitFor();
    await unresolved.getByRole('combobox', { name: `将“${MISSING_ORG}”对应到已有单位` }).waitFor();
    const panelBox = await unresolved.boundingBox();
    const tableBox = await page.getByRole('heading', { level: 2, name: '识别出的任务（27）' }).boundingBox();
    expect(panelBox && tableBox && panelBox.y < tableBox.y, 'the unresolved units come before the task table').toBe(true);
    await expect(page.getByRole('button', { name: '确认导入' }).isDisabled()).resolves.toBe(true);
    await page.getByText(/还有 1 个单位名称未对应/).waitFor();
    await expectNoSevereAxe(page, 'import review');
  });

  it('maps the unresolved unit by creating it, then confirms 27 tasks', async () => {
    const unresolved = unresolvedPanel(page);
    await unresolved.getByRole('button', { name: '新建单位' }).click();
    await expect(unresolved.getByLabel('单位名称').inputValue()).resolves.toBe(MISSING_ORG);
    await screenshot(page, '12a-import-create-unit');
    const mapped = page.waitForResponse((r) => /\/api\/plan-imports\/[^/]+\/mappings$/.test(r.url()));
    await unresolved.getByRole('button', { name: '新建并对应' }).click();
    const mappedRes = await mapped;
    expect(mappedRes.status(), await mappedRes.text()).toBe(200);
    await expect
      .poll(() => unresolved.getByRole('heading', { level: 2 }).textContent(), { timeout: 10_000 })
      .toMatch(/^1 个单位名称均已对应/);
    await unresolved
      .getByText(/已对应：/)
      .first()
      .waitFor();
    const confirm = page.getByRole('button', { name: '确认导入' });
    await expect.poll(() => confirm.isEnabled(), { timeout: 10_000 }).toBe(true);
    await settle(page);
    await screenshot(page, '12-import-mapped');

    const confirmed = page.waitForResponse((r) => /\/api\/plan-imports\/[^/]+\/confirm$/.test(r.url()));
    await confirm.click();
    const result = await confirmed;
    expect(result.status(), await result.text()).toBe(200);
    expect(((await result.json()) as { taskCount: number }).taskCount).toBe(27);
    await page.getByText('已导入 27 项任务').waitFor();
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}/);
  });

  it('shows the 27 tasks in the ledger', async () => {
    await page.goto(`${server.baseUrl}/ledger`);
    await page.getByRole('heading', { level: 1, name: '台账' }).waitFor();
    await page.locator('output.ledger-count').waitFor();
    await settle(page);
    await screenshot(page, '13-ledger-after-import');

    const api = await apiAs(page);
    const ledger = await api.get<LedgerResponse>('/api/ledger');
    expect(new Set(ledger.rows.map((r) => r.taskId)).size).toBe(27);

    const shown = await collectTableRows(page);
    expect(new Set(shown.map((r) => r.seq))).toEqual(new Set(Array.from({ length: 27 }, (_, i) => i + 1)));
    expect(shown.length).toBe(ledger.rows.length);
    await expect(page.locator('output.ledger-count').textContent()).resolves.toBe(`共 ${ledger.rows.length} 条`);
    // The unit mapped during the review is on the tasks that name it.
    const aiweiban = ledger.rows.filter((r) => [...r.lead, ...r.cooperating].some((o) => o.name === MISSING_ORG));
    expect(new Set(aiweiban.map((r) => r.seq)).size).toBe(3);
  });

  it('filters to 淇县 and exports exactly those rows to Excel', async () => {
    const select = page.getByLabel('责任单位/县区');
    await select.click();
    await select.fill('淇县');
    await page.locator('.ant-select-item-option', { hasText: '淇县政府' }).click();
    await page.waitForURL(/orgId=/);
    await settle(page);
    qixianRows = await collectTableRows(page);
    expect(qixianRows.length).toBeGreaterThan(0);
    expect(qixianRows.every((r) => r.cells.join(' ').includes('淇县政府'))).toBe(true);
    const count = Number((await page.locator('output.ledger-count').textContent())?.match(/^共 (\d+) 条/)?.[1]);
    expect(count).toBe(qixianRows.length);
    await screenshot(page, '14-ledger-qixian');

    const exportLink = page.getByRole('link', { name: '导出 Excel' });
    expect(await exportLink.getAttribute('href')).toMatch(/^\/api\/ledger\/export\.xlsx\?.*orgId=/);
    const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = join(downloads, download.suggestedFilename());
    await download.saveAs(file);

    const { title, header, rows } = await readLedgerWorkbook(file);
    expect(title).toContain(PLAN_TITLE);
    expect(header).toEqual(expect.arrayContaining([COL_SEQ, COL_TEXT, COL_RESPONSIBLE]));
    expect(rows.length).toBe(qixianRows.length);
    // Same rows: the same clauses, each for 淇县, in the same (document) order as on screen.
    const fromSheet = rows.map((r) => `${r[COL_TEXT]}|${r[COL_RESPONSIBLE].split('\n')[0]}`);
    const fromScreen = [...qixianRows].sort((a, b) => a.seq - b.seq).map((r) => `${withoutAssignment(r.text)}|淇县政府`);
    expect(fromSheet).toEqual(fromScreen);
  });

  it('opens a task whose audit history shows the import', async () => {
    const first = qixianRows[0];
    await page
      .getByRole('link', { name: new RegExp(`^查看第 ${first.seq} 项任务`) })
      .first()
      .click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: new RegExp(`第 ${first.seq} 项任务`) }).waitFor();
    const history = page.locator('.ant-card').filter({ has: page.getByRole('heading', { level: 2, name: '修改记录' }) });
    await history.locator('.history-item').first().waitFor();
    await settle(page);
    await screenshot(page, '15-task-history');
    const items = await history.locator('.history-item').allTextContents();
    // The import, by the administrator who confirmed it, in words (not the raw action code).
    expect(
      items.some((i) => i.includes('系统管理员') && /导入/.test(i)),
      items.join('\n'),
    ).toBe(true);
    expect(items.join('\n')).not.toMatch(/task\.import/);
    await expectNoSevereAxe(page, 'task detail');
  });
});
