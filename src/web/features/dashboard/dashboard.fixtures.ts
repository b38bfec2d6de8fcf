import type { DashboardReporting, DashboardSupervision } from '../../../shared/schemas/ledger.schema.ts';
import { FIXTURE_DISTRICTS, FIXTURE_PLAN_ID } from '../../testing/ledger.fixtures.ts';

export const FIXTURE_PERIOD_ID = '00000000-0000-4000-8000-00000000b001';

/** Per district: expected, submitted, approved, returned, late — one in each rate band, one with nothing expected. */
const COUNTS: [number, number, number, number, number][] = [
  [10, 10, 8, 0, 1],
  [10, 9, 9, 1, 0],
  [10, 7, 5, 2, 3],
  [10, 6, 6, 0, 0],
  [12, 5, 1, 4, 2],
  [0, 0, 0, 0, 0],
  [8, 2, 0, 1, 0],
];

const rate = (submitted: number, expected: number) => (expected === 0 ? null : submitted / expected);

export function makeReporting(overrides: Partial<DashboardReporting> = {}): DashboardReporting {
  const byDistrict = FIXTURE_DISTRICTS.map((org, i) => {
    const [expected, submitted, approved, returned, late] = COUNTS[i % COUNTS.length];
    return { org, expected, submitted, approved, returned, late, rate: rate(submitted, expected) };
  });
  const sum = (key: 'expected' | 'submitted' | 'approved' | 'returned' | 'late') => byDistrict.reduce((n, d) => n + d[key], 0);
  return {
    periods: [{ id: FIXTURE_PERIOD_ID, planId: FIXTURE_PLAN_ID, label: '2018年6月', status: 'open', dueDate: '2018-07-05' }],
    totals: {
      expected: sum('expected'),
      submitted: sum('submitted'),
      approved: sum('approved'),
      returned: sum('returned'),
      late: sum('late'),
      rate: rate(sum('submitted'), sum('expected')),
    },
    byDistrict,
    ...overrides,
  };
}

export const FIXTURE_SUPERVISION: DashboardSupervision = {
  open: 12,
  answered: 5,
  closed: 30,
  overdue: 4,
  byStep: { none: 6, reminder: 4, urging: 3, yellow_card: 2, red_card: 1, interview: 1, accountability: 0 },
};
