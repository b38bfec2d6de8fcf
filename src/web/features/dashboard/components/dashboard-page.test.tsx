import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../../shared/enums.ts';
import { filterLedgerRows } from '../../../../shared/ledger-filter.ts';
import { addDays } from '../../../../shared/china-date.ts';
import { type Dashboard, type LedgerFilter, parseLedgerFilterParams } from '../../../../shared/schemas/ledger.schema.ts';
import { FIXTURE_DISTRICTS, FIXTURE_LEADS, FIXTURE_PLAN_ID, FIXTURE_SECTIONS, makeLedgerRows } from '../../../testing/ledger.fixtures.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { FIXTURE_SUPERVISION, makeReporting } from '../dashboard.fixtures.ts';
import { DashboardPage } from './dashboard-page.tsx';

// ECharts needs a real layout engine; the chart's numbers are also in the data table under it.
vi.mock('./status-bar-chart.tsx', () => ({ StatusBarChart: () => null }));
vi.mock('./rate-bar-chart.tsx', () => ({ RateBarChart: () => null }));

const AS_OF = '2026-06-15';
const rows = makeLedgerRows(90, AS_OF);
const count = (filter: LedgerFilter) => filterLedgerRows(rows, filter).length;
const byStatus = (filter: LedgerFilter) =>
  Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, count({ ...filter, status })])) as Record<DeliveryStatus, number>;

/** The dashboard as the server computes it: each number is filterLedgerRows(rows, its filter).length. */
const dashboard: Dashboard = {
  asOf: AS_OF,
  planId: FIXTURE_PLAN_ID,
  totals: { rows: rows.length, tasks: new Set(rows.map((r) => r.taskId)).size, targets: rows.reduce((n, r) => n + r.targets.length, 0) },
  byStatus: byStatus({}),
  targetsByStatus: byStatus({}),
  byDistrict: FIXTURE_DISTRICTS.map((org) => ({ org, counts: byStatus({ orgId: org.id }) })),
  byLead: FIXTURE_LEADS.map((org) => ({ org, counts: byStatus({ leadOrgId: org.id }) })),
  heatmap: {
    districts: FIXTURE_DISTRICTS,
    sections: FIXTURE_SECTIONS.map((s) => ({ id: s.id, title: s.title })),
    cells: FIXTURE_DISTRICTS.flatMap((d, di) =>
      FIXTURE_SECTIONS.map((s, si) => ({
        district: di,
        section: si,
        rows: count({ orgId: d.id, sectionId: s.id }),
        overdue: count({ orgId: d.id, sectionId: s.id, status: 'overdue' }),
      })),
    ),
  },
  upcoming: filterLedgerRows(rows, { dueFrom: AS_OF, dueTo: addDays(AS_OF, 30) }).filter((r) => r.status !== 'done'),
  overdue: filterLedgerRows(rows, { status: 'overdue' }),
  reporting: makeReporting(),
  supervision: FIXTURE_SUPERVISION,
};
const plan = { id: FIXTURE_PLAN_ID, title: '计划', issuer: null, year: 2018, status: 'active', taskCount: 30, version: 1 };

function renderDashboard(role: 'admin' | 'leader' = 'admin') {
  return renderWithApp(<DashboardPage />, {
    path: '/dashboard',
    url: '/dashboard',
    role,
    api: { '/api/plans': { items: [plan], total: 1 }, '/api/dashboard': dashboard },
  });
}

/** The ledger rows a dashboard link opens: its URL's filter through the shared function. */
function rowsBehind(link: HTMLElement): number {
  const href = link.getAttribute('href') ?? '';
  const url = new URL(href, 'http://x');
  expect(url.pathname).toBe('/ledger');
  return filterLedgerRows(rows, parseLedgerFilterParams(url.searchParams)).length;
}

