import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '../../../lib/i18n.ts';
import { FIXTURE_PLAN_ID, FIXTURE_SECTIONS, makeLedgerRows } from '../../../testing/ledger.fixtures.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { LedgerPage } from './ledger-page.tsx';
import { LedgerTable } from './ledger-table.tsx';

const rows = makeLedgerRows(6);

function renderTable(onEdit = vi.fn()) {
  render(
    <MemoryRouter>
      <I18nProvider initialLocale="zh-CN">
        <LedgerTable rows={rows} hiddenColumns={[]} height={600} emptyText="空" onEdit={onEdit} />
      </I18nProvider>
    </MemoryRouter>,
  );
  return onEdit;
}

function headers(): string[] {
  return screen.getAllByRole('columnheader').map((h) => h.textContent ?? '');
}

describe('LedgerTable', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the 任务分解表 columns and one row per task × responsible unit', () => {
    renderTable();
    expect(headers()).toEqual([
      '序号',
      '章节',
      '任务内容',
      '牵头单位',
      '责任单位',
      '配合单位',
      '完成时限',
      '量化指标',
      '最新进展',
      '状态',
      '操作',
    ]);
    const table = document.querySelector('.ledger-table') as HTMLElement;
    const bodyRows = table.querySelectorAll('.ant-table-row[data-row-key]');
    expect(bodyRows.length).toBe(rows.length);
    const first = bodyRows[0] as HTMLElement;
    expect(first.dataset.rowKey).toBe(rows[0].key);
    const text = first.textContent ?? '';
    expect(text).toContain(rows[0].responsible!.name);
    expect(text).toContain('经 各县区政府');
    expect(text).toContain(rows[0].lead[0].name);
    // Targets as label：metric comparator value unit.
    expect(text).toContain(`${rows[0].responsible!.name}：${rows[0].targets[0].metric} ${rows[0].targets[0].value}公里`);
    const link = within(first).getByRole('link', { name: /^查看第 1 项任务/ });
    expect(link.getAttribute('href')).toBe(`/tasks/${rows[0].taskId}`);
  });

  it('offers the edit action only on rows the user may edit', () => {
    const onEdit = renderTable();
    const editable = rows.filter((r) => r.canEdit);
    const buttons = screen.getAllByRole('button', { name: /^修改第 \d+ 项（.+）的状态$/ });
    expect(buttons.length).toBe(editable.length);
    fireEvent.click(buttons[0]);
    expect(onEdit).toHaveBeenCalledWith(editable[0]);
  });

  it('hides columns chosen in the column chooser, and remembers the choice', async () => {
    const plan = { id: FIXTURE_PLAN_ID, title: '计划', issuer: null, year: 2018, status: 'active', taskCount: 2, version: 1 };
    const api = {
      '/api/plans': { items: [plan], total: 1 },
      [`/api/plans/${FIXTURE_PLAN_ID}`]: { ...plan, sections: FIXTURE_SECTIONS.map((s) => ({ ...s, children: [] })) },
      '/api/ledger': { rows, asOf: '2026-06-15' },
      '/api/ledger/page': {
        rows,
        total: rows.length,
        unfiltered: rows.length,
        page: 1,
        pageSize: 500,
        asOf: '2026-06-15',
        facets: { status: {}, org: [], lead: [] },
      },
    };
    const first = renderWithApp(<LedgerPage />, { path: '/ledger', url: '/ledger', api });
    await screen.findByText(/^共 6 条/, undefined, { timeout: 10_000 });
    expect(headers()).toContain('配合单位');
    fireEvent.click(screen.getByRole('button', { name: '显示列' }));
    const group = await screen.findByRole('group', { name: '选择要显示的列' });
    fireEvent.click(within(group).getByRole('checkbox', { name: '配合单位' }));
    await waitFor(() => expect(headers()).not.toContain('配合单位'));
    expect(JSON.parse(localStorage.getItem('luoshi.ledger.hiddenColumns') ?? '[]')).toEqual(['cooperating']);
    first.unmount();
    vi.unstubAllGlobals();

    renderWithApp(<LedgerPage />, { path: '/ledger', url: '/ledger', api });
    await screen.findByText(/^共 6 条/, undefined, { timeout: 10_000 });
    expect(headers()).not.toContain('配合单位');
    expect(headers()).toContain('责任单位');
  });
});
