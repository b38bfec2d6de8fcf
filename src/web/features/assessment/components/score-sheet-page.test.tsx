import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import type { ScoreSheet } from '../api/assessment.api.ts';
import { ScoreSheetPage } from './score-sheet-page.tsx';

const T = { timeout: 10_000 };
const A = '00000000-0000-4000-8000-0000000000a1';
const ORG = '00000000-0000-4000-8000-0000000000o1';
const TASK = '00000000-0000-4000-8000-0000000000t1';

const sheet = (stage: ScoreSheet['stage']): ScoreSheet => ({
  assessmentId: A,
  stage,
  unit: {
    orgId: ORG,
    name: '淇县政府',
    groupId: 'counties',
    subtotal: 94,
    multiplier: 1,
    total: 94,
    tierId: 'good',
    rank: 3,
    vetoes: [],
    categories: [{ categoryId: 'rep', label: '信息报送', base: 20, raw: -6, applied: -6, score: 14 }],
  },
  lines: [
    {
      ruleId: 'missing',
      categoryId: 'rep',
      label: '月报未报送',
      count: 2,
      computed: -2,
      adjustment: 1,
      points: -1,
      eventIds: ['s1', 's2'],
    },
    { ruleId: 'late', categoryId: 'rep', label: '迟报', count: 0, computed: 0, adjustment: 0, points: 0, eventIds: [] },
  ],
  events: [
    { id: 's1', kind: 'report', periodId: null, taskId: TASK, targetId: null, noticeId: null, text: '2018-05-31 未报送（on_track）' },
    { id: 's2', kind: 'report', periodId: null, taskId: TASK, targetId: null, noticeId: null, text: '2018-06-30 未报送（on_track）' },
  ],
  notes: [],
  adjustments: [
    {
      id: '00000000-0000-4000-8000-0000000000d1',
      ruleId: 'missing',
      kind: 'adjust',
      delta: 1,
      reason: '已线下报送',
      actorId: null,
      at: '2018-07-01T00:00:00Z',
    },
  ],
  objections: [],
});

const assessment = (stage: ScoreSheet['stage']) => ({ id: A, stage, version: 4, units: [], progress: [] });

describe('ScoreSheetPage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('a unit sees its lines with the events behind them and objects to one while 初评 is open', async () => {
    const { fetchMock } = renderWithApp(<ScoreSheetPage />, {
      path: '/assessments/:assessmentId/units/:orgId',
      url: `/assessments/${A}/units/${ORG}`,
      role: 'unit',
      api: { [`/api/assessments/${A}/sheet`]: sheet('published'), [`/api/assessments/${A}`]: assessment('published') },
    });
    await screen.findByRole('heading', { level: 1, name: '淇县政府 · 得分表' }, T);
    // The office's review is shown with its reason; no review controls for a unit.
    expect(screen.getByText(/已线下报送/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: '核查调整' })).toBeNull();
    // A line opens its events.
    const row = screen.getByRole('cell', { name: '月报未报送' }).closest('tr')!;
    fireEvent.click(within(row).getByRole('button', { name: /展开|Expand/ }));
    expect(await screen.findByRole('link', { name: '2018-05-31 未报送（on_track）' }, T)).toBeTruthy();

    fireEvent.click(within(row).getByRole('button', { name: '提出异议' }));
    const dialog = await screen.findByRole('dialog', undefined, T);
    fireEvent.change(within(dialog).getByLabelText('提出异议'), { target: { value: '5月已报送，附回执' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /提\s?交/ }));
    await waitFor(
      () => expect(fetchMock.mock.calls.some(([, init]) => (init as RequestInit | undefined)?.method === 'POST')).toBe(true),
      T,
    );
    const post = fetchMock.mock.calls.find(([, init]) => (init as RequestInit | undefined)?.method === 'POST')!;
    expect(post[0]).toBe(`/api/assessments/${A}/objections`);
    expect(JSON.parse(String((post[1] as RequestInit).body))).toEqual({ ruleId: 'missing', text: '5月已报送，附回执' });
  });

  it('the drill-down from a category score in the ranking opens that category’s lines on their events', async () => {
    renderWithApp(<ScoreSheetPage />, {
      path: '/assessments/:assessmentId/units/:orgId',
      url: `/assessments/${A}/units/${ORG}?category=rep`,
      role: 'leader',
      api: { [`/api/assessments/${A}/sheet`]: sheet('final'), [`/api/assessments/${A}`]: assessment('final') },
    });
    await screen.findByRole('heading', { level: 1, name: '淇县政府 · 得分表' }, T);
    // No click: the line of the category is open, its events listed.
    expect(await screen.findByRole('link', { name: '2018-06-30 未报送（on_track）' }, T)).toBeTruthy();
  });

  it('the office adjusts lines of a draft and cannot object', async () => {
    renderWithApp(<ScoreSheetPage />, {
      path: '/assessments/:assessmentId/units/:orgId',
      url: `/assessments/${A}/units/${ORG}`,
      role: 'admin',
      api: { [`/api/assessments/${A}/sheet`]: sheet('draft'), [`/api/assessments/${A}`]: assessment('draft') },
    });
    await screen.findByRole('heading', { level: 1, name: '淇县政府 · 得分表' }, T);
    expect(screen.getAllByRole('button', { name: '核查调整' })).toHaveLength(2);
    expect(screen.queryByRole('button', { name: '提出异议' })).toBeNull();
  });
});
