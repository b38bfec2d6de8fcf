import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { filterLedgerRows } from '../../../../shared/ledger-filter.ts';
import { addDays } from '../../../../shared/china-date.ts';
import { parseLedgerFilterParams } from '../../../../shared/schemas/ledger.schema.ts';
import { FIXTURE_PLAN_ID, FIXTURE_SECTIONS, makeLedgerRows } from '../../../testing/ledger.fixtures.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { LedgerPage } from './ledger-page.tsx';

const AS_OF = '2026-06-15';
const rows = makeLedgerRows(60, AS_OF);
const plan = {
  id: FIXTURE_PLAN_ID,
  title: '鹤壁市2018年度百城建设提质工程工作实施方案',
  issuer: null,
  year: 2018,
  status: 'active',
  taskCount: 20,
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};
const api = {
  '/api/plans': { items: [plan], total: 1 },
  [`/api/plans/${FIXTURE_PLAN_ID}`]: {
    ...plan,
    sections: FIXTURE_SECTIONS.map((s, i) => ({ ...s, planId: FIXTURE_PLAN_ID, parentId: null, ordinal: i, span: [0, 1], children: [] })),
  },
  '/api/ledger': { rows, asOf: AS_OF },
  // The server's page, answered with the shared filter (test/ledger-page.test.ts holds the SQL to it).
  '/api/ledger/page': (url: URL) => {
    const filter = parseLedgerFilterParams(url.searchParams);
    const kept = filterLedgerRows(rows, filter);
    const orgs = (list: { id: string; name: string }[]) => [...new Map(list.map((o) => [o.id, { ...o, count: 1 }])).values()];
    return {
      rows: kept.slice(0, 500),
      total: kept.length,
      unfiltered: rows.length,
      page: 1,
      pageSize: 500,
      asOf: AS_OF,
      facets: {
        status: {},
        org: orgs(rows.flatMap((r) => (r.responsible ? [r.responsible] : []))),
        lead: orgs(rows.flatMap((r) => r.lead)),
      },
    };
  },
};

function renderLedger(url: string, role: 'admin' | 'unit' = 'admin') {
  return renderWithApp(<LedgerPage />, { path: '/ledger', url, role, api });
}

/** "共 N 条" or "共 N 条（全部 M 条）": the count the page states (NaN while the ledger loads). */
function shownCount(): number {
  const output = screen.queryByText(/^共 \d+ 条/);
  return Number(output?.textContent?.match(/^共 (\d+) 条/)?.[1]);
}

/** Waits (generously: the suite may share two cores with a build) until the page states `n` rows. */
const waitForCount = (n: number) => waitFor(() => expect(shownCount()).toBe(n), { timeout: 10_000 });
const waitForUrl = (check: () => void) => waitFor(check, { timeout: 10_000 });

const expected = (search: string) =>
  filterLedgerRows(rows, { ...parseLedgerFilterParams(new URLSearchParams(search)), planId: FIXTURE_PLAN_ID }).length;

describe('LedgerPage filters', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('reads the filter from the URL and counts exactly the rows filterLedgerRows keeps', async () => {
    renderLedger('/ledger?status=at_risk');
    await waitForCount(expected('status=at_risk'));
    expect(expected('status=at_risk')).toBeGreaterThan(0);
    expect(expected('status=at_risk')).toBeLessThan(rows.length);
    expect(screen.getByText(`共 ${expected('status=at_risk')} 条（全部 ${rows.length} 条）`)).toBeTruthy();
  });

  it('writes the search box into ?q= and filters by it (debounced)', async () => {
    const { router } = renderLedger('/ledger');
    await waitForCount(rows.length);
    const search = screen.getByRole('searchbox', { name: '全文搜索' });
    fireEvent.change(search, { target: { value: '老旧小区' } });
    await waitForUrl(() => expect(router.state.location.search).toContain('q='));
    const params = new URLSearchParams(router.state.location.search);
    expect(params.get('q')).toBe('老旧小区');
    const want = expected(router.state.location.search);
    expect(want).toBeGreaterThan(0);
    await waitForCount(want);
  });

  it('toggles the overdue and 30-day presets into status and due-window params', async () => {
    const { router } = renderLedger('/ledger');
    await waitForCount(rows.length);

    fireEvent.click(screen.getByRole('button', { name: '已逾期' }));
    await waitForUrl(() => expect(new URLSearchParams(router.state.location.search).get('status')).toBe('overdue'));
    await waitForCount(expected('status=overdue'));
    expect(screen.getByRole('button', { name: '已逾期' }).getAttribute('aria-pressed')).toBe('true');

    fireEvent.click(screen.getByRole('button', { name: '30 天内' }));
    await waitForUrl(() => expect(new URLSearchParams(router.state.location.search).get('dueTo')).toBe(addDays(AS_OF, 30)));
    const params = new URLSearchParams(router.state.location.search);
    expect(params.get('dueFrom')).toBe(AS_OF);
    expect(params.get('status')).toBe('overdue');
    await waitForCount(expected(router.state.location.search));

    fireEvent.click(screen.getByRole('button', { name: '清除筛选' }));
    await waitForUrl(() => expect(router.state.location.search).toBe(''));
    await waitForCount(rows.length);
  });

  it('links the Excel export to the same filter params plus asOf', async () => {
    renderLedger('/ledger?status=done&q=%E9%81%93%E8%B7%AF');
    await waitForCount(expected('status=done&q=道路'));
    const link = (await screen.findByRole('link', { name: /导出 Excel/ })) as HTMLAnchorElement;
    const href = new URL(link.getAttribute('href') ?? '', 'http://x');
    expect(href.pathname).toBe('/api/ledger/export.xlsx');
    expect(href.searchParams.get('status')).toBe('done');
    expect(href.searchParams.get('q')).toBe('道路');
    expect(href.searchParams.get('planId')).toBe(FIXTURE_PLAN_ID);
    expect(href.searchParams.get('asOf')).toBe(AS_OF);
    expect(link.hasAttribute('download')).toBe(true);
  });

  it('offers 仅看我的 to a unit user and titles the page 我的工作 with ?mine=1', async () => {
    renderLedger('/ledger?mine=1', 'unit');
    expect(await screen.findByRole('heading', { level: 1, name: '我的工作' })).toBeTruthy();
    await waitForCount(rows.filter((r) => r.isMine).length);
    const mine = screen.getByRole('switch', { name: '仅看我的' });
    expect(mine.getAttribute('aria-checked')).toBe('true');
    await act(async () => fireEvent.click(mine));
    await waitForCount(rows.length);
    expect(within(document.body).getByRole('heading', { level: 1, name: '台账' })).toBeTruthy();
  });
});
