import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type OrgRegistry, parsePlan, resolveUnits } from '../../../plan-parser/index.ts';
import type { Organisation } from '../../../shared/schemas/organisation.schema.ts';
import type { PlanImport } from '../../../shared/schemas/plan-import.schema.ts';
import { AppProviders, createQueryClient } from '../../app/providers.tsx';
import { ImportReviewPage } from './components/import-review-page.tsx';
import { asPlanExtract, buildDocSegments } from './extract-model.ts';

const ROOT = join(__dirname, '../../../..');
const TEXT = readFileSync(join(ROOT, 'test/fixtures/hebi-2018-baicheng.txt'), 'utf8').replace(/^\uFEFF/, '');
const REGISTRY = JSON.parse(readFileSync(join(ROOT, 'samples/hebi-orgs.json'), 'utf8')) as OrgRegistry;
const IMPORT_ID = '00000000-0000-4000-8000-0000000000f1';
const PLAN_ID = '00000000-0000-4000-8000-0000000000f2';

/** A draft as the server makes it: the real parse of the Hebi plan, resolved against a registry that lacks 规划局. */
function makeDraft(): PlanImport {
  const registry = { organisations: REGISTRY.organisations.filter((o) => !o.name.includes('规划')) };
  const resolved = resolveUnits(parsePlan(TEXT), registry);
  return {
    id: IMPORT_ID,
    status: 'draft',
    filename: 'hebi-2018-baicheng.txt',
    title: resolved.extract.title,
    text: TEXT,
    extract: resolved.extract,
    unresolved: resolved.unresolved.map((u) => ({ ...u, orgId: null })),
    planId: null,
    revisesPlanId: null,
    diff: null,
    createdAt: '2026-11-28T01:00:00.000Z',
  };
}