describe('DashboardPage links', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('links each status number to the ledger filtered to exactly those rows', async () => {
    renderDashboard();
    const overdue = await screen.findByRole(
      'link',
      { name: `已逾期：${dashboard.byStatus.overdue} 条，在台账中查看` },
      { timeout: 10_000 },
    );
    expect(dashboard.byStatus.overdue).toBeGreaterThan(0);
    expect(overdue.textContent).toBe(String(dashboard.byStatus.overdue));
    const href = new URL(overdue.getAttribute('href')!, 'http://x');
    expect(Object.fromEntries(href.searchParams)).toEqual({ planId: FIXTURE_PLAN_ID, status: 'overdue' });
    expect(rowsBehind(overdue)).toBe(dashboard.byStatus.overdue);

    for (const status of DELIVERY_STATUSES) {
      const link = screen.getByRole('link', { name: new RegExp(`^${statusLabel(status)}：\\d+ 条，在台账中查看$`) });
      expect(rowsBehind(link)).toBe(dashboard.byStatus[status]);
    }
    expect(rowsBehind(screen.getByRole('link', { name: `合计：${rows.length} 条，在台账中查看` }))).toBe(rows.length);
  });

  it('links a district × status number and a heat-map cell to their rows', async () => {
    renderDashboard();
    const district = FIXTURE_DISTRICTS[1];
    const n = dashboard.byDistrict[1].counts.at_risk;
    const link = await screen.findByRole('link', { name: `${district.name}有风险：${n} 条，在台账中查看` }, { timeout: 10_000 });
    expect(new URL(link.getAttribute('href')!, 'http://x').searchParams.get('orgId')).toBe(district.id);
    expect(rowsBehind(link)).toBe(n);

    const cell = dashboard.heatmap.cells.find((c) => c.rows > 0 && c.overdue > 0)!;
    const d = dashboard.heatmap.districts[cell.district];
    const s = dashboard.heatmap.sections[cell.section];
    const heat = screen.getByRole('link', { name: `${d.name}，${s.title}：${cell.rows} 条，其中逾期 ${cell.overdue} 条` });
    const params = new URL(heat.getAttribute('href')!, 'http://x').searchParams;
    expect(params.get('sectionId')).toBe(s.id);
    expect(params.get('orgId')).toBe(d.id);
    expect(rowsBehind(heat)).toBe(cell.rows);
  });

  it('opens the 30-day window and the overdue list in the ledger', async () => {
    renderDashboard();
    const upcoming = await screen.findByRole('link', { name: /在台账中查看 30 天内到期的全部行/ }, { timeout: 10_000 });
    const params = new URL(upcoming.getAttribute('href')!, 'http://x').searchParams;
    expect(params.get('dueFrom')).toBe(AS_OF);
    expect(params.get('dueTo')).toBe(addDays(AS_OF, 30));
    const all = screen.getByRole('link', { name: `在台账中查看全部 ${dashboard.byStatus.overdue} 条` });
    expect(rowsBehind(all)).toBe(dashboard.byStatus.overdue);
  });
});

describe('DashboardPage reporting and supervision', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows each district’s rate, linked to the review queue for admin', async () => {
    renderDashboard('admin');
    await screen.findByRole('heading', { level: 2, name: '各县区填报率' }, { timeout: 10_000 });
    const rows = screen.getAllByTestId('district-rate');
    expect(rows).toHaveLength(FIXTURE_DISTRICTS.length);
    expect(rows[1].textContent).toMatch(/山城区.*9\/10.*90%/);
    const link = screen.getByRole('link', { name: /^山城区：已报 9 \/ 应报 10，填报率 90%，打开审核队列$/ });
    const params = new URL(link.getAttribute('href')!, 'http://x').searchParams;
    expect(params.get('orgId')).toBe(FIXTURE_DISTRICTS[1].id);
    expect(params.get('planId')).toBe(FIXTURE_PLAN_ID);
    expect(screen.getByRole('link', { name: '红牌：1 件未办结，在督办中查看' }).getAttribute('href')).toBe(
      '/supervision?step=red_card&active=1',
    );
  });

  it('shows the rates without review links to a city leader', async () => {
    renderDashboard('leader');
    await screen.findByRole('heading', { level: 2, name: '各县区填报率' }, { timeout: 10_000 });
    expect(screen.getAllByTestId('district-rate')).toHaveLength(FIXTURE_DISTRICTS.length);
    expect(screen.queryAllByRole('link', { name: /打开审核队列$/ })).toEqual([]);
    // 督办 stays open to every role.
    expect(screen.getByRole('link', { name: `待办理：${FIXTURE_SUPERVISION.open} 件，在督办中查看` })).toBeTruthy();
  });
});

function statusLabel(status: DeliveryStatus): string {
  return { not_started: '未开始', on_track: '正常推进', at_risk: '有风险', overdue: '已逾期', done: '已完成' }[status];
}
