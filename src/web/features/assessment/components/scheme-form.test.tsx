import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
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

// ---------------------------------------------------------------- the editors of vetoes, tiers, groups, multipliers, year-end

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const D = '00000000-0000-4000-8000-00000000000d';
const org = (id: string, name: string, kind = 'jurisdiction', memberIds: string[] = []) => ({
  id,
  name,
  aliases: [],
  kind,
  adminCode: null,
  parentId: null,
  memberIds,
  version: 1,
  createdAt: '2018-01-01T00:00:00Z',
  updatedAt: '2018-01-01T00:00:00Z',
});
const REGISTRY_GROUP = '00000000-0000-4000-8000-0000000000g1';
const organisations = {
  items: [
    org(A, '淇县政府'),
    org(B, '浚县政府'),
    org(C, '淇滨区政府'),
    org(D, '市住建局', 'department'),
    org(REGISTRY_GROUP, '各县区', 'group', [A, B, C]),
  ],
  total: 5,
};

const full: SchemeBody = {
  ...scheme,
  categories: [{ id: 'rep', label: '信息报送', points: 100 }],
  rules: [{ id: 'missing', categoryId: 'rep', kind: 'report_missing', label: '未报送', points: -2 }],
  tiers: {
    mode: 'threshold',
    tiers: [
      { id: 'excellent', label: '优秀', min: 95 },
      { id: 'good', label: '良好', min: 85 },
      { id: 'fail', label: '不合格' },
    ],
  },
  groups: [
    { id: 'counties', label: '县区', orgIds: [A, B] },
    { id: 'depts', label: '部门', orgIds: [D] },
  ],
};

function Editor({ start }: { start: SchemeBody }) {
  const [value, setValue] = useState(start);
  latest = value;
  return <SchemeForm value={value} onChange={setValue} />;
}

const section = (name: string) => screen.getByRole('region', { name });
const type = (label: string, value: string) => {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
  fireEvent.blur(screen.getByLabelText(label));
};
/**
 * Picks an option of an antd select. Every select of the test render shares one id (so aria-controls
 * cannot tell their dropdowns apart): the dropdown just opened is the last one in the document.
 */
