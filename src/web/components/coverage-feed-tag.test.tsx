import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../testing/test-utils.tsx';
import { CoverageFeedTag } from './coverage-feed-tag.tsx';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const feed = {
  targetId: id(1),
  target: { taskId: id(9), metric: '中心城区公交站点', value: 500, unit: '米', jurisdictionLabel: null },
  standardId: id(2),
  standardName: '公交站点500米覆盖率',
  method: 'population',
  district: '淇县',
  version: 1,
  latest: {
    analysisId: id(3),
    ratio: 0.698,
    percent: 69.8,
    computedAt: '2026-01-01T00:00:00Z',
    facilityLayerName: '公交站点',
    demandLayerName: '人口',
  },
};

describe('CoverageFeedTag', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows a fed target’s coverage with its method, linking to the analysis; nothing for other targets', async () => {
    renderWithApp(
      <div>
        <span data-testid="fed">
          <CoverageFeedTag targetId={id(1)} />
        </span>
        <span data-testid="other">
          <CoverageFeedTag targetId={id(5)} />
        </span>
      </div>,
      { path: '/tasks/:id', url: `/tasks/${id(9)}`, api: { '/api/coverage/targets': { items: [feed] } } },
    );
    const link = await screen.findByRole('link', { name: '覆盖率 69.8%（人口加权法）' });
    expect(link.getAttribute('href')).toBe(`/coverage?analysis=${id(3)}`);
    expect(screen.getByTestId('other').textContent).toBe('');
  });
});
