import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../../../shared/schemas/user.schema.ts';
import { FIXTURE_DISTRICTS, FIXTURE_PLAN_ID } from '../../../testing/ledger.fixtures.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { FIXTURE_PERIOD_ID, makeReporting } from '../dashboard.fixtures.ts';
import { ReportingCard, reviewPeriod } from './reporting-card.tsx';

// ECharts needs a real layout engine; every number it draws is also in the table beside it.
vi.mock('./rate-bar-chart.tsx', () => ({ RateBarChart: () => null }));

type Role = Session['user']['role'];

function renderCard(reporting = makeReporting(), role: Role = 'admin') {
  const canReview = role === 'admin' || role === 'lead';
  return renderWithApp(<ReportingCard reporting={reporting} planId={FIXTURE_PLAN_ID} canReview={canReview} />, {
    path: '/dashboard',
    url: '/dashboard',
    role,
    api: {},
  });
}

const rowFor = (orgId: string) => {
  const row = screen.getAllByTestId('district-rate').find((el) => el.dataset.orgId === orgId);
  if (!row) throw new Error(`no row for ${orgId}`);
  return row;
};

describe('ReportingCard', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lists every district with submitted/expected, the rate (rounded down), late and returned', () => {
    const reporting = makeReporting();
    renderCard(reporting);
    expect(screen.getByRole('heading', { level: 2, name: '各县区填报率' })).toBeTruthy();
    expect(screen.getByText('2018年6月（填报中，2018年7月5日 截止）')).toBeTruthy();
    const rows = screen.getAllByTestId('district-rate');
    expect(rows.map((r) => r.dataset.orgId)).toEqual(FIXTURE_DISTRICTS.map((d) => d.id));

    const cells = (orgId: string) =>
      within(rowFor(orgId))
        .getAllByRole('cell')
        .map((c) => c.textContent);
    // 淇滨区 10/10, 山城区 9/10, 鹤山区 7/10 with 3 late and 2 returned, 淇县 5/12 = 41.67% → 41%.
    expect(rowFor(FIXTURE_DISTRICTS[0].id).textContent).toContain('淇滨区');
    expect(cells(FIXTURE_DISTRICTS[0].id)).toEqual(['10/10', '100%', '1', '0']);
    expect(cells(FIXTURE_DISTRICTS[1].id)).toEqual(['9/10', '90%', '0', '1']);
    expect(cells(FIXTURE_DISTRICTS[2].id)).toEqual(['7/10', '70%', '3', '2']);
    expect(rowFor(FIXTURE_DISTRICTS[4].id).textContent).toMatch(/淇县政府.*5\/12.*41%/);
    // Nothing expected: no rate, not 0%.
    expect(cells(FIXTURE_DISTRICTS[5].id)).toEqual(['0/0', '—', '0', '0']);

    const totals = screen.getByTestId('reporting-totals').textContent ?? '';
    const { totals: sum } = reporting;
    expect(totals).toContain(`已报 ${sum.submitted} / 应报 ${sum.expected}`);
    expect(totals).toContain(`逾期报送 ${sum.late}`);
    expect(totals).toContain(`退回待改 ${sum.returned}`);
  });

  it('colours each rate by its band', () => {
    renderCard();
    const colour = (i: number) => (within(rowFor(FIXTURE_DISTRICTS[i].id)).getAllByRole('cell')[1] as HTMLElement).style.color;
    const [green, blue, red] = [colour(1), colour(3), colour(6)]; // 90%, 60%, 25%
    expect(new Set([green, blue, red]).size).toBe(3);
    expect(colour(0)).toBe(green);
    expect(colour(2)).toBe(blue);
    expect(colour(4)).toBe(red);
  });

  it.each(['admin', 'lead'] as const)('links each district to its reports in the review queue for %s', (role) => {
    renderCard(makeReporting(), role);
    const district = FIXTURE_DISTRICTS[2];
    const link = within(rowFor(district.id)).getByRole('link', { name: /^鹤山区：已报 7 \/ 应报 10，填报率 70%，打开审核队列$/ });
    const url = new URL(link.getAttribute('href') ?? '', 'http://x');
    expect(url.pathname).toBe('/reviews');
    expect(Object.fromEntries(url.searchParams)).toEqual({ planId: FIXTURE_PLAN_ID, periodId: FIXTURE_PERIOD_ID, orgId: district.id });
    expect(screen.getAllByRole('link', { name: /打开审核队列$/ })).toHaveLength(FIXTURE_DISTRICTS.length);
  });

  it.each(['leader', 'unit'] as const)('shows the rates without links for %s', (role) => {
    renderCard(makeReporting(), role);
    expect(screen.getAllByTestId('district-rate')).toHaveLength(FIXTURE_DISTRICTS.length);
    expect(screen.queryAllByRole('link')).toEqual([]);
    expect(screen.queryByText(/点击县区/)).toBeNull();
  });

  it('says so when no reporting period is open', () => {
    renderCard(makeReporting({ periods: [] }));
    expect(screen.getByText('当前没有开放的填报周期。')).toBeTruthy();
    expect(screen.queryAllByTestId('district-rate')).toEqual([]);
  });

  it('opens the dashboard plan’s own period, or the only one; none when several plans mix', () => {
    const mine = { id: 'p1', planId: 'a', label: '1月', status: 'open' as const, dueDate: '2018-02-05' };
    const other = { ...mine, id: 'p2', planId: 'b' };
    expect(reviewPeriod([other, mine], 'a')).toBe(mine);
    expect(reviewPeriod([other], null)).toBe(other);
    expect(reviewPeriod([other, mine], null)).toBeNull();
    expect(reviewPeriod([], 'a')).toBeNull();
  });
});