async function choose(combobox: string, option: string) {
  fireEvent.mouseDown(screen.getByRole('combobox', { name: combobox }));
  const found = await waitFor(() => {
    const o = [...document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')]
      .filter((x) => x.textContent === option)
      .at(-1);
    if (!o) throw new Error(`no option ${option}`);
    return o;
  }, T);
  fireEvent.click(found);
}

describe('SchemeForm: tiers, vetoes, groups, multipliers and year-end', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    globalThis.localStorage?.removeItem('luoshi.locale');
  });

  it('tiers: thresholds must go down and need a minimum; quotas need a count or a percentage that fit the groups', async () => {
    renderWithApp(<Editor start={full} />, { path: '/', url: '/', api: { '/api/organisations': organisations } });
    await screen.findByRole('region', { name: '等次' }, T);
    expect(within(section('等次')).queryByRole('alert')).toBeNull();
    type('第 2 个等次的最低分', '96');
    await within(section('等次')).findByText('最低分须从高到低：“良好”的 96 分应低于“优秀”的 95 分', undefined, T);
    expect(screen.getByText('方案有误，不能保存')).toBeTruthy();
    type('第 2 个等次的最低分', '');
    await within(section('等次')).findByText('等次“良好”须填最低分', undefined, T);
    type('第 2 个等次的最低分', '80');
    await waitFor(() => expect(within(section('等次')).queryByRole('alert')).toBeNull(), T);
    expect(latest.tiers.tiers[1]!.min).toBe(80);

    // By quota: every tier but the last needs its quota; percentages at most 100%, counts at most the largest group (2).
    fireEvent.click(screen.getByRole('radio', { name: '按名额' }));
    await within(section('等次')).findByText(/等次“优秀”须填名额/, undefined, T);
    expect(latest.tiers.tiers[0]!.min).toBeUndefined();
    type('第 1 个等次的名额', '20');
    type('第 2 个等次的名额', '90');
    await within(section('等次')).findByText('各等次比例合计 110%，不能超过 100%', undefined, T);
    type('第 2 个等次的名额', '30');
    await waitFor(() => expect(within(section('等次')).queryByRole('alert')).toBeNull(), T);
    expect(latest.tiers.tiers.map((t) => t.share)).toEqual([0.2, 0.3, undefined]);
    await choose('第 2 个等次的名额方式', '个数');
    type('第 2 个等次的名额', '3');
    await within(section('等次')).findByText('各等次名额合计 3 个，超过最大分组的 2 个单位', undefined, T);
    type('第 2 个等次的名额', '1');
    await waitFor(() => expect(within(section('等次')).queryByRole('alert')).toBeNull(), T);
    expect(latest.tiers.tiers[1]).toEqual({ id: 'good', label: '良好', count: 1 });

    // A new tier goes before the last, named by the next usual name (合格).
    fireEvent.click(screen.getByRole('button', { name: '添加等次' }));
    expect(latest.tiers.tiers.map((t) => t.label)).toEqual(['优秀', '良好', '合格', '不合格']);
    await within(section('等次')).findByText(/等次“合格”须填名额/, undefined, T);
  });

  it('vetoes: a condition (the office, or a 督办 rung) and an effect named by the tiers; a label is required', async () => {
    renderWithApp(<Editor start={full} />, { path: '/', url: '/', api: { '/api/organisations': organisations } });
    await screen.findByText('没有否决项', undefined, T);
    fireEvent.click(screen.getByRole('button', { name: '添加否决项' }));
    expect(latest.vetoes).toEqual([{ id: 'v1', label: '新否决项', when: { kind: 'manual' }, effect: 'no_top' }]);
    await choose('第 1 个否决项的条件', '受到红牌及以上督办');
    await choose('第 1 个否决项的后果', '直接定为“不合格”');
    expect(latest.vetoes[0]).toMatchObject({ when: { kind: 'escalation_at_least', step: 'red_card' }, effect: 'fail' });
    type('第 1 个否决项的名称', ' ');
    await within(section('一票否决')).findByText('名称：至少 1 个字', undefined, T);
    type('第 1 个否决项的名称', '年内受红牌督办');
    await waitFor(() => expect(within(section('一票否决')).queryByRole('alert')).toBeNull(), T);
    expect(latest.vetoes[0]!.label).toBe('年内受红牌督办');
  });

  it('peer groups: units or a registry group, a unit of another group offered disabled, overlaps and empty groups named', async () => {
    renderWithApp(<Editor start={{ ...full, groups: [...full.groups, { id: 'more', label: '其他', orgIds: [B] }] }} />, {
      path: '/',
      url: '/',
      api: { '/api/organisations': organisations },
    });
    // From the JSON a unit may arrive in two groups: the shared rule names the group it is already in.
    await within(await screen.findByRole('region', { name: '考核分组' }, T)).findByText(
      '一个单位只能属于一个分组：已在分组“县区”中',
      undefined,
      T,
    );
    fireEvent.click(screen.getByRole('button', { name: '删除第 3 个分组' }));
    await waitFor(() => expect(within(section('考核分组')).queryByRole('alert')).toBeNull(), T);
    fireEvent.click(screen.getByRole('button', { name: '添加分组' }));
    await within(section('考核分组')).findByText('分组“新分组”至少要有一个单位', undefined, T);
    // The registry group 各县区 adds its members not already in another group (淇滨区政府 only).
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '第 3 个分组的单位' }));
    const taken = await screen.findByText('淇县政府（已在“县区”）', undefined, T);
    expect(taken.closest('.ant-select-item-option')?.getAttribute('aria-disabled')).toBe('true');
    await choose('第 3 个分组的单位', '各县区（3 个单位）');
    await waitFor(() => expect(latest.groups[2]!.orgIds).toEqual([C]), T);
    await waitFor(() => expect(within(section('考核分组')).queryByRole('alert')).toBeNull(), T);
    type('第 3 个分组的名称', '城区');
    expect(latest.groups[2]!.label).toBe('城区');
  });

  it('multipliers: on units or a group, never both or neither, one per unit, units that are assessed', async () => {
    renderWithApp(<Editor start={{ ...full, multipliers: [{ id: 'm1', label: '山区', factor: 1.05, orgIds: [C] }] }} />, {
      path: '/',
      url: '/',
      api: { '/api/organisations': organisations },
    });
    await within(await screen.findByRole('region', { name: '难度系数' }, T)).findByText('难度系数“山区”的单位不在任何分组中', undefined, T);
    fireEvent.click(screen.getByRole('button', { name: '添加难度系数' }));
    await within(section('难度系数')).findByText('难度系数“难度系数”须指定单位或分组，二选一', undefined, T);
    await choose('第 1 个难度系数的单位', '淇县政府');
    await choose('第 2 个难度系数适用于', '分组');
    await choose('第 2 个难度系数的分组', '部门');
    type('第 2 个难度系数的系数', '0.95');
    type('第 2 个难度系数的理由', '部门任务重');
    await waitFor(() => expect(latest.multipliers[0]!.orgIds).toEqual([C, A]), T);
    // 淇滨区政府 is still in no group.
    expect(within(section('难度系数')).getByText('难度系数“山区”的单位不在任何分组中')).toBeTruthy();
    expect(latest.multipliers[1]).toEqual({ id: 'm2', label: '部门任务重', factor: 0.95, groupId: 'depts' });
    // A second coefficient on the same group would multiply unnoticed.
    fireEvent.click(screen.getByRole('button', { name: '添加难度系数' }));
    await choose('第 3 个难度系数适用于', '分组');
    await choose('第 3 个难度系数的分组', '部门');
    await within(section('难度系数')).findByText('同一单位或分组只能有一个难度系数（“难度系数”重复）', undefined, T);
  });

  it('year-end weights: in percent, their total shown as typed and required to be 100%', async () => {
    renderWithApp(<Editor start={full} />, { path: '/', url: '/', api: { '/api/organisations': organisations } });
    fireEvent.click(await screen.findByRole('checkbox', { name: '用于年终综合考评' }, T));
    expect(latest.yearEnd).toEqual({ firstHalf: 0.3, secondHalf: 0.3, review: 0.4 });
    await within(section('年终综合考评权重')).findByText('合计 100%', undefined, T);
    type('年终考评', '50');
    await within(section('年终综合考评权重')).findByText('年终权重合计须为 100%，现为 110%', undefined, T);
    expect(within(section('年终综合考评权重')).getByText('合计 110%')).toBeTruthy();
    type('上半年', '25');
    type('下半年', '25');
    await waitFor(() => expect(within(section('年终综合考评权重')).queryByRole('alert')).toBeNull(), T);
    expect(latest.yearEnd).toEqual({ firstHalf: 0.25, secondHalf: 0.25, review: 0.5 });
    fireEvent.click(screen.getByRole('checkbox', { name: '用于年终综合考评' }));
    expect(latest.yearEnd).toBeUndefined();
  });

  it('speaks English in the English UI, the rules in the words the server uses', async () => {
    globalThis.localStorage?.setItem('luoshi.locale', 'en');
    renderWithApp(<Editor start={{ ...full, yearEnd: { firstHalf: 0.5, secondHalf: 0.5, review: 0.5 } }} />, {
      path: '/',
      url: '/',
      api: { '/api/organisations': organisations },
    });
    await screen.findByText('The year-end weights must add up to 100% (now 150%)', undefined, T);
    type('Minimum score of tier 2', '99');
    await screen.findByText('Minimum scores must go down: “良好” (99) must be below “优秀” (95)', undefined, T);
  });
});