function organisations(): Organisation[] {
  return [
    ...REGISTRY.organisations.map((o) => ({
      id: o.id,
      name: o.name,
      aliases: o.aliases,
      kind: o.kind,
      adminCode: o.adminCode ?? null,
      parentId: o.parentId ?? null,
      memberIds: o.members ?? [],
      version: 1,
      createdAt: '2026-11-28T00:00:00.000Z',
      updatedAt: '2026-11-28T00:00:00.000Z',
    })),
  ];
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function renderReview(draft: PlanImport) {
  const router = createMemoryRouter(
    [
      { path: '/imports/:importId', element: <ImportReviewPage /> },
      { path: '/plans/:planId', element: <p>plan page</p> },
    ],
    { initialEntries: [`/imports/${draft.id}`] },
  );
  return render(
    <AppProviders queryClient={createQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
}

function rowOf(taskNo: number): HTMLElement {
  const row = reviewTable().querySelector<HTMLElement>(`tr[data-row-key="${taskNo - 1}"]`);
  if (!row) throw new Error(`no row for task ${taskNo}`);
  return row;
}

/** The review table (antd renders a sticky header as a table of its own, so this is their wrapper). */
function reviewTable(): HTMLElement {
  const table = document.querySelector<HTMLElement>('.extract-table');
  if (!table) throw new Error('no review table');
  return table;
}

/** Waits for the draft to load and render. */
async function loaded(): Promise<HTMLElement> {
  await screen.findByText('识别出的任务（27）', undefined, { timeout: 10_000 });
  return reviewTable();
}

/** Role queries over the whole review page are slow in happy-dom: look in the action bar only. */
function actionButton(name: string): HTMLElement {
  return within(document.querySelector<HTMLElement>('.review-actions')!).getByRole('button', { name });
}

function cellOf(taskNo: number, column: string): HTMLElement {
  const headers = [...reviewTable().querySelectorAll('thead th')];
  const index = headers.findIndex((h) => h.textContent === column);
  expect(index, `column ${column}`).toBeGreaterThanOrEqual(0);
  return within(rowOf(taskNo)).getAllByRole('cell')[index];
}

describe('buildDocSegments', () => {
  it('covers the text exactly once, with every task and its highlights', () => {
    const extract = asPlanExtract(makeDraft().extract);
    const segments = buildDocSegments(TEXT, extract);
    const joined = segments.map((s) => (s.kind === 'text' ? s.text : s.parts.map((p) => p.text).join(''))).join('');
    expect(joined).toBe(TEXT);
    const tasks = segments.filter((s) => s.kind === 'task');
    expect(tasks).toHaveLength(extract.tasks.length);
    const marks = tasks.flatMap((s) => (s.kind === 'task' ? s.parts.filter((p) => p.mark) : []));
    expect(marks.filter((p) => p.mark === 'assignment')).toHaveLength(27);
    expect(marks.find((p) => p.mark === 'target' && p.text === '20公里')).toBeTruthy();
    // Far fewer nodes than characters.
    expect(segments.length + marks.length).toBeLessThan(TEXT.length / 20);
  });
});

// Rendering 27 editable rows is slow in happy-dom, more so when the machine is busy.
describe('ImportReview', { timeout: 90_000 }, () => {
  const fetchMock = vi.fn<(input: string, init?: RequestInit) => Promise<Response>>();
  let draft: PlanImport;

  beforeEach(() => {
    draft = makeDraft();
    fetchMock.mockReset();
    fetchMock.mockImplementation(async (url, init) => {
      if (url.startsWith('/api/organisations')) return json({ items: organisations(), total: 43 });
      if (url === `/api/plan-imports/${IMPORT_ID}` && (init?.method ?? 'GET') === 'GET') return json(draft);
      if (url === `/api/plan-imports/${IMPORT_ID}/mappings`) {
        const body = JSON.parse(String(init?.body)) as { mappings: { name: string; orgId: string }[] };
        const mapped = new Map(body.mappings.map((m) => [m.name, m.orgId]));
        draft = { ...draft, unresolved: draft.unresolved.map((u) => ({ ...u, orgId: mapped.get(u.name) ?? u.orgId })) };
        return json(draft);
      }
      if (url === `/api/plan-imports/${IMPORT_ID}/extract` && init?.method === 'PUT') {
        const body = JSON.parse(String(init.body));
        return json({ ...draft, extract: body.extract });
      }
      if (url === `/api/plan-imports/${IMPORT_ID}/confirm`) return json({ planId: PLAN_ID, taskCount: 27 });
      return json({ status: 404, code: 'not_found', title: 'not found' }, 404);
    });
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the parsed tasks with their units, deadlines and district targets', async () => {
    renderReview(draft);
    const table = await loaded();
    expect(table.querySelectorAll('tr.ant-table-row')).toHaveLength(27);

    // Task 6: 地下综合管廊, 20 km city-wide with district shares.
    expect(cellOf(6, '章节').textContent).toBe('三 (三) 1');
    const units = cellOf(6, '牵头 / 责任 / 配合单位');
    const names = (role: string) =>
      within(within(units).getByRole('list', { name: `第 6 项任务的${role}` }))
        .queryAllByRole('listitem')
        .filter((li) => li.classList.contains('unit-tag'))
        .map((li) => li.querySelector('.unit-tag-name')?.textContent);
    expect(names('牵头单位')).toEqual(['市住房和城乡建设局', '市城乡规划管理局']);
    expect(names('责任单位')).toEqual(['各县区政府', '各县区管委']);
    expect(names('配合单位')).toEqual([]);
    const targets = within(cellOf(6, '量化指标'))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(targets).toEqual([
      '全市 地下综合管廊 20公里',
      '淇滨区 地下综合管廊 9公里',
      '城乡一体化示范区 地下综合管廊 5.5公里',
      '开发区 地下综合管廊 5.5公里',
    ]);

    // A task with a deadline shows it as a button that opens a date picker, labelled for its row.
    const tasks = asPlanExtract(draft.extract).tasks;
    const withDeadline = tasks.findIndex((t) => t.deadlines.length > 0);
    const deadline = tasks[withDeadline].deadlines[0];
    const button = within(cellOf(withDeadline + 1, '完成时限')).getByRole('button', {
      name: new RegExp(`^修改第 ${withDeadline + 1} 项任务的完成时限 1`),
    });
    expect(button.textContent).toBe(deadline.date);
    expect(within(cellOf(withDeadline + 1, '完成时限')).getByText(deadline.text)).toBeTruthy();
  });

  it('lists the unresolved unit first and keeps 确认导入 disabled until it is mapped', async () => {
    renderReview(draft);
    const table = await loaded();
    const panel = screen.getByRole('region', { name: /1 个单位名称待对应/ });
    expect(panel.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(panel).getByText('市城乡规划管理局')).toBeTruthy();
    // The unresolved tag in the table says so to screen readers too.
    expect(within(cellOf(6, '牵头 / 责任 / 配合单位')).getByText(/未对应到组织机构/)).toBeTruthy();

    const confirm = actionButton('确认导入');
    expect(confirm.hasAttribute('disabled')).toBe(true);
    expect(screen.getByText(/还有 1 个单位名称未对应到组织机构/)).toBeTruthy();

    // Choose 市城乡规划管理局's real organisation in the picker.
    const picker = within(panel).getByRole('combobox', { name: '将“市城乡规划管理局”对应到已有单位' });
    fireEvent.mouseDown(picker);
    fireEvent.change(picker, { target: { value: '市住房和城乡建设局' } });
    const option = await screen.findByTitle('市住房和城乡建设局');
    fireEvent.click(option);

    await waitFor(() => expect(actionButton('确认导入').hasAttribute('disabled')).toBe(false));
    const mappingCall = fetchMock.mock.calls.find(([url]) => url.endsWith('/mappings'));
    expect(JSON.parse(String(mappingCall?.[1]?.body))).toEqual({
      mappings: [{ name: '市城乡规划管理局', orgId: 'org-zhujian' }],
    });
    expect(screen.getByText('所有单位名称均已对应，可以确认导入。')).toBeTruthy();

    fireEvent.click(actionButton('确认导入'));
    expect(await screen.findByText('plan page', undefined, { timeout: 10_000 })).toBeTruthy();
  });

  it('selects the clause in the document when a row is clicked, and the row when the clause is', async () => {
    renderReview(draft);
    await loaded();
    const clause = document.querySelector<HTMLElement>('[data-task-index="5"]')!;
    expect(clause.getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(within(cellOf(6, '任务内容')).getByText(/开工建设20公里地下综合管廊/));
    expect(clause.classList.contains('is-active')).toBe(true);
    expect(clause.getAttribute('aria-pressed')).toBe('true');
    expect(rowOf(6).classList.contains('is-active')).toBe(true);

    // Keyboard: Enter on a clause selects its row and moves focus there.
    const other = document.querySelector<HTMLElement>('[data-task-index="9"]')!;
    fireEvent.keyDown(other, { key: 'Enter' });
    expect(rowOf(10).classList.contains('is-active')).toBe(true);
    expect(rowOf(6).classList.contains('is-active')).toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(rowOf(10)));

    // Enter on a focused row goes back to the document.
    fireEvent.keyDown(rowOf(3), { key: 'Enter' });
    await waitFor(() => expect(document.activeElement).toBe(document.querySelector('[data-task-index="2"]')));
  });

  it('sends edits to the server with 保存修改', async () => {
    renderReview(draft);
    await loaded();
    fireEvent.click(
      within(cellOf(6, '牵头 / 责任 / 配合单位')).getByRole('button', { name: '从第 6 项任务的牵头单位中移除“市城乡规划管理局”' }),
    );
    expect(screen.getByText('有未保存的修改')).toBeTruthy();
    expect(actionButton('确认导入').hasAttribute('disabled')).toBe(true);

    fireEvent.click(actionButton('保存修改'));
    await screen.findByText('修改已保存');
    const put = fetchMock.mock.calls.find(([url, init]) => url.endsWith('/extract') && init?.method === 'PUT');
    const sent = JSON.parse(String(put?.[1]?.body)).extract;
    expect(sent.tasks[5].assignment.lead.map((u: { name: string }) => u.name)).toEqual(['市住房和城乡建设局']);
    expect(sent.tasks[4].assignment.lead.map((u: { name: string }) => u.name)).toContain('市城乡规划管理局');
  });
});
