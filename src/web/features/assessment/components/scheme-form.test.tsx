import { cleanup, fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { schemeIssues } from '../../../../shared/schemas/assessment.schema.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import type { SchemeBody } from '../api/assessment.api.ts';
import { SchemeForm } from './scheme-form.tsx';

const T = { timeout: 10_000 };
const ORG = '00000000-0000-4000-8000-0000000000o1';

const scheme: SchemeBody = {
  categories: [
    { id: 'rep', label: '信息报送', points: 40 },
    { id: 'proj', label: '项目建设', points: 50 },
  ],
  rules: [
    { id: 'missing', categoryId: 'rep', kind: 'report_missing', label: '未报送', points: -2 },
    { id: 'start', categoryId: 'proj', kind: 'project_start_rate', label: '开工率', points: 50 },
  ],
  vetoes: [],
  multipliers: [],
  tiers: {
    mode: 'threshold',
    tiers: [
      { id: 'good', label: '良好', min: 85 },
      { id: 'fair', label: '一般' },
    ],
  },
  groups: [{ id: 'counties', label: '县区', orgIds: [ORG] }],
  honourCount: 1,
};

let latest: SchemeBody = scheme;
function Harness() {
  const [value, setValue] = useState(scheme);
  latest = value;
  return <SchemeForm value={value} onChange={setValue} />;
}

describe('SchemeForm', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('edits categories and measures as rows, warns while the weights do not add up, and shows schema errors', async () => {
    renderWithApp(<Harness />, { path: '/', url: '/', api: {} });
    await screen.findByText('各类别分值合计 90 分，不等于满分 100 分', undefined, T);
    fireEvent.change(screen.getByLabelText('第 2 个类别的分值'), { target: { value: '60' } });
    fireEvent.blur(screen.getByLabelText('第 2 个类别的分值'));
    await screen.findByText('合计 100 / 100 分', undefined, T);
    expect(screen.queryByText(/不等于满分/)).toBeNull();
    expect(latest.categories[1]!.points).toBe(60);
    fireEvent.change(screen.getByLabelText('第 1 个指标的名称'), { target: { value: '月报未报送' } });
    expect(latest.rules[0]!.label).toBe('月报未报送');
    // Removing a category its measure still uses is an error of the shared schema.
    fireEvent.click(screen.getAllByRole('button', { name: '删除' })[1]!);
    await screen.findByText('方案有误，不能保存', undefined, T);
    expect(screen.getByText(/没有这个类别/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '添加指标' }));
    expect(latest.rules).toHaveLength(3);
  });

  it('shows the project measures 资金到位率 and 按期竣工率 by their names', async () => {
    const rates: SchemeBody = {
      ...scheme,
      rules: [
        { id: 'funds', categoryId: 'proj', kind: 'project_funds_rate', label: '资金', points: 25 },
        { id: 'ontime', categoryId: 'proj', kind: 'project_ontime_rate', label: '竣工', points: 25 },
      ],
    };
    renderWithApp(<SchemeForm value={rates} onChange={() => {}} />, { path: '/', url: '/', api: {} });
    expect((await screen.findAllByText('项目资金到位率', undefined, T)).length).toBeGreaterThan(0);
    expect(screen.getAllByText('项目按期竣工率').length).toBeGreaterThan(0);
    // The shared schema takes both kinds (whatever else this fixture lacks).
    expect(schemeIssues(rates).errors.filter((e) => e.path.startsWith('rules'))).toEqual([]);
    expect(schemeIssues({ ...rates, rules: [{ ...rates.rules[0]!, kind: 'project_nonsense_rate' }] }).errors[0]!.path).toBe('rules.0.kind');
  });
});
