import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DashboardResponse, ProvinceDashboard } from '../../../../shared/schemas/dashboard.schema.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { FIXTURE_SUPERVISION, makeReporting } from '../dashboard.fixtures.ts';
import { DashboardPage } from './dashboard-page.tsx';
import { ProvinceDashboardPage } from './province-dashboard-page.tsx';

vi.mock('./status-bar-chart.tsx', () => ({ StatusBarChart: () => null }));
vi.mock('./rate-bar-chart.tsx', () => ({ RateBarChart: () => null }));

const CITY_A = '00000000-0000-4000-8000-0000000c0001';
const CITY_B = '00000000-0000-4000-8000-0000000c0002';
const counts = (done: number, overdue: number) => ({ not_started: 1, on_track: 2, at_risk: 0, overdue, done });

const province: ProvinceDashboard = {
  asOf: '2026-06-15',
  province: { id: '00000000-0000-4000-8000-0000000c0000', name: '某省办' },
  cities: [
    {
      org: { id: CITY_A, name: '甲市办' },
      plans: 1,
      tasksByStatus: counts(4, 3),
      targetsByStatus: counts(6, 2),
      reporting: { expected: 20, submitted: 15, rate: 0.75 },
      notices: { open: 2, overdue: 1 },
      overdue: 3,
    },
    {
      org: { id: CITY_B, name: '乙市办' },
      plans: 2,
      tasksByStatus: counts(0, 0),
      targetsByStatus: counts(0, 0),
      reporting: { expected: 0, submitted: 0, rate: null },
      notices: { open: 0, overdue: 0 },
      overdue: 0,
    },
  ],
};

describe('ProvinceDashboardPage', () => {
  afterEach(() => cleanup());

  it('has one row per city with its numbers, each opening the city’s dashboard and ledger', async () => {
    renderWithApp(<ProvinceDashboardPage />, { path: '/province', url: '/province', api: { '/api/dashboard/province': province } });
    expect(await screen.findByText('某省办 · 各市数据', undefined, { timeout: 10_000 })).toBeTruthy();
    const rowA = screen.getByText('甲市办').closest('tr')!;
    const cells = within(rowA as HTMLElement);
    expect(cells.getByText('75%（15/20）')).toBeTruthy();
    expect(cells.getByText('10')).toBeTruthy(); // tasks: 1 + 2 + 0 + 3 + 4
    expect(cells.getByText('6 / 11')).toBeTruthy();
    expect(screen.getByRole('link', { name: '查看甲市办总览' }).getAttribute('href')).toBe(`/dashboard?tenant=${CITY_A}`);
    expect(screen.getByRole('link', { name: '查看乙市办台账' }).getAttribute('href')).toBe(`/ledger?tenant=${CITY_B}`);
    const rowB = within(screen.getByText('乙市办').closest('tr') as HTMLElement);
    expect(rowB.getByText('—')).toBeTruthy();
  });
});

describe('DashboardPage, whose data', () => {
  afterEach(() => cleanup());

  const dashboard = (scope: DashboardResponse['scope']): DashboardResponse => ({
    asOf: '2026-06-15',
    planId: null,
    totals: { rows: 1, tasks: 1, targets: 0 },
    byStatus: counts(0, 1),
    targetsByStatus: counts(0, 0),
    byDistrict: [],
    byLead: [],
    heatmap: { districts: [], sections: [], cells: [] },
    upcoming: [],
    overdue: [],
    reporting: makeReporting(),
    supervision: FIXTURE_SUPERVISION,
    scope,
  });

  it('drilled into from the province: names the city, links back, and keeps the city in its ledger links', async () => {
    renderWithApp(<DashboardPage />, {
      path: '/dashboard',
      url: `/dashboard?tenant=${CITY_A}`,
      api: {
        '/api/plans': { items: [], total: 0 },
        '/api/dashboard': dashboard({ tenantOrgId: CITY_A, name: '甲市办', level: 'city', drillDown: true }),
      },
    });
    expect(await screen.findByText('甲市办 · 数据范围', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByRole('link', { name: '全省总览' }).getAttribute('href')).toBe('/province');
    const overdue = screen.getByRole('link', { name: '已逾期：1 条，在台账中查看' });
    expect(new URL(overdue.getAttribute('href')!, 'http://x').searchParams.get('tenant')).toBe(CITY_A);
  });

  it('a city’s own dashboard names the city without a way up', async () => {
    renderWithApp(<DashboardPage />, {
      path: '/dashboard',
      url: '/dashboard',
      api: {
        '/api/plans': {
          items: [{ id: CITY_B, title: '计划', issuer: null, year: 2026, status: 'active', taskCount: 1, version: 1 }],
          total: 1,
        },
        '/api/dashboard': dashboard({ tenantOrgId: CITY_A, name: '甲市办', level: 'city', drillDown: false }),
      },
    });
    expect(await screen.findByText('甲市办 · 数据范围', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByRole('link', { name: '全省总览' })).toBeNull();
  });
});
