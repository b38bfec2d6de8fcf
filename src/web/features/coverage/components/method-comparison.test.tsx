import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import type { CoverageAnalysis } from '../api/coverage.api.ts';
import { MethodComparison } from './method-comparison.tsx';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const layer = (n: number, role: 'facility' | 'demand') => ({
  id: id(n),
  name: role === 'facility' ? '公厕图层' : '人口图层',
  role,
  kind: role === 'facility' ? '公厕' : '居住人口',
  declaredDatum: 'WGS84' as const,
  format: 'csv' as const,
  filename: 'x.csv',
  featureCount: 3,
  totalWeight: 1000,
  asOf: '2026-01-01',
  createdBy: null,
  createdAt: '2026-01-01T00:00:00Z',
});
const methods = (buffer: number | null, count: number | null, pop: number | null) => [
  { method: 'buffer_area' as const, covered: 1, total: 10, ratio: buffer, errorBound: 0.05 },
  { method: 'point_count' as const, covered: 2, total: 3, ratio: count, errorBound: null },
  { method: 'population' as const, covered: 400, total: 1000, ratio: pop, errorBound: null },
];
const analysis: CoverageAnalysis = {
  id: id(1),
  standard: {
    id: id(2),
    name: '公厕服务半径覆盖率',
    facilityKind: '公厕',
    radiusM: 500,
    radiusByRoadClass: null,
    method: 'population',
    targetRatio: 1,
    note: '',
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  },
  facilityLayer: layer(3, 'facility'),
  demandLayer: layer(4, 'demand'),
  districts: [
    { district: '淇县', methods: methods(0.0123, 2 / 3, 0.4), uncoveredWeight: 600, meetsTarget: false },
    { district: '浚县', methods: methods(0, null, null), uncoveredWeight: 0, meetsTarget: false },
  ],
  overall: { district: '', methods: methods(0.006, 2 / 3, 0.4), uncoveredWeight: 600, meetsTarget: false },
  demandOutside: 0,
  createdBy: null,
  createdAt: '2026-01-01T00:00:00Z',
};

describe('MethodComparison', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the three methods side by side per district, the headline marked, and — where nothing was measured', async () => {
    renderWithApp(<MethodComparison analysis={analysis} />, { path: '/coverage', url: '/coverage', api: {} });
    const table = await screen.findByRole('table');
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers.slice(0, 4)).toEqual(['区县', '缓冲区面积法', '需求点计数法', '人口加权法 ★']);
    const qixian = within(table).getByText('淇县').closest('tr')!;
    expect([...qixian.querySelectorAll('[data-method]')].map((c) => c.textContent)).toEqual(['1.2%', '66.7%', '40.0%']);
    expect(within(qixian).getByText('未达标')).toBeTruthy();
    const xunxian = within(table).getByText('浚县').closest('tr')!;
    expect([...xunxian.querySelectorAll('[data-method]')].map((c) => c.textContent)).toEqual(['0.0%', '—', '—']);
    // The total row is labelled in the UI language, not by the API's '' key.
    expect(within(table).getByText('合计')).toBeTruthy();
  });
});
