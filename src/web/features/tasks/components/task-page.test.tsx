import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Task, TaskTarget } from '../../../../shared/schemas/plan.schema.ts';
import { renderWithApp } from '../../../testing/test-utils.tsx';
import { TaskPage } from './task-page.tsx';

const PLAN_ID = '00000000-0000-4000-8000-0000000000aa';
const SECTION_ID = '00000000-0000-4000-8000-0000000000bb';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

// Deadlines far in the future: a browser working the status out itself would never say overdue.
// The server says overdue (and the stored status is something else); the page must show that.
function task(n: number, status: Task['status'], statusAsOf: Task['statusAsOf'], targets: TaskTarget[] = []): Task {
  return {
    id: id(n),
    planId: PLAN_ID,
    sectionId: SECTION_ID,
    sectionPath: ['三'],
    sectionTitle: '重点任务',
    seq: n,
    text: `第${n}项任务：新建公厕70座`,
    span: null,
    assignmentText: null,
    status,
    statusAsOf,
    assignments: [],
    deadlines: [{ id: id(900 + n), taskId: id(n), date: '2099-12-31', text: '', span: null }],
    targets,
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}
const target: TaskTarget = {
  id: id(500),
  taskId: id(1),
  metric: '公厕',
  unit: '座',
  comparator: '>=',
  value: 70,
  maxValue: null,
  baseline: null,
  jurisdictionOrgId: null,
  jurisdictionName: null,
  jurisdictionLabel: null,
  deadline: '2099-06-30',
  parentTargetId: null,
  text: '',
  span: null,
  status: 'on_track',
  statusAsOf: 'overdue',
  version: 1,
};
const shown = task(1, 'on_track', 'overdue', [target]);
const related = task(2, 'at_risk', 'overdue');

describe('TaskPage statuses', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the status the server worked out for the task, its targets and its neighbours, not one of its own', async () => {
    const { container } = renderWithApp(<TaskPage />, {
      path: '/tasks/:taskId',
      url: `/tasks/${shown.id}`,
      api: {
        [`/api/tasks/${shown.id}`]: shown,
        [`/api/tasks/${shown.id}/history`]: { items: [] },
        [`/api/plans/${PLAN_ID}/tasks`]: { items: [shown, related], total: 2 },
      },
    });
    await screen.findByText('第1项任务：新建公厕70座');
    // The head: the server's status, and the stored one named beside it.
    expect(container.querySelector('.task-head .status-tag')?.className).toContain('status-overdue');
    expect(screen.getByText('由完成时限判断为“已逾期”（登记状态：正常推进）')).toBeTruthy();
    // The target row and the related task.
    await waitFor(() => expect(container.querySelector('.related-list .status-tag')).not.toBeNull(), { timeout: 10_000 });
    expect(container.querySelector('.related-list .status-tag')?.className).toContain('status-overdue');
    const targetTags = [...container.querySelectorAll('.ant-table-row .status-tag')];
    expect(targetTags.map((tag) => tag.className.match(/status-(?!tag\b)(\w+)/)?.[1])).toEqual(['overdue']);
  });
});
