import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task, TaskTarget } from '../../../../shared/schemas/plan.schema.ts';
import { I18nProvider, type Locale } from '../../../lib/i18n.ts';
import { TaskTable } from './task-table.tsx';

const TASK_ID = '00000000-0000-4000-8000-000000000001';
const PLAN_ID = '00000000-0000-4000-8000-0000000000aa';
let nextId = 100;
const id = () => `00000000-0000-4000-8000-${String(nextId++).padStart(12, '0')}`;

function target(overrides: Partial<TaskTarget>): TaskTarget {
  return {
    id: id(),
    taskId: TASK_ID,
    metric: '',
    unit: '公里',
    comparator: '=',
    value: 0,
    maxValue: null,
    baseline: null,
    jurisdictionOrgId: null,
    jurisdictionName: null,
    jurisdictionLabel: null,
    deadline: null,
    parentTargetId: null,
    text: '',
    span: null,
    status: 'not_started',
    statusAsOf: 'not_started',
    version: 1,
    ...overrides,
  };
}

const cityTotal = target({ value: 20 });
/** 改善城市道路环境: the Hebi plan's task with a city total and district shares. */
const roadTask: Task = {
  id: TASK_ID,
  planId: PLAN_ID,
  sectionId: id(),
  sectionPath: ['三', '(三)', '1'],
  sectionTitle: '改善城市道路环境,提高交通出行效率',
  seq: 6,
  text: '实施城市道路改造提升工程。2018年全市改造提升城市道路20公里,其中淇滨区9公里、示范区5.5公里、开发区5.5公里,打通断头路,改善城市微循环。'.repeat(
    2,
  ),
  span: null,
  assignmentText: '(牵头单位:市住房和城乡建设局、城乡规划管理局,责任单位:各县区政府、管委)',
  status: 'not_started',
  statusAsOf: 'not_started',
  assignments: [
    { id: id(), taskId: TASK_ID, orgId: id(), orgName: '市住房和城乡建设局', role: 'lead', mention: '市住房和城乡建设局' },
    { id: id(), taskId: TASK_ID, orgId: id(), orgName: '市城乡规划管理局', role: 'lead', mention: '城乡规划管理局' },
    { id: id(), taskId: TASK_ID, orgId: id(), orgName: '淇县人民政府', role: 'responsible', mention: '各县区政府' },
    { id: id(), taskId: TASK_ID, orgId: id(), orgName: '市财政局', role: 'cooperating', mention: null },
  ],
  deadlines: [{ id: id(), taskId: TASK_ID, date: '2018-12-31', text: '12月底前', span: null }],
  targets: [
    target({ value: 5.5, parentTargetId: cityTotal.id, jurisdictionName: '城乡一体化示范区', jurisdictionOrgId: id() }),
    cityTotal,
    target({ value: 9, comparator: '>=', parentTargetId: cityTotal.id, jurisdictionName: '淇滨区', jurisdictionOrgId: id() }),
    target({ value: 5.5, parentTargetId: cityTotal.id, jurisdictionLabel: '开发区' }),
  ],
  version: 1,
  createdAt: '2026-11-28T01:00:00.000Z',
  updatedAt: '2026-11-28T01:00:00.000Z',
};

function renderTable(locale: Locale = 'zh-CN') {
  return render(
    <MemoryRouter>
      <I18nProvider initialLocale={locale}>
        <TaskTable tasks={[roadTask]} total={27} page={1} pageSize={20} />
      </I18nProvider>
    </MemoryRouter>,
  );
}

function cellOf(columnName: string): HTMLElement {
  const table = screen.getByRole('table');
  const headers = within(table).getAllByRole('columnheader');
  const index = headers.findIndex((h) => h.textContent === columnName);
  expect(index, `column ${columnName}`).toBeGreaterThanOrEqual(0);
  const row = within(table).getAllByRole('row')[1];
  return within(row).getAllByRole('cell')[index];
}

describe('TaskTable', () => {
  afterEach(cleanup);

  it('shows the units in their role columns', () => {
    renderTable();
    expect(within(cellOf('序号')).getByText('6')).toBeTruthy();
    const lead = within(cellOf('牵头单位'))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(lead).toEqual(['市住房和城乡建设局', '市城乡规划管理局']);
    expect(
      within(cellOf('责任单位'))
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['淇县人民政府']);
    expect(
      within(cellOf('配合单位'))
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['市财政局']);
  });

  it('shows the city total first, then each district share with comparator words', () => {
    renderTable();
    const targets = within(cellOf('量化指标'))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(targets).toEqual(['全市：20公里', '城乡一体化示范区：5.5公里', '淇滨区：不少于 9公里', '开发区：5.5公里']);
    expect(within(cellOf('完成时限')).getByText('2018年12月31日')).toBeTruthy();
    expect(within(cellOf('完成时限')).getByText('12月底前')).toBeTruthy();
  });

  it('cuts long task text with a button that expands it', () => {
    renderTable();
    const cell = cellOf('任务内容');
    const toggle = within(cell).getByRole('button', { name: '展开' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(within(cell).getByRole('button', { name: '收起' }).getAttribute('aria-expanded')).toBe('true');
  });

  it('speaks English when switched', () => {
    renderTable('en');
    expect(screen.getByRole('columnheader', { name: 'Targets' })).toBeTruthy();
    const targets = within(cellOf('Targets'))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(targets[0]).toBe('City-wide: 20 公里');
    expect(targets[2]).toBe('淇滨区: at least 9 公里');
  });
});
